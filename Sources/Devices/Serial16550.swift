import DeviceModel

/// The National Semiconductor PC16550D UART with FIFOs (datasheet PC16550D, "Universal
/// Asynchronous Receiver/Transmitter with FIFOs"), as on the PC's COM ports.
///
/// Registers, relative to where the UART is mapped (0x3F8 for COM1), DLAB = LCR bit 7:
/// | offset | read | write |
/// |---|---|---|
/// | 0 | RBR receiver buffer (DLAB = 0), DLL divisor latch LSB (DLAB = 1) | THR transmitter holding (DLAB = 0), DLL |
/// | 1 | IER interrupt enable (DLAB = 0), DLM divisor latch MSB (DLAB = 1) | IER, DLM |
/// | 2 | IIR interrupt identification | FCR FIFO control |
/// | 3 | LCR line control | LCR |
/// | 4 | MCR modem control | MCR |
/// | 5 | LSR line status | (factory test; ignored) |
/// | 6 | MSR modem status | (ignored) |
/// | 7 | SCR scratch | SCR |
///
/// Transmission is instantaneous: a byte written to THR goes to the injected output sink at once
/// (or, in loopback, to the receiver) and THR is empty again, so THRE and TEMT always read 1 and a
/// THRE interrupt follows every write when ETBEI is set. Received bytes come from `receive(_:)`.
/// The FIFO character timeout (IIR = 0xC) is timed on the injected `Clock`: four character times at
/// the programmed divisor and frame format after the last byte in or out of the receive FIFO.
///
/// The word length (LCR WLS) times the character timeout but is not applied to the data: bytes pass
/// whole in both directions, as in QEMU, so a guest that prints without programming the LCR (which
/// resets to 5-bit words) is still readable.
///
/// The INTRPT output drives the injected `InterruptLine`. On the PC the board gates it with MCR OUT2
/// (and loopback forces OUT2 inactive), which `gatedByOUT2` models; Linux sets OUT2 before it
/// expects interrupts.
public final class Serial16550: BusDevice {
    /// IER bits: ERBFI (received data available), ETBEI (THR empty), ELSI (receiver line status),
    /// EDSSI (modem status).
    public enum IER {
        public static let erbfi: UInt8 = 0x01, etbei: UInt8 = 0x02, elsi: UInt8 = 0x04, edssi: UInt8 = 0x08
    }

    /// IIR interrupt identification codes (bits 3-0; bit 0 = 1 means none pending).
    public enum IIR {
        public static let none: UInt8 = 0x01, modemStatus: UInt8 = 0x00, thrEmpty: UInt8 = 0x02
        public static let dataAvailable: UInt8 = 0x04, lineStatus: UInt8 = 0x06, characterTimeout: UInt8 = 0x0C
        /// Bits 7-6: both set when FCR0 enables the FIFOs.
        public static let fifosEnabled: UInt8 = 0xC0
    }

    /// LSR bits: DR, OE, PE, FE, BI, THRE, TEMT, error in RCVR FIFO.
    public enum LSR {
        public static let dr: UInt8 = 0x01, oe: UInt8 = 0x02, pe: UInt8 = 0x04, fe: UInt8 = 0x08
        public static let bi: UInt8 = 0x10, thre: UInt8 = 0x20, temt: UInt8 = 0x40, fifoError: UInt8 = 0x80
    }

    /// MCR bits: DTR, RTS, OUT1, OUT2, LOOP.
    public enum MCR {
        public static let dtr: UInt8 = 0x01, rts: UInt8 = 0x02, out1: UInt8 = 0x04, out2: UInt8 = 0x08, loop: UInt8 = 0x10
    }

    /// MSR bits: DCTS, DDSR, TERI, DDCD (deltas, cleared by reading), CTS, DSR, RI, DCD.
    public enum MSR {
        public static let dcts: UInt8 = 0x01, ddsr: UInt8 = 0x02, teri: UInt8 = 0x04, ddcd: UInt8 = 0x08
        public static let cts: UInt8 = 0x10, dsr: UInt8 = 0x20, ri: UInt8 = 0x40, dcd: UInt8 = 0x80
    }

