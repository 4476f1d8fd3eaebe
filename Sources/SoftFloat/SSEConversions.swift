/// SSE conversions: binary32 <-> binary64, integers <-> binary32/64, and rounding to an integral
/// value (ROUNDPS...). Integer results that are NaN or out of range are the integer indefinite
/// (0x80000000 or 0x8000000000000000) with IE.

extension SSEContext {
    /// CVTSS2SD, CVTSD2SS and their packed forms.
    @inlinable
    mutating func convert(_ a0: UInt64, from s: BinaryFormat, to d: BinaryFormat) -> UInt64 {
        let signBits = s.sign(a0) ? d.signBit : 0
        if s.isNaN(a0) {
            if s.isSignalingNaN(a0) { flags.insert(.invalid) }
            let fraction = a0 & s.fractionMask
            let payload = d.fractionBits >= s.fractionBits
                ? fraction << UInt64(d.fractionBits - s.fractionBits)
                : fraction >> UInt64(s.fractionBits - d.fractionBits)
            return signBits | d.exponentMask | d.quietBit | payload
        }
        let a = flushed(a0, s)
        if s.isInfinity(a) { return signBits | d.exponentMask }
        if s.isZero(a) { return signBits }
        checkDenormal(a, a, s)
        let u = s.unpack(a)
        return round(sign: s.sign(a), exp: u.exp, sig: u.sig, d)
    }

    /// CVTSI2SS/SD, CVTDQ2PS/PD, CVTPI2PS/PD: a signed integer, rounded by the rounding control.
    @inlinable
    mutating func fromInteger(_ v: Int64, _ f: BinaryFormat) -> UInt64 {
        if v == 0 { return 0 }
        let m = v.magnitude
        let lz = m.leadingZeroBitCount
        return round(sign: v < 0, exp: 63 - Int32(lz), sig: m << UInt64(lz), f)
    }

    /// The magnitude of `sig * 2^(exp - 63)` rounded to an integer by `mode`; nil if it needs more
    /// than 64 bits. `inexact` when a fraction was dropped.
    @inlinable
    func integerMagnitude(sign: Bool, exp: Int32, sig: UInt64, mode: RoundingMode) -> (value: UInt64, inexact: Bool)? {
        if exp >= 64 { return nil }
        if exp == 63 { return (sig, false) }
        var integer: UInt64
        var fraction: UInt64  // the dropped part as a 64-bit fraction of one
        var sticky = false
        if exp >= 0 {
            integer = sig >> UInt64(63 - exp)
            fraction = sig << UInt64(exp + 1)
        } else {
            integer = 0
            if exp == -1 {
                fraction = sig
            } else {
                fraction = shiftRightJamming64(sig, Int(-1 - exp))
                sticky = fraction == 0
                if sticky { fraction = 1 }
            }
        }
        if fraction == 0 { return (integer, false) }
        let up: Bool
        switch mode {
        case .nearestEven:
            up = fraction > 1 << 63 || (fraction == 1 << 63 && integer & 1 != 0)
        case .down: up = sign
        case .up: up = !sign
        case .towardZero: up = false
        }
        if up {
            let (s, o) = integer.addingReportingOverflow(1)
            if o { return nil }
            integer = s
        }
        return (integer, true)
    }

    /// CVT(T)SS2SI, CVT(T)SD2SI, CVT(T)PS2DQ, CVT(T)PD2DQ, CVT(T)PS2PI, CVT(T)PD2PI: a signed integer of
    /// `bits` (32 or 64), returned zero-extended. DAZ applies; a denormal source raises no DE.
    @inlinable
    mutating func toInteger(_ a0: UInt64, _ f: BinaryFormat, bits: Int, truncating: Bool) -> UInt64 {
        let indefinite: UInt64 = 1 << UInt64(bits - 1)
        if f.isNaN(a0) || f.isInfinity(a0) {
            flags.insert(.invalid)
            return indefinite
        }
        let a = flushed(a0, f)
        if f.isZero(a) { return 0 }
        let sign = f.sign(a)
        let u = f.unpack(a)
        guard let r = integerMagnitude(sign: sign, exp: u.exp, sig: u.sig, mode: truncating ? .towardZero : rounding),
              sign ? r.value <= indefinite : r.value < indefinite else {
            flags.insert(.invalid)
            return indefinite
        }
        if r.inexact { flags.insert(.precision) }
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        return (sign ? 0 &- r.value : r.value) & mask
    }

    /// ROUNDPS/ROUNDSS...: the integral value nearest by `mode` (the sign of a zero result is the
    /// operand's); PE unless `suppressInexact`; an SNaN is quieted with IE. No DE.
    @inlinable
    mutating func roundToIntegral(_ a0: UInt64, _ f: BinaryFormat, mode: RoundingMode, suppressInexact: Bool) -> UInt64 {
        if f.isNaN(a0) { return propagateNaN(a0, f) }
        let a = flushed(a0, f)
        if f.isInfinity(a) || f.isZero(a) { return a }
        let u = f.unpack(a)
        if u.exp >= Int32(f.fractionBits) { return a }
        let sign = f.sign(a)
        let r = integerMagnitude(sign: sign, exp: u.exp, sig: u.sig, mode: mode)!
        if r.inexact && !suppressInexact { flags.insert(.precision) }
        let signBits = sign ? f.signBit : 0
        if r.value == 0 { return signBits }
        // Exact: at most 2^precision.
        let lz = r.value.leadingZeroBitCount
        let e = Int32(63 - lz)
        let sig = r.value << UInt64(lz)
        return signBits | (UInt64(e + f.bias) << UInt64(f.fractionBits)) | ((sig >> UInt64(63 - f.fractionBits)) & f.fractionMask)
    }
}
