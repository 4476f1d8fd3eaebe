/// SSE floating point (binary32 and binary64 under MXCSR): the context, the formats, classification
/// and the one rounding routine. See Documentation/SSEFloat.md for the rules and how they were measured.
///
/// Values are raw IEEE bit patterns (`UInt32` for binary32, `UInt64` for binary64; internally both
/// in a `UInt64` with a `BinaryFormat`). Nothing here uses host floating point.

/// An IEEE 754 binary interchange format: binary32 (single) or binary64 (double).
@usableFromInline
struct BinaryFormat: Sendable {
    @usableFromInline let fractionBits: Int
    @usableFromInline let exponentBits: Int

    @inlinable init(fractionBits: Int, exponentBits: Int) {
        self.fractionBits = fractionBits
        self.exponentBits = exponentBits
    }

    @inlinable @inline(__always) static var single: BinaryFormat { BinaryFormat(fractionBits: 23, exponentBits: 8) }
    @inlinable @inline(__always) static var double: BinaryFormat { BinaryFormat(fractionBits: 52, exponentBits: 11) }

    /// Significand bits, the implicit one included (24 or 53).
    @inlinable @inline(__always) var precision: Int { fractionBits + 1 }
    @inlinable @inline(__always) var bias: Int32 { (1 << Int32(exponentBits - 1)) - 1 }
    @inlinable @inline(__always) var emin: Int32 { 1 - bias }
    @inlinable @inline(__always) var emax: Int32 { bias }
    @inlinable @inline(__always) var signBit: UInt64 { 1 << UInt64(fractionBits + exponentBits) }
    @inlinable @inline(__always) var exponentMask: UInt64 { ((1 << UInt64(exponentBits)) - 1) << UInt64(fractionBits) }
    @inlinable @inline(__always) var fractionMask: UInt64 { (1 << UInt64(fractionBits)) - 1 }
    @inlinable @inline(__always) var quietBit: UInt64 { 1 << UInt64(fractionBits - 1) }
    /// The QNaN floating-point indefinite (SDM Vol. 1, Table 4-3): negative, quiet, zero payload.
    @inlinable @inline(__always) var defaultNaN: UInt64 { signBit | exponentMask | quietBit }
    @inlinable @inline(__always) var largestFinite: UInt64 { exponentMask - 1 }
    /// 1.0
    @inlinable @inline(__always) var one: UInt64 { UInt64(bias) << UInt64(fractionBits) }

    @inlinable @inline(__always) func magnitude(_ x: UInt64) -> UInt64 { x & ~signBit }
    @inlinable @inline(__always) func isNaN(_ x: UInt64) -> Bool { magnitude(x) > exponentMask }
    @inlinable @inline(__always) func isSignalingNaN(_ x: UInt64) -> Bool { isNaN(x) && x & quietBit == 0 }
    @inlinable @inline(__always) func isInfinity(_ x: UInt64) -> Bool { magnitude(x) == exponentMask }
    @inlinable @inline(__always) func isZero(_ x: UInt64) -> Bool { magnitude(x) == 0 }
    @inlinable @inline(__always) func isDenormal(_ x: UInt64) -> Bool { x & exponentMask == 0 && x & fractionMask != 0 }
    @inlinable @inline(__always) func sign(_ x: UInt64) -> Bool { x & signBit != 0 }

    /// A finite non-zero value as `sig * 2^(exp - 63)` with bit 63 of `sig` set (denormals normalised).
    @inlinable @inline(__always) func unpack(_ x: UInt64) -> (exp: Int32, sig: UInt64) {
        let biased = Int32(truncatingIfNeeded: (x & exponentMask) >> UInt64(fractionBits))
        let fraction = x & fractionMask
        if biased == 0 {
            let lz = fraction.leadingZeroBitCount
            return (emin - Int32(fractionBits) - Int32(lz) + 63, fraction << UInt64(lz))
        }
        return (biased - bias, (fraction | (1 << UInt64(fractionBits))) << UInt64(63 - fractionBits))
    }

    /// A signed integer key ordering every non-NaN value (both zeros equal).
    @inlinable @inline(__always) func orderKey(_ x: UInt64) -> Int64 {
        let m = Int64(bitPattern: magnitude(x))
        return sign(x) ? -m : m
    }
}