    /// The UART's reference clock divided by 16: the baud rate at divisor 1 (1.8432 MHz / 16).
    public static let baseBaud: UInt64 = 115_200

    private let clock: Clock
    private let interrupt: InterruptLine
    private let output: (UInt8) -> Void
    /// Whether the interrupt reaches the line only while MCR OUT2 is set and LOOP is clear (PC wiring).
    public let gatedByOUT2: Bool

    /// Called when the guest frees room in the receive FIFO after `receive` refused bytes.
    public var onReceiveSpace: (() -> Void)?

    private var rx: [UInt8] = []
    private var rxWasFull = false
    /// IER (bits 3-0; bits 7-4 read 0).
    public private(set) var ier: UInt8 = 0
    /// LCR: WLS1-0, STB, PEN, EPS, stick parity, set break, DLAB.
    public private(set) var lcr: UInt8 = 0
    /// MCR: DTR, RTS, OUT1, OUT2, LOOP (bits 7-5 read 0).
    public private(set) var mcr: UInt8 = 0
    /// SCR.
    public private(set) var scratch: UInt8 = 0
    /// The divisor latch (DLM:DLL).
    public private(set) var divisor: UInt16 = 12
    /// FCR0: the FIFOs are enabled (16550 mode); otherwise the UART acts as a 16450 with one-byte buffers.
    public private(set) var fifosEnabled = false
    /// FCR bits 7-6 as a byte count: 1, 4, 8 or 14.
    public private(set) var receiveTriggerLevel = 1
    /// The modem inputs (CTS, DSR, RI, DCD in MSR bits 7-4) when not in loopback: a connected terminal.
    public private(set) var modemInputs: UInt8 = MSR.cts | MSR.dsr | MSR.dcd
    private var lineErrors: UInt8 = 0
    private var modemDeltas: UInt8 = 0
    private var thrInterrupt = false
    private var timeoutInterrupt = false
    private var timeoutTimer: TimerToken?
    private var irqLevel = false

    /// Guest misbehaviour ignored: bad offsets or sizes, writes to LSR/MSR, RBR reads when empty.
    public private(set) var ignoredAccesses = 0

    /// A UART that sends transmitted bytes to `output`, times the FIFO timeout on `clock` and
    /// interrupts on `interrupt` (IRQ4 for COM1).
    public init(clock: Clock, interrupt: InterruptLine, gatedByOUT2: Bool = true, output: @escaping (UInt8) -> Void) {
        self.clock = clock
        self.interrupt = interrupt
        self.gatedByOUT2 = gatedByOUT2
        self.output = output
    }

    // MARK: Host side

    private var loopback: Bool { mcr & MCR.loop != 0 }

    /// Receive FIFO capacity: 16 bytes with FIFOs enabled, the one-byte RBR otherwise.
    public var receiveCapacity: Int { fifosEnabled ? 16 : 1 }

    /// Bytes the receiver can take now from `receive` (0 in loopback: the serial input is disconnected).
    public var receiveSpace: Int { loopback ? 0 : receiveCapacity - rx.count }

    /// Bytes waiting in the receive FIFO (or RBR).
    public var receivedCount: Int { rx.count }

    /// Bytes arriving on the serial input. Takes as many as fit and returns how many: the rest wait
    /// with the caller (the line is flow-controlled, so nothing is lost to an overrun);
    /// `onReceiveSpace` is called when the guest makes room.
    @discardableResult
    public func receive<S: Sequence>(_ bytes: S) -> Int where S.Element == UInt8 {
        var taken = 0
        for b in bytes {
            guard receiveSpace > 0 else {
                rxWasFull = true
                break
            }
            rx.append(b)
            taken += 1
        }
        if taken > 0 { restartTimeout() }
        updateInterrupt()
        return taken
    }

