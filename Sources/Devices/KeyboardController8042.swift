import DeviceModel

/// The Intel 8042 keyboard controller as programmed by the IBM PC/AT and PS/2 firmware (IBM PS/2
/// Hardware Interface Technical Reference, "Keyboard/Auxiliary Device Controller"; Intel UPI-41/42
/// datasheet for the chip), with a PS/2 keyboard attached and no auxiliary (mouse) device.
///
/// Registers, relative to the chip's A0 input (the PC decodes A0 from address bit 2, so map offset 0
/// at port 0x60 and offset 1 at port 0x64, each through a `BusWindow`):
/// - offset 0 (port 0x60): read the output buffer; write the input buffer as data (to the keyboard,
///   or the parameter of a pending controller command).
/// - offset 1 (port 0x64): read the status register; write the input buffer as a command.
///
/// Status register: OBF (D0), IBF (D1, always 0: writes are taken at once), SYS (D2, the command
/// byte's system flag), A2 (D3: the last input byte was a command), INH (D4: 1 = keyboard not
/// inhibited), MOBF (D5: the output buffer holds auxiliary data), TIMEOUT (D6), PERR (D7, 0).
///
/// Command byte (controller RAM byte 0): INT (D0, keyboard interrupt on IRQ1), INT2 (D1, auxiliary
/// interrupt on IRQ12), SYS (D2), EN (D4: 1 = keyboard interface disabled), EN2 (D5: 1 = auxiliary
/// interface disabled), XLATE (D6: translate to scan code set 1). It starts at 0x45, as the AT BIOS
/// leaves it.
///
/// Commands: 0x20-0x3F read controller RAM (0x20 = command byte), 0x60-0x7F write it, 0xA4
/// password installed (0xF1: no), 0xA7/0xA8 disable/enable auxiliary interface, 0xA9 auxiliary
/// interface test (0x00), 0xAA self-test (0x55), 0xAB keyboard interface test (0x00), 0xAD/0xAE
/// disable/enable keyboard interface, 0xC0 read input port, 0xD0/0xD1 read/write output port, 0xD2
/// write keyboard output buffer, 0xD3 write auxiliary output buffer (Linux's AUX loop test), 0xD4
/// write to auxiliary device (no mouse: answered by 0xFE with TIMEOUT, so the driver gives up at
/// once), 0xDD/0xDF disable/enable A20, 0xE0 read test inputs, 0xF0-0xFF pulse output port bits
/// (D3-D0 = 0 pulse; bit 0 is the system reset line, so 0xFE resets the machine).
///
/// Output port: D0 system reset (0 = reset asserted), D1 A20 gate, D4 OBF (IRQ1), D5 MOBF (IRQ12).
/// A20 starts enabled; changes go to the injected `a20` handler (the machine combines it with port
/// 0x92). A reset pulse calls the injected `reset` handler.
public final class KeyboardController8042: BusDevice {
    /// Status register bits.
    public enum Status {
        public static let obf: UInt8 = 0x01, ibf: UInt8 = 0x02, sys: UInt8 = 0x04, a2: UInt8 = 0x08
        public static let inh: UInt8 = 0x10, mobf: UInt8 = 0x20, timeout: UInt8 = 0x40, perr: UInt8 = 0x80
    }

    /// Command byte bits.
    public enum CommandByte {
        public static let int: UInt8 = 0x01, int2: UInt8 = 0x02, sys: UInt8 = 0x04
        public static let keyboardDisabled: UInt8 = 0x10, auxDisabled: UInt8 = 0x20, xlate: UInt8 = 0x40
    }

    /// Where a byte in the output buffer came from.
    enum Source { case controller, keyboard, aux }

    private let keyboardInterrupt: InterruptLine
    private let auxInterrupt: InterruptLine
    private let resetHandler: () -> Void
    private let a20Handler: (Bool) -> Void

    /// The keyboard on the first PS/2 port.
    public let keyboard = PS2Keyboard()

    /// Controller RAM: byte 0 is the command byte.
    private var ram = [UInt8](repeating: 0, count: 32)
    /// The output buffer: the byte the guest reads at port 0x60 next, with its source and TIMEOUT.
    private var outputBuffer: (byte: UInt8, source: Source, timeout: Bool)?
    /// Controller responses waiting for the output buffer.
    private var pending: [(byte: UInt8, source: Source, timeout: Bool)] = []
    private var lastOutput: UInt8 = 0
    private var lastWriteWasCommand = false
    /// A command whose parameter byte is the next data write.
    private var awaitingParameter: UInt8?
    /// Output port D1: A20 enabled.
    public private(set) var a20Enabled = true
    private var irq1Level = false
    private var irq12Level = false

    /// Guest misbehaviour ignored: unknown commands, bad offsets or sizes.
    public private(set) var ignoredAccesses = 0
    /// How many times the guest pulsed the reset line.
    public private(set) var resetPulses = 0

    /// A controller raising `keyboardInterrupt` (IRQ1) and `auxInterrupt` (IRQ12), calling `reset`
    /// when the guest pulses the system reset line and `a20` when it changes the A20 gate.
    public init(keyboardInterrupt: InterruptLine, auxInterrupt: InterruptLine,
                reset: @escaping () -> Void, a20: @escaping (Bool) -> Void = { _ in }) {
        self.keyboardInterrupt = keyboardInterrupt
        self.auxInterrupt = auxInterrupt
        self.resetHandler = reset
        self.a20Handler = a20
        ram[0] = CommandByte.xlate | CommandByte.sys | CommandByte.int
    }