/// MXCSR exception flags, masks and controls (SDM Vol. 1, 10.2.3): flags in bits 0-5 (IE DE ZE OE UE
/// PE, the order of `ExceptionFlags`), DAZ bit 6, masks bits 7-12, rounding control bits 13-14, FTZ
/// bit 15.
///
/// The environment of one SSE instruction: create one from MXCSR, run the operation (`execute` for a
/// whole instruction, or the element operations), then OR `flags` into MXCSR; if `raisesException`,
/// the instruction leaves its destination unchanged and raises #XM (CR4.OSXMMEXCPT = 1) or #UD.
public struct SSEContext: Sendable {
    public var rounding: RoundingMode
    /// Masked exceptions (a set bit masks the exception).
    public var masks: ExceptionFlags
    /// DAZ: denormal source operands are read as zeros of the same sign (and raise no DE).
    public var denormalsAreZero: Bool
    /// FTZ: a tiny result is returned as a zero of its sign (with UE and PE) when UE is masked.
    public var flushToZero: Bool
    /// The exception flags raised so far.
    public var flags: ExceptionFlags

    @inlinable
    public init(rounding: RoundingMode = .nearestEven, masks: ExceptionFlags = .all,
                denormalsAreZero: Bool = false, flushToZero: Bool = false) {
        self.rounding = rounding
        self.masks = masks
        self.denormalsAreZero = denormalsAreZero
        self.flushToZero = flushToZero
        self.flags = []
    }

    /// From MXCSR (its flag bits are not taken: `flags` starts empty).
    @inlinable
    public init(mxcsr: UInt32) {
        rounding = RoundingMode(rawValue: UInt8((mxcsr >> 13) & 3))!
        masks = ExceptionFlags(rawValue: UInt8((mxcsr >> 7) & 0x3F))
        denormalsAreZero = mxcsr & 0x40 != 0
        flushToZero = mxcsr & 0x8000 != 0
        flags = []
    }

    /// The raised flags whose exceptions are unmasked.
    @inlinable
    public var unmaskedFlags: ExceptionFlags { flags.subtracting(masks) }

    /// True when the instruction must not update its destination and must raise #XM (or #UD).
    @inlinable
    public var raisesException: Bool { !unmaskedFlags.isEmpty }

    /// The reporting rule of SIMD exceptions (SDM Vol. 1, 11.5.1), applied once per instruction:
    /// when a pre-computation exception (IE, DE, ZE) of any element is unmasked, the post-computation
    /// exceptions (OE, UE, PE) of all elements are not reported.
    @inlinable
    public mutating func finishInstruction() {
        let pre: ExceptionFlags = [.invalid, .denormal, .zeroDivide]
        if !flags.intersection(pre).subtracting(masks).isEmpty { flags = flags.intersection(pre) }
    }
}

// MARK: - Rounding

/// Shifts right, OR-ing any bits shifted out into bit 0.
@inlinable @inline(__always)
func shiftRightJamming64(_ x: UInt64, _ n: Int) -> UInt64 {
    if n <= 0 { return x }
    if n >= 64 { return x != 0 ? 1 : 0 }
    return (x >> UInt64(n)) | (x << UInt64(64 - n) != 0 ? 1 : 0)
}

extension SSEContext {
    /// Clears the low `k` bits of `sig` and rounds by the rounding control. Returns the rounded value,
    /// whether it carried out of bit 63 (the value is then 2^64, returned as 0) and whether it is inexact.
    @inlinable @inline(__always)
    func roundBits(sign: Bool, _ sig: UInt64, dropping k: Int) -> (value: UInt64, carry: Bool, inexact: Bool) {
        let unit: UInt64 = 1 << UInt64(k)
        let fraction = sig & (unit - 1)
        let kept = sig & ~(unit - 1)
        if fraction == 0 { return (kept, false, false) }
        let half = unit >> 1
        let up: Bool
        switch rounding {
        case .nearestEven: up = fraction > half || (fraction == half && kept & unit != 0)
        case .down: up = sign
        case .up: up = !sign
        case .towardZero: up = false
        }
        if up {
            let (s, o) = kept.addingReportingOverflow(unit)
            return (s, o, true)
        }
        return (kept, false, true)
    }

