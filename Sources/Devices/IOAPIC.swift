import DeviceModel

/// The Intel 82093AA I/O APIC (datasheet order 290566): 24 interrupt input pins, each with a
/// 64-bit redirection entry that turns it into a message to local APICs.
///
/// Registers, relative to where the chip is mapped (0xFEC0_0000 on the PC; datasheet 3.0), 32-bit
/// accesses only (others are ignored and counted):
/// - offset 0x00 IOREGSEL: bits 7:0 select the register IOWIN reaches.
/// - offset 0x10 IOWIN: the selected register.
/// - offset 0x40 EOI (only with `version` 0x20 or later, as on the ICH IOAPICs): a write of a
///   vector is a directed EOI.
///
/// Indirect registers: 0x00 IOAPICID (ID in bits 27:24), 0x01 IOAPICVER (0x0017_0011: maximum
/// redirection entry 23, version 0x11), 0x02 IOAPICARB (arbitration ID, bits 27:24, loaded from
/// the ID), 0x10 + 2n / 0x11 + 2n: the low / high half of redirection entry n (datasheet 3.2.4):
/// vector 7:0, delivery mode 10:8 (fixed, lowest priority, SMI, NMI, INIT, ExtINT), destination
/// mode 11 (1 = logical), delivery status 12 (read-only), pin polarity 13 (1 = active low), remote
/// IRR 14 (read-only), trigger mode 15 (1 = level), mask 16, destination 63:56. Entries reset
/// masked. Others read 0 and ignore writes (counted).
///
/// Pins are `InterruptLine`s carrying the *asserted* state: a device raises its line to request
/// an interrupt whatever the wire's electrical polarity, and the polarity bit is stored but not
/// applied (as in QEMU), so a guest that programs the polarity the firmware tables declare (ISA
/// active high, PCI active low) sees interrupts the same way.
///
/// Edge-triggered pins send one message per rising edge while unmasked; an edge on a masked pin is
/// lost (datasheet 3.2.4, mask). Level-triggered pins send a message while asserted, unmasked and
/// with remote IRR clear, setting remote IRR (fixed and lowest-priority modes); the local APIC's
/// EOI for that vector (`endOfInterrupt(vector:)`) clears remote IRR and, if the pin is still
/// asserted, sends again. Messages are delivered synchronously through the injected closure, so
/// delivery status always reads 0 (idle). Remote IRR is cleared when an entry is made edge
/// triggered (it is meaningless for edge; Linux relies on this to clear a stale remote IRR).
///
/// Wiring: `IOAPIC(id: 1) { message in lapic.receive(message) }`, mapped at 0xFEC0_0000; the
/// LAPIC's `endOfInterruptBroadcast` calls `endOfInterrupt(vector:)`. ISA IRQ n reaches pin n
/// (IRQ0 reaches pin 2) through an `InterruptFanout` shared with the 8259A; PCI INTx lines
/// reach pins 16-23.
public final class IOAPIC: BusDevice {
    /// The number of input pins (and redirection entries) of the 82093AA.
    public static let pinCount = 24
    /// The usual base address of the first IOAPIC.
    public static let defaultBase: UInt64 = 0xFEC0_0000

    /// Redirection entry bits (datasheet 3.2.4).
    public enum EntryBits {
        public static let logicalDestination: UInt64 = 1 << 11
        public static let deliveryStatus: UInt64 = 1 << 12
        public static let activeLow: UInt64 = 1 << 13
        public static let remoteIRR: UInt64 = 1 << 14
        public static let levelTriggered: UInt64 = 1 << 15
        public static let mask: UInt64 = 1 << 16
    }
    private static let writableBits: UInt64 = 0xFF00_0000_0000_0000 | 0x0001_AFFF

    private let deliverMessage: (InterruptMessage) -> Void
    /// IOAPICVER bits 7:0 (0x11 for the 82093AA, 0x20 for the ICH IOAPICs with an EOI register).
    public let version: UInt8
    /// IOAPICID bits 27:24.
    public private(set) var id: UInt8
    /// IOREGSEL.
    public private(set) var selectedRegister: UInt8 = 0
    private var entries = [UInt64](repeating: EntryBits.mask, count: IOAPIC.pinCount)
    private var levels = [Bool](repeating: false, count: IOAPIC.pinCount)
    private lazy var pinLines: [InterruptLine] = (0..<IOAPIC.pinCount).map { Pin(ioapic: self, pin: $0) }

    /// Guest misbehaviour ignored: bad offsets or sizes, undefined registers, reserved delivery modes.
    public private(set) var ignoredAccesses = 0
    /// Messages sent to the local APICs, per pin.
    public private(set) var messagesSent = [Int](repeating: 0, count: IOAPIC.pinCount)

    /// An IOAPIC whose ID register reads `id` (the ID the firmware tables give it), sending its
    /// messages to `deliver`.
    public init(id: UInt8 = 1, version: UInt8 = 0x11, deliver: @escaping (InterruptMessage) -> Void) {
        self.id = id & 0x0F
        self.version = version
        self.deliverMessage = deliver
    }

