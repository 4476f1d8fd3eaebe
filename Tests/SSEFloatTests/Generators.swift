import SoftFloat

/// binary32 (23, 8) or binary64 (52, 11) as the generators see it.
struct Fmt {
    var fractionBits: Int
    var exponentBits: Int
    static let single = Fmt(fractionBits: 23, exponentBits: 8)
    static let double = Fmt(fractionBits: 52, exponentBits: 11)
    var bias: Int { (1 << (exponentBits - 1)) - 1 }
    var maxBiased: Int { (1 << exponentBits) - 1 }
    var fractionMask: UInt64 { (1 << UInt64(fractionBits)) - 1 }
    var signBit: UInt64 { 1 << UInt64(fractionBits + exponentBits) }
    func make(sign: Bool, biased: Int, fraction: UInt64) -> UInt64 {
        (sign ? signBit : 0) | UInt64(biased) << UInt64(fractionBits) | (fraction & fractionMask)
    }
    func biased(_ x: UInt64) -> Int { Int((x >> UInt64(fractionBits)) & UInt64(maxBiased)) }
}

/// Operand generators biased to the hard cases: signed zeros, denormals, infinities, QNaNs and SNaNs,
/// extreme exponents, fractions at rounding boundaries, integers near the conversion limits.
extension RNG {
    mutating func fraction(_ f: Fmt) -> UInt64 {
        let r = next() & f.fractionMask
        switch below(10) {
        case 0: return 0
        case 1: return f.fractionMask
        case 2: return 1 << UInt64(below(f.fractionBits))
        case 3: return f.fractionMask & ~(1 << UInt64(below(f.fractionBits)))
        case 4:
            // Low bits all 0 or all 1, or a half, below a random position.
            let k = UInt64(range(1...f.fractionBits))
            let unit: UInt64 = 1 << k, half = unit >> 1
            let lows: [UInt64] = [0, unit - 1, half, half &- 1, half + 1]
            return (r & ~(unit - 1)) | lows[below(5)] & f.fractionMask
        case 5: return r & ~((1 << UInt64(below(f.fractionBits + 1))) - 1)  // few significant bits
        default: return r
        }
    }

    mutating func nan(_ f: Fmt, sign: Bool) -> UInt64 {
        let quiet: UInt64 = 1 << UInt64(f.fractionBits - 1)
        var payload = next() & (quiet - 1)
        if chance(30) { payload &= 0xFF }
        switch below(4) {
        case 0: return f.make(sign: true, biased: f.maxBiased, fraction: quiet)  // the indefinite
        case 1: return f.make(sign: sign, biased: f.maxBiased, fraction: quiet | payload)
        default: return f.make(sign: sign, biased: f.maxBiased, fraction: payload == 0 ? 1 : payload)  // SNaN
        }
    }

    mutating func denormal(_ f: Fmt, sign: Bool) -> UInt64 {
        var m = next() & f.fractionMask
        if chance(40) { m >>= UInt64(below(f.fractionBits)) }
        if chance(10) { m = f.fractionMask }
        if m == 0 { m = 1 }
        return f.make(sign: sign, biased: 0, fraction: m)
    }

    /// Any value, biased to the special cases.
    mutating func value(_ f: Fmt) -> UInt64 {
        let s = bool()
        switch below(100) {
        case 0..<8: return f.make(sign: s, biased: 0, fraction: 0)
        case 8..<18: return denormal(f, sign: s)
        case 18..<23: return f.make(sign: s, biased: f.maxBiased, fraction: 0)
        case 23..<31: return nan(f, sign: s)
        case 31..<41: return f.make(sign: s, biased: range(1...4), fraction: fraction(f))  // near the smallest normal
        case 41..<47: return f.make(sign: s, biased: f.maxBiased - range(1...3), fraction: fraction(f))  // near overflow
        case 47..<55: return f.make(sign: s, biased: range(1...(f.maxBiased - 1)), fraction: fraction(f))
        default: return f.make(sign: s, biased: f.bias + range(-40...40), fraction: fraction(f))
        }
    }

    /// A finite non-zero normal value with a chosen biased exponent (clamped).
    mutating func normal(_ f: Fmt, biased: Int) -> UInt64 {
        f.make(sign: bool(), biased: min(max(biased, 1), f.maxBiased - 1), fraction: fraction(f))
    }

