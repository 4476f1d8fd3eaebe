import Firmware
import Foundation
import Testing

/// ACPI tables parsed back (ACPI 6.5 chapter 5) and, where Debian's acpica-tools are installed,
/// checked by the reference implementation: `iasl -d` disassembles every table and `acpiexec`
/// evaluates `\_S5` and `\_SB.PCI0._CRS`.
@Suite struct ACPITablesTests {
    let built = ACPITables().build(at: FirmwareLayout.acpi)
    var block: [UInt8] { built.placed.bytes }
    var layout: ACPITables.Layout { built.layout }

    /// The table at guest address `a`, by the length in its header.
    func table(at a: UInt64) -> [UInt8] {
        let o = Int(a - built.placed.address)
        let length = Int(block.u32(o + 4))
        return Array(block[o..<(o + length)])
    }

    @Test func rsdp() {
        let r = Array(block[0..<36])
        #expect(built.placed.address == 0xF_1000 && layout.rsdp == 0xF_1000)
        #expect(r.ascii(0, 8) == "RSD PTR ")
        #expect(TableBytes.sumsToZero(r[0..<20]))
        #expect(TableBytes.sumsToZero(r))
        #expect(r.ascii(9, 6) == "POPEK ")
        #expect(r[15] == 2)
        #expect(UInt64(r.u32(16)) == layout.rsdt)
        #expect(r.u32(20) == 36)
        #expect(r.u64(24) == layout.xsdt)
    }

    @Test func everyTableChecksumsAndPointers() {
        for (sig, a) in [("RSDT", layout.rsdt), ("XSDT", layout.xsdt), ("FACP", layout.fadt),
                         ("APIC", layout.madt), ("DSDT", layout.dsdt)] {
            let t = table(at: a)
            #expect(t.ascii(0, 4) == sig)
            #expect(TableBytes.sumsToZero(t), "\(sig) checksum")
            #expect(t.ascii(10, 6) == "POPEK " && t.ascii(16, 8) == "POPEKVM ")
        }
        let rsdt = table(at: layout.rsdt)
        #expect(rsdt.count == 36 + 8)
        #expect([UInt64(rsdt.u32(36)), UInt64(rsdt.u32(40))] == [layout.fadt, layout.madt])
        let xsdt = table(at: layout.xsdt)
        #expect([xsdt.u64(36), xsdt.u64(44)] == [layout.fadt, layout.madt])
        #expect(layout.facs % 64 == 0)
        let facs = Array(block[Int(layout.facs - built.placed.address)...].prefix(64))
        #expect(facs.ascii(0, 4) == "FACS" && facs.u32(4) == 64 && facs[32] == 2)
    }

    @Test func fadtFields() {
        let f = table(at: layout.fadt)
        #expect(f.count == 276 && f[8] == 6)
        #expect(UInt64(f.u32(36)) == layout.facs)
        #expect(UInt64(f.u32(40)) == layout.dsdt)
        #expect(f.u16(46) == 9)  // SCI_INT
        #expect(f.u32(48) == 0)  // SMI_CMD: always in ACPI mode
        #expect(f.u32(56) == 0x600)  // PM1a_EVT_BLK
        #expect(f.u32(64) == 0x604)  // PM1a_CNT_BLK
        #expect(f.u32(76) == 0x608)  // PM_TMR_BLK
        #expect(f[88] == 4 && f[89] == 2 && f[91] == 4)  // PM1_EVT_LEN, PM1_CNT_LEN, PM_TMR_LEN
        #expect(f[108] == 0x32)  // CENTURY
        #expect(f.u16(109) == 0x0007)  // IAPC_BOOT_ARCH: legacy devices, 8042, no VGA
        let flags = f.u32(112)
        #expect(flags & 1 << 8 != 0 && flags & 1 << 10 != 0 && flags & 1 << 4 == 0 && flags & 1 << 20 == 0)
        #expect(f[116] == 1 && f[117] == 8 && f.u64(120) == 0xCF9 && f[128] == 0x06)  // RESET_REG, RESET_VALUE
        #expect(f.u64(140) == layout.dsdt)  // X_DSDT
        #expect(f[172] == 1 && f[173] == 16 && f.u64(176) == 0x604)  // X_PM1a_CNT_BLK
        #expect(f[208] == 1 && f[209] == 32 && f.u64(212) == 0x608)  // X_PM_TMR_BLK
    }

    @Test func madtEntries() {
        let m = table(at: layout.madt)
        #expect(m.u32(36) == 0xFEE0_0000)
        #expect(m.u32(40) == 1)  // PCAT_COMPAT
        var entries: [[UInt8]] = []
        var o = 44
        while o < m.count {
            entries.append(Array(m[o..<(o + Int(m[o + 1]))]))
            o += Int(m[o + 1])
        }
        #expect(entries.map { $0[0] } == [0, 1, 2, 2, 4])
        #expect(entries[0] == [0, 8, 0, 0, 1, 0, 0, 0])  // UID 0, APIC ID 0, enabled
        #expect(entries[1][2] == 1 && entries[1].u32(4) == 0xFEC0_0000 && entries[1].u32(8) == 0)
        #expect(entries[2][3] == 0 && entries[2].u32(4) == 2 && entries[2].u16(8) == 0)  // IRQ0 -> GSI 2
        #expect(entries[3][3] == 9 && entries[3].u32(4) == 9 && entries[3].u16(8) == 0x000D)  // SCI level, high
        #expect(entries[4] == [4, 6, 0xFF, 0, 0, 1])  // NMI on LINT1 of every processor
    }

