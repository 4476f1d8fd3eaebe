/// FPREM, FPREM1, FRNDINT, FSCALE, FXTRACT, comparisons, FXAM and the constant loads.
extension X87Context {
    // MARK: Partial remainder

    /// FPREM (`ieee == false`: quotient truncated toward zero) and FPREM1 (`ieee == true`: quotient
    /// rounded to nearest-even, the IEEE remainder) of `a` (ST0) by `b` (ST1).
    ///
    /// When the exponent difference D is 64 or more the x87 reduces only partly and sets C2: it divides
    /// by `b * 2^(D - N)` with N = 32 + (D mod 32) (measured; the SDM says "between 32 and 63"),
    /// truncating, and reports no quotient bits. The remainder is always exact.
    public mutating func remainder(_ a: Extended80, _ b: Extended80, ieee: Bool) -> RemainderResult {
        c1 = false
        if let r = screen(a, b) { return RemainderResult(value: r, quotientBits: 0, incomplete: false) }
        if a.isInfinity || b.isZero { return RemainderResult(value: invalid(), quotientBits: 0, incomplete: false) }
        if denormalOperandStops(a, b) { return RemainderResult(value: a, quotientBits: 0, incomplete: false) }
        if a.isZero || b.isInfinity {
            return RemainderResult(value: a.isZero ? a : roundToExtended(Unpacked(a), bits: 64), quotientBits: 0, incomplete: false)
        }
        let x = Unpacked(a), y = Unpacked(b)
        let d = x.exp - y.exp
        var sign = x.sign
        var q: UInt64 = 0
        var r: UInt64
        var rExp: Int32  // value = r * 2^(rExp - 63)
        var incomplete = false
        if d < 0 {
            if ieee && d == -1 && x.sig > y.sig {
                // |a| in (|b|/2, |b|): the nearest quotient is 1 and the remainder |b| - |a|.
                let diff = (UInt128(y.sig) << 1) - UInt128(x.sig)  // in units of 2^(x.exp - 63), < 2^64
                q = 1
                sign.toggle()
                r = UInt64(truncatingIfNeeded: diff)
                rExp = x.exp
            } else {
                return RemainderResult(value: roundToExtended(x, bits: 64), quotientBits: 0, incomplete: false)
            }
        } else {
            let shift: Int32 = d < 64 ? d : 32 + d % 32
            incomplete = d >= 64
            let n = UInt128(x.sig) << shift
            let (qq, rr) = y.sig.dividingFullWidth((UInt64(truncatingIfNeeded: n >> 64), UInt64(truncatingIfNeeded: n)))
            q = qq
            r = rr
            rExp = x.exp - shift
            if ieee && !incomplete {
                let twice = UInt128(r) << 1
                if twice > UInt128(y.sig) || (twice == UInt128(y.sig) && q & 1 != 0) {
                    q &+= 1
                    r = y.sig - r
                    sign.toggle()
                }
            }
        }
        let bits = incomplete ? 0 : UInt8(q & 7)
        if r == 0 {
            let z = Extended80.zero(negative: x.sign)
            c1 = bits & 1 != 0
            return RemainderResult(value: z, quotientBits: bits, incomplete: incomplete)
        }
        let lz = Int32(r.leadingZeroBitCount)
        let v = roundToExtended(Unpacked(sign: sign, exp: rExp - lz, sig: r << lz), bits: 64)
        c1 = bits & 1 != 0
        return RemainderResult(value: v, quotientBits: bits, incomplete: incomplete)
    }

    // MARK: Round to integer

