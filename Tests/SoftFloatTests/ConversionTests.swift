import CX87Oracle
import SoftFloat
import Testing

/// Bit-exact differential tests of the integer, single, double and packed-BCD conversions.
@Suite struct ConversionTests {
    @Test func fild() {
        var rng = RNG(seed: Budget.seed ^ 21)
        var tally = Tally("FILD")
        for _ in 0..<Budget.cases(30_000) {
            let bits = [16, 32, 64][rng.below(3)]
            var v = Int64(bitPattern: rng.next()) >> UInt64(rng.range(0...63))
            if rng.chance(10) { v = [0, -1, 1, Int64.min, Int64.max][rng.below(5)] }
            v = (v << UInt64(64 - bits)) >> UInt64(64 - bits)
            let op = bits == 16 ? X87_FILD16 : bits == 32 ? X87_FILD32 : X87_FILD64
            let ctx = rng.context()
            let mine = Extended80(integer: v)
            let host = Host.run(op, cw: ctx.controlWord, mem: UInt64(bitPattern: v))
            tally.record(mode: ctx.modeLabel, ok: host.st0 == mine && host.flags.isEmpty && !host.c1,
                         "fild\(bits) \(v) -> host \(host.st0), mine \(mine)")
        }
        tally.finish()
    }

    static func integerValue(_ rng: inout RNG, bits: Int) -> Extended80 {
        if rng.chance(20) { return rng.extended(specials: 60) }
        // Around the integer range: exponents 0 ... bits, with halves and boundaries.
        var a = rng.finite(exponent: 16383 + rng.range(-3...(bits + 1)))
        if rng.chance(15) {
            let limit = Extended80(integer: Int64(1) << Int64(bits - 1))
            a = Extended80(signExponent: limit.signExponent, significand: limit.significand)
            if rng.bool() { a.signExponent -= 1; a.significand = ~0 << UInt64(rng.range(0...3)) }
            if rng.bool() { a = a.negated }
        }
        return a
    }

    static func storeInteger(_ name: String, bits: Int, truncating: Bool, _ op: X87Op, seed: UInt64) {
        var rng = RNG(seed: Budget.seed ^ seed)
        var tally = Tally(name)
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        for _ in 0..<Budget.cases(30_000) {
            let a = integerValue(&rng, bits: bits)
            var ctx = rng.context()
            let mine = UInt64(bitPattern: ctx.toInteger(a, bits: bits, truncating: truncating)) & mask
            let host = Host.run(op, cw: ctx.controlWord, a)
            var ok = host.flags == ctx.flags
            if ctx.suppressesMemoryResult {
                ok = ok && host.mem == Host.sentinel & mask
            } else {
                ok = ok && host.mem == mine && host.c1 == ctx.c1
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "\(name) \(a) -> host \(hex(host.mem)) sw \(hex(host.status)), mine \(hex(mine)) "
                         + "flags \(hex(UInt16(ctx.flags.rawValue))) c1 \(ctx.c1)")
        }
        tally.finish()
    }

    @Test func fistp16() { Self.storeInteger("FISTP16", bits: 16, truncating: false, X87_FISTP16, seed: 22) }
    @Test func fistp32() { Self.storeInteger("FISTP32", bits: 32, truncating: false, X87_FISTP32, seed: 23) }
    @Test func fistp64() { Self.storeInteger("FISTP64", bits: 64, truncating: false, X87_FISTP64, seed: 24) }
    @Test func fisttp16() { Self.storeInteger("FISTTP16", bits: 16, truncating: true, X87_FISTTP16, seed: 25) }
    @Test func fisttp32() { Self.storeInteger("FISTTP32", bits: 32, truncating: true, X87_FISTTP32, seed: 26) }
    @Test func fisttp64() { Self.storeInteger("FISTTP64", bits: 64, truncating: true, X87_FISTTP64, seed: 27) }

    static func ieeeBits(_ rng: inout RNG, fractionBits f: Int, exponentBits w: Int) -> UInt64 {
        let emax = (UInt64(1) << UInt64(w)) - 1
        let sign = rng.next() & 1
        let frac = rng.next() & ((1 << UInt64(f)) - 1)
        let e: UInt64 = [0, emax, 1, emax - 1, UInt64(rng.range(0...Int(emax)))][rng.below(5)]
        var fr = frac
        if rng.chance(20) { fr = 0 }
        if rng.chance(10) { fr >>= UInt64(rng.range(0...f)) }
        return sign << UInt64(f + w) | e << UInt64(f) | fr
    }

