@_spi(Testing) import SoftFloat
import Testing

/// Deterministic checks of the API and of the internal tables and arithmetic (no oracle needed).
@Suite struct UnitTests {
    static func x(_ se: UInt16, _ sig: UInt64) -> Extended80 { Extended80(signExponent: se, significand: sig) }

    @Test func classification() {
        #expect(Self.x(0, 0).classification == .zero)
        #expect(Self.x(0x8000, 1).classification == .denormal)
        #expect(Self.x(0, 1 << 63).classification == .pseudoDenormal)
        #expect(Self.x(0x3FFF, 1 << 63).classification == .normal)
        #expect(Self.x(0x3FFF, 1 << 62).classification == .unnormal)
        #expect(Self.x(0x7FFF, 1 << 63).classification == .infinity)
        #expect(Self.x(0x7FFF, 0xC000_0000_0000_0000).classification == .quietNaN)
        #expect(Self.x(0x7FFF, 0x8000_0000_0000_0001).classification == .signalingNaN)
        #expect(Self.x(0x7FFF, 0).classification == .pseudoInfinity)
        #expect(Self.x(0x7FFF, 1).classification == .pseudoNaN)
        #expect(Extended80.indefinite.isQuietNaN && Extended80.indefinite.sign)
        // FXAM: C3 C2 C1 C0.
        #expect(Extended80.zero.negated.examineBits == 0x4200)
        #expect(Extended80.one.examineBits == 0x0400)
        #expect(Extended80.infinity.examineBits == 0x0500)
        #expect(Extended80.indefinite.examineBits == 0x0300)
        #expect(Self.x(0, 1).examineBits == 0x4400)
        #expect(Self.x(0x3FFF, 1).examineBits == 0x0000)
    }

    @Test func controlWord() {
        for cw: UInt16 in [0x037F, 0x027F, 0x0F7F, 0x0C40, 0x0B55] {
            let ctx = X87Context(controlWord: cw)
            #expect(ctx.controlWord == cw | 0x40)
        }
        let ctx = X87Context(controlWord: 0x0A7E)
        #expect(ctx.rounding == .up && ctx.precision == .double && !ctx.masks.contains(.invalid))
    }

    @Test func conditionCodeEncodings() {
        #expect(CompareResult.unordered.statusWordBits == 0x4500 && CompareResult.unordered.eflagsBits == 0x45)
        #expect(CompareResult.less.statusWordBits == 0x0100 && CompareResult.less.eflagsBits == 0x01)
        #expect(CompareResult.equal.statusWordBits == 0x4000 && CompareResult.equal.eflagsBits == 0x40)
        // FPREM(10, 3): quotient 3 = 011b: C0 = 0, C3 = 1, C1 = 1; remainder 1.
        var ctx = X87Context()
        let r = ctx.remainder(Extended80(integer: 10), Extended80(integer: 3), ieee: false)
        #expect(r.value == .one && r.quotientBits == 3 && r.statusWordBits == 0x4200 && ctx.flags.isEmpty)
        // FPREM1(10, 3): nearest quotient 3 as well; FPREM1(11, 3): quotient 4, remainder -1.
        let r1 = ctx.remainder(Extended80(integer: 11), Extended80(integer: 3), ieee: true)
        #expect(r1.value == Extended80.one.negated && r1.quotientBits == 4 && r1.statusWordBits == 0x0100)
    }

    @Test func maskedResponses() {
        var ctx = X87Context()
        #expect(ctx.divide(.one, .zero) == .infinity && ctx.flags == .zeroDivide)
        ctx = X87Context()
        #expect(ctx.subtract(.infinity, .infinity) == .indefinite && ctx.flags == .invalid)
        ctx = X87Context(rounding: .towardZero)
        let big = Self.x(0x7FFE, 1 << 63)
        #expect(ctx.multiply(big, big) == Self.x(0x7FFE, ~0) && ctx.flags == [.overflow, .precision] && !ctx.c1)
        ctx = X87Context(rounding: .towardZero, precision: .single)
        #expect(ctx.multiply(big, big) == Self.x(0x7FFE, 0xFFFF_FF00_0000_0000))
        // Unmasked overflow on a register destination: bias-adjusted by 24576.
        ctx = X87Context(masks: ExceptionFlags.all.subtracting(.overflow))
        #expect(ctx.multiply(big, big) == Self.x(0x5FFD, 1 << 63) && ctx.flags == .overflow)  // 2^32766 / 2^24576
        // x - x is +0, except -0 when rounding down.
        ctx = X87Context(rounding: .down)
        #expect(ctx.subtract(.one, .one) == .negativeZero)
        // Integer and BCD indefinites.
        ctx = X87Context()
        #expect(ctx.toInteger(.infinity, bits: 16) == -32768 && ctx.flags == .invalid)
        ctx = X87Context()
        let bcd = ctx.toPackedBCD(Extended80(integer: 1_000_000_000_000_000_000))
        #expect(bcd.low == 0xC000_0000_0000_0000 && bcd.high == 0xFFFF && ctx.flags == .invalid)
        ctx = X87Context()
        #expect(ctx.storeSingle(Self.x(0x3FFF, 0x4000_0000_0000_0000)) == 0xFFC0_0000 && ctx.flags == .invalid)
    }

