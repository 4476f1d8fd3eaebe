/// FADD, FSUB, FMUL, FDIV, FSQRT: exact results rounded once, to the precision control's width.
///
/// Operand screening follows SDM Vol. 1, 4.9.2 (exception priority), as measured on the host:
/// unsupported encodings (IE, real indefinite) beat NaNs; NaNs propagate (IE for an SNaN) and beat
/// the denormal exception; then invalid operations (inf - inf, 0 * inf, 0/0, inf/inf) and division
/// by zero; then DE for a denormal or pseudo-denormal operand (an unmasked DE stops the operation);
/// then overflow, underflow and precision from rounding.
extension X87Context {
    // MARK: NaN propagation

    /// The x87 NaN rules for two operands (SDM Vol. 1, Table 4-7), at least one being a NaN:
    /// an SNaN raises IE and is quieted; a QNaN is preferred over an SNaN; between two NaNs of the
    /// same kind the larger significand wins, and on equal significands the positive one.
    @inlinable
    mutating func propagateNaN(_ a: Extended80, _ b: Extended80) -> Extended80 {
        let aNaN = a.isNaN, bNaN = b.isNaN
        if a.isSignalingNaN || b.isSignalingNaN { flags.insert(.invalid) }
        c1 = false
        if aNaN && bNaN {
            let aQuiet = a.isQuietNaN, bQuiet = b.isQuietNaN
            if aQuiet != bQuiet { return aQuiet ? a : b }
            if a.significand != b.significand { return (a.significand > b.significand ? a : b).quieted }
            return (a.sign ? b : a).quieted
        }
        return (aNaN ? a : b).quieted
    }

    /// One operand: an SNaN raises IE and is quieted.
    @inlinable
    mutating func propagateNaN(_ a: Extended80) -> Extended80 {
        if a.isSignalingNaN { flags.insert(.invalid) }
        c1 = false
        return a.quieted
    }

    /// Screens two operands for unsupported encodings and NaNs; returns the result if they decide it.
    @inlinable @inline(__always)
    mutating func screen(_ a: Extended80, _ b: Extended80) -> Extended80? {
        // Exponent 0x7FFF or an unsupported encoding: the only cases that need a closer look.
        if a.isUnsupported || b.isUnsupported { return invalid() }
        if a.isNaN || b.isNaN { return propagateNaN(a, b) }
        return nil
    }

    /// Raises DE if either operand is denormal; returns true when the operation must stop (DE unmasked).
    @inlinable @inline(__always)
    mutating func denormalOperandStops(_ a: Extended80, _ b: Extended80) -> Bool {
        if a.isDenormal || b.isDenormal {
            c1 = false
            return raise(.denormal)
        }
        return false
    }

    @inlinable @inline(__always)
    mutating func denormalOperandStops(_ a: Extended80) -> Bool {
        if a.isDenormal {
            c1 = false
            return raise(.denormal)
        }
        return false
    }

    // MARK: Add, subtract

    /// FADD: `a + b`.
    public mutating func add(_ a: Extended80, _ b: Extended80) -> Extended80 {
        addSigned(a, b, negateB: false)
    }

    /// FSUB: `a - b` (FSUBR is `subtract(b, a)`).
    public mutating func subtract(_ a: Extended80, _ b: Extended80) -> Extended80 {
        addSigned(a, b, negateB: true)
    }