    /// The command byte (controller RAM byte 0).
    public var commandByte: UInt8 { ram[0] }

    /// The status register as it reads now.
    public var status: UInt8 {
        var s = Status.inh
        if ram[0] & CommandByte.sys != 0 { s |= Status.sys }
        if lastWriteWasCommand { s |= Status.a2 }
        if let o = outputBuffer {
            s |= Status.obf
            if o.source == .aux { s |= Status.mobf }
            if o.timeout { s |= Status.timeout }
        }
        return s
    }

    /// Scan codes typed on the host, queued as the guest will read them (scan code set 1 when
    /// XLATE is on, the usual case). Dropped while the keyboard has scanning disabled.
    public func typeKeyboardBytes(_ bytes: [UInt8]) {
        keyboard.type(bytes)
        fillOutputBuffer()
    }

    // MARK: Output buffer and interrupts

    private func respond(_ byte: UInt8, from source: Source = .controller, timeout: Bool = false) {
        pending.append((byte, source, timeout))
        fillOutputBuffer()
    }

    /// Moves the next byte into an empty output buffer: controller responses first, then the
    /// keyboard's bytes while its interface is enabled.
    private func fillOutputBuffer() {
        if outputBuffer == nil {
            if !pending.isEmpty {
                outputBuffer = pending.removeFirst()
            } else if ram[0] & CommandByte.keyboardDisabled == 0, let b = keyboard.next() {
                outputBuffer = (b, .keyboard, false)
            }
        }
        updateInterrupts()
    }

    private func updateInterrupts() {
        let full = outputBuffer != nil
        let aux = outputBuffer?.source == .aux
        let irq1 = full && !aux && ram[0] & CommandByte.int != 0
        let irq12 = full && aux && ram[0] & CommandByte.int2 != 0
        if irq1 != irq1Level {
            irq1Level = irq1
            keyboardInterrupt.setLevel(irq1)
        }
        if irq12 != irq12Level {
            irq12Level = irq12
            auxInterrupt.setLevel(irq12)
        }
    }

    /// The output port as 0xD0 reads it.
    public var outputPort: UInt8 {
        var p: UInt8 = 0x01  // D0: reset line not asserted
        if a20Enabled { p |= 0x02 }
        if let o = outputBuffer {
            p |= o.source == .aux ? 0x20 : 0x10
        }
        return p | 0xC0  // keyboard clock and data lines idle high
    }

    private func writeOutputPort(_ value: UInt8) {
        setA20(value & 0x02 != 0)
        if value & 0x01 == 0 { pulseReset() }
    }

    private func setA20(_ enabled: Bool) {
        guard enabled != a20Enabled else { return }
        a20Enabled = enabled
        a20Handler(enabled)
    }

    private func pulseReset() {
        resetPulses += 1
        resetHandler()
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 2, ignore: { ignoredAccesses += 1 }) { o in
            if o == 1 { return status }
            guard let b = outputBuffer else { return lastOutput }  // an empty buffer reads stale
            outputBuffer = nil
            lastOutput = b.byte
            // OBF falls before the next byte arrives, so an edge-triggered IRQ sees one edge per byte.
            updateInterrupts()
            fillOutputBuffer()
            return b.byte
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 2, ignore: { ignoredAccesses += 1 }) { o, v in
            if o == 1 {
                lastWriteWasCommand = true
                command(v)
            } else {
                lastWriteWasCommand = false
                data(v)
            }
        }
    }

    private func data(_ value: UInt8) {
        guard let c = awaitingParameter else {
            keyboard.receive(value, translated: ram[0] & CommandByte.xlate != 0)
            fillOutputBuffer()
            return
        }
        awaitingParameter = nil
        switch c {
        case 0x60...0x7F:
            ram[Int(c & 0x1F)] = value
            fillOutputBuffer()  // EN may have changed; INT/INT2 too
        case 0xD1:
            writeOutputPort(value)
        case 0xD2:
            respond(value, from: .keyboard)
        case 0xD3:
            respond(value, from: .aux)
        default:  // 0xD4: no auxiliary device answers
            respond(0xFE, from: .aux, timeout: true)
        }
    }

    private func command(_ c: UInt8) {
        awaitingParameter = nil
        switch c {
        case 0x20...0x3F:
            respond(ram[Int(c & 0x1F)])
        case 0x60...0x7F, 0xD1, 0xD2, 0xD3, 0xD4:
            awaitingParameter = c
        case 0xA4:
            respond(0xF1)  // no password installed
        case 0xA7:
            ram[0] |= CommandByte.auxDisabled
        case 0xA8:
            ram[0] &= ~CommandByte.auxDisabled
        case 0xA9, 0xAB:
            respond(0x00)  // interface test: no error
        case 0xAA:
            ram[0] |= CommandByte.sys
            respond(0x55)  // self-test passed
        case 0xAD:
            ram[0] |= CommandByte.keyboardDisabled
        case 0xAE:
            ram[0] &= ~CommandByte.keyboardDisabled
            fillOutputBuffer()
        case 0xC0:
            respond(0x80)  // input port: D7 keyboard not inhibited
        case 0xD0:
            respond(outputPort)
        case 0xDD:
            setA20(false)
        case 0xDF:
            setA20(true)
        case 0xE0:
            respond(0x00)  // test inputs
        case 0xF0...0xFF:
            if c & 0x01 == 0 { pulseReset() }  // D3-D0 = 0: pulse; bit 0 is the reset line
        default:
            ignoredAccesses += 1
        }
        updateInterrupts()
    }
}
