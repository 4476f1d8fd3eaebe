import DeviceModel
import Devices
import PCI
import Testing

/// A test function: BAR0 4 KiB memory, BAR1 32 bytes of I/O, BAR2-3 1 MiB 64-bit prefetchable
/// memory; INTA#; two capabilities. BAR accesses are recorded.
final class TestFunction: PCIFunction {
    let config: PCIConfigSpace
    var accesses: [(bar: Int, offset: UInt64, size: Int, value: UInt64?)] = []

    init() {
        config = PCIConfigSpace(vendorID: 0x1AF4, deviceID: 0x1042, classCode: 0x01_8000, revision: 1,
                                subsystemVendorID: 0x1AF4, subsystemID: 0x0002, interruptPin: 1)
        config.setBAR(0, .memory32(size: 0x1000))
        config.setBAR(1, .io(size: 32))
        config.setBAR(2, .memory64(size: 0x10_0000, prefetchable: true))
    }

    func barRead(_ bar: Int, offset: UInt64, size: Int) -> UInt64 {
        accesses.append((bar, offset, size, nil))
        return 0x1234_5678
    }

    func barWrite(_ bar: Int, offset: UInt64, size: Int, value: UInt64) {
        accesses.append((bar, offset, size, value))
    }
}

/// Configuration mechanism #1 and the chipset functions (PCI Local Bus Specification 3.0, 3.2.2.3.2
/// and 6.1-6.2; 440FX and PIIX3 datasheets).
@Suite struct PCIHostBridgeTests {
    let pirqs = (0..<4).map { _ in RecordingLine() }
    let isa = (0..<16).map { _ in RecordingLine() }
    final class Resets { var count = 0 }
    let resets: Resets
    let host: PCIHostBridge

    init() {
        let resets = Resets()
        self.resets = resets
        let isa = self.isa
        host = PCIHostBridge(pirqLines: pirqs, isaIRQ: { isa[$0] }, reset: { resets.count += 1 })
    }

    /// CONFIG_ADDRESS for 00:dev.fn, register `reg`.
    func address(bus: UInt32 = 0, _ dev: UInt32, _ fn: UInt32, _ reg: UInt32) -> UInt64 {
        UInt64(0x8000_0000 | bus << 16 | dev << 11 | fn << 8 | reg)
    }

    func read(_ dev: UInt32, _ fn: UInt32, _ reg: UInt32, size: Int = 4, bus: UInt32 = 0) -> UInt64 {
        host.write(offset: 0, size: 4, value: address(bus: bus, dev, fn, reg & ~3))
        return host.read(offset: 4 + UInt64(reg & 3), size: size)
    }

    func write(_ dev: UInt32, _ fn: UInt32, _ reg: UInt32, _ v: UInt64, size: Int = 4) {
        host.write(offset: 0, size: 4, value: address(dev, fn, reg & ~3))
        host.write(offset: 4 + UInt64(reg & 3), size: size, value: v)
    }

    @Test func configAddressRegister() {
        host.write(offset: 0, size: 4, value: 0xFFFF_FFFF)
        #expect(host.read(offset: 0, size: 4) == 0x80FF_FFFC)  // reserved bits 30:24 and 1:0 read 0
        // Linux's pci_check_type1: a byte write to 0xCFB does not disturb CONFIG_ADDRESS.
        host.write(offset: 0, size: 4, value: 0x8000_0000)
        host.write(offset: 3, size: 1, value: 0x01)
        #expect(host.read(offset: 0, size: 4) == 0x8000_0000)
    }

    @Test func hostAndISABridgeIdentity() {
        #expect(read(0, 0, 0x00) == 0x1237_8086)  // 440FX
        #expect(read(0, 0, 0x08) == 0x0600_0002)  // class 06/00/00, revision 02
        #expect(read(0, 0, 0x0E, size: 1) == 0x00)
        #expect(read(1, 0, 0x00) == 0x7000_8086)  // PIIX3
        #expect(read(1, 0, 0x08) == 0x0601_0000)  // class 06/01/00
        #expect(read(1, 0, 0x0E, size: 1) == 0x80)  // multi-function
        #expect(read(1, 0, 0x60) == 0x8080_8080)  // PIRQRC[A:D] reset
        // Word and byte accesses through 0xCFC-0xCFF.
        #expect(read(0, 0, 0x02, size: 2) == 0x1237)
        #expect(read(0, 0, 0x0B, size: 1) == 0x06)
        #expect(read(1, 0, 0x01, size: 1) == 0x80)
    }

