import DeviceModel
import Devices

/// The PC's PCI host: configuration mechanism #1 at ports 0xCF8-0xCFF (PCI Local Bus Specification
/// 3.0, 3.2.2.3.2), bus 0 with an Intel 440FX host bridge at 00:00.0 and a PIIX3 PCI-to-ISA bridge
/// at 00:01.0 (the chipset QEMU's `pc` machine models), and the PIIX3 Reset Control Register at 0xCF9.
///
/// Ports, relative to where it is mapped (0xCF8, length 8):
/// - offset 0, 32-bit: CONFIG_ADDRESS: enable 31, bus 23:16, device 15:11, function 10:8,
///   register 7:2 (bits 30:24 and 1:0 read 0). Accesses of other sizes at offsets 0-3 do not reach it.
/// - offset 1, 8-bit: the PIIX3 Reset Control Register (0xCF9): writing bit 2 (RST_CPU) = 1 calls
///   `reset` (bit 1, SYS_RST, chooses a hard reset; both end the run). Reads return the last value.
/// - offsets 4-7: CONFIG_DATA (0xCFC-0xCFF): 1, 2 or 4 bytes of the register CONFIG_ADDRESS
///   selects, plus the port's offset within the dword. With the enable bit clear, reads give all
///   ones and writes are dropped.
///
/// Wiring, in the machine:
/// ```swift
/// let pci = PCIHostBridge(pirqLines: (16...19).map { ioapic.line($0) },
///                         isaIRQ: { pics.line($0) }, reset: { machine.requestExit(.reset) })
/// try ports.map(pci, base: 0xCF8, length: 8)
/// try pci.bus.register(virtioBlock, device: 2)        // INTA# -> PIRQB -> IOAPIC pin 17
/// pci.bus.assignBARs(memory: 0xC000_0000..<0xFEC0_0000, io: 0xC000..<0x1_0000)
/// try mmio.map(pci.bus.window(base: 0xC000_0000, memory: true), base: 0xC000_0000, length: 0x3EC0_0000)
/// try ports.map(pci.bus.window(base: 0xC000, memory: false), base: 0xC000, length: 0x4000)
/// ```
public final class PCIHostBridge: BusDevice {
    /// Bus 0.
    public let bus: PCIBus
    /// 00:00.0.
    public let hostBridge: I440FXHostBridge
    /// 00:01.0.
    public let isaBridge: PIIX3ISABridge
    private let reset: (() -> Void)?

    /// CONFIG_ADDRESS.
    public private(set) var configAddress: UInt32 = 0
    /// The Reset Control Register as last written.
    public private(set) var resetControl: UInt8 = 0
    /// Guest misbehaviour ignored: odd-sized accesses to CONFIG_ADDRESS, bad sizes.
    public private(set) var ignoredAccesses = 0

    /// A host whose PIRQA-D lines drive `pirqLines` (the IOAPIC's pins 16-19) and, through the PIIX3
    /// PIRQ route control registers, the 8259A inputs `isaIRQ` gives. `reset` is the 0xCF9 reset.
    public init(pirqLines: [InterruptLine] = [], isaIRQ: ((Int) -> InterruptLine)? = nil, reset: (() -> Void)? = nil) {
        let isa = PIIX3ISABridge(isaIRQ: isaIRQ)
        isaBridge = isa
        hostBridge = I440FXHostBridge()
        let lines = (0..<4).map { n -> InterruptLine in
            let router = isa.pirqInput(n)
            return InterruptFanout(n < pirqLines.count ? [pirqLines[n], router] : [router])
        }
        bus = PCIBus(pirqLines: lines)
        self.reset = reset
        try! bus.register(hostBridge, device: 0)  // an empty bus: cannot fail
        try! bus.register(isaBridge, device: 1)
    }

    private var selection: (bus: Int, device: Int, function: Int, register: Int)? {
        guard configAddress & 0x8000_0000 != 0 else { return nil }
        return (Int((configAddress >> 16) & 0xFF), Int((configAddress >> 11) & 0x1F),
                Int((configAddress >> 8) & 7), Int(configAddress & 0xFC))
    }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        let ones: UInt64 = size >= 8 ? ~0 : (1 << UInt64(max(size, 0) * 8)) &- 1
        switch (offset, size) {
        case (0, 4):
            return UInt64(configAddress)
        case (1, 1):
            return UInt64(resetControl)
        case (4..<8, 1), (4, 2), (6, 2), (4, 4):
            guard let s = selection else { return ones }
            return UInt64(bus.configRead(bus: s.bus, device: s.device, function: s.function,
                                         offset: s.register + Int(offset - 4), size: size))
        default:
            ignoredAccesses += 1
            return ones
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        switch (offset, size) {
        case (0, 4):
            configAddress = UInt32(truncatingIfNeeded: value) & 0x80FF_FFFC
        case (1, 1):
            resetControl = UInt8(truncatingIfNeeded: value) & 0x0E
            if value & 0x4 != 0 { reset?() }
        case (4..<8, 1), (4, 2), (6, 2), (4, 4):
            guard let s = selection else { return }
            bus.configWrite(bus: s.bus, device: s.device, function: s.function,
                            offset: s.register + Int(offset - 4), size: size, value: UInt32(truncatingIfNeeded: value))
        default:
            ignoredAccesses += 1
        }
    }
}

