/// F2XM1, FYL2X, FYL2XP1, FSIN, FCOS, FSINCOS, FPTAN, FPATAN.
///
/// Each function is evaluated in `Wide` arithmetic (128-bit significands) by argument reduction and a
/// Taylor or atanh series, then rounded once to 64 bits by the rounding control (precision control
/// does not apply). The internal error is far below 2^-100 relative, so results are correctly rounded
/// except for inputs whose exact result lies within about 2^-100 ulp of a rounding boundary.
/// PE is always raised once a function is evaluated (the host x87 does so even for exact results
/// such as F2XM1(1) or FYL2X(8, 3)).
///
/// FSIN/FCOS/FSINCOS/FPTAN reduce their argument modulo pi/2 exactly, with the x87's 66-bit
/// approximation of pi (0x3.243F6A8885A308D3), so the results match the hardware near multiples of
/// pi rather than the mathematical function. |x| >= 2^63 sets C2 and leaves the operand unchanged.
extension X87Context {
    /// Rounds a transcendental result: always inexact (a sticky bit below the 128 bits computed).
    /// `exact`: `w` is the exact result (FYL2X of a power of two): rounded as is, PE still raised.
    /// The host treats such a result as inexact throughout, so a tiny one also raises UE.
    mutating func roundTranscendental(_ w: Wide, exact: Bool = false) -> Extended80 {
        if w.sig == 0 { return .zero(negative: w.neg) }
        let r = roundToExtended(sign: w.neg, exp: w.exp, sig: exact ? w.sig : w.sig | 1, bits: 64)
        if exact && w.exp < -16382 && masks.contains(.underflow) { flags.insert(.underflow) }
        flags.insert(.precision)
        return r
    }

    // MARK: 2^x - 1

    /// F2XM1: `2^x - 1`, defined for -1 <= x <= 1. Outside that range the host (AMD) returns the
    /// operand unchanged with PE; so does this implementation.
    public mutating func twoToXMinusOne(_ a: Extended80) -> Extended80 {
        c1 = false
        if a.isUnsupported { return invalid() }
        if a.isNaN { return propagateNaN(a) }
        if a.isZero { return a }
        if a.isInfinity { return a.sign ? Extended80(signExponent: 0xBFFF, significand: 1 << 63) : a }
        if denormalOperandStops(a) { return a }
        let x = Unpacked(a)
        if x.exp > 0 || (x.exp == 0 && x.sig != 1 << 63) {
            flags.insert(.precision)
            return a
        }
        if x.exp == 0 {
            // x = +1 rounds like 1 - epsilon, x = -1 gives -0.5 exactly, both with PE (the host's results).
            flags.insert(.precision)
            if x.sign { return Extended80(signExponent: 0xBFFE, significand: 1 << 63) }
            return roundToExtended(sign: false, exp: -1, sig: .max, bits: 64)
        }
        let t = Wide(x) * WideConstants.wLn2
        return roundTranscendental(expm1(t))
    }

    /// e^t - 1 for |t| <= ln 2, by its Taylor series (coefficients 1/n! from the table).
    func expm1(_ t: Wide) -> Wide {
        var sum = t
        var power = t
        var n = 2
        while n < WideTables.inverseFactorialSig.count {
            power = power * t
            let term = power * WideTables.inverseFactorial(n)
            sum = sum + term
            if term.exp < sum.exp - 130 { break }
            n += 1
        }
        return sum
    }

    // MARK: Logarithms

    /// ln((1 + s)/(1 - s)) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), for |s| <= 0.1716
    /// (sqrt 2 = (1 + s)/(1 - s) at the edge of the range).
    func twiceAtanh(_ s: Wide) -> Wide {
        let z = s * s
        var sum = Wide.one
        var p = Wide.one
        var k = 3
        while k < WideTables.reciprocalSig.count {
            p = p * z
            let term = p * WideTables.reciprocal(k)
            sum = sum + term
            if term.exp < -132 { break }
            k += 2
        }
        return (s * sum).scaled(1)
    }