    @Test func absentFunctionsReadAllOnes() {
        #expect(read(5, 0, 0x00) == 0xFFFF_FFFF)
        #expect(read(1, 1, 0x00) == 0xFFFF_FFFF)  // PIIX3 IDE is not there
        #expect(read(0, 0, 0x00, bus: 1) == 0xFFFF_FFFF)
        #expect(read(5, 0, 0x00, size: 2) == 0xFFFF)
        #expect(read(5, 0, 0x02, size: 1) == 0xFF)
        write(5, 0, 0x04, 0x7)  // dropped
        host.write(offset: 0, size: 4, value: 0x0000_0000)  // enable bit clear
        #expect(host.read(offset: 4, size: 4) == 0xFFFF_FFFF)
    }

    @Test func barSizing() throws {
        try host.bus.register(TestFunction(), device: 3)
        for reg: UInt32 in stride(from: 0x10, through: 0x24, by: 4) { write(3, 0, reg, 0xFFFF_FFFF) }
        #expect(read(3, 0, 0x10) == 0xFFFF_F000)  // 4 KiB, 32-bit memory
        #expect(read(3, 0, 0x14) == 0x0000_FFE1)  // 32 bytes of I/O, 16-bit decode
        #expect(read(3, 0, 0x18) == 0xFFF0_000C)  // 1 MiB, 64-bit, prefetchable
        #expect(read(3, 0, 0x1C) == 0xFFFF_FFFF)  // upper half
        #expect(read(3, 0, 0x20) == 0)  // unimplemented
        #expect(read(3, 0, 0x24) == 0)
        write(3, 0, 0x30, 0xFFFF_FFFF)
        #expect(read(3, 0, 0x30) == 0)  // no expansion ROM
        write(3, 0, 0x10, 0xFEBF_1234)
        #expect(read(3, 0, 0x10) == 0xFEBF_1000)
        write(3, 0, 0x18, 0x0000_0000)
        write(3, 0, 0x1C, 0x0000_0001)
        let f = try #require(host.bus.function(device: 3, function: 0))
        #expect(f.config.barAddress(2) == 0x1_0000_0000)
        #expect(read(3, 0, 0x00) == 0x1042_1AF4)
        #expect(read(3, 0, 0x2C) == 0x0002_1AF4)
        #expect(read(3, 0, 0x3C) == 0x0000_0100)  // pin INTA#, line 0
    }

    @Test func commandStatusAndInterruptLine() throws {
        let f = TestFunction()
        try host.bus.register(f, device: 3)
        write(3, 0, 0x04, 0xFFFF, size: 2)
        #expect(read(3, 0, 0x04, size: 2) == 0x0547)
        write(3, 0, 0x3C, 0x0B, size: 1)
        #expect(read(3, 0, 0x3C) == 0x0000_010B)
        write(3, 0, 0x3D, 0x04, size: 1)  // interrupt pin is read-only
        #expect(read(3, 0, 0x3D, size: 1) == 0x01)
        write(3, 0, 0x00, 0xFFFF_FFFF)  // IDs are read-only
        #expect(read(3, 0, 0x00) == 0x1042_1AF4)
        // Status: error bits are write-one-to-clear.
        f.config.setByte(0x07, 0xF9)
        #expect(read(3, 0, 0x06, size: 2) == 0xF900)
        write(3, 0, 0x06, 0x2000, size: 2)
        #expect(read(3, 0, 0x06, size: 2) == 0xD900)
    }

    @Test func capabilitiesList() throws {
        let f = TestFunction()
        let first = f.config.addCapability(id: 0x09, body: [0x10, 0x01, 0x02])
        let second = f.config.addCapability(id: 0x11, body: [0x00, 0x00], bodyWriteMask: [0xFF, 0xC0])
        try host.bus.register(f, device: 4)
        #expect(first == 0x40 && second == 0x48)
        #expect(read(4, 0, 0x06, size: 2) & 0x10 != 0)  // capabilities list bit
        #expect(read(4, 0, 0x34, size: 1) == 0x40)
        #expect(read(4, 0, 0x40) == 0x0110_4809)  // ID 09, next 0x48, body
        #expect(read(4, 0, 0x48) == 0x0000_0011)  // ID 11, last (next 0)
        write(4, 0, 0x4A, 0xFFFF, size: 2)
        #expect(read(4, 0, 0x4A, size: 2) == 0xC0FF)
    }

