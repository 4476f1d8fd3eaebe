import Firmware
import Testing

@Suite struct BIOSDataAreaTests {
    @Test func ebdaSegmentAndBaseMemoryAtTheirBDAOffsets() {
        let bda = BIOSDataArea().build()
        #expect(bda.address == 0x400 && bda.bytes.count == 0x15)
        #expect(bda.bytes[0x0E] == 0xC0 && bda.bytes[0x0F] == 0x9F)  // 40:0E = 9FC0h
        #expect(bda.bytes[0x13] == 0x7F && bda.bytes[0x14] == 0x02)  // 40:13 = 639
        #expect(bda.bytes[0..<0x0E].allSatisfy { $0 == 0 })
    }
}
