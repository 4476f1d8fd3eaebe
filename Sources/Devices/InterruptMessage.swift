import DeviceModel

/// How a local APIC handles an interrupt it receives (SDM Vol. 3, 11.6.1 "Interrupt Command
/// Register", field Delivery Mode; the same encoding in LVT entries, 82093AA redirection entries
/// bits 10:8 and MSI data bits 10:8, SDM 11.11.2). The value 3 is reserved.
public enum APICDeliveryMode: UInt8, Sendable {
    /// The vector goes through IRR/ISR with its priority.
    case fixed = 0
    /// As fixed, to the lowest-priority processor of the destination set.
    case lowestPriority = 1
    /// System management interrupt (not modelled: dropped and counted).
    case smi = 2
    /// Non-maskable interrupt; the vector is ignored (the CPU uses vector 2).
    case nmi = 4
    /// INIT: the processor resets (IPIs; level de-assert is a no-op on modern processors).
    case initialize = 5
    /// Start-up IPI: an application processor starts at `vector << 12` in real mode.
    case startup = 6
    /// External interrupt: the processor asks the 8259A for the vector (an INTA cycle).
    case extINT = 7
}

/// An interrupt message as it travels to local APICs: from an IOAPIC redirection entry, an MSI
/// write, or an inter-processor interrupt (SDM Vol. 3, 11.6 and 11.11; 82093AA, 3.2.4).
public struct InterruptMessage: Equatable, Sendable {
    /// The vector (ignored for NMI, INIT and ExtINT; the start-up page for SIPI).
    public var vector: UInt8
    /// What the receiving APIC does with it.
    public var deliveryMode: APICDeliveryMode
    /// Destination mode: true = logical (matched against LDR/DFR), false = physical (APIC ID).
    public var logicalDestination: Bool
    /// The destination field: an APIC ID (physical; 0xFF = broadcast) or a logical mask.
    public var destination: UInt8
    /// Trigger mode: true = level (the TMR bit is set and EOI is broadcast), false = edge.
    public var levelTriggered: Bool

    public init(vector: UInt8, deliveryMode: APICDeliveryMode = .fixed, logicalDestination: Bool = false,
                destination: UInt8 = 0, levelTriggered: Bool = false) {
        self.vector = vector
        self.deliveryMode = deliveryMode
        self.logicalDestination = logicalDestination
        self.destination = destination
        self.levelTriggered = levelTriggered
    }

    /// Decodes a message-signalled interrupt (SDM Vol. 3, 11.11.1-11.11.2): the address must be in
    /// 0xFEEx_xxxx (bits 19:12 destination ID, bit 2 destination mode; bit 3, redirection hint,
    /// is ignored as no lowest-priority arbitration is modelled) and the data gives the vector
    /// (bits 7:0), delivery mode (10:8) and trigger mode (15). Nil for an address outside the
    /// window or a reserved delivery mode.
    public init?(msiAddress: UInt64, data: UInt32) {
        guard msiAddress >> 20 == 0xFEE, let mode = APICDeliveryMode(rawValue: UInt8((data >> 8) & 7)) else {
            return nil
        }
        self.init(vector: UInt8(truncatingIfNeeded: data), deliveryMode: mode,
                  logicalDestination: msiAddress & 4 != 0,
                  destination: UInt8(truncatingIfNeeded: msiAddress >> 12),
                  levelTriggered: data & 0x8000 != 0)
    }
}

/// One device output driving several controller inputs: a PC's ISA IRQ reaches both the 8259A
/// and the IOAPIC (IRQ0 at IOAPIC pin 2), as on every PC with an IOAPIC and in QEMU.
///
/// ```swift
/// let irq4 = InterruptFanout([pics.line(4), ioapic.line(4)])
/// let com1 = Serial16550(clock: clock, interrupt: irq4, output: ...)
/// ```
public final class InterruptFanout: InterruptLine {
    private let outputs: [InterruptLine]
    /// The level last driven.
    public private(set) var level = false

    public init(_ outputs: [InterruptLine]) {
        self.outputs = outputs
    }

    public func setLevel(_ asserted: Bool) {
        level = asserted
        for o in outputs { o.setLevel(asserted) }
    }
}

/// A shared level-triggered line (PCI INTx wired-OR): asserted while any of its sources asserts.
/// Each source gets its own `InterruptLine` from `source()`; the output changes only when the OR
/// of all of them changes.
public final class SharedInterruptLine {
    private let output: InterruptLine
    private var levels: [Bool] = []
    /// Whether any source asserts the line.
    public private(set) var level = false

    public init(output: InterruptLine) {
        self.output = output
    }

    /// A new input of the wired-OR, initially deasserted.
    public func source() -> InterruptLine {
        levels.append(false)
        return Input(owner: self, index: levels.count - 1)
    }

    fileprivate func set(_ index: Int, _ asserted: Bool) {
        levels[index] = asserted
        let any = levels.contains(true)
        if any != level {
            level = any
            output.setLevel(any)
        }
    }

    private final class Input: InterruptLine {
        unowned let owner: SharedInterruptLine
        let index: Int
        init(owner: SharedInterruptLine, index: Int) {
            self.owner = owner
            self.index = index
        }
        func setLevel(_ asserted: Bool) { owner.set(index, asserted) }
    }
}
