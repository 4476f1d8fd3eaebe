/// A 128-bit-significand binary floating-point value for the transcendental functions' internal
/// arithmetic: `(-1)^neg * sig * 2^(exp - 127)`, `sig` normalised (bit 127 set) or zero, exponent
/// unbounded (Int32). Operations truncate to 128 bits: each loses at most about 2^-127 relative,
/// 60 bits more than a 64-bit result needs. Addition keeps a sticky bit for the bits it shifts out,
/// so a sum that is not exact is never mistaken for an exact one (what directed rounding and C1
/// depend on when a result lies extremely close to a representable value, as sin x for tiny x).
@_spi(Testing)
public struct Wide {
    @_spi(Testing) public var neg: Bool
    @_spi(Testing) public var exp: Int32
    @_spi(Testing) public var sig: UInt128

    @_spi(Testing) public init(neg: Bool = false, exp: Int32, sig: UInt128) {
        self.neg = neg
        self.exp = exp
        self.sig = sig
    }

    @_spi(Testing) public static var zero: Wide { Wide(exp: 0, sig: 0) }
    @_spi(Testing) public static var one: Wide { Wide(exp: 0, sig: 1 << 127) }

    /// Exact conversion of a finite non-zero unpacked value.
    init(_ u: Unpacked) {
        self.init(neg: u.sign, exp: u.exp, sig: UInt128(u.sig) << 64)
    }

    /// Exact conversion of an integer.
    @_spi(Testing) public init(integer v: Int64) {
        if v == 0 {
            self = .zero
            return
        }
        let m = v.magnitude
        let lz = m.leadingZeroBitCount
        self.init(neg: v < 0, exp: Int32(63 - lz), sig: UInt128(m << UInt64(lz)) << 64)
    }

    /// A normalised non-negative fixed-point value `v * 2^-scale`.
    init(fixed v: UInt128, scale: Int32, neg: Bool = false) {
        if v == 0 {
            self = .zero
            return
        }
        let lz = v.leadingZeroBitCount
        self.init(neg: neg, exp: 127 - Int32(lz) - scale, sig: v << lz)
    }

    var isZero: Bool { sig == 0 }
    var negated: Wide { Wide(neg: !neg, exp: exp, sig: sig) }
    var magnitude: Wide { Wide(neg: false, exp: exp, sig: sig) }

    /// Scales by a power of two.
    func scaled(_ n: Int32) -> Wide { sig == 0 ? self : Wide(neg: neg, exp: exp + n, sig: sig) }

    @_spi(Testing) public static func * (a: Wide, b: Wide) -> Wide {
        if a.sig == 0 || b.sig == 0 { return .zero }
        var (hi, lo) = mulFull(a.sig, b.sig)
        var e = a.exp + b.exp + 1
        if hi >> 127 == 0 {
            hi = hi << 1 | lo >> 127
            e -= 1
        }
        return Wide(neg: a.neg != b.neg, exp: e, sig: hi)
    }

    @_spi(Testing) public static func + (a: Wide, b: Wide) -> Wide {
        if a.sig == 0 { return b }
        if b.sig == 0 { return a }
        var x = a, y = b
        if x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig) { swap(&x, &y) }
        // The smaller operand is shifted with a sticky bit, so that adding a term far below the
        // last place still moves the sum off an exact value in the right direction.
        let ys = shiftRightJamming(y.sig, Int(min(x.exp - y.exp, 200)))
        if x.neg == y.neg {
            let (s, o) = x.sig.addingReportingOverflow(ys)
            if o { return Wide(neg: x.neg, exp: x.exp + 1, sig: s >> 1 | 1 << 127) }
            return Wide(neg: x.neg, exp: x.exp, sig: s)
        }
        let s = x.sig - ys
        if s == 0 { return .zero }
        let lz = s.leadingZeroBitCount
        return Wide(neg: x.neg, exp: x.exp - Int32(lz), sig: s << lz)
    }

    @_spi(Testing) public static func - (a: Wide, b: Wide) -> Wide { a + b.negated }

    /// Quotient truncated to 128 bits (never above the exact quotient of the two significands):
    /// schoolbook division in 64-bit digits (Knuth's algorithm D), two hardware divisions.
    @_spi(Testing) public static func / (a: Wide, b: Wide) -> Wide {
        precondition(b.sig != 0)
        if a.sig == 0 { return .zero }
        let v = b.sig
        var e = a.exp - b.exp
        var q: UInt128
        if a.sig >= v {
            // Quotient in [1, 2): its first bit is 1; 127 more bits from the remainder.
            let r = a.sig - v
            let (q1, r1) = divideStep(r, v)
            let (q0, _) = divideStep(r1, v)
            q = 1 << 127 | (UInt128(q1) << 64 | UInt128(q0)) >> 1
        } else {
            // Quotient in (1/2, 1): 128 bits of floor(a * 2^128 / b).
            e -= 1
            let (q1, r1) = divideStep(a.sig, v)
            let (q0, _) = divideStep(r1, v)
            q = UInt128(q1) << 64 | UInt128(q0)
        }
        return Wide(neg: a.neg != b.neg, exp: e, sig: q)
    }

    /// One quotient digit: floor((r * 2^64) / v) and the remainder, for r < v, v normalised.
    @inline(__always)
    static func divideStep(_ r: UInt128, _ v: UInt128) -> (UInt64, UInt128) {
        let v1 = UInt64(truncatingIfNeeded: v >> 64), v0 = UInt64(truncatingIfNeeded: v)
        let r1 = UInt64(truncatingIfNeeded: r >> 64), r0 = UInt64(truncatingIfNeeded: r)
        // The estimate from the top digits is at most 2 too large (v1 >= 2^63).
        var qhat: UInt64 = r1 >= v1 ? .max : v1.dividingFullWidth((r1, r0)).quotient
        // remainder = (r : 0) - qhat * v, as a 192-bit value (hi : lo) with a sign.
        let p0 = UInt128(qhat) * UInt128(v0)
        let p1 = UInt128(qhat) * UInt128(v1) + (p0 >> 64)
        let pLow = UInt64(truncatingIfNeeded: p0)
        var lo = 0 &- pLow
        let borrow: UInt128 = pLow != 0 ? 1 : 0
        let (t, o) = p1.addingReportingOverflow(borrow)
        var negative = o || r < t
        var hi = r &- t
        while negative {
            qhat -= 1
            let (l, c) = lo.addingReportingOverflow(v0)
            lo = l
            let (h1, c1) = hi.addingReportingOverflow(UInt128(v1))
            let (h2, c2) = h1.addingReportingOverflow(c ? 1 : 0)
            hi = h2
            if c1 || c2 { negative = false }
        }
        return (qhat, hi << 64 | UInt128(lo))
    }

    /// Division by a small positive integer.
    func divided(by n: UInt64) -> Wide {
        if sig == 0 { return self }
        let hi = UInt64(truncatingIfNeeded: sig >> 64), lo = UInt64(truncatingIfNeeded: sig)
        let q2 = hi / n, r2 = hi % n
        let (q1, r1) = n.dividingFullWidth((r2, lo))
        let (q0, _) = n.dividingFullWidth((r1, 0))
        // The 192-bit quotient q2:q1:q0 (times 2^-64) has its leading bit in q2 or q1.
        let top = UInt128(q2) << 64 | UInt128(q1)
        let lz = top.leadingZeroBitCount
        let s = lz == 0 ? top : (top << lz | UInt128(q0) >> (64 - lz))
        return Wide(neg: neg, exp: exp - Int32(lz), sig: s)
    }
}