    /// log2 of a positive non-zero value, as `e + log2(m)` with m in [sqrt(1/2), sqrt(2)): m - 1
    /// is exact, so values near 1 keep their relative accuracy. The fraction is nil when the value
    /// is an exact power of two (log2 is then the integer e).
    func log2(_ x: Wide) -> (integer: Int32, fraction: Wide?) {
        var e = x.exp
        var m = Wide(exp: 0, sig: x.sig)
        if x.sig == 1 << 127 { return (e, nil) }
        if x.sig > WideConstants.sqrt2 {
            e += 1
            m = m.scaled(-1)
        }
        let s = (m - .one) / (m + .one)
        return (e, twiceAtanh(s) * WideConstants.wLog2E)
    }

    /// y * log2(x) for positive x, rounded; exact powers of two give y * e rounded once (PE set).
    mutating func yLog2(_ y: Wide, _ x: Wide) -> Extended80 {
        let l = log2(x)
        var total = Wide(integer: Int64(l.integer))
        guard let f = l.fraction else {
            if total.isZero { return .zero(negative: y.neg) }
            return roundTranscendental(y * total, exact: true)
        }
        total = total + f
        return roundTranscendental(y * total)
    }

    /// FYL2X: `y * log2(x)` (x = ST0, y = ST1; the x87 stores into ST1 and pops).
    public mutating func yLog2X(y: Extended80, x: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(x, y) { return r }
        let xZero = x.isZero, yZero = y.isZero, xInf = x.isInfinity, yInf = y.isInfinity
        if x.sign && !xZero { return invalid() }  // log of a negative number
        // x = 1 gives log 0: invalid with an infinite y.
        let xIsOne = x.signExponent == 0x3FFF && x.significand == 1 << 63
        if xZero {
            if yZero { return invalid() }
            // Divide-by-zero outranks the denormal operand.
            if !yInf { flags.insert(.zeroDivide) }
            return .infinity(negative: !y.sign)  // log2(0) = -infinity
        }
        if xInf {
            if yZero { return invalid() }
            if denormalOperandStops(y) { return x }
            return .infinity(negative: y.sign)
        }
        if yInf {
            if xIsOne { return invalid() }
            if denormalOperandStops(x) { return x }
            // Sign: y's, flipped when log2 x < 0.
            let xBelowOne = Extended80.order(x, .one) == .less
            return .infinity(negative: y.sign != xBelowOne)
        }
        if denormalOperandStops(x, y) { return x }
        let ux = Unpacked(x)
        let xBelowOne = ux.exp < 0
        if yZero { return .zero(negative: y.sign != xBelowOne) }
        // x = 1: an exact zero without PE; x = 2^n: the product y * n rounded once, with PE.
        return yLog2(Wide(Unpacked(y)), Wide(ux))
    }

    /// FYL2XP1: `y * log2(x + 1)`, defined for |x| < 1 - sqrt(2)/2 (x = ST0, y = ST1). Beyond that
    /// range the host (AMD) still returns y * log2(1 + x) for x > -1, and so does this function
    /// (exact powers of two as in FYL2X); x <= -1 raises IE (the host returns an undefined value).
    public mutating func yLog2XPlusOne(y: Extended80, x: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(x, y) { return r }
        let xZero = x.isZero, yZero = y.isZero, xInf = x.isInfinity, yInf = y.isInfinity
        if xInf {
            if x.sign || yZero { return invalid() }
            if denormalOperandStops(y) { return x }
            return .infinity(negative: y.sign)
        }
        if yInf {
            if xZero { return invalid() }
            if denormalOperandStops(x) { return x }
            return .infinity(negative: y.sign != x.sign)
        }
        if denormalOperandStops(x, y) { return x }
        if xZero || yZero { return .zero(negative: y.sign != x.sign) }
        let ux = Unpacked(x)
        // x <= -1: log of a non-positive number.
        if ux.sign && ux.exp >= 0 { return invalid() }
        let w = Wide(ux)
        if ux.exp >= -2 {
            // |x| >= 1/4: 1 + x is exact in 128 bits; the general logarithm.
            return yLog2(Wide(Unpacked(y)), w + .one)
        }
        let s = w / (w + .one + .one)
        let l = twiceAtanh(s) * WideConstants.wLog2E
        return roundTranscendental(Wide(Unpacked(y)) * l)
    }

    // MARK: Trigonometric functions