    /// One byte arriving; false if the receiver is full.
    @discardableResult
    public func receive(_ byte: UInt8) -> Bool { receive(CollectionOfOne(byte)) == 1 }

    /// Sets the modem status inputs (MSR CTS, DSR, RI, DCD in bits 4-7), recording the deltas.
    public func setModemInputs(_ inputs: UInt8) {
        let before = effectiveModemInputs
        modemInputs = inputs & 0xF0
        noteModemChange(from: before)
    }

    // MARK: Derived state

    private var effectiveModemInputs: UInt8 {
        guard loopback else { return modemInputs }
        // Loopback: RTS -> CTS, DTR -> DSR, OUT1 -> RI, OUT2 -> DCD.
        var v: UInt8 = 0
        if mcr & MCR.rts != 0 { v |= MSR.cts }
        if mcr & MCR.dtr != 0 { v |= MSR.dsr }
        if mcr & MCR.out1 != 0 { v |= MSR.ri }
        if mcr & MCR.out2 != 0 { v |= MSR.dcd }
        return v
    }

    private func noteModemChange(from before: UInt8) {
        let after = effectiveModemInputs
        let changed = before ^ after
        if changed & MSR.cts != 0 { modemDeltas |= MSR.dcts }
        if changed & MSR.dsr != 0 { modemDeltas |= MSR.ddsr }
        if before & MSR.ri != 0 && after & MSR.ri == 0 { modemDeltas |= MSR.teri }  // trailing edge of RI
        if changed & MSR.dcd != 0 { modemDeltas |= MSR.ddcd }
        updateInterrupt()
    }

    private var dataAvailable: Bool { fifosEnabled ? rx.count >= receiveTriggerLevel : !rx.isEmpty }

    /// The highest-priority pending interrupt (datasheet Table "Interrupt Control Functions").
    public var interruptIdentification: UInt8 {
        if ier & IER.elsi != 0 && lineErrors != 0 { return IIR.lineStatus }
        if ier & IER.erbfi != 0 {
            if dataAvailable { return IIR.dataAvailable }
            if timeoutInterrupt { return IIR.characterTimeout }
        }
        if ier & IER.etbei != 0 && thrInterrupt { return IIR.thrEmpty }
        if ier & IER.edssi != 0 && modemDeltas != 0 { return IIR.modemStatus }
        return IIR.none
    }

    /// LSR as it reads now.
    public var lineStatus: UInt8 {
        (rx.isEmpty ? 0 : LSR.dr) | lineErrors | LSR.thre | LSR.temt
    }

    private func updateInterrupt() {
        var level = interruptIdentification != IIR.none
        if gatedByOUT2 && (mcr & MCR.out2 == 0 || loopback) { level = false }
        if level != irqLevel {
            irqLevel = level
            interrupt.setLevel(level)
        }
    }

    /// One character time in ns at the current divisor and frame (start, data, parity, stop bits).
    private var characterNanoseconds: UInt64 {
        let wls = UInt64(lcr & 3)
        let parity: UInt64 = lcr & 0x08 != 0 ? 1 : 0
        let stopHalfBits: UInt64 = lcr & 0x04 == 0 ? 2 : (wls == 0 ? 3 : 4)
        let halfBits = 2 * (1 + 5 + wls + parity) + stopHalfBits
        let d = UInt64(divisor == 0 ? 65_536 : Int(divisor))
        return halfBits * d * 1_000_000_000 / (2 * Self.baseBaud)
    }

