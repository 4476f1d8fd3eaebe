/// SSE element operations on binary32/binary64 (ADD, SUB, MUL, DIV, SQRT, MIN, MAX, CMP, COMIS):
/// one element each, exact then rounded once by `round`. Operand screening order, measured on the
/// host (Documentation/SSEFloat.md): NaN operands first (IE for an SNaN, never DE), then the invalid
/// operations and division by zero (which beat DE: `denormal / 0` raises ZE alone), then DE.

extension SSEContext {
    @inlinable
    mutating func add(_ a0: UInt64, _ b0: UInt64, _ f: BinaryFormat, subtract: Bool) -> UInt64 {
        if f.isNaN(a0) || f.isNaN(b0) { return propagateNaN(a0, b0, f) }
        let a = flushed(a0, f)
        let b = flushed(b0, f) ^ (subtract ? f.signBit : 0)
        let aInf = f.isInfinity(a), bInf = f.isInfinity(b)
        if aInf || bInf {
            if aInf && bInf && (a ^ b) & f.signBit != 0 { return invalid(f) }
            checkDenormal(a, b, f)
            return aInf ? a : b
        }
        checkDenormal(a, b, f)
        let aZero = f.isZero(a), bZero = f.isZero(b)
        if aZero && bZero {
            if (a ^ b) & f.signBit == 0 { return a }
            return rounding == .down ? f.signBit : 0
        }
        if aZero || bZero {
            let x = aZero ? b : a
            let u = f.unpack(x)
            return round(sign: f.sign(x), exp: u.exp, sig: u.sig, f)
        }
        var x = f.unpack(a), y = f.unpack(b)
        var xSign = f.sign(a), ySign = f.sign(b)
        if x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig) {
            swap(&x, &y)
            swap(&xSign, &ySign)
        }
        // x has the larger magnitude. Two spare bits above the significand for the carry.
        let big = UInt128(x.sig) << 62
        let small = shiftRightJamming(UInt128(y.sig) << 62, Int(x.exp - y.exp))
        let sum = xSign == ySign ? big + small : big - small
        if sum == 0 { return rounding == .down ? f.signBit : 0 }
        let lz = sum.leadingZeroBitCount
        return round(sign: xSign, exp: x.exp + 2 - Int32(lz), sig128: sum << lz, f)
    }

    @inlinable
    mutating func multiply(_ a0: UInt64, _ b0: UInt64, _ f: BinaryFormat) -> UInt64 {
        if f.isNaN(a0) || f.isNaN(b0) { return propagateNaN(a0, b0, f) }
        let a = flushed(a0, f), b = flushed(b0, f)
        let sign = (a ^ b) & f.signBit != 0
        let signBits = sign ? f.signBit : 0
        if f.isInfinity(a) || f.isInfinity(b) {
            if f.isZero(a) || f.isZero(b) { return invalid(f) }
            checkDenormal(a, b, f)
            return signBits | f.exponentMask
        }
        checkDenormal(a, b, f)
        if f.isZero(a) || f.isZero(b) { return signBits }
        let x = f.unpack(a), y = f.unpack(b)
        var p = UInt128(x.sig) * UInt128(y.sig)
        var e = x.exp + y.exp + 1
        if p >> 127 == 0 {
            p <<= 1
            e -= 1
        }
        return round(sign: sign, exp: e, sig128: p, f)
    }

    @inlinable
    mutating func divide(_ a0: UInt64, _ b0: UInt64, _ f: BinaryFormat) -> UInt64 {
        if f.isNaN(a0) || f.isNaN(b0) { return propagateNaN(a0, b0, f) }
        let a = flushed(a0, f), b = flushed(b0, f)
        let sign = (a ^ b) & f.signBit != 0
        let signBits = sign ? f.signBit : 0
        if f.isInfinity(a) {
            if f.isInfinity(b) { return invalid(f) }
            checkDenormal(a, b, f)
            return signBits | f.exponentMask
        }
        if f.isInfinity(b) {
            checkDenormal(a, b, f)
            return signBits
        }
        if f.isZero(b) {
            if f.isZero(a) { return invalid(f) }
            flags.insert(.zeroDivide)
            return signBits | f.exponentMask
        }
        checkDenormal(a, b, f)
        if f.isZero(a) { return signBits }
        let x = f.unpack(a), y = f.unpack(b)
        let numerator: (high: UInt64, low: UInt64)
        let e: Int32
        if x.sig >= y.sig {
            numerator = (x.sig >> 1, x.sig << 63)
            e = x.exp - y.exp
        } else {
            numerator = (x.sig, 0)
            e = x.exp - y.exp - 1
        }
        let (q, r) = y.sig.dividingFullWidth(numerator)
        return round(sign: sign, exp: e, sig: q | (r != 0 ? 1 : 0), f)
    }

    @inlinable
    mutating func squareRoot(_ a0: UInt64, _ f: BinaryFormat) -> UInt64 {
        if f.isNaN(a0) { return propagateNaN(a0, f) }
        let a = flushed(a0, f)
        if f.isZero(a) { return a }
        if f.sign(a) { return invalid(f) }
        if f.isInfinity(a) { return a }
        checkDenormal(a, a, f)
        let x = f.unpack(a)
        // value = sig * 2^(exp - 63) = n * 2^(2 * e2) with n = sig << s, s making the exponent even.
        let s: Int32 = (x.exp - 63 - 64) & 1 == 0 ? 64 : 63
        let n = UInt128(x.sig) << UInt128(s)
        let e2 = (x.exp - 63 - s) / 2
        let r = isqrt(n)
        let rem = n - UInt128(r) * UInt128(r)
        // sqrt(n) = r + t with 0 <= t < 1; t never equals 1/2, and any t > 0 only needs a sticky bit
        // (r has 64 bits, more than 53 + 2).
        return round(sign: false, exp: e2 + 63, sig: r | (rem != 0 ? 1 : 0), f)
    }

    /// MINSS/MAXSS: the second operand when either is a NaN (IE, even for a QNaN) or both are zeros;
    /// DAZ applies to the value returned.
    @inlinable
    mutating func minMax(_ a0: UInt64, _ b0: UInt64, _ f: BinaryFormat, maximum: Bool) -> UInt64 {
        if f.isNaN(a0) || f.isNaN(b0) {
            flags.insert(.invalid)
            return flushed(b0, f)
        }
        let a = flushed(a0, f), b = flushed(b0, f)
        checkDenormal(a, b, f)
        let ka = f.orderKey(a), kb = f.orderKey(b)
        if maximum { return ka > kb ? a : b }
        return ka < kb ? a : b
    }

    /// Ordered comparison: `signaling` raises IE for a QNaN operand too (COMISS, CMPLT...).
    @inlinable
    mutating func compare(_ a0: UInt64, _ b0: UInt64, _ f: BinaryFormat, signaling: Bool) -> CompareResult {
        if f.isNaN(a0) || f.isNaN(b0) {
            if signaling || f.isSignalingNaN(a0) || f.isSignalingNaN(b0) { flags.insert(.invalid) }
            return .unordered
        }
        let a = flushed(a0, f), b = flushed(b0, f)
        checkDenormal(a, b, f)
        let ka = f.orderKey(a), kb = f.orderKey(b)
        return ka < kb ? .less : ka == kb ? .equal : .greater
    }

    /// CMPPS/CMPSS predicate 0-7 (EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD): all ones when true.
    @inlinable
    mutating func comparePredicate(_ a: UInt64, _ b: UInt64, _ f: BinaryFormat, _ predicate: UInt8) -> UInt64 {
        let p = predicate & 7
        let signaling = p == 1 || p == 2 || p == 5 || p == 6
        let r = compare(a, b, f, signaling: signaling)
        let truth: Bool
        switch p {
        case 0: truth = r == .equal
        case 1: truth = r == .less
        case 2: truth = r == .less || r == .equal
        case 3: truth = r == .unordered
        case 4: truth = r != .equal
        case 5: truth = r != .less
        case 6: truth = !(r == .less || r == .equal)
        default: truth = r != .unordered
        }
        return truth ? (f.signBit << 1) &- 1 : 0
    }
}
