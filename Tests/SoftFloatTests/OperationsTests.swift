import CX87Oracle
import SoftFloat
import Testing

/// Bit-exact differential tests of FPREM/FPREM1, FRNDINT, FSCALE, FXTRACT, the comparisons, FXAM
/// and the constant loads against the host x87.
@Suite struct OperationsTests {
    static func remainderTest(_ name: String, _ op: X87Op, ieee: Bool, seed: UInt64) {
        var rng = RNG(seed: Budget.seed ^ seed)
        var tally = Tally(name)
        for _ in 0..<Budget.cases(60_000) {
            let a = rng.extended()
            var b = rng.extended()
            if rng.chance(70) {
                // Mostly complete reductions, some partial ones (D >= 64), some with |a| < |b|.
                let d = [rng.range(0...63), rng.range(0...63), rng.range(64...300), rng.range(-3...0), rng.range(-16000...16000)][rng.below(5)]
                b = rng.finite(exponent: Int(a.biasedExponent == 0 ? 1 : a.biasedExponent) - d)
                if b.biasedExponent == 0 && rng.chance(80) { b = rng.finite(exponent: rng.range(1...100)) }
            }
            var ctx = rng.context()
            let mine = ctx.remainder(a, b, ieee: ieee)
            let host = Host.run(op, cw: ctx.controlWord, a, b)
            var ok = host.flags == ctx.flags
            if !ctx.suppressesRegisterResult {
                ok = ok && host.st0 == mine.value && host.conditionCodes == mine.statusWordBits
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "\(a) rem \(b) -> host \(host.st0) sw \(hex(host.status)), mine \(mine.value) "
                         + "cc \(hex(mine.statusWordBits)) flags \(hex(UInt16(ctx.flags.rawValue)))")
        }
        tally.finish()
    }

    @Test func fprem() { Self.remainderTest("FPREM", X87_FPREM, ieee: false, seed: 11) }
    @Test func fprem1() { Self.remainderTest("FPREM1", X87_FPREM1, ieee: true, seed: 12) }

    @Test func frndint() {
        var rng = RNG(seed: Budget.seed ^ 13)
        var tally = Tally("FRNDINT")
        for _ in 0..<Budget.cases(60_000) {
            var a = rng.extended()
            if rng.chance(60) { a = rng.finite(exponent: 16383 + rng.range(-3...66)) }
            if rng.chance(10) {
                // Exact halves: k + 1/2.
                let e = rng.range(0...62)
                let m = (rng.next() | 1 << 63) & ~((1 << UInt64(62 - e)) - 1) | 1 << UInt64(62 - e)
                a = Extended80(sign: rng.bool(), biasedExponent: UInt16(16383 + e), significand: m)
            }
            var ctx = rng.context()
            let mine = ctx.roundToIntegral(a)
            let host = Host.run(X87_FRNDINT, cw: ctx.controlWord, a)
            ArithmeticTests.checkRegister(&tally, ctx, mine: mine, host: host, hostValue: host.st0, "frndint \(a)")
        }
        tally.finish()
    }

    @Test func fscale() {
        var rng = RNG(seed: Budget.seed ^ 14)
        var tally = Tally("FSCALE")
        for _ in 0..<Budget.cases(60_000) {
            let a = rng.extended()
            var b = rng.extended()
            if rng.chance(70) {
                // Integral or fractional scale factors that reach the overflow/underflow thresholds.
                let ea = Int(a.biasedExponent == 0 ? 1 : a.biasedExponent) - 16383
                let target = [rng.range(-20...20), 16383 + rng.range(-2...2), -16382 + rng.range(-70...2),
                              rng.range(-40000...40000), rng.range(-3...3)][rng.below(5)]
                var v = Int64(target - ea)
                if rng.chance(10) { v = Int64(bitPattern: rng.next()) >> rng.range(0...63) }
                b = Extended80(integer: v)
                if rng.chance(25), !b.isZero {
                    b.significand |= rng.next() >> UInt64(b.biasedExponent - 16383 + 1)  // add a fraction
                }
            }
            var ctx = rng.context()
            let mine = ctx.scale(a, by: b)
            let host = Host.run(X87_FSCALE, cw: ctx.controlWord, a, b)
            ArithmeticTests.checkRegister(&tally, ctx, mine: mine, host: host, hostValue: host.st0, "\(a) fscale \(b)")
        }
        tally.finish()
    }

    @Test func fxtract() {
        var rng = RNG(seed: Budget.seed ^ 15)
        var tally = Tally("FXTRACT")
        for _ in 0..<Budget.cases(30_000) {
            let a = rng.extended(specials: 50)
            var ctx = rng.context()
            let mine = ctx.extract(a)
            let host = Host.run(X87_FXTRACT, cw: ctx.controlWord, a)
            var ok = host.flags == ctx.flags
            if !ctx.suppressesRegisterResult {
                ok = ok && host.st0 == mine.significand && host.st1 == mine.exponent && host.c1 == ctx.c1
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "fxtract \(a) -> host \(host.st1) \(host.st0) sw \(hex(host.status)), mine \(mine.exponent) "
                         + "\(mine.significand) flags \(hex(UInt16(ctx.flags.rawValue)))")
        }
        tally.finish()
    }