/// The Intel 82441FX PCI and memory controller (440FX PMC) as function 00:00.0: vendor 8086,
/// device 1237, revision 02, class 06/00/00 (host bridge). Its DRAM and PAM registers are not
/// modelled (the machine has no BIOS shadowing); they read 0.
public final class I440FXHostBridge: PCIFunction {
    public let config = PCIConfigSpace(vendorID: 0x8086, deviceID: 0x1237, classCode: 0x06_0000, revision: 0x02)
    public init() {}
}

/// The Intel 82371SB PIIX3 PCI-to-ISA bridge as function 00:01.0: vendor 8086, device 7000,
/// class 06/01/00 (ISA bridge), header type 0x80 (multi-function: IDE and USB would be 01.1 and
/// 01.2; they are absent and read all ones).
///
/// PIRQ route control registers PIRQRC[A:D] at 0x60-0x63 (PIIX3 datasheet 2.2.10): bit 7 IRQEN#
/// (1 = not routed; the reset value 0x80), bits 3:0 the ISA IRQ (3-7, 9-12, 14 or 15; others
/// route nowhere). A PIRQ line's level (from `pirqInput(_:)`) drives the 8259A input it routes
/// to; PIRQs routed to the same IRQ are wired-OR, and re-routing moves an asserted level. The
/// ISA IRQs chosen should be ones no ISA device drives (PCs use 5, 9, 10, 11).
public final class PIIX3ISABridge: PCIFunction {
    public let config = PCIConfigSpace(vendorID: 0x8086, deviceID: 0x7000, classCode: 0x06_0100, multiFunction: true)
    private let isaIRQ: ((Int) -> InterruptLine)?
    private var pirqLevels = [false, false, false, false]
    private var driven: [Int: Bool] = [:]  // ISA IRQ -> level we drive
    private lazy var inputs: [InterruptLine] = (0..<4).map { Input(bridge: self, pirq: $0) }

    /// A bridge routing PIRQs to the 8259A inputs `isaIRQ` returns (nil: the PIRQs go nowhere but the IOAPIC).
    public init(isaIRQ: ((Int) -> InterruptLine)?) {
        self.isaIRQ = isaIRQ
        config.define(offset: 0x60, value: [0x80, 0x80, 0x80, 0x80], writeMask: [0x8F, 0x8F, 0x8F, 0x8F])
    }

    /// The input of PIRQ `n` (0 = PIRQA) into the router.
    public func pirqInput(_ n: Int) -> InterruptLine { inputs[n] }

    /// The ISA IRQ PIRQ `n` is routed to now, if any.
    public func route(_ n: Int) -> Int? {
        let r = config.byte(0x60 + n)
        let irq = Int(r & 0x0F)
        guard r & 0x80 == 0, [3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15].contains(irq) else { return nil }
        return irq
    }

    public func configWritten(offset: Int, size: Int) {
        if offset < 0x64 && offset + size > 0x60 { refresh() }
    }

    private func refresh() {
        var want: [Int: Bool] = [:]
        for n in 0..<4 {
            guard let irq = route(n) else { continue }
            want[irq] = (want[irq] ?? false) || pirqLevels[n]
        }
        for irq in Set(want.keys).union(driven.keys) {
            let level = want[irq] ?? false
            if driven[irq] != level {
                if level || driven[irq] == true { isaIRQ?(irq).setLevel(level) }
                driven[irq] = level
            }
        }
    }

    private final class Input: InterruptLine {
        unowned let bridge: PIIX3ISABridge
        let pirq: Int
        init(bridge: PIIX3ISABridge, pirq: Int) {
            self.bridge = bridge
            self.pirq = pirq
        }
        func setLevel(_ asserted: Bool) {
            bridge.pirqLevels[pirq] = asserted
            bridge.refresh()
        }
    }
}