    /// Rounds `sig * 2^(exp - 63)` (bit 63 of `sig` set; any sticky information in bit 0) to the
    /// format, with the MXCSR rules: tininess detected after rounding; a tiny result with UE masked
    /// is flushed to zero (FTZ; UE and PE) or denormalised (UE and PE only if inexact); UE unmasked:
    /// UE for every tiny result (the caller suppresses the destination); overflow with OE
    /// masked gives infinity or the largest finite value by rounding direction (OE, PE); OE unmasked:
    /// OE, and PE if the result rounded with an unbounded exponent is inexact. The value returned when
    /// an unmasked exception suppresses the result is a zero.
    @inlinable
    mutating func round(sign: Bool, exp: Int32, sig: UInt64, _ f: BinaryFormat) -> UInt64 {
        let k = 63 - f.fractionBits  // bits below the last significand bit
        let signBits = sign ? f.signBit : 0
        var e = exp
        if e < f.emin {
            var tiny = true
            if e == f.emin - 1 { tiny = !roundBits(sign: sign, sig, dropping: k).carry }
            if tiny {
                if !masks.contains(.underflow) {
                    // Unmasked: UE for every tiny result, PE if the result rounded with an unbounded
                    // exponent is inexact; the destination is not written.
                    flags.insert(.underflow)
                    if roundBits(sign: sign, sig, dropping: k).inexact { flags.insert(.precision) }
                    return signBits
                }
                if flushToZero {
                    flags.formUnion([.underflow, .precision])
                    return signBits
                }
                let s = shiftRightJamming64(sig, Int(f.emin - e))
                let r = roundBits(sign: sign, s, dropping: k)
                if r.inexact { flags.formUnion([.underflow, .precision]) }
                // Bit 63 set after rounding: the smallest normal (biased exponent 1), else a denormal.
                return signBits | (r.value >> UInt64(k))
            }
        }
        let r = roundBits(sign: sign, sig, dropping: k)
        var v = r.value
        if r.carry {
            v = 1 << 63
            e += 1
        }
        if e > f.emax {
            if !masks.contains(.overflow) {
                flags.insert(.overflow)
                if r.inexact { flags.insert(.precision) }
                return signBits
            }
            flags.formUnion([.overflow, .precision])
            let toInfinity: Bool
            switch rounding {
            case .nearestEven: toInfinity = true
            case .down: toInfinity = sign
            case .up: toInfinity = !sign
            case .towardZero: toInfinity = false
            }
            return signBits | (toInfinity ? f.exponentMask : f.largestFinite)
        }
        if r.inexact { flags.insert(.precision) }
        return signBits | (UInt64(e + f.bias) << UInt64(f.fractionBits)) | ((v >> UInt64(k)) & f.fractionMask)
    }

    /// Rounds a 128-bit magnitude `sig * 2^(exp - 127)` (bit 127 set).
    @inlinable
    mutating func round(sign: Bool, exp: Int32, sig128: UInt128, _ f: BinaryFormat) -> UInt64 {
        let hi = UInt64(truncatingIfNeeded: sig128 >> 64)
        let lo = UInt64(truncatingIfNeeded: sig128)
        return round(sign: sign, exp: exp, sig: hi | (lo != 0 ? 1 : 0), f)
    }

    // MARK: - Operand screening

    /// DAZ: a denormal reads as a zero of its sign.
    @inlinable @inline(__always)
    func flushed(_ x: UInt64, _ f: BinaryFormat) -> UInt64 {
        denormalsAreZero && f.isDenormal(x) ? x & f.signBit : x
    }

    /// NaN result of a two-operand operation (SDM Vol. 1, Table 4-7, SSE column): the first source
    /// if it is a NaN, else the second, quieted; IE if either is an SNaN.
    @inlinable
    mutating func propagateNaN(_ a: UInt64, _ b: UInt64, _ f: BinaryFormat) -> UInt64 {
        if f.isSignalingNaN(a) || f.isSignalingNaN(b) { flags.insert(.invalid) }
        return (f.isNaN(a) ? a : b) | f.quietBit
    }

    @inlinable
    mutating func propagateNaN(_ a: UInt64, _ f: BinaryFormat) -> UInt64 {
        if f.isSignalingNaN(a) { flags.insert(.invalid) }
        return a | f.quietBit
    }

    @inlinable @inline(__always)
    mutating func invalid(_ f: BinaryFormat) -> UInt64 {
        flags.insert(.invalid)
        return f.defaultNaN
    }

    /// Raises DE when either (already DAZ-screened) operand is a denormal.
    @inlinable @inline(__always)
    mutating func checkDenormal(_ a: UInt64, _ b: UInt64, _ f: BinaryFormat) {
        if f.isDenormal(a) || f.isDenormal(b) { flags.insert(.denormal) }
    }
}