    static func compareTest(_ name: String, _ op: X87Op, quiet: Bool, eflags: Bool, seed: UInt64) {
        var rng = RNG(seed: Budget.seed ^ seed)
        var tally = Tally(name)
        for _ in 0..<Budget.cases(40_000) {
            let a = rng.extended(specials: 40)
            var b = rng.chance(50) ? rng.partner(of: a) : rng.extended(specials: 40)
            if rng.chance(10) { b = a }
            if rng.chance(5) { b = a.negated }
            var ctx = rng.context()
            let mine = ctx.compare(a, b, quiet: quiet)
            let host = Host.run(op, cw: ctx.controlWord, a, b)
            // The host sets the condition codes (or EFLAGS) even when IE or DE is unmasked.
            var ok = host.flags == ctx.flags
            if eflags {
                let got = (host.zf ? 0x40 : 0) | (host.pf ? 0x04 : 0) | (host.cf ? 0x01 : 0)
                ok = ok && UInt32(got) == mine.eflagsBits && host.c1 == false
            } else {
                ok = ok && host.conditionCodes == mine.statusWordBits
            }
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "\(a) cmp \(b) -> host sw \(hex(host.status)) zf \(host.zf) pf \(host.pf) cf \(host.cf), mine \(mine) "
                         + "flags \(hex(UInt16(ctx.flags.rawValue)))")
        }
        tally.finish()
    }

    @Test func fcom() { Self.compareTest("FCOM", X87_FCOM, quiet: false, eflags: false, seed: 16) }
    @Test func fucom() { Self.compareTest("FUCOM", X87_FUCOM, quiet: true, eflags: false, seed: 17) }
    @Test func fcomi() { Self.compareTest("FCOMI", X87_FCOMI, quiet: false, eflags: true, seed: 18) }
    @Test func fucomi() { Self.compareTest("FUCOMI", X87_FUCOMI, quiet: true, eflags: true, seed: 19) }

    @Test func ftstAndFxam() {
        var rng = RNG(seed: Budget.seed ^ 20)
        var tally = Tally("FTST/FXAM")
        for _ in 0..<Budget.cases(20_000) {
            let a = rng.extended(specials: 60)
            var ctx = rng.context()
            let mine = ctx.test(a)
            let host = Host.run(X87_FTST, cw: ctx.controlWord, a)
            var ok = host.flags == ctx.flags && host.conditionCodes == mine.statusWordBits
            let xam = Host.run(X87_FXAM, cw: ctx.controlWord, a)
            ok = ok && xam.conditionCodes == a.examineBits && xam.flags.isEmpty
            tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok,
                         "ftst/fxam \(a) -> host \(hex(host.status)) \(hex(xam.status)), mine \(mine) \(hex(a.examineBits))")
        }
        tally.finish()
    }

    @Test func constants() {
        var tally = Tally("FLDconst")
        let ops: [(X87Op, X87Constant)] = [(X87_FLD1, .one), (X87_FLDL2T, .log2Ten), (X87_FLDL2E, .log2E),
                                           (X87_FLDPI, .pi), (X87_FLDLG2, .log10Two), (X87_FLDLN2, .ln2), (X87_FLDZ, .zero)]
        for rounding in RoundingMode.allCases {
            for precision in PrecisionControl.allCases {
                for (op, k) in ops {
                    var ctx = X87Context(rounding: rounding, precision: precision)
                    let mine = ctx.loadConstant(k)
                    let host = Host.run(op, cw: ctx.controlWord)
                    let ok = host.st0 == mine && host.flags == ctx.flags && host.c1 == ctx.c1
                    tally.noteFlags(host.flags)
            tally.record(mode: ctx.modeLabel, ok: ok, "\(k) -> host \(host.st0) sw \(hex(host.status)), mine \(mine) c1 \(ctx.c1)")
                }
            }
        }
        tally.finish()
    }

    /// The harness itself can fail: a deliberately wrong operation must be caught.
    @Test func harnessDetectsWrongResults() {
        var rng = RNG(seed: 99)
        var mismatches = 0
        for _ in 0..<200 {
            let a = rng.finite(exponent: 16383 + rng.range(-5...5)), b = rng.finite(exponent: 16383 + rng.range(-5...5))
            var ctx = X87Context()
            var mine = ctx.add(a, b)
            mine.significand ^= 1  // one ulp off
            let host = Host.run(X87_FADD, cw: ctx.controlWord, a, b)
            if host.st0 != mine { mismatches += 1 }
        }
        #expect(mismatches == 200)
    }
}