    /// The `InterruptLine` of input pin `pin` (0-23).
    public func line(_ pin: Int) -> InterruptLine {
        precondition((0..<IOAPIC.pinCount).contains(pin), "IOAPIC pin \(pin) out of range")
        return pinLines[pin]
    }

    /// The 64-bit redirection entry of `pin`.
    public func redirectionEntry(_ pin: Int) -> UInt64 { entries[pin] }

    /// Whether pin `pin` is asserted.
    public func pinLevel(_ pin: Int) -> Bool { levels[pin] }

    /// Drives input pin `pin` (asserted = true).
    public func setPin(_ pin: Int, level: Bool) {
        guard (0..<IOAPIC.pinCount).contains(pin) else { return }
        let rising = level && !levels[pin]
        levels[pin] = level
        let e = entries[pin]
        if e & EntryBits.levelTriggered != 0 {
            evaluateLevel(pin)
        } else if rising && e & EntryBits.mask == 0 {
            send(pin)
        }
    }

    /// An EOI broadcast from a local APIC (or a write of the EOI register): every level-triggered
    /// entry with this vector and remote IRR set gets remote IRR cleared, and is re-sent if its pin
    /// is still asserted (datasheet 3.2.4, remote IRR).
    public func endOfInterrupt(vector: UInt8) {
        for pin in 0..<IOAPIC.pinCount {
            let e = entries[pin]
            guard e & EntryBits.remoteIRR != 0, UInt8(truncatingIfNeeded: e) == vector else { continue }
            entries[pin] = e & ~EntryBits.remoteIRR
            evaluateLevel(pin)
        }
    }

    private func evaluateLevel(_ pin: Int) {
        let e = entries[pin]
        guard levels[pin], e & EntryBits.levelTriggered != 0, e & EntryBits.mask == 0,
              e & EntryBits.remoteIRR == 0 else { return }
        let mode = (e >> 8) & 7
        if mode == 0 || mode == 1 { entries[pin] = e | EntryBits.remoteIRR }
        send(pin)
    }

    private func send(_ pin: Int) {
        let e = entries[pin]
        guard let mode = APICDeliveryMode(rawValue: UInt8((e >> 8) & 7)) else {
            ignoredAccesses += 1
            return
        }
        messagesSent[pin] += 1
        deliverMessage(InterruptMessage(vector: UInt8(truncatingIfNeeded: e), deliveryMode: mode,
                                        logicalDestination: e & EntryBits.logicalDestination != 0,
                                        destination: UInt8(truncatingIfNeeded: e >> 56),
                                        levelTriggered: e & EntryBits.levelTriggered != 0))
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        switch (offset, size) {
        case (0x00, 4), (0x00, 1):
            return UInt64(selectedRegister)
        case (0x10, 4):
            return UInt64(readRegister(selectedRegister))
        default:
            ignoredAccesses += 1
            return size >= 8 ? ~0 : (1 << UInt64(max(size, 0) * 8)) &- 1
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        switch (offset, size) {
        case (0x00, 4), (0x00, 1):
            selectedRegister = UInt8(truncatingIfNeeded: value)
        case (0x10, 4):
            writeRegister(selectedRegister, UInt32(truncatingIfNeeded: value))
        case (0x40, 4) where version >= 0x20:
            endOfInterrupt(vector: UInt8(truncatingIfNeeded: value))
        default:
            ignoredAccesses += 1
        }
    }

    private func readRegister(_ r: UInt8) -> UInt32 {
        switch r {
        case 0x00, 0x02: return UInt32(id) << 24
        case 0x01: return UInt32(IOAPIC.pinCount - 1) << 16 | UInt32(version)
        case 0x10..<0x40:
            let e = entries[Int(r - 0x10) / 2]
            return UInt32(truncatingIfNeeded: r & 1 == 0 ? e : e >> 32)
        default:
            ignoredAccesses += 1
            return 0
        }
    }

    private func writeRegister(_ r: UInt8, _ v: UInt32) {
        switch r {
        case 0x00:
            id = UInt8((v >> 24) & 0x0F)
        case 0x10..<0x40:
            let pin = Int(r - 0x10) / 2
            let old = entries[pin]
            let half: UInt64 = r & 1 == 0 ? UInt64(v) : UInt64(v) << 32
            let halfMask: UInt64 = r & 1 == 0 ? 0xFFFF_FFFF : 0xFFFF_FFFF_0000_0000
            let writable = IOAPIC.writableBits & halfMask
            var e = (old & ~writable) | (half & writable)
            if e & EntryBits.levelTriggered == 0 { e &= ~EntryBits.remoteIRR }
            entries[pin] = e
            // Unmasking (or making level) an asserted level-triggered pin delivers it now.
            if e & EntryBits.levelTriggered != 0 { evaluateLevel(pin) }
        default:
            ignoredAccesses += 1  // IOAPICVER and IOAPICARB are read-only
        }
    }

    private final class Pin: InterruptLine {
        unowned let ioapic: IOAPIC
        let pin: Int
        init(ioapic: IOAPIC, pin: Int) {
            self.ioapic = ioapic
            self.pin = pin
        }
        func setLevel(_ asserted: Bool) { ioapic.setPin(pin, level: asserted) }
    }
}
