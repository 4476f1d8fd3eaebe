import DeviceModel
import Devices
import GuestMemory

/// The legacy PC devices of a machine, wired the way a PC wires them (ISA IRQ numbers, port
/// addresses of the IBM PC/AT), and kept so the run loop can reach the UART and the PICs.
public final class PCDevices {
    public let clock: Clock
    public let pics: DualPIC8259
    public let pit: PIT8254
    public let rtc: CMOS146818
    public let com1: Serial16550
    public let keyboard: KeyboardController8042

    /// Wires the devices onto `machine`'s port bus. `serialOutput` receives COM1's transmitted bytes,
    /// `console` the bytes written to the 0xE9 debug port.
    public init(machine: Machine, clock: Clock, wallClockSeconds: Int64,
                serialOutput: @escaping (UInt8) -> Void, console: @escaping (UInt8) -> Void) throws {
        self.clock = clock
        let ports = machine.ports
        pics = DualPIC8259(output: DisconnectedLine())
        try ports.map(pics.master, base: 0x20, length: 2)
        try ports.map(pics.slave, base: 0xA0, length: 2)
        try ports.map(pics.elcr, base: 0x4D0, length: 2)
        pit = PIT8254(clock: clock, irq0: pics.line(0))
        try ports.map(pit, base: 0x40, length: 4)
        try ports.map(SystemControlPortB(pit: pit, clock: clock), base: 0x61, length: 1)
        rtc = CMOS146818(clock: clock, interrupt: pics.line(8), startSeconds: wallClockSeconds)
        try ports.map(rtc, base: 0x70, length: 2)
        com1 = Serial16550(clock: clock, interrupt: pics.line(4), output: serialOutput)
        try ports.map(com1, base: 0x3F8, length: 8)
        weak var weakMachine = machine
        // The A20 gate is not modelled: the interpreter always addresses with A20 on, as a
        // Linux or Multiboot guest expects.
        keyboard = KeyboardController8042(keyboardInterrupt: pics.line(1), auxInterrupt: pics.line(12),
                                          reset: { weakMachine?.requestExit(.reset) }, a20: { _ in })
        try ports.map(BusWindow(keyboard, offset: 0), base: 0x60, length: 1)
        try ports.map(BusWindow(keyboard, offset: 1), base: 0x64, length: 1)
        try ports.map(SystemControlPortA(reset: { weakMachine?.requestExit(.reset) }), base: 0x92, length: 1)
        try ports.map(POSTPort(), base: 0x80, length: 1)
        try ports.map(DebugExitPort { v in weakMachine?.requestExit(.debugExit(value: v)) }, base: 0xF4, length: 1)
        try ports.map(DebugConsole(output: console), base: 0xE9, length: 1)
        let pics = self.pics
        machine.interruptSource = (pending: { pics.interruptPending }, acknowledge: { pics.acknowledge() })
    }
}