    /// Restarts the four-character timeout after receiver FIFO activity.
    private func restartTimeout() {
        timeoutInterrupt = false
        if let t = timeoutTimer {
            clock.cancel(t)
            timeoutTimer = nil
        }
        guard fifosEnabled, !rx.isEmpty else { return }
        timeoutTimer = clock.schedule(at: clock.now &+ 4 * characterNanoseconds) { [weak self] in
            guard let self else { return }
            self.timeoutTimer = nil
            if self.fifosEnabled && !self.rx.isEmpty {
                self.timeoutInterrupt = true
                self.updateInterrupt()
            }
        }
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 8, ignore: { ignoredAccesses += 1 }) { readRegister($0) }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 8, ignore: { ignoredAccesses += 1 }) {
            writeRegister($0, $1)
        }
    }

    private var dlab: Bool { lcr & 0x80 != 0 }

    private func readRegister(_ offset: Int) -> UInt8 {
        switch offset {
        case 0:
            if dlab { return UInt8(divisor & 0xFF) }
            guard !rx.isEmpty else {
                ignoredAccesses += 1
                return 0
            }
            let b = rx.removeFirst()
            restartTimeout()
            updateInterrupt()
            if rxWasFull && receiveSpace > 0 {
                rxWasFull = false
                onReceiveSpace?()
            }
            return b
        case 1:
            return dlab ? UInt8(divisor >> 8) : ier
        case 2:
            let id = interruptIdentification
            if id == IIR.thrEmpty {
                // "Reading the IIR (if source of interrupt)" clears the THRE interrupt.
                thrInterrupt = false
                updateInterrupt()
            }
            return id | (fifosEnabled ? IIR.fifosEnabled : 0)
        case 3:
            return lcr
        case 4:
            return mcr
        case 5:
            let v = lineStatus
            lineErrors = 0  // OE, PE, FE, BI clear on read
            updateInterrupt()
            return v
        case 6:
            let v = effectiveModemInputs | modemDeltas
            modemDeltas = 0
            updateInterrupt()
            return v
        default:
            return scratch
        }
    }

    private func writeRegister(_ offset: Int, _ value: UInt8) {
        switch offset {
        case 0:
            if dlab {
                divisor = divisor & 0xFF00 | UInt16(value)
                return
            }
            transmit(value)
        case 1:
            if dlab {
                divisor = divisor & 0x00FF | UInt16(value) << 8
                return
            }
            let changed = (ier ^ value) & IER.etbei != 0
            ier = value & 0x0F
            // Enabling ETBEI with THR empty raises the THRE interrupt at once.
            if changed { thrInterrupt = ier & IER.etbei != 0 }
            updateInterrupt()
        case 2:
            writeFIFOControl(value)
        case 3:
            lcr = value
        case 4:
            let before = effectiveModemInputs
            mcr = value & 0x1F
            noteModemChange(from: before)
            if receiveSpace > 0 && rxWasFull {
                rxWasFull = false
                onReceiveSpace?()
            }
        case 7:
            scratch = value
        default:
            ignoredAccesses += 1  // LSR and MSR are read-only here
        }
    }

    private func transmit(_ byte: UInt8) {
        if loopback {
            // The transmitter output is looped to the receiver; a full FIFO overruns (OE).
            if rx.count < receiveCapacity {
                rx.append(byte)
                restartTimeout()
            } else {
                lineErrors |= LSR.oe
            }
        } else {
            output(byte)
        }
        thrInterrupt = true  // THR is empty again
        updateInterrupt()
    }

    /// FCR: D0 FIFO enable, D1 RCVR FIFO reset, D2 XMIT FIFO reset, D3 DMA mode, D7-D6 RCVR trigger.
    private func writeFIFOControl(_ value: UInt8) {
        let enable = value & 0x01 != 0
        if enable != fifosEnabled {
            // Changing FCR0 clears both FIFOs.
            rx.removeAll()
            fifosEnabled = enable
        }
        if enable {
            if value & 0x02 != 0 { rx.removeAll() }
            receiveTriggerLevel = [1, 4, 8, 14][Int(value >> 6)]
        }
        restartTimeout()
        updateInterrupt()
        if rxWasFull && receiveSpace > 0 {
            rxWasFull = false
            onReceiveSpace?()
        }
    }
}
