import DeviceModel
import Devices
import Testing

/// 8042 tests (IBM PS/2 Technical Reference: status register, command byte, controller commands),
/// following the sequences of Linux's i8042 driver and `reboot=k`.
@Suite struct KeyboardController8042Tests {
    let irq1 = RecordingLine()
    let irq12 = RecordingLine()
    let events: Events
    let kbc: KeyboardController8042

    final class Events {
        var resets = 0
        var a20: [Bool] = []
    }

    init() {
        let events = Events()
        self.events = events
        kbc = KeyboardController8042(keyboardInterrupt: irq1, auxInterrupt: irq12,
                                     reset: { events.resets += 1 }, a20: { events.a20.append($0) })
    }

    // Offset 0 = data (port 0x60), offset 1 = status/command (port 0x64).
    var status: UInt8 { kbc.inb(1) }
    func command(_ c: UInt8) { kbc.outb(1, c) }
    func readData() -> UInt8 { kbc.inb(0) }

    @Test func selfTest() {
        #expect(status & 0x01 == 0)  // OBF clear
        command(0xAA)
        #expect(status & 0x01 == 0x01)
        #expect(status & 0x08 == 0x08)  // A2: last write was a command
        #expect(readData() == 0x55)
        #expect(status & 0x01 == 0)
    }

    @Test func commandByteReadWrite() {
        command(0x20)
        #expect(readData() == 0x45)  // XLATE | SYS | INT, as the AT BIOS leaves it
        command(0x60)
        kbc.outb(0, 0x74)  // XLATE | EN2 | EN | SYS, interrupts off (Linux during probe)
        #expect(status & 0x08 == 0)
        command(0x20)
        #expect(readData() == 0x74)
        #expect(kbc.commandByte == 0x74)
        #expect(irq1.risingEdges.count == 1)  // only the first response (INT was on)
    }

    @Test func responseRaisesIRQ1WhenINTSet() {
        command(0xAB)  // keyboard interface test
        #expect(irq1.level)
        #expect(readData() == 0x00)
        #expect(!irq1.level)
    }

    @Test func resetPulseCallsHandler() {
        // Linux reboot=k: wait for IBF clear, then 0xFE (pulse output port bit 0).
        #expect(status & 0x02 == 0)
        command(0xFE)
        #expect(events.resets == 1)
        command(0xFF)  // pulses nothing
        #expect(events.resets == 1)
        #expect(kbc.resetPulses == 1)
    }

    @Test func a20ThroughOutputPort() {
        #expect(kbc.a20Enabled)
        command(0xD1)
        kbc.outb(0, 0xDD)  // D1 = 0: A20 off, D0 = 1: no reset
        #expect(!kbc.a20Enabled)
        command(0xD0)
        #expect(readData() & 0x03 == 0x01)
        command(0xD1)
        kbc.outb(0, 0xDF)  // Linux's enable_a20_kbc
        command(0xFF)
        #expect(kbc.a20Enabled)
        #expect(events.a20 == [false, true])
        #expect(events.resets == 0)
        command(0xD1)
        kbc.outb(0, 0xDE)  // reset line driven low
        #expect(events.resets == 1)
    }

    @Test func interfaceEnableDisableAndTests() {
        command(0xAD)
        #expect(kbc.commandByte & 0x10 == 0x10)
        command(0xAE)
        #expect(kbc.commandByte & 0x10 == 0)
        command(0xA7)
        #expect(kbc.commandByte & 0x20 == 0x20)
        command(0xA8)
        #expect(kbc.commandByte & 0x20 == 0)
        command(0xA9)
        #expect(readData() == 0x00)
        command(0xAB)
        #expect(readData() == 0x00)
    }

    @Test func auxLoopbackAsLinuxCheckAux() {
        command(0x60)
        kbc.outb(0, 0x47)  // INT2 on too
        command(0xD3)
        kbc.outb(0, 0x5A)
        #expect(status & 0x21 == 0x21)  // OBF | MOBF (AUXDATA)
        #expect(irq12.level)
        #expect(!irq1.level)
        #expect(readData() == 0x5A)
        #expect(!irq12.level)
    }

    @Test func auxSendWithoutMouseTimesOut() {
        command(0xD4)
        kbc.outb(0, 0xF2)
        #expect(status & 0x61 == 0x61)  // OBF | MOBF | TIMEOUT
        #expect(readData() == 0xFE)
        #expect(status & 0x40 == 0)
    }

    @Test func keyboardIdentifiesAsMF2() {
        kbc.outb(0, 0xF2)  // atkbd: GETID
        #expect(readData() == 0xFA)
        #expect(readData() == 0xAB)
        #expect(readData() == 0x41)  // 0x83 translated
        #expect(irq1.risingEdges.count == 3)
        kbc.outb(0, 0xFF)  // reset
        #expect(readData() == 0xFA)
        #expect(readData() == 0xAA)
        kbc.outb(0, 0xED)  // set LEDs
        #expect(readData() == 0xFA)
        kbc.outb(0, 0x02)
        #expect(readData() == 0xFA)
        #expect(kbc.keyboard.leds == 0x02)
    }

    @Test func typedBytesWaitWhileInterfaceDisabled() {
        command(0xAD)
        kbc.typeKeyboardBytes([0x1E, 0x9E])
        #expect(status & 0x01 == 0)
        command(0xAE)
        #expect(readData() == 0x1E)
        #expect(readData() == 0x9E)
    }

    @Test func mappedThroughWindowsOnTheBus() throws {
        let clock = ManualClock()
        let pit = PIT8254(clock: clock, irq0: DisconnectedLine())
        let ports = IOBus()
        try ports.map(BusWindow(kbc, offset: 0), base: 0x60, length: 1)
        try ports.map(SystemControlPortB(pit: pit, clock: clock), base: 0x61, length: 1)
        try ports.map(BusWindow(kbc, offset: 1), base: 0x64, length: 1)
        ports.write(0x64, size: 1, value: 0xAA)
        #expect(ports.read(0x64, size: 1) & 1 == 1)
        #expect(ports.read(0x60, size: 1) == 0x55)
        #expect(ports.read(0x61, size: 1) & 0x20 == 0)
    }

    @Test func unknownCommandsAreIgnoredAndCounted() {
        command(0xC8)
        command(0x90)
        #expect(kbc.ignoredAccesses == 2)
        #expect(status & 0x01 == 0)
        #expect(kbc.read(offset: 2, size: 1) == 0xFF)
        #expect(kbc.ignoredAccesses == 3)
    }
}