    @Test func dsdtContainsS5() {
        let d = table(at: layout.dsdt)
        #expect(d[8] == 2)
        // Name (\_S5, Package (4) { 5, 5, Zero, Zero })
        let s5: [UInt8] = [0x08, 0x5C, 0x5F, 0x53, 0x35, 0x5F, 0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00]
        #expect(Array(d[36..<(36 + s5.count)]) == s5)
    }

    @Test func amlEncodings() {
        #expect(AML.eisaID("PNP0A03") == [0x0C, 0x41, 0xD0, 0x0A, 0x03])  // 0x030AD041
        #expect(AML.pkgLength(62) == [0x3F])
        #expect(AML.pkgLength(63) == [0x41, 0x04])  // 65 = 0x041
        #expect(AML.pkgLength(0x1000) == [0x83, 0x00, 0x01])  // 0x1003: nibble 3, then bits 11:4, 19:12
        #expect(AML.integer(0) == [0x00] && AML.integer(1) == [0x01] && AML.integer(0xFF) == [0x0A, 0xFF])
        #expect(AML.integer(0x1234) == [0x0B, 0x34, 0x12])
        #expect(AML.integer(0x3_FFFF) == [0x0C, 0xFF, 0xFF, 0x03, 0x00])
        #expect(AML.name("\\_SB.PCI0") == [0x5C, 0x2E, 0x5F, 0x53, 0x42, 0x5F, 0x50, 0x43, 0x49, 0x30])
        #expect(AML.name("_S5") == [0x5F, 0x53, 0x35, 0x5F])
        #expect(AML.wordBusNumber(min: 0, max: 0xFF)
                == [0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00, 0, 0, 0, 0, 0xFF, 0, 0, 0, 0x00, 0x01])
        #expect(AML.ioPort(min: 0xCF8, max: 0xCF8, alignment: 1, length: 8) == [0x47, 0x01, 0xF8, 0x0C, 0xF8, 0x0C, 0x01, 0x08])
    }

    @Test func withoutPCITheDSDTIsOnlyS5() {
        var t = ACPITables()
        t.pci = nil
        t.resetRegister = nil
        t.s5SleepType = 7
        let b = t.build(at: 0xE_0000)
        let o = Int(b.layout.dsdt - 0xE_0000)
        let d = Array(b.placed.bytes[o..<(o + Int(b.placed.bytes.u32(o + 4)))])
        #expect(d.count == 36 + 15)
        #expect(d[36 + 10] == 7 && TableBytes.sumsToZero(d))
        let fo = Int(b.layout.fadt - 0xE_0000)
        #expect(b.placed.bytes.u32(fo + 112) & 1 << 10 == 0)  // no RESET_REG_SUP
    }

    // MARK: The reference implementation (acpica-tools)

    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(_ tool: String, _ args: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = dir
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("popek-acpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(.enabled(if: tool("iasl") != nil, "acpica-tools (iasl) not installed"))
    func iaslDisassemblesEveryTable() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, a) in [("dsdt", layout.dsdt), ("facp", layout.fadt), ("apic", layout.madt),
                          ("rsdt", layout.rsdt), ("xsdt", layout.xsdt)] {
            try Data(table(at: a)).write(to: dir.appendingPathComponent("\(name).dat"))
            let r = try run(ACPITablesTests.tool("iasl")!, ["-d", "\(name).dat"], in: dir)
            #expect(r.status == 0, "iasl -d \(name): \(r.output)")
            let dsl = (try? String(contentsOf: dir.appendingPathComponent("\(name).dsl"), encoding: .utf8)) ?? ""
            #expect(!dsl.isEmpty, "\(name).dsl")
            #expect(!dsl.contains("Invalid") && !dsl.contains("Incorrect checksum"), "\(name): \(dsl)")
            switch name {
            case "dsdt":
                #expect(dsl.contains("Name (\\_S5, Package (0x04)"))
                #expect(dsl.contains("EisaId (\"PNP0A03\")"))
                #expect(dsl.contains("WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,"))
                #expect(dsl.contains("0xFEBFFFFF"))
            case "facp":
                #expect(dsl.contains("PM1A Control Block Address : 00000604"))
                #expect(dsl.contains("RTC Century Index : 32"))
            case "apic":
                #expect(dsl.contains("Subtable Type : 02 [Interrupt Source Override]"))
                #expect(dsl.contains("Address : FEC00000"))
            default:
                break
            }
        }
    }

    @Test(.enabled(if: tool("acpiexec") != nil, "acpica-tools (acpiexec) not installed"))
    func acpiexecEvaluatesS5AndPCIResources() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(table(at: layout.dsdt)).write(to: dir.appendingPathComponent("dsdt.aml"))
        let r = try run(ACPITablesTests.tool("acpiexec")!,
                        ["-b", "evaluate \\_S5; evaluate \\_SB.PCI0._HID; evaluate \\_SB.PCI0._CRS", "dsdt.aml"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("Evaluation of \\_S5 returned object"))
        #expect(r.output.contains("[Package] Contains 4 Elements"))
        #expect(r.output.contains("0000000000000005"))
        #expect(r.output.contains("000000000A0341D0") || r.output.contains("030AD041"))
        #expect(!r.output.contains("AE_"), "\(r.output)")
    }
}