    @Test func conversions() {
        var ctx = X87Context()
        let v = Extended80(integer: -1234)
        let bcd = ctx.toPackedBCD(v)
        #expect(bcd.low == 0x1234 && bcd.high == 0x8000)
        #expect(Extended80(packedBCDLow: 0x1234, high: 0x8000) == v)
        #expect(Extended80(packedBCDLow: 0, high: 0x8000) == .negativeZero)
        #expect(Extended80(integer: .min) == Self.x(0xC03E, 1 << 63))
        #expect(ctx.toInteger(Extended80(integer: .min), bits: 64) == .min)
        #expect(ctx.loadSingle(0x3F80_0000) == .one && ctx.storeDouble(.one) == 0x3FF0_0000_0000_0000)
        // 1/3 to double, round to nearest: 0x3FD5555555555555.
        let third = ctx.divide(.one, Extended80(integer: 3))
        #expect(ctx.storeDouble(third) == 0x3FD5_5555_5555_5555)
    }

    @Test func transcendentalSpecialCases() {
        var ctx = X87Context()
        #expect(ctx.twoToXMinusOne(.one) == .one && ctx.c1 && ctx.flags == .precision)
        ctx = X87Context(rounding: .towardZero)
        #expect(ctx.twoToXMinusOne(.one) == Self.x(0x3FFE, ~0))
        ctx = X87Context()
        #expect(ctx.yLog2X(y: Extended80(integer: 3), x: Extended80(integer: 8)) == Extended80(integer: 9) && !ctx.c1)
        ctx = X87Context()
        #expect(ctx.yLog2X(y: Extended80(integer: 3), x: .one) == .zero && ctx.flags.isEmpty)
        ctx = X87Context()
        let huge = Self.x(0x403E, 1 << 63)
        #expect(ctx.sine(huge) == (huge, true) && ctx.flags.isEmpty)
        let t = ctx.tangent(.zero)
        #expect(t.value == .zero && t.pushed == .one && !t.outOfRange)
        // atan2(+0, -0) = +pi, rounded to nearest.
        ctx = X87Context()
        #expect(ctx.arctangent(y: .zero, x: .negativeZero) == Self.x(0x4000, 0xC90F_DAA2_2168_C235))
        // FLDPI (0xC90FDAA22168C235 * 2^-62) exceeds the x87's 66-bit pi by exactly 2^-64, so
        // FSIN gives -2^-64 (the true sine is -4.1e-20 + ..., not a power of two).
        ctx = X87Context()
        let pi = ctx.loadConstant(.pi)
        #expect(ctx.sine(pi).value == Self.x(0xBFBF, 1 << 63))
    }

    /// Every table entry is within one unit of 2^-127 relative of its exact value.
    @Test func tables() {
        for n in 1..<WideTables.reciprocalSig.count {
            let r = WideTables.reciprocal(n) * Wide(integer: Int64(n))
            #expect(Self.distanceFromOne(r) <= 2, "1/\(n)")
        }
        var factorial = Wide.one
        for n in 0..<WideTables.inverseFactorialSig.count {
            if n > 0 { factorial = factorial * Wide(integer: Int64(n)) }
            let r = WideTables.inverseFactorial(n) * factorial
            #expect(Self.distanceFromOne(r) <= Int128(4 + n), "1/\(n)!")
        }
    }

    /// |r - 1| in units of 2^-127.
    static func distanceFromOne(_ r: Wide) -> Int128 {
        if r.exp == 0 { return Int128(r.sig - (1 << 127)) }
        if r.exp == -1 { return Int128((UInt128(1) << 127) - (r.sig >> 1)) }
        return Int128.max
    }

    /// The digit-wise division agrees with a bit-by-bit restoring division.
    @Test func wideDivision() {
        var rng = RNG(seed: 7)
        for _ in 0..<5000 {
            let a = Wide(exp: 0, sig: UInt128(rng.next()) << 64 | UInt128(rng.next()) | 1 << 127)
            var bs = UInt128(rng.next()) << 64 | UInt128(rng.next()) | 1 << 127
            if rng.chance(20) { bs = a.sig &+ UInt128(rng.range(0...3)) | 1 << 127 }
            if rng.chance(10) { bs = 1 << 127 | UInt128(rng.next() & 0xFF) }
            let b = Wide(exp: 0, sig: bs)
            let q = a / b
            // Reference: 128 quotient bits, one per step.
            var r = a.sig, e: Int32 = 0
            if r < bs { e = -1; r = (r << 1) &- bs } else { r -= bs }
            var ref: UInt128 = 1
            for _ in 0..<127 {
                let top = r >> 127 != 0
                r <<= 1
                ref <<= 1
                if top || r >= bs { r &-= bs; ref |= 1 }
            }
            #expect(q.sig == ref && q.exp == e)
        }
    }
}