    /// Reduces |x| (exp <= 62) modulo pi66/2 exactly: |x| = k * pi66/2 + r, |r| <= pi66/4.
    func reduce(_ x: Unpacked) -> (r: Wide, quadrant: UInt64) {
        if x.exp < -1 {
            return (Wide(Unpacked(sign: false, exp: x.exp, sig: x.sig)), 0)
        }
        // pi66 / 2 = P * 2^-65; |x| = X * 2^-65 with X = sig * 2^(exp + 2) < 2^128.
        let p: UInt128 = 0x3_243F_6A88_85A3_08D3
        let xx = UInt128(x.sig) << Int(x.exp + 2)
        var k = xx / p
        var rem = xx - k * p
        var neg = false
        if rem << 1 > p {
            k += 1
            rem = p - rem
            neg = true
        }
        return (Wide(fixed: rem, scale: 65, neg: neg), UInt64(truncatingIfNeeded: k))
    }

    /// sin r and cos r for |r| <= pi/4 by their Taylor series in z = r^2: sin r = r (1 - z/3! + ...),
    /// cos r = 1 - z/2! + z^2/4! - ... (coefficients from the table).
    func sinCos(_ r: Wide, wantSin: Bool, wantCos: Bool) -> (sin: Wide, cos: Wide) {
        let z = (r * r).negated  // the alternating signs come from the powers of -z
        var s = Wide.zero, c = Wide.zero
        var sinSum = Wide.one, cosSum = Wide.one
        var p = Wide.one
        var k = 1
        while 2 * k + 1 < WideTables.inverseFactorialSig.count {
            p = p * z
            var done = true
            if wantSin {
                let t = p * WideTables.inverseFactorial(2 * k + 1)
                sinSum = sinSum + t
                if t.exp >= -132 { done = false }
            }
            if wantCos {
                let t = p * WideTables.inverseFactorial(2 * k)
                cosSum = cosSum + t
                if t.exp >= -132 { done = false }
            }
            if done { break }
            k += 1
        }
        if wantSin { s = r * sinSum }
        if wantCos { c = cosSum }
        return (s, c)
    }

    /// The screening shared by the trigonometric functions. Returns the finished result for special
    /// operands (`outOfRange` when |x| >= 2^63: C2 set, operand unchanged).
    mutating func trigScreen(_ a: Extended80) -> (done: Extended80?, outOfRange: Bool) {
        c1 = false
        if a.isUnsupported || a.isInfinity { return (invalid(), false) }
        if a.isNaN { return (propagateNaN(a), false) }
        if a.isZero { return (a, false) }
        if denormalOperandStops(a) { return (a, false) }
        if !a.isDenormal && Int32(a.biasedExponent) - Extended80.bias >= 63 { return (a, true) }
        return (nil, false)
    }

    /// FSIN. `outOfRange` (C2): |x| >= 2^63, the operand is returned unchanged.
    public mutating func sine(_ a: Extended80) -> (value: Extended80, outOfRange: Bool) {
        let s = trigScreen(a)
        if let d = s.done { return (d, s.outOfRange) }
        let x = Unpacked(a)
        let (r, q) = reduce(x)
        let sc = sinCos(r, wantSin: q & 1 == 0, wantCos: q & 1 != 0)
        var v = q & 1 == 0 ? sc.sin : sc.cos
        if q & 2 != 0 { v = v.negated }
        if x.sign { v = v.negated }
        return (roundTranscendental(v), false)
    }

    /// FCOS.
    public mutating func cosine(_ a: Extended80) -> (value: Extended80, outOfRange: Bool) {
        let s = trigScreen(a)
        if let d = s.done {
            if a.isZero { return (.one, false) }
            return (d, s.outOfRange)
        }
        let x = Unpacked(a)
        let (r, q) = reduce(x)
        let sc = sinCos(r, wantSin: q & 1 != 0, wantCos: q & 1 == 0)
        var v = q & 1 == 0 ? sc.cos : sc.sin
        if (q + 1) & 2 != 0 { v = v.negated }
        return (roundTranscendental(v), false)
    }

