import CX87Oracle
import SoftFloat
import Testing

/// Bit-exact differential tests of the basic arithmetic against the host x87, in all rounding and
/// precision modes, with random exception masks in a share of the cases.
@Suite struct ArithmeticTests {
    /// Compares a register result: value and C1 unless the x87 suppressed the write, flags always.
    static func checkRegister(_ tally: inout Tally, _ ctx: X87Context, mine: Extended80, host: HostResult,
                              hostValue: Extended80, _ inputs: @autoclosure () -> String) {
        var ok = host.flags == ctx.flags
        if !ctx.suppressesRegisterResult { ok = ok && hostValue == mine && host.c1 == ctx.c1 }
        tally.noteFlags(host.flags)
        tally.record(mode: ctx.modeLabel, ok: ok,
                     "\(inputs()) -> host \(hostValue) flags \(hex(UInt16(host.flags.rawValue))) c1 \(host.c1), "
                     + "mine \(mine) flags \(hex(UInt16(ctx.flags.rawValue))) c1 \(ctx.c1)")
    }

    /// A partner for a product or quotient landing near 1, the overflow or the underflow threshold.
    static func scaledPartner(_ rng: inout RNG, _ a: Extended80, divide: Bool) -> Extended80 {
        if rng.chance(30) { return rng.partner(of: a) }
        let ea = Int(a.biasedExponent == 0 ? 1 : a.biasedExponent) - 16383
        let target = [rng.range(-70...70), 16383 + rng.range(-2...1), -16382 + rng.range(-2...2),
                      -16382 - 64 + rng.range(-3...3), -16382 - rng.range(0...70), rng.range(-16500...16500)][rng.below(6)]
        let eb = divide ? ea - target : target - ea
        return rng.finite(exponent: eb + 16383)
    }

    static func binary(_ name: String, _ op: X87Op, base: Int, seed: UInt64,
                       partner: (inout RNG, Extended80) -> Extended80,
                       _ f: (inout X87Context, Extended80, Extended80) -> Extended80) {
        var rng = RNG(seed: Budget.seed ^ seed)
        var tally = Tally(name)
        for _ in 0..<Budget.cases(base) {
            let a = rng.extended()
            let b = rng.chance(50) ? partner(&rng, a) : rng.extended()
            var ctx = rng.context()
            let mine = f(&ctx, a, b)
            let host = Host.run(op, cw: ctx.controlWord, a, b)
            checkRegister(&tally, ctx, mine: mine, host: host, hostValue: host.st0, "\(a) \(name) \(b)")
        }
        tally.finish()
    }

    @Test func fadd() {
        Self.binary("FADD", X87_FADD, base: 60_000, seed: 1, partner: { $0.partner(of: $1) }) { $0.add($1, $2) }
    }

    @Test func fsub() {
        Self.binary("FSUB", X87_FSUB, base: 60_000, seed: 2, partner: { $0.partner(of: $1) }) { $0.subtract($1, $2) }
    }

    @Test func fmul() {
        Self.binary("FMUL", X87_FMUL, base: 60_000, seed: 3,
                    partner: { Self.scaledPartner(&$0, $1, divide: false) }) { $0.multiply($1, $2) }
    }

    @Test func fdiv() {
        Self.binary("FDIV", X87_FDIV, base: 60_000, seed: 4,
                    partner: { Self.scaledPartner(&$0, $1, divide: true) }) { $0.divide($1, $2) }
    }

    @Test func fsqrt() {
        var rng = RNG(seed: Budget.seed ^ 5)
        var tally = Tally("FSQRT")
        for _ in 0..<Budget.cases(60_000) {
            var a = rng.extended()
            if rng.chance(25) {
                // Exact squares and their neighbours: r has at most 32 (or 26) significant bits.
                let r = (rng.next() | 1 << 63) & ~((1 << UInt64(rng.range(32...38))) - 1)
                let (hi, lo) = r.multipliedFullWidth(by: r)
                let lz = hi.leadingZeroBitCount
                var m = lz == 0 ? hi : (hi << 1 | lo >> 63)
                m = m &+ UInt64(bitPattern: Int64(rng.range(-1...1)))
                a = Extended80(sign: false, biasedExponent: UInt16(rng.range(1...0x7FFE)), significand: m | 1 << 63)
            }
            if rng.chance(80) { a = a.magnitude }
            var ctx = rng.context()
            let mine = ctx.squareRoot(a)
            let host = Host.run(X87_FSQRT, cw: ctx.controlWord, a)
            Self.checkRegister(&tally, ctx, mine: mine, host: host, hostValue: host.st0, "sqrt \(a)")
        }
        tally.finish()
    }
}
