/// IEEE binary32 (`UInt32` bits) and binary64 (`UInt64` bits) operations under an MXCSR context, one
/// value at a time: the element operations of the SSE instructions, for callers that are not running
/// an instruction (`SSEContext.execute` is the instruction-level entry). Each raises its exceptions into
/// `flags` with the masked responses; whether an instruction's destination is written is the caller's
/// decision (`raisesException`, after `finishInstruction()` for a multi-element instruction).
extension SSEContext {
    // MARK: binary32

    @inlinable public mutating func add(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: add(UInt64(a), UInt64(b), .single, subtract: false))
    }
    @inlinable public mutating func subtract(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: add(UInt64(a), UInt64(b), .single, subtract: true))
    }
    @inlinable public mutating func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: multiply(UInt64(a), UInt64(b), .single))
    }
    @inlinable public mutating func divide(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: divide(UInt64(a), UInt64(b), .single))
    }
    @inlinable public mutating func squareRoot(_ a: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: squareRoot(UInt64(a), .single))
    }
    /// MINSS: `b` if either is a NaN or both are zeros, else the smaller.
    @inlinable public mutating func minimum(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: minMax(UInt64(a), UInt64(b), .single, maximum: false))
    }
    /// MAXSS: `b` if either is a NaN or both are zeros, else the larger.
    @inlinable public mutating func maximum(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: minMax(UInt64(a), UInt64(b), .single, maximum: true))
    }
    /// COMISS (`signaling`: IE for QNaNs too) / UCOMISS.
    @inlinable public mutating func compare(_ a: UInt32, _ b: UInt32, signaling: Bool) -> CompareResult {
        compare(UInt64(a), UInt64(b), .single, signaling: signaling)
    }
    /// CVTSS2SD.
    @inlinable public mutating func convertToDouble(_ a: UInt32) -> UInt64 {
        convert(UInt64(a), from: .single, to: .double)
    }
    /// CVT(T)SS2SI: the integer indefinite (`Int32.min` / `Int64.min`) with IE for NaNs and overflow.
    @inlinable public mutating func toInt32(_ a: UInt32, truncating: Bool = false) -> Int32 {
        Int32(truncatingIfNeeded: toInteger(UInt64(a), .single, bits: 32, truncating: truncating))
    }
    @inlinable public mutating func toInt64(_ a: UInt32, truncating: Bool = false) -> Int64 {
        Int64(bitPattern: toInteger(UInt64(a), .single, bits: 64, truncating: truncating))
    }
    /// CVTSI2SS.
    @inlinable public mutating func single(_ v: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: fromInteger(v, .single))
    }
    /// ROUNDSS with an explicit rounding mode.
    @inlinable public mutating func roundToIntegral(_ a: UInt32, mode: RoundingMode, suppressInexact: Bool = false) -> UInt32 {
        UInt32(truncatingIfNeeded: roundToIntegral(UInt64(a), .single, mode: mode, suppressInexact: suppressInexact))
    }

    // MARK: binary64

    @inlinable public mutating func add(_ a: UInt64, _ b: UInt64) -> UInt64 { add(a, b, .double, subtract: false) }
    @inlinable public mutating func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 { add(a, b, .double, subtract: true) }
    @inlinable public mutating func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 { multiply(a, b, .double) }
    @inlinable public mutating func divide(_ a: UInt64, _ b: UInt64) -> UInt64 { divide(a, b, .double) }
    @inlinable public mutating func squareRoot(_ a: UInt64) -> UInt64 { squareRoot(a, .double) }
    @inlinable public mutating func minimum(_ a: UInt64, _ b: UInt64) -> UInt64 { minMax(a, b, .double, maximum: false) }
    @inlinable public mutating func maximum(_ a: UInt64, _ b: UInt64) -> UInt64 { minMax(a, b, .double, maximum: true) }
    @inlinable public mutating func compare(_ a: UInt64, _ b: UInt64, signaling: Bool) -> CompareResult {
        compare(a, b, .double, signaling: signaling)
    }
    /// CVTSD2SS.
    @inlinable public mutating func convertToSingle(_ a: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: convert(a, from: .double, to: .single))
    }
    @inlinable public mutating func toInt32(_ a: UInt64, truncating: Bool = false) -> Int32 {
        Int32(truncatingIfNeeded: toInteger(a, .double, bits: 32, truncating: truncating))
    }
    @inlinable public mutating func toInt64(_ a: UInt64, truncating: Bool = false) -> Int64 {
        Int64(bitPattern: toInteger(a, .double, bits: 64, truncating: truncating))
    }
    /// CVTSI2SD.
    @inlinable public mutating func double(_ v: Int64) -> UInt64 { fromInteger(v, .double) }
    @inlinable public mutating func roundToIntegral(_ a: UInt64, mode: RoundingMode, suppressInexact: Bool = false) -> UInt64 {
        roundToIntegral(a, .double, mode: mode, suppressInexact: suppressInexact)
    }
}