/// The full 256-bit product of two 128-bit values.
@inline(__always)
func mulFull(_ a: UInt128, _ b: UInt128) -> (hi: UInt128, lo: UInt128) {
    let a0 = UInt64(truncatingIfNeeded: a), a1 = UInt64(truncatingIfNeeded: a >> 64)
    let b0 = UInt64(truncatingIfNeeded: b), b1 = UInt64(truncatingIfNeeded: b >> 64)
    let p00 = UInt128(a0) * UInt128(b0)
    let p01 = UInt128(a0) * UInt128(b1)
    let p10 = UInt128(a1) * UInt128(b0)
    let p11 = UInt128(a1) * UInt128(b1)
    // Middle column: p00.hi + p01.lo + p10.lo (up to 66 bits).
    let mid = (p00 >> 64) + UInt128(UInt64(truncatingIfNeeded: p01)) + UInt128(UInt64(truncatingIfNeeded: p10))
    let lo = (mid << 64) | UInt128(UInt64(truncatingIfNeeded: p00))
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64)
    return (hi, lo)
}

/// 128-bit significands (truncated, bit 127 set) of the constants: value = sig * 2^(e - 127) with
/// the exponent e given beside each. Generated with mpmath at 400 bits:
/// `int(mp.floor(x / 2**(e - 127)))`.
enum WideConstants {
    /// pi, e = 1
    static var pi: UInt128 { 0xC90F_DAA2_2168_C234_C4C6_628B_80DC_1CD1 }
    /// ln 2, e = -1
    static var ln2: UInt128 { 0xB172_17F7_D1CF_79AB_C9E3_B398_03F2_F6AF }
    /// log2 e, e = 0
    static var log2E: UInt128 { 0xB8AA_3B29_5C17_F0BB_BE87_FED0_691D_3E88 }
    /// log2 10, e = 1
    static var log2Ten: UInt128 { 0xD49A_784B_CD1B_8AFE_492B_F6FF_4DAF_DB4C }
    /// log10 2, e = -2
    static var log10Two: UInt128 { 0x9A20_9A84_FBCF_F798_8F89_59AC_0B7C_9178 }
    /// sqrt 3, e = 0
    static var sqrt3: UInt128 { 0xDDB3_D742_C265_539D_92BA_16B8_3C5C_1DC4 }
    /// sqrt 2, e = 0 (for the logarithm's range split)
    static var sqrt2: UInt128 { 0xB504_F333_F9DE_6484_597D_89B3_754A_BE9F }

    static var wPi: Wide { Wide(exp: 1, sig: pi) }
    static var wHalfPi: Wide { Wide(exp: 0, sig: pi) }
    static var wSixthPi: Wide { Wide(exp: -1, sig: 0x860A_91C1_6B9B_2C23_2DD9_9707_AB3D_688B) }
    static var wQuarterPi: Wide { Wide(exp: -1, sig: pi) }
    static var wLn2: Wide { Wide(exp: -1, sig: ln2) }
    static var wLog2E: Wide { Wide(exp: 0, sig: log2E) }
    static var wSqrt3: Wide { Wide(exp: 0, sig: sqrt3) }
}