    /// Rounds a finite non-zero magnitude to an integer by the rounding control. The integer may be
    /// up to 2^64 (`carry`); exponents of 64 and more are out of range for the callers (`big`).
    @inlinable
    func integerPart(_ x: Unpacked) -> (magnitude: UInt64, carry: Bool, inexact: Bool, up: Bool) {
        let int: UInt64
        let frac: UInt64  // the fraction as a 64-bit binary fraction, sticky in bit 0
        if x.exp >= 63 {
            return (x.sig, false, false, false)  // caller handles exp > 63
        } else if x.exp >= 0 {
            int = x.sig >> UInt64(63 - x.exp)
            frac = x.sig << UInt64(x.exp + 1)
        } else if x.exp == -1 {
            int = 0
            frac = x.sig
        } else {
            int = 0
            let s = Int(-1 - x.exp)
            frac = s >= 64 ? 1 : (x.sig >> UInt64(s)) | 1
        }
        if frac == 0 { return (int, false, false, false) }
        let up: Bool
        switch rounding {
        case .nearestEven: up = frac > 0x8000_0000_0000_0000 || (frac == 0x8000_0000_0000_0000 && int & 1 != 0)
        case .down: up = x.sign
        case .up: up = !x.sign
        case .towardZero: up = false
        }
        if up {
            let (s, o) = int.addingReportingOverflow(1)
            return (s, o, true, true)
        }
        return (int, false, true, false)
    }

    /// FRNDINT: rounds to an integral value by the rounding control (precision control does not apply).
    public mutating func roundToIntegral(_ a: Extended80) -> Extended80 {
        c1 = false
        if a.isUnsupported { return invalid() }
        if a.isNaN { return propagateNaN(a) }
        if a.isZero || a.isInfinity { return a }
        if denormalOperandStops(a) { return a }
        let x = Unpacked(a)
        if x.exp >= 63 { return Extended80(sign: x.sign, biasedExponent: UInt16(x.exp + Extended80.bias), significand: x.sig) }
        let r = integerPart(x)
        if r.inexact { flags.insert(.precision) }
        c1 = r.up
        return Extended80(integerMagnitude: r.magnitude, sign: x.sign)
    }

    // MARK: Scale, extract

    /// FSCALE: `a * 2^trunc(b)` (a = ST0, b = ST1), rounded only when the result leaves the normal range.
    public mutating func scale(_ a: Extended80, by b: Extended80) -> Extended80 {
        c1 = false
        if let r = screen(a, b) { return r }
        if b.isInfinity {
            if b.sign {
                if a.isInfinity { return invalid() }
                if denormalOperandStops(a) { return a }
                return .zero(negative: a.sign)
            }
            if a.isZero { return invalid() }
            if denormalOperandStops(a) { return a }
            return .infinity(negative: a.sign)
        }
        if denormalOperandStops(a, b) { return a }
        if a.isZero || a.isInfinity { return a }
        var n: Int32 = 0
        if !b.isZero {
            let y = Unpacked(b)
            if y.exp >= 30 {
                n = 1 << 30
            } else if y.exp >= 0 {
                n = Int32(y.sig >> UInt64(63 - y.exp))
            }
            if y.sign { n = -n }
        }
        let x = Unpacked(a)
        return roundToExtended(Unpacked(sign: x.sign, exp: x.exp + n, sig: x.sig), bits: 64)
    }

    /// FXTRACT: splits `a` into its unbiased exponent and its significand (exponent 0, same sign).
    /// Zero raises ZE and gives exponent -infinity; infinity gives exponent +infinity.
    public mutating func extract(_ a: Extended80) -> (exponent: Extended80, significand: Extended80) {
        c1 = false
        if a.isUnsupported {
            let i = invalid()
            return (i, i)
        }
        if a.isNaN {
            let q = propagateNaN(a)
            return (q, q)
        }
        if a.isZero {
            flags.insert(.zeroDivide)
            return (.infinity(negative: true), a)
        }
        if a.isInfinity { return (.infinity, a) }
        if denormalOperandStops(a) { return (a, a) }
        let x = Unpacked(a)
        let e = Int64(x.exp)
        return (Extended80(integer: e), Extended80(sign: x.sign, biasedExponent: 0x3FFF, significand: x.sig))
    }

    // MARK: Compare