    /// The second operand of a binary operation: often related to the first so that results land
    /// on cancellations, overflow and underflow thresholds and exact quotients.
    mutating func partner(_ f: Fmt, of a: UInt64, kind: OperandRelation) -> UInt64 {
        let ea = f.biased(a)
        guard ea > 0 && ea < f.maxBiased && chance(55) else { return value(f) }
        switch kind {
        case .additive:
            // Close exponents (cancellation, alignment by 0..precision+3 bits).
            let d = below(4) == 0 ? range(-(f.fractionBits + 4)...(f.fractionBits + 4)) : range(-2...2)
            var b = normal(f, biased: ea + d)
            if chance(30) { b = (a & ~UInt64(0xFF)) | (next() & 0xFF) }  // nearly equal
            if chance(50) { b ^= f.signBit }
            return b
        case .multiplicative:
            // Exponent sums near the overflow and underflow thresholds, or near 1.
            let targets = [f.bias, 2 * f.bias + 1, 1, -f.fractionBits, f.bias + 1 - f.fractionBits / 2]
            let t = targets[below(targets.count)] + range(-3...3)
            let eb = t - (ea - f.bias)
            if eb < 1 { return f.make(sign: bool(), biased: 0, fraction: next() & f.fractionMask | 1) }
            return normal(f, biased: eb)
        case .divisive:
            let targets = [f.bias, 2 * f.bias + 1, 1, -f.fractionBits, f.bias - 1]
            let t = targets[below(targets.count)] + range(-3...3)
            let eb = (ea - f.bias) - (t - f.bias) + f.bias
            if chance(20) { return f.make(sign: bool(), biased: min(max(eb, 1), f.maxBiased - 1), fraction: a & f.fractionMask) }
            if eb < 1 { return f.make(sign: bool(), biased: 0, fraction: next() & f.fractionMask | 1) }
            return normal(f, biased: eb)
        }
    }

    /// A square, a value near one, or any value.
    mutating func sqrtOperand(_ f: Fmt) -> UInt64 {
        if chance(20) {
            // An exact square of a short significand.
            let bits = (f.fractionBits + 1) / 2
            let m = (next() & ((1 << UInt64(bits)) - 1)) | 1 << UInt64(bits)
            let sq = m * m
            let lz = sq.leadingZeroBitCount
            let top = 63 - lz
            let frac = top >= f.fractionBits ? (sq >> UInt64(top - f.fractionBits)) : (sq << UInt64(f.fractionBits - top))
            return f.make(sign: false, biased: f.bias + range(-20...20) * 2, fraction: frac)
        }
        let v = value(f)
        return chance(80) ? v & ~f.signBit : v
    }

    /// A value for a conversion to an integer of `bits`: near the limits, halves, small values.
    mutating func integerish(_ f: Fmt, bits: Int) -> UInt64 {
        switch below(6) {
        case 0:
            // Around 2^(bits-1): exponent bits-2 ... bits.
            return f.make(sign: bool(), biased: f.bias + bits - 1 + range(-1...1), fraction: fraction(f))
        case 1:
            // k + 1/2 and neighbours for small k.
            let k = UInt64(below(1 << 10))
            let sig = (k << 1 | 1)  // (2k + 1) / 2
            let lz = sig.leadingZeroBitCount
            let top = 63 - lz
            let frac = sig << UInt64(f.fractionBits - top)
            return f.make(sign: bool(), biased: f.bias + top - 1, fraction: frac)
        case 2: return f.make(sign: bool(), biased: f.bias + range(-3...12), fraction: fraction(f))
        default: return value(f)
        }
    }

    mutating func integer(bits: Int) -> UInt64 {
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        switch below(6) {
        case 0: return UInt64(bitPattern: Int64(range(-70...70))) & mask
        case 1:
            // Near powers of two (2^24, 2^53 and others): rounding boundaries.
            let p = range(1...(bits - 1))
            let v = (UInt64(1) << UInt64(p)) &+ UInt64(bitPattern: Int64(range(-3...3)))
            return (bool() ? v : 0 &- v) & mask
        case 2: return [UInt64(1) << UInt64(bits - 1), (UInt64(1) << UInt64(bits - 1)) - 1, mask][below(3)]
        default:
            var v = next() & mask
            if chance(50) { v >>= UInt64(below(bits)) }
            return v
        }
    }

    /// MXCSR: random rounding, DAZ and FTZ; masks all set, except in a quarter of the cases.
    mutating func mxcsr() -> UInt32 {
        var m: UInt32 = UInt32(below(4)) << 13
        if chance(25) { m |= 0x40 }
        if chance(25) { m |= 0x8000 }
        if chance(25) && !Budget.maskedOnly {
            m |= UInt32(next() & 0x3F) << 7
        } else {
            m |= 0x1F80
        }
        return m
    }
}

enum OperandRelation { case additive, multiplicative, divisive }