    /// FSINCOS: both results (the x87 leaves sin in ST1 and cos in ST0). C1 reports the sine's rounding.
    public mutating func sineCosine(_ a: Extended80) -> (sin: Extended80, cos: Extended80, outOfRange: Bool) {
        let s = trigScreen(a)
        if let d = s.done {
            if a.isZero { return (a, .one, false) }
            return (d, d, s.outOfRange)
        }
        let x = Unpacked(a)
        let (r, q) = reduce(x)
        let sc = sinCos(r, wantSin: true, wantCos: true)
        var sv = q & 1 == 0 ? sc.sin : sc.cos
        var cv = q & 1 == 0 ? sc.cos : sc.sin
        if q & 2 != 0 { sv = sv.negated }
        if (q + 1) & 2 != 0 { cv = cv.negated }
        if x.sign { sv = sv.negated }
        let cr = roundTranscendental(cv)
        let sr = roundTranscendental(sv)
        return (sr, cr, false)
    }

    /// FPTAN: the tangent, and the value the x87 then pushes: 1.0, or the NaN result again (after
    /// a NaN operand or a masked invalid operation). Nothing is pushed when `outOfRange` (C2).
    public mutating func tangent(_ a: Extended80) -> (value: Extended80, pushed: Extended80, outOfRange: Bool) {
        let s = trigScreen(a)
        if let d = s.done { return (d, d.isNaN ? d : .one, s.outOfRange) }
        let x = Unpacked(a)
        let (r, q) = reduce(x)
        var v: Wide
        if q & 1 == 0 && r.exp < -32 {
            // Tiny r: tan r = r + r^3/3 + 2r^5/15 + ..., so that the sum lies strictly above r
            // (the quotient sin/cos could land on r itself and round the wrong way).
            let z = r * r
            v = r + (r * z).divided(by: 3) + (r * z * z).scaled(1).divided(by: 15)
        } else {
            let sc = sinCos(r, wantSin: true, wantCos: true)
            v = q & 1 == 0 ? sc.sin / sc.cos : (sc.cos / sc.sin).negated
        }
        if x.sign { v = v.negated }
        return (roundTranscendental(v), .one, false)
    }

    // MARK: Arctangent

    /// atan t for 0 <= t <= 1: reduced to |u| <= 2 - sqrt 3 by atan t = pi/6 + atan((t sqrt3 - 1)/(sqrt3 + t)),
    /// then the series u - u^3/3 + u^5/5 - ...
    func atanUnit(_ t: Wide) -> Wide {
        var base = Wide.zero
        var u = t
        // 2 - sqrt 3 = 0.2679... = 0x8930A2F4F66AB189B517A51F0E8F88ED * 2^-129.
        if t.exp > -2 || (t.exp == -2 && t.sig > 0x8930_A2F4_F66A_B189_B517_A51F_0E8F_88ED) {
            let s3 = WideConstants.wSqrt3
            u = (t * s3 - .one) / (s3 + t)
            base = WideConstants.wSixthPi
        }
        let z = (u * u).negated
        var sum = Wide.one
        var p = Wide.one
        var k = 3
        while k < WideTables.reciprocalSig.count {
            p = p * z
            let term = p * WideTables.reciprocal(k)
            sum = sum + term
            if term.exp < -132 { break }
            k += 2
        }
        return base + u * sum
    }

    /// FPATAN: `atan(y / x)` in the quadrant of (x, y) (x = ST0, y = ST1; the x87 stores into ST1 and pops).
    public mutating func arctangent(y: Extended80, x: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(x, y) { return r }
        let xInf = x.isInfinity, yInf = y.isInfinity, xZero = x.isZero, yZero = y.isZero
        if denormalOperandStops(x, y) { return x }
        var angle: Wide
        var exact = false
        if yInf && xInf {
            angle = x.sign ? WideConstants.wPi - WideConstants.wQuarterPi : WideConstants.wQuarterPi
        } else if yInf || xZero && !yZero {
            angle = WideConstants.wHalfPi
        } else if xInf || yZero {
            if x.sign {
                angle = WideConstants.wPi
            } else {
                angle = .zero
                exact = true
            }
        } else {
            let ay = Wide(Unpacked(y)).magnitude, ax = Wide(Unpacked(x)).magnitude
            let yBigger = ay.exp > ax.exp || (ay.exp == ax.exp && ay.sig > ax.sig)
            angle = yBigger ? WideConstants.wHalfPi - atanUnit(ax / ay) : atanUnit(ay / ax)
            if x.sign { angle = WideConstants.wPi - angle }
        }
        if exact { return .zero(negative: y.sign) }
        if y.sign { angle = angle.negated }
        return roundTranscendental(angle)
    }
}