    /// FCOM/FCOMI (`quiet == false`: any NaN raises IE) and FUCOM/FUCOMI (`quiet == true`: only an SNaN
    /// does). Unsupported encodings always raise IE. A denormal operand raises DE. The result is
    /// valid even when IE or DE is unmasked: the host sets C0/C2/C3 (or ZF/PF/CF) regardless.
    public mutating func compare(_ a: Extended80, _ b: Extended80, quiet: Bool) -> CompareResult {
        c1 = false
        if a.isUnsupported || b.isUnsupported {
            flags.insert(.invalid)
            return .unordered
        }
        if a.isNaN || b.isNaN {
            if !quiet || a.isSignalingNaN || b.isSignalingNaN { flags.insert(.invalid) }
            return .unordered
        }
        if a.isDenormal || b.isDenormal {
            flags.insert(.denormal)
        }
        return Extended80.order(a, b)
    }

    /// FTST: compares `a` with +0.0.
    public mutating func test(_ a: Extended80) -> CompareResult { compare(a, .zero, quiet: false) }

    // MARK: Constants

    /// FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ. The irrational ones are rounded by the
    /// rounding control from their 128-bit values; no flags, C1 cleared.
    public mutating func loadConstant(_ k: X87Constant) -> Extended80 {
        c1 = false
        let (sig, exp): (UInt128, Int32)
        switch k {
        case .one: return .one
        case .zero: return .zero
        case .log2Ten: (sig, exp) = (WideConstants.log2Ten, 1)
        case .log2E: (sig, exp) = (WideConstants.log2E, 0)
        case .pi: (sig, exp) = (WideConstants.pi, 1)
        case .log10Two: (sig, exp) = (WideConstants.log10Two, -2)
        case .ln2: (sig, exp) = (WideConstants.ln2, -1)
        }
        // The host reports C1 = 0 for these loads, whichever way they round.
        let r = roundBits(sign: false, sig, bits: 64)
        return Extended80(sign: false, biasedExponent: UInt16(exp + Extended80.bias), significand: r.hi)
    }
}

/// The constants of the FLDxx instructions.
public enum X87Constant: UInt8, Sendable, CaseIterable {
    case one, log2Ten, log2E, pi, log10Two, ln2, zero
}

extension Extended80 {
    /// The exact value of an integer magnitude with a sign (zero keeps the sign).
    @inlinable
    init(integerMagnitude m: UInt64, sign: Bool) {
        if m == 0 {
            self = .zero(negative: sign)
            return
        }
        let lz = m.leadingZeroBitCount
        self.init(sign: sign, biasedExponent: UInt16(Extended80.bias + 63 - Int32(lz)), significand: m << UInt64(lz))
    }

    /// FILD: the exact value of a signed integer (16, 32 or 64 bits sign-extended).
    @inlinable
    public init(integer v: Int64) {
        self.init(integerMagnitude: v.magnitude, sign: v < 0)
        if v == 0 { self = .zero }
    }

    /// The order of two ordered (non-NaN, supported) values; +0 equals -0.
    @inlinable
    static func order(_ a: Extended80, _ b: Extended80) -> CompareResult {
        let ka = magnitudeKey(a), kb = magnitudeKey(b)
        let sa = ka != 0 && a.sign, sb = kb != 0 && b.sign
        if sa != sb { return sa ? .less : .greater }
        if ka == kb { return .equal }
        return (ka < kb) != sa ? .less : .greater
    }

    /// A key ordering magnitudes (zero is 0). Denormals and pseudo-denormals share the scale of
    /// exponent 1, so the exponent field is read as 1 for a pseudo-denormal.
    @inlinable
    static func magnitudeKey(_ x: Extended80) -> UInt128 {
        var e = UInt128(x.biasedExponent)
        if e == 0 && x.significand >> 63 != 0 { e = 1 }
        return e << 64 | UInt128(x.significand)
    }

    /// FXAM: C3 C2 C1 C0 (FSW bits 14, 10, 9, 8) for a non-empty register. The caller reports an
    /// empty register as C3 C2 C0 = 101 (C1 the sign).
    @inlinable
    public var examineBits: UInt16 {
        let s: UInt16 = sign ? 0x0200 : 0
        switch classification {
        case .unnormal, .pseudoInfinity, .pseudoNaN: return s
        case .quietNaN, .signalingNaN: return s | 0x0100
        case .normal: return s | 0x0400
        case .infinity: return s | 0x0500
        case .zero: return s | 0x4000
        case .denormal, .pseudoDenormal: return s | 0x4400
        }
    }
}
