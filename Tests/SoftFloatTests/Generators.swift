import SoftFloat

/// SplitMix64: small, seedable, reproducible.
struct RNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func range(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
    mutating func bool() -> Bool { next() & 1 != 0 }
    /// True with probability p percent.
    mutating func chance(_ p: Int) -> Bool { below(100) < p }
}

/// Operand generators biased to the hard cases: specials, denormals, unsupported encodings, extreme
/// exponents and significands near rounding boundaries for 24, 53 and 64 bits.
extension RNG {
    /// A significand with the integer bit set, often with structured low bits.
    mutating func significand() -> UInt64 {
        let r = next()
        switch below(12) {
        case 0: return 0x8000_0000_0000_0000
        case 1: return ~0
        case 2: return 0x8000_0000_0000_0000 | (1 << UInt64(below(63)))
        case 3: return ~(UInt64(1) << UInt64(below(63)))
        case 4:
            // A 24-, 53- or 64-bit boundary: low bits all 0 or all 1, or exactly a half.
            let ks: [UInt64] = [40, 11, 39, 10, 41, 12, 1, 2]
            let k = ks[below(8)]
            let unit: UInt64 = 1 << k
            let half: UInt64 = 1 << (k - 1)
            let lows: [UInt64] = [0, unit - 1, half, half - 1, half + 1]
            let low = lows[below(5)]
            let high: UInt64 = (r | 1 << 63) & ~(unit - 1)
            return high | low
        case 5: return (r | 1 << 63) & ~((1 << UInt64(below(64))) - 1)  // few significant bits
        default: return r | 1 << 63
        }
    }

    mutating func finite(exponent e: Int, sign: Bool? = nil) -> Extended80 {
        let s = sign ?? bool()
        if e <= 0 { return denormal(sign: s) }
        return Extended80(sign: s, biasedExponent: UInt16(min(e, 0x7FFE)), significand: significand())
    }

    mutating func denormal(sign: Bool) -> Extended80 {
        var m = next() >> 1
        if chance(50) { m >>= UInt64(below(63)) }
        if m == 0 { m = 1 }
        return Extended80(sign: sign, biasedExponent: 0, significand: m)
    }

    mutating func nan(signaling: Bool) -> Extended80 {
        var f = next() & 0x3FFF_FFFF_FFFF_FFFF
        if chance(30) { f &= 0xFF }
        if signaling && f == 0 { f = 1 }
        return Extended80(sign: bool(), biasedExponent: 0x7FFF,
                          significand: 0x8000_0000_0000_0000 | (signaling ? 0 : 0x4000_0000_0000_0000) | f)
    }

    mutating func unsupported() -> Extended80 {
        switch below(3) {
        case 0: return Extended80(sign: bool(), biasedExponent: UInt16(range(1...0x7FFE)), significand: next() >> 1)
        case 1: return Extended80(sign: bool(), biasedExponent: 0x7FFF, significand: 0)
        default: return Extended80(sign: bool(), biasedExponent: 0x7FFF, significand: (next() >> 1) | 1)
        }
    }

    /// Special and boundary values (about 30%), else normal values around 1.0 or anywhere.
    mutating func extended(specials: Int = 30) -> Extended80 {
        if chance(specials) {
            switch below(16) {
            case 0, 1: return .zero(negative: bool())
            case 2, 3: return .infinity(negative: bool())
            case 4: return nan(signaling: false)
            case 5: return nan(signaling: true)
            case 6: return unsupported()
            case 7, 8, 9: return denormal(sign: bool())
            case 10: return Extended80(sign: bool(), biasedExponent: 0, significand: next() | 1 << 63)  // pseudo-denormal
            case 11: return Extended80(sign: bool(), biasedExponent: 0x7FFE, significand: significand())
            case 12: return Extended80(sign: bool(), biasedExponent: UInt16(range(1...3)), significand: significand())
            case 13: return Extended80.indefinite
            default: return finite(exponent: 0x3FFF + range(-3...3))
            }
        }
        switch below(4) {
        case 0: return finite(exponent: range(1...0x7FFE))
        case 1: return finite(exponent: [range(1...140), range(0x7FFE - 140...0x7FFE)][below(2)])
        default: return finite(exponent: 0x3FFF + range(-70...70))
        }
    }

    /// A second operand related to `a` by exponent: equal, close, at a rounding distance or far.
    mutating func partner(of a: Extended80, exponentDelta: Int? = nil) -> Extended80 {
        if chance(25) { return extended() }
        let ea = Int(a.biasedExponent == 0 ? 1 : a.biasedExponent)
        let d: Int
        if let x = exponentDelta { d = x } else {
            switch below(5) {
            case 0: d = 0
            case 1: d = range(-3...3)
            case 2: d = [24, 25, 53, 54, 63, 64, 65, 66, 67][below(9)] * (bool() ? 1 : -1)
            case 3: d = range(-200...200)
            default: d = range(-16400...16400)
            }
        }
        let e = ea + d
        if e >= 0x7FFF { return finite(exponent: 0x7FFE) }
        if chance(15), a.biasedExponent > 0, a.biasedExponent < 0x7FFF {
            // Near a: the same significand give or take a few units.
            let m = a.significand &+ UInt64(bitPattern: Int64(range(-3...3))) | 1 << 63
            return Extended80(sign: bool(), biasedExponent: UInt16(max(1, min(e, 0x7FFE))), significand: m)
        }
        return finite(exponent: e)
    }

    mutating func context(unmaskedPercent: Int = 15) -> X87Context {
        var c = X87Context(rounding: RoundingMode(rawValue: UInt8(below(4)))!,
                           precision: PrecisionControl(rawValue: UInt8(below(4)))!)
        if chance(unmaskedPercent) { c.masks = ExceptionFlags(rawValue: UInt8(next() & 0x3F)) }
        return c
    }
}
