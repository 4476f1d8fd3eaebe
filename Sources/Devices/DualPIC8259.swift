import DeviceModel

/// The PC/AT pair of 8259A interrupt controllers: a master (IRQ0-7, ports 0x20-0x21) and a slave
/// (IRQ8-15, ports 0xA0-0xA1) whose INT output drives the master's IR2, plus the chipset's
/// Edge/Level Control Registers ELCR1/ELCR2 (ports 0x4D0-0x4D1, PIIX/ICH datasheets).
///
/// Wiring, in the machine:
/// ```swift
/// let pics = DualPIC8259(output: cpuINTR)          // or the LAPIC's LINT0 (ExtINT)
/// try ports.map(pics.master, base: 0x20, length: 2)
/// try ports.map(pics.slave, base: 0xA0, length: 2)
/// try ports.map(pics.elcr, base: 0x4D0, length: 2)
/// let serial = Serial16550(clock: clock, interrupt: pics.line(4), output: { ... })
/// // INTA: if pics.interruptPending { vector = pics.acknowledge() }
/// ```
public final class DualPIC8259 {
    /// The master 8259A (IRQ0-7), driving the injected output line.
    public let master: PIC8259
    /// The slave 8259A (IRQ8-15), cascaded on the master's IR2.
    public let slave: PIC8259
    /// ELCR1 (offset 0, IRQ0-7) and ELCR2 (offset 1, IRQ8-15); map at port 0x4D0.
    public let elcr: EdgeLevelControl
    private var lines: [InputLine] = []

    /// The IR input of the master that carries the slave (IRQ2 on the PC/AT).
    public static let cascadeIRQ = 2

    /// A pair whose master INT drives `output` (the CPU's INTR pin, or LINT0 of a local APIC).
    public init(output: InterruptLine) {
        // ELCR1 bits 0-2 and ELCR2 bits 0 and 5 (IRQ0, 1, 2, 8, 13) must stay edge (PIIX4 datasheet, ELCR).
        master = PIC8259(output: output, elcrWritableMask: 0xF8, cascadeInputs: 1 << 2)
        let cascade = InputLine(chip: master, pin: DualPIC8259.cascadeIRQ)
        slave = PIC8259(output: cascade, elcrWritableMask: 0xDE)
        elcr = EdgeLevelControl(master: master, slave: slave)
        lines = (0..<16).map { InputLine(chip: $0 < 8 ? master : slave, pin: $0 & 7) }
    }

    /// The interrupt line for ISA IRQ `irq` (0-15), to inject into a device.
    public func line(_ irq: Int) -> InterruptLine {
        precondition((0..<16).contains(irq), "IRQ \(irq) is not an 8259 input")
        return lines[irq]
    }

    /// Drives IRQ `irq` (0-15) directly.
    public func setIRQ(_ irq: Int, level: Bool) {
        line(irq).setLevel(level)
    }

    /// Whether the master asserts INT.
    public var interruptPending: Bool { master.interruptPending }

    /// The INTA cycle: the vector of the highest-priority request. When the master's winner is the
    /// cascade input the slave supplies the vector. With no request left the answer is the spurious
    /// vector: master base + 7 with no ISR bit set, or slave base + 7 with only the master's IR2 in
    /// service (the guest must then EOI the master, as Linux does for spurious IRQ15).
    public func acknowledge() -> UInt8 {
        guard let pin = master.acknowledgeInput() else { return master.vectorBase | 7 }
        if pin == UInt8(DualPIC8259.cascadeIRQ) && !master.singleMode {
            return slave.vectorBase | (slave.acknowledgeInput() ?? 7)
        }
        return master.vectorBase | pin
    }

    /// ELCR1/ELCR2 (PIIX4 / ICH "Edge/Level Control Register"): one bit per IRQ, 1 = level triggered.
    public final class EdgeLevelControl: BusDevice {
        private let master: PIC8259
        private let slave: PIC8259
        /// Accesses past the two registers, or of bad size.
        public private(set) var ignoredAccesses = 0

        init(master: PIC8259, slave: PIC8259) {
            self.master = master
            self.slave = slave
        }

        public func read(offset: UInt64, size: Int) -> UInt64 {
            ISABus.read(offset: offset, size: size, registers: 2, ignore: { ignoredAccesses += 1 }) {
                $0 == 0 ? master.elcr : slave.elcr
            }
        }

        public func write(offset: UInt64, size: Int, value: UInt64) {
            ISABus.write(offset: offset, size: size, value: value, registers: 2, ignore: { ignoredAccesses += 1 }) {
                if $0 == 0 { master.setELCR($1) } else { slave.setELCR($1) }
            }
        }
    }

    /// An IR input of one chip, as an `InterruptLine`.
    final class InputLine: InterruptLine {
        let chip: PIC8259
        let pin: Int
        init(chip: PIC8259, pin: Int) {
            self.chip = chip
            self.pin = pin
        }
        func setLevel(_ asserted: Bool) { chip.setInput(pin, level: asserted) }
    }
}