    @Test func fldSingleDouble() {
        var rng = RNG(seed: Budget.seed ^ 28)
        var tally = Tally("FLD m32/m64")
        for _ in 0..<Budget.cases(40_000) {
            var ctx = rng.context()
            let single = rng.bool()
            let bits = single ? Self.ieeeBits(&rng, fractionBits: 23, exponentBits: 8) : Self.ieeeBits(&rng, fractionBits: 52, exponentBits: 11)
            let mine = single ? ctx.loadSingle(UInt32(bits)) : ctx.loadDouble(bits)
            let host = Host.run(single ? X87_FLD32 : X87_FLD64, cw: ctx.controlWord, mem: bits)
            ArithmeticTests.checkRegister(&tally, ctx, mine: mine, host: host, hostValue: host.st0, "fld \(single ? 32 : 64) \(hex(bits))")
        }
        tally.finish()
    }

    static func storeFloat(_ name: String, single: Bool, seed: UInt64) {
        var rng = RNG(seed: Budget.seed ^ seed)
        var tally = Tally(name)
        let (emin, emax, p) = single ? (-126, 127, 24) : (-1022, 1023, 53)
        let mask: UInt64 = single ? 0xFFFF_FFFF : ~0
        for _ in 0..<Budget.cases(60_000) {
            var a = rng.extended()
            if rng.chance(60) {
                let e = [rng.range(emin - p - 3...emin + 2), rng.range(emax - 2...emax + 2), rng.range(-20...20),
                         rng.range(emin - 40...emax + 40)][rng.below(4)]
                a = rng.finite(exponent: 16383 + e)
            }
            var ctx = rng.context()
            let mine = single ? UInt64(ctx.storeSingle(a)) : ctx.storeDouble(a)
            let host = Host.run(single ? X87_FSTP32 : X87_FSTP64, cw: ctx.controlWord, a)
            var ok = host.flags == ctx.flags
            if ctx.suppressesMemoryResult {
                ok = ok && host.mem == Host.sentinel & mask
            } else {
                ok = ok && host.mem == mine && host.c1 == ctx.c1
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "\(name) \(a) -> host \(hex(host.mem)) sw \(hex(host.status)), mine \(hex(mine)) "
                         + "flags \(hex(UInt16(ctx.flags.rawValue))) c1 \(ctx.c1)")
        }
        tally.finish()
    }

    @Test func fstpSingle() { Self.storeFloat("FSTP m32", single: true, seed: 29) }
    @Test func fstpDouble() { Self.storeFloat("FSTP m64", single: false, seed: 30) }

    @Test func fbld() {
        var rng = RNG(seed: Budget.seed ^ 31)
        var tally = Tally("FBLD")
        for _ in 0..<Budget.cases(20_000) {
            var low: UInt64 = 0
            let digits = rng.range(0...18)
            var high: UInt16 = 0
            for i in 0..<digits {
                let d = UInt64(rng.range(0...9))
                if i < 16 { low |= d << UInt64(4 * i) } else { high |= UInt16(d) << UInt16(4 * (i - 16)) }
            }
            if rng.bool() { high |= 0x8000 }
            if rng.chance(10) { high |= UInt16(rng.next() & 0x7F00) }  // ignored sign-byte bits
            let ctx = rng.context()
            let mine = Extended80(packedBCDLow: low, high: high)
            let host = Host.run(X87_FBLD, cw: ctx.controlWord, mem: low, memHi: high)
            tally.record(mode: ctx.modeLabel, ok: host.st0 == mine && host.flags.isEmpty,
                         "fbld \(hex(high)):\(hex(low)) -> host \(host.st0), mine \(mine)")
        }
        tally.finish()
    }

    @Test func fbstp() {
        var rng = RNG(seed: Budget.seed ^ 32)
        var tally = Tally("FBSTP")
        for _ in 0..<Budget.cases(30_000) {
            var a = rng.finite(exponent: 16383 + rng.range(-3...62))
            if rng.chance(20) { a = rng.extended(specials: 60) }
            if rng.chance(10) {
                // Around 10^18.
                a = Extended80(integer: 999_999_999_999_999_999 + Int64(rng.range(-2...2)))
                a.significand = a.significand &+ UInt64(rng.range(0...3))
                if rng.bool() { a = a.negated }
            }
            var ctx = rng.context()
            let mine = ctx.toPackedBCD(a)
            let host = Host.run(X87_FBSTP, cw: ctx.controlWord, a)
            var ok = host.flags == ctx.flags
            if ctx.suppressesMemoryResult {
                ok = ok && host.mem == Host.sentinel
            } else {
                ok = ok && host.mem == mine.low && host.memHi == mine.high && host.c1 == ctx.c1
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "fbstp \(a) -> host \(hex(host.memHi)):\(hex(host.mem)) sw \(hex(host.status)), "
                         + "mine \(hex(mine.high)):\(hex(mine.low)) flags \(hex(UInt16(ctx.flags.rawValue)))")
        }
        tally.finish()
    }
}