    @usableFromInline
    mutating func addSigned(_ a: Extended80, _ bIn: Extended80, negateB: Bool) -> Extended80 {
        c1 = false
        if let r = screen(a, bIn) { return r }
        let b = negateB ? bIn.negated : bIn
        let aInf = a.isInfinity, bInf = b.isInfinity
        if aInf || bInf {
            if aInf && bInf && a.sign != b.sign { return invalid() }
            if denormalOperandStops(a, b) { return a }
            return aInf ? a : b
        }
        if denormalOperandStops(a, b) { return a }
        let aZero = a.isZero, bZero = b.isZero
        let bits = precision.bits
        if aZero || bZero {
            if aZero && bZero {
                if a.sign == b.sign { return a }
                return .zero(negative: rounding == .down)
            }
            return roundToExtended(Unpacked(aZero ? b : a), bits: bits)
        }
        var x = Unpacked(a), y = Unpacked(b)
        if x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig) { swap(&x, &y) }
        // |x| >= |y|. Two spare top bits take the carry of an addition.
        let d = Int(x.exp - y.exp)
        let mx = UInt128(x.sig) << 62
        let my = shiftRightJamming(UInt128(y.sig) << 62, d)
        var s: UInt128
        if x.sign == y.sign {
            s = mx + my
        } else {
            s = mx - my
            if s == 0 { return .zero(negative: rounding == .down) }
        }
        let lz = s.leadingZeroBitCount
        s <<= lz
        return roundToExtended(sign: x.sign, exp: x.exp + 2 - Int32(lz), sig: s, bits: bits)
    }

    // MARK: Multiply

    /// FMUL: `a * b`.
    public mutating func multiply(_ a: Extended80, _ b: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(a, b) { return r }
        let sign = a.sign != b.sign
        let aInf = a.isInfinity, bInf = b.isInfinity
        let aZero = a.isZero, bZero = b.isZero
        if aInf || bInf {
            if aZero || bZero { return invalid() }
            if denormalOperandStops(a, b) { return a }
            return .infinity(negative: sign)
        }
        if denormalOperandStops(a, b) { return a }
        if aZero || bZero { return .zero(negative: sign) }
        let x = Unpacked(a), y = Unpacked(b)
        var p = UInt128(x.sig) * UInt128(y.sig)
        var e = x.exp + y.exp + 1
        if p >> 127 == 0 {
            p <<= 1
            e -= 1
        }
        return roundToExtended(sign: sign, exp: e, sig: p, bits: precision.bits)
    }

    // MARK: Divide

    /// FDIV: `a / b` (FDIVR is `divide(b, a)`).
    public mutating func divide(_ a: Extended80, _ b: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(a, b) { return r }
        let sign = a.sign != b.sign
        let aInf = a.isInfinity, bInf = b.isInfinity
        let aZero = a.isZero, bZero = b.isZero
        if aInf {
            if bInf { return invalid() }
            if denormalOperandStops(a, b) { return a }
            return .infinity(negative: sign)
        }
        if bInf {
            if denormalOperandStops(a, b) { return a }
            return .zero(negative: sign)
        }
        if bZero {
            if aZero { return invalid() }
            flags.insert(.zeroDivide)
            return .infinity(negative: sign)
        }
        if denormalOperandStops(a, b) { return a }
        if aZero { return .zero(negative: sign) }
        let x = Unpacked(a), y = Unpacked(b)
        // Q = floor(mx * 2^126 / my), in (2^125, 2^127); the remainder is the sticky bit.
        let (q1, r1) = y.sig.dividingFullWidth((x.sig >> 2, x.sig << 62))
        let (q0, r0) = y.sig.dividingFullWidth((r1, 0))
        var q = UInt128(q1) << 64 | UInt128(q0)
        let lz = q.leadingZeroBitCount
        q <<= lz
        if r0 != 0 { q |= 1 }
        // value = Q * 2^(ex - ey - 126); the leading bit of Q is bit 127 - lz.
        return roundToExtended(sign: sign, exp: x.exp - y.exp + 1 - Int32(lz), sig: q, bits: precision.bits)
    }

    // MARK: Square root

    /// FSQRT.
    public mutating func squareRoot(_ a: Extended80) -> Extended80 {
        c1 = false
        if a.isUnsupported { return invalid() }
        if a.isNaN { return propagateNaN(a) }
        if a.isZero { return a }
        if a.sign { return invalid() }
        if a.isInfinity { return a }
        if denormalOperandStops(a) { return a }
        let x = Unpacked(a)
        // value = sig * 2^(exp - 63). Make the exponent of N = sig << s even: N * 2^(exp - 63 - s).
        let s = (x.exp - 63 - 64) & 1 == 0 ? 64 : 63
        let n = UInt128(x.sig) << s
        let e2 = (x.exp - 63 - Int32(s)) / 2  // exact: the numerator is even
        let r = isqrt(n)
        let rem = n - UInt128(r) * UInt128(r)
        // sqrt(n) = r + f, 0 <= f < 1; f > 1/2 exactly when rem > r (f never equals 1/2).
        var sig = UInt128(r) << 64
        if rem > UInt128(r) {
            sig |= 0x8000_0000_0000_0001
        } else if rem != 0 {
            sig |= 1
        }
        // value = r * 2^e2, the leading bit of r being bit 63 (n >= 2^126).
        return roundToExtended(sign: false, exp: e2 + 63, sig: sig, bits: precision.bits)
    }
}

/// floor(sqrt(n)) for n in [2^126, 2^128): a 64-bit result.
@inlinable
func isqrt(_ n: UInt128) -> UInt64 {
    // An over-estimate good to 31 bits (the square root of the top 64 bits, plus one, times 2^32),
    // one Newton step (which stays above the root and leaves an error of at most a few units),
    // then a correction by exact squares.
    let top = UInt64(truncatingIfNeeded: n >> 64)
    var x = UInt128(isqrt64(top) + 1) << 32
    x = (x + n / x) >> 1
    while x > UInt128(UInt64.max) || x * x > n { x -= 1 }
    while x < UInt128(UInt64.max) && (x + 1) * (x + 1) <= n { x += 1 }
    return UInt64(truncatingIfNeeded: x)
}

/// floor(sqrt(n)) for a 64-bit n, bit by bit.
@inlinable
func isqrt64(_ n: UInt64) -> UInt64 {
    var rem = n
    var root: UInt64 = 0
    var bit: UInt64 = 1 << 62
    while bit > rem { bit >>= 2 }
    while bit != 0 {
        if rem >= root + bit {
            rem -= root + bit
            root = (root >> 1) + bit
        } else {
            root >>= 1
        }
        bit >>= 2
    }
    return root
}
