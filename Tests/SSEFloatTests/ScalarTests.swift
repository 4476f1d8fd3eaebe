import SoftFloat
import Testing

/// The scalar binary32/binary64 API on values whose results are known exactly.
@Suite struct ScalarTests {
    @Test func doubles() {
        var ctx = SSEContext(mxcsr: 0x1F80)
        #expect(ctx.divide(0x3FF0_0000_0000_0000 as UInt64, 0x4008_0000_0000_0000) == 0x3FD5_5555_5555_5555)
        #expect(ctx.flags == .precision)
        ctx.flags = []
        #expect(ctx.squareRoot(0x4000_0000_0000_0000 as UInt64) == 0x3FF6_A09E_667F_3BCD)
        #expect(ctx.multiply(0 as UInt64, 0x7FF0_0000_0000_0000) == 0xFFF8_0000_0000_0000)  // 0 * inf: indefinite
        #expect(ctx.flags == [.invalid, .precision])
        #expect(ctx.toInt32(0x4004_0000_0000_0000 as UInt64) == 2)  // 2.5: nearest even
        #expect(ctx.toInt64(0x43E0_0000_0000_0000 as UInt64) == Int64.min)  // 2^63: out of range
        #expect(ctx.double(-3) == 0xC008_0000_0000_0000)
        #expect(ctx.compare(0x7FF8_0000_0000_0000 as UInt64, 0, signaling: false) == .unordered)
        #expect(ctx.minimum(0x7FF8_0000_0000_0000 as UInt64, 0x3FF0_0000_0000_0000) == 0x3FF0_0000_0000_0000)
        var up = SSEContext(mxcsr: 0x5F80)
        #expect(up.divide(0x3FF0_0000_0000_0000 as UInt64, 0x4008_0000_0000_0000) == 0x3FD5_5555_5555_5556)
        #expect(up.roundToIntegral(0xC004_0000_0000_0000 as UInt64, mode: .down) == 0xC008_0000_0000_0000)
    }

    @Test func singles() {
        var ctx = SSEContext(mxcsr: 0x1F80)
        #expect(ctx.add(0x3F80_0000 as UInt32, 0x3F80_0000) == 0x4000_0000)
        #expect(ctx.flags.isEmpty)
        #expect(ctx.convertToDouble(0x3DCC_CCCD) == 0x3FB9_9999_A000_0000)
        #expect(ctx.convertToSingle(0x3FB9_9999_9999_999A) == 0x3DCC_CCCD)
        #expect(ctx.single(16_777_217) == 0x4B80_0000)  // 2^24 + 1 rounds to even
        #expect(ctx.reciprocalEstimate(0x3F80_0000) == 0x3F7F_F000)  // the host's table
        #expect(ctx.reciprocalSquareRootEstimate(0x4080_0000) == 0x3EFF_F800)
        // FTZ: a tiny result is flushed with UE and PE; DAZ: a denormal operand reads as zero.
        var ftz = SSEContext(mxcsr: 0x9F80)
        #expect(ftz.multiply(0x0080_0001 as UInt32, 0x3F00_0000) == 0)
        #expect(ftz.flags == [.underflow, .precision])
        var daz = SSEContext(mxcsr: 0x1FC0)
        #expect(daz.add(0x0000_0001 as UInt32, 0x8000_0000) == 0)
        #expect(daz.flags.isEmpty)
    }

    @Test func unmaskedExceptionsSuppressTheResult() {
        var ctx = SSEContext(mxcsr: 0x1D80)  // ZE unmasked
        _ = ctx.execute(.divsd, SSEVector(0x3FF0_0000_0000_0000, 0), SSEVector(0, 0))
        #expect(ctx.raisesException && ctx.flags == .zeroDivide)
        // One element invalid (IE unmasked), the other inexact: only IE is reported.
        var pre = SSEContext(mxcsr: 0x1F00)
        _ = pre.execute(.divpd, SSEVector(0, 0x3FF0_0000_0000_0000), SSEVector(0, 0x4008_0000_0000_0000))
        #expect(pre.raisesException && pre.flags == .invalid)
    }
}