    @Test func intxGoesThroughPIRQSwizzle() throws {
        let f = TestFunction()  // INTA#
        try host.bus.register(f, device: 3)  // PIRQ (3 + 1 - 2) mod 4 = 2: PIRQC
        #expect(PCIBus.pirq(device: 3, pin: 1) == 2)
        #expect(PCIBus.pirq(device: 1, pin: 1) == 0)
        #expect(PCIBus.pirq(device: 2, pin: 4) == 0)
        f.config.setInterrupt(true)
        #expect(pirqs[2].level)
        #expect(read(3, 0, 0x06, size: 2) & 0x08 != 0)  // interrupt status
        write(3, 0, 0x04, 0x0400, size: 2)  // interrupt disable
        #expect(!pirqs[2].level)
        #expect(read(3, 0, 0x06, size: 2) & 0x08 != 0)  // status still shows the request
        write(3, 0, 0x04, 0x0000, size: 2)
        #expect(pirqs[2].level)
        f.config.setInterrupt(false)
        #expect(!pirqs[2].level)
        #expect(pirqs.allSatisfy { $0.risingEdges.count <= 2 })
    }

    @Test func piix3RoutesPIRQsToISA() throws {
        let f = TestFunction()
        try host.bus.register(f, device: 3)  // PIRQC
        f.config.setInterrupt(true)
        #expect(isa.allSatisfy { !$0.level })  // not routed (IRQEN# set)
        write(1, 0, 0x62, 0x0B, size: 1)  // PIRQC -> IRQ 11
        #expect(isa[11].level)
        #expect(host.isaBridge.route(2) == 11)
        write(1, 0, 0x62, 0x0A, size: 1)  // re-route to IRQ 10: 11 drops, 10 rises
        #expect(!isa[11].level && isa[10].level)
        f.config.setInterrupt(false)
        #expect(!isa[10].level)
        write(1, 0, 0x60, 0x0D, size: 1)  // IRQ 13 is not routable
        #expect(host.isaBridge.route(0) == nil)
        write(1, 0, 0x60, 0xFF, size: 1)
        #expect(read(1, 0, 0x60, size: 1) == 0x8F)
    }

    @Test func resetControlRegister() {
        host.write(offset: 1, size: 1, value: 0x02)  // SYS_RST alone: no reset yet
        #expect(resets.count == 0)
        #expect(host.read(offset: 1, size: 1) == 0x02)
        host.write(offset: 1, size: 1, value: 0x06)  // RST_CPU
        #expect(resets.count == 1)
    }

    @Test func barWindowsAndAssignment() throws {
        let f = TestFunction()
        try host.bus.register(f, device: 3)
        #expect(host.bus.assignBARs(memory: 0xC000_0000..<0xFEC0_0000, io: 0xC000..<0x1_0000))
        #expect(f.config.barAddress(2) == 0xC000_0000)  // the largest first
        #expect(f.config.barAddress(0) == 0xC010_0000)
        #expect(f.config.barAddress(1) == 0xC000)
        #expect(f.config.command & 0x7 == 0x7)
        let mem = host.bus.window(base: 0xC000_0000, memory: true)
        let io = host.bus.window(base: 0xC000, memory: false)
        #expect(mem.read(offset: 0x10_0010, size: 4) == 0x1234_5678)
        io.write(offset: 0x1F, size: 1, value: 0xAA)
        #expect(f.accesses.count == 2)
        #expect(f.accesses[0].bar == 0 && f.accesses[0].offset == 0x10)
        #expect(f.accesses[1].bar == 1 && f.accesses[1].offset == 0x1F && f.accesses[1].value == 0xAA)
        #expect(io.read(offset: 0x20, size: 1) == 0xFF)  // past the BAR
        // Memory decoding off: the BAR no longer answers.
        write(3, 0, 0x04, 0x0001, size: 2)
        #expect(mem.read(offset: 0x10_0010, size: 4) == 0xFFFF_FFFF)
        #expect(mem.unclaimedAccesses == 1 && io.unclaimedAccesses == 1)
        // Too small a window.
        let g = TestFunction()
        try host.bus.register(g, device: 4)
        #expect(!host.bus.assignBARs(memory: 0xC000_0000..<0xC010_0000, io: 0xC000..<0xC020))
    }

    @Test func registrationErrors() throws {
        #expect(throws: PCIBus.RegistrationError.self) { try host.bus.register(TestFunction(), device: 0) }
        #expect(throws: PCIBus.RegistrationError.self) { try host.bus.register(TestFunction(), device: 32) }
        #expect(host.bus.functions.map(\.device) == [0, 1])
    }
}
