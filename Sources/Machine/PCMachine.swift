import DeviceModel
import Devices
import Firmware
import GuestMemory
import PCI

/// The devices of a PC, wired the way a PC wires them (ISA IRQ numbers and port addresses of the
/// IBM PC/AT, the APIC addresses of the MP and ACPI specifications), plus the firmware tables that
/// describe them, and kept so the run loop and the CPU side can reach them.
///
/// Interrupt routing: each ISA IRQ drives both the 8259 pair and an IOAPIC pin (IRQ0 on pin 2, as the
/// MP table and the MADT's override say); the 8259's output reaches the CPU through the local APIC's
/// LINT0 in ExtINT mode (virtual-wire mode until the kernel switches to the IOAPIC).
public final class PCDevices {
    /// The TSC rate the machine presents: 1 GHz, so one TSC tick is one nanosecond of virtual time.
    public static let tscFrequency: UInt64 = 1_000_000_000

    public let clock: Clock
    public let lapic: LocalAPIC
    public let ioapic: IOAPIC
    public let pci: PCIHostBridge
    public let powerManagement: PowerManagement
    public let pics: DualPIC8259
    public let pit: PIT8254
    public let rtc: CMOS146818
    public let com1: Serial16550
    public let keyboard: KeyboardController8042
    /// FERR# -> IRQ 13 and IGNNE# from port 0xF0 (x87 errors with CR0.NE = 0).
    public let numericError: NumericErrorLatch
    /// The A20 gate the 8042 and port 92h drive.
    public let a20: A20Gate

