import Firmware
import Testing

/// Little-endian field readers over table bytes.
extension Array where Element == UInt8 {
    func u16(_ o: Int) -> UInt16 { UInt16(self[o]) | UInt16(self[o + 1]) << 8 }
    func u32(_ o: Int) -> UInt32 { UInt32(u16(o)) | UInt32(u16(o + 2)) << 16 }
    func u64(_ o: Int) -> UInt64 { UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 }
    func ascii(_ o: Int, _ n: Int) -> String { String(decoding: self[o..<(o + n)], as: UTF8.self) }
}

/// Intel MultiProcessor Specification 1.4 tables, parsed back field by field (MP spec chapter 4).
@Suite struct MPTableTests {
    let placed = MPTable.pc(pciInterrupts: [MPTable.PCIInterrupt(device: 3, pin: 0, ioapicPin: 18)])
        .build(at: UInt32(FirmwareLayout.mpTable))
    var b: [UInt8] { placed.bytes }

    @Test func floatingPointer() {
        #expect(placed.address == 0xF_0000)
        #expect(b.ascii(0, 4) == "_MP_")
        #expect(b.u32(4) == 0xF_0010)  // configuration table right after
        #expect(b[8] == 1)  // length: one 16-byte paragraph
        #expect(b[9] == 4)  // MP spec 1.4
        #expect(TableBytes.sumsToZero(b[0..<16]))
        #expect(b[11] == 0)  // feature 1: configuration table present
        #expect(b[12] == 0)  // IMCRP clear: virtual wire mode
    }

    @Test func configurationTableHeader() {
        let c = Array(b[16...])
        #expect(c.ascii(0, 4) == "PCMP")
        #expect(Int(c.u16(4)) == c.count)  // base table length
        #expect(c[6] == 4)
        #expect(TableBytes.sumsToZero(c))
        #expect(c.ascii(8, 8) == "POPEK   ")
        #expect(c.ascii(16, 12) == "POPEK VM    ")
        #expect(c.u32(36) == 0xFEE0_0000)  // local APIC address
        // 1 processor, 2 buses, 1 IOAPIC, 15 ISA + 1 PCI I/O interrupts, 2 local interrupts.
        #expect(c.u16(34) == 22)
        #expect(c.count == 44 + 20 + 2 * 8 + 8 + 16 * 8 + 2 * 8)
        #expect(c.u16(40) == 0 && c[42] == 0)  // no extended table
    }

    /// The entries after the 44-byte header: (type, bytes).
    var entries: [(UInt8, [UInt8])] {
        let c = Array(b[16...])
        var o = 44
        var out: [(UInt8, [UInt8])] = []
        while o < c.count {
            let len = c[o] == 0 ? 20 : 8
            out.append((c[o], Array(c[o..<(o + len)])))
            o += len
        }
        return out
    }

    @Test func entriesInTypeOrder() {
        let types = entries.map(\.0)
        #expect(types == types.sorted())
        #expect(types.first == 0 && types.last == 4)
    }

    @Test func processorBusAndIOAPICEntries() throws {
        let cpu = try #require(entries.first { $0.0 == 0 }?.1)
        #expect(cpu[1] == 0)  // local APIC ID
        #expect(cpu[2] == 0x14)  // local APIC version
        #expect(cpu[3] == 0x03)  // EN | BP
        let buses = entries.filter { $0.0 == 1 }.map { ($0.1[1], $0.1.ascii(2, 6)) }
        #expect(buses.map(\.0) == [0, 1])
        #expect(buses.map(\.1) == ["PCI   ", "ISA   "])
        let ioapic = try #require(entries.first { $0.0 == 2 }?.1)
        #expect(ioapic[1] == 1 && ioapic[2] == 0x11 && ioapic[3] == 1)
        #expect(ioapic.u32(4) == 0xFEC0_0000)
    }

    @Test func ioInterruptAssignments() {
        let io = entries.filter { $0.0 == 3 }.map(\.1)
        let isa = io.filter { $0[4] == 1 }  // source bus 1 = ISA
        // (source IRQ, IOAPIC pin): IRQ0 -> pin 2, IRQ2 absent, the rest identity; INT, conforming.
        var expected: [[UInt8]] = [[0, 2]]
        for irq in UInt8(1)...15 where irq != 2 { expected.append([irq, irq]) }
        let actual: [[UInt8]] = isa.map { [$0[5], $0[7]] }
        #expect(actual == expected)
        #expect(isa.allSatisfy { $0[1] == 0 && $0.u16(2) == 0 && $0[6] == 1 })
        let pci = io.filter { $0[4] == 0 }
        #expect(pci.count == 1)
        #expect(pci[0][5] == 3 << 2 | 0)  // device 3, INTA#
        #expect(pci[0][7] == 18)
        #expect(pci[0].u16(2) == 0x000F)  // active low, level triggered
    }

    @Test func localInterruptAssignments() {
        let local = entries.filter { $0.0 == 4 }.map(\.1)
        #expect(local.count == 2)
        #expect(local[0][1] == 3 && local[0][6] == 0xFF && local[0][7] == 0)  // ExtINT -> all LAPICs, LINT0
        #expect(local[1][1] == 1 && local[1][6] == 0xFF && local[1][7] == 1)  // NMI -> all LAPICs, LINT1
    }

    @Test func withoutPCIOnlyISA() {
        let t = MPTable.pc(cpus: 2, pci: false).build(at: 0xF_0000).bytes
        let c = Array(t[16...])
        #expect(TableBytes.sumsToZero(c))
        #expect(c.u16(34) == 2 + 1 + 1 + 15 + 2)
        #expect(c[44 + 3] == 0x03 && c[64 + 1] == 1 && c[64 + 3] == 0x01)  // BSP, then AP with ID 1
        #expect(c.ascii(84 + 2, 6) == "ISA   " && c[84 + 1] == 0)
    }
}