    /// Wires the devices onto `machine`'s port bus. `serialOutput` receives COM1's transmitted bytes,
    /// `console` the bytes written to the 0xE9 debug port.
    public init(machine: Machine, clock: Clock, wallClockSeconds: Int64,
                serialOutput: @escaping (UInt8) -> Void, console: @escaping (UInt8) -> Void) throws {
        self.clock = clock
        let ports = machine.ports
        weak var weakMachine = machine
        let lapic = LocalAPIC(clock: clock, tscFrequency: PCDevices.tscFrequency)
        self.lapic = lapic
        let ioapic = IOAPIC(id: 1) { lapic.receive($0) }
        self.ioapic = ioapic
        lapic.endOfInterruptBroadcast = { ioapic.endOfInterrupt(vector: $0) }
        pics = DualPIC8259(output: lapic.lint0)
        let pics = self.pics
        lapic.externalInterruptAcknowledge = { pics.acknowledge() }
        try machine.mmio.map(lapic, base: 0xFEE0_0000, length: 0x1000)
        try machine.mmio.map(ioapic, base: 0xFEC0_0000, length: 0x1000)
        /// An ISA IRQ: the 8259 input and the IOAPIC pin (IRQ0 is wired to pin 2).
        func isa(_ irq: Int) -> InterruptLine { InterruptFanout([pics.line(irq), ioapic.line(irq == 0 ? 2 : irq)]) }

        try ports.map(pics.master, base: 0x20, length: 2)
        try ports.map(pics.slave, base: 0xA0, length: 2)
        try ports.map(pics.elcr, base: 0x4D0, length: 2)
        pit = PIT8254(clock: clock, irq0: isa(0))
        try ports.map(pit, base: 0x40, length: 4)
        try ports.map(SystemControlPortB(pit: pit, clock: clock), base: 0x61, length: 1)
        rtc = CMOS146818(clock: clock, interrupt: isa(8), startSeconds: wallClockSeconds)
        try ports.map(rtc, base: 0x70, length: 2)
        com1 = Serial16550(clock: clock, interrupt: isa(4), output: serialOutput)
        try ports.map(com1, base: 0x3F8, length: 8)
        // The A20 gate: the 8042's output port bit 1 OR port 92h bit 1 (A20Gate.swift); the
        // machine's owner passes changes to the engine.
        let a20 = A20Gate()
        self.a20 = a20
        keyboard = KeyboardController8042(keyboardInterrupt: isa(1), auxInterrupt: isa(12),
                                          reset: { weakMachine?.requestExit(.reset) }, a20: { a20.setKeyboardController($0) })
        try ports.map(BusWindow(keyboard, offset: 0), base: 0x60, length: 1)
        try ports.map(BusWindow(keyboard, offset: 1), base: 0x64, length: 1)
        try ports.map(SystemControlPortA(reset: { weakMachine?.requestExit(.reset) }, a20: { a20.setSystemControlPort($0) }),
                      base: 0x92, length: 1)
        try ports.map(POSTPort(), base: 0x80, length: 1)
        try ports.map(DebugExitPort { v in weakMachine?.requestExit(.debugExit(value: v)) }, base: 0xF4, length: 1)
        try ports.map(DebugConsole(output: console), base: 0xE9, length: 1)
        // x87 errors the DOS-compatible way (CR0.NE = 0): FERR# latched into IRQ 13, port 0xF0 clears
        // the latch and asserts IGNNE#.
        let numericError = NumericErrorLatch(interrupt: isa(13))
        self.numericError = numericError
        try ports.map(numericError, base: 0xF0, length: 1)
        machine.numericErrorWiring = (ferr: { numericError.setFERR($0) }, ignne: { numericError.ignne })
        // ACPI power management (PM1a event/control, PM timer) at 0x600, SCI on IRQ 9.
        powerManagement = PowerManagement(clock: clock, sci: isa(9)) { weakMachine?.requestExit(.powerOff) }
        try ports.map(powerManagement, base: 0x600, length: 12)
        // PCI: configuration mechanism #1 at 0xCF8/0xCFC, reset control at 0xCF9; PIRQs on IOAPIC 16-19.
        pci = PCIHostBridge(pirqLines: (16...19).map { ioapic.line($0) }, isaIRQ: { pics.line($0) },
                            reset: { weakMachine?.requestExit(.reset) })
        try ports.map(pci, base: 0xCF8, length: 8)

        // Firmware tables in the BIOS area, where Linux looks for them without a BIOS.
        let mp = MPTable.pc().build(at: UInt32(FirmwareLayout.mpTable))
        let acpi = ACPITables().build(at: FirmwareLayout.acpi).placed
        // The BIOS data area's EBDA segment and base memory size, which boot code reads (BIOSDataArea.swift).
        for t in [mp, acpi, BIOSDataArea().build()] { machine.ram.write(t.bytes, at: t.address) }

        machine.interruptSource = (pending: { lapic.interruptPending }, acknowledge: { lapic.acknowledge() })
        machine.modelSpecificRegisters = (
            read: { index in lapic.handlesMSR(index) ? lapic.readMSR(index) : nil },
            write: { index, value in lapic.handlesMSR(index) ? lapic.writeMSR(index, value) : false })
        machine.timeStampCounterSource = { lapic.tsc(atNanoseconds: clock.now) }
        machine.taskPriority = (get: { lapic.taskPriority }, set: { lapic.taskPriority = $0 })
    }
}

/// The PC/AT's x87 error logic (SDM Vol. 1, Appendix D, Figure D-1): the CPU's FERR# output sets a latch
/// that drives IRQ 13 (8259 slave input 5, interrupt 75h under DOS); any write to port 0xF0 clears the
/// latch and asserts IGNNE#, so that the handler's x87 instructions run despite the pending error; IGNNE#
/// falls when FERR# does (the handler cleared the exception with FNCLEX or FNINIT). Reads of 0xF0 return
/// all ones.
public final class NumericErrorLatch: BusDevice {
    let interrupt: InterruptLine
    /// The CPU's FERR# output as last reported.
    public private(set) var ferr = false
    /// The IGNNE# input to the CPU.
    public private(set) var ignne = false
    /// The interrupt request latch (flip-flop #1).
    public private(set) var requested = false

    public init(interrupt: InterruptLine) {
        self.interrupt = interrupt
    }

    /// FERR# from the CPU: a rising edge sets the latch; a falling one releases IGNNE#.
    public func setFERR(_ asserted: Bool) {
        if asserted && !ferr {
            requested = true
            interrupt.setLevel(true)
        }
        if !asserted { ignne = false }
        ferr = asserted
    }

    public func read(offset: UInt64, size: Int) -> UInt64 { ~0 }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        if requested {
            requested = false
            interrupt.setLevel(false)
        }
        if ferr { ignne = true }
    }
}
