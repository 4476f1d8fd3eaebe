import DeviceModel

/// A processor's local APIC in xAPIC mode (Intel SDM Vol. 3A, chapter 11 "Advanced Programmable
/// Interrupt Controller (APIC)"): the 4 KiB register page normally at 0xFEE0_0000, interrupt
/// acceptance by priority, EOI, inter-processor interrupts, the LINT0/LINT1 pins and the timer in
/// one-shot, periodic and TSC-deadline modes. x2APIC is not implemented (and must not be advertised).
///
/// Registers, as offsets in the page (SDM Table 11-1); each is a 32-bit register at a 16-byte
/// aligned offset. Reads of 1, 2 or 4 bytes within the first 4 bytes of a slot are answered (the
/// other 12 bytes read 0); writes must be 32-bit (or 64-bit, whose low half is taken) and aligned,
/// else they are ignored and counted (`ignoredAccesses`), as KVM does.
///
/// | offset | register |
/// |---|---|
/// | 0x020 | Local APIC ID (bits 31:24) |
/// | 0x030 | Version: 0x0005_0014 (integrated APIC, 6 LVT entries, no EOI-broadcast suppression) |
/// | 0x080 / 0x090 / 0x0A0 | TPR / APR (reads 0) / PPR |
/// | 0x0B0 | EOI (write) |
/// | 0x0D0 / 0x0E0 | LDR (bits 31:24) / DFR (bits 31:28: 1111 flat, 0000 cluster) |
/// | 0x0F0 | Spurious-interrupt vector: vector 7:0, APIC software enable 8, focus checking 9 |
/// | 0x100-0x170 / 0x180-0x1F0 / 0x200-0x270 | ISR / TMR / IRR, 32 vectors per register |
/// | 0x280 | Error status (a write latches the errors seen since the last write) |
/// | 0x300 / 0x310 | ICR low (a write sends the IPI) / ICR high (destination, bits 31:24) |
/// | 0x320-0x370 | LVT timer, thermal, performance counters, LINT0, LINT1, error |
/// | 0x380 / 0x390 / 0x3E0 | timer initial count / current count / divide configuration |
///
/// Any other offset is an illegal register address: reads give 0 and ESR bit 7 is recorded.
///
/// Wiring, in the machine (one processor):
/// ```swift
/// let lapic = LocalAPIC(clock: clock, tscFrequency: 2_000_000_000)
/// let pics = DualPIC8259(output: lapic.lint0)              // 8259 INT -> LINT0 (ExtINT)
/// lapic.externalInterruptAcknowledge = { pics.acknowledge() }
/// let ioapic = IOAPIC(id: 1) { lapic.receive($0) }
/// lapic.endOfInterruptBroadcast = { ioapic.endOfInterrupt(vector: $0) }
/// try mmio.map(lapic, base: LocalAPIC.defaultBase, length: 0x1000)
/// machine.interruptSource = (pending: { lapic.interruptPending }, acknowledge: { lapic.acknowledge() })
/// // MSRs 0x1B and 0x6E0: lapic.readMSR(_:) / lapic.writeMSR(_:_:); CR8: lapic.taskPriority
/// ```
///
/// Interrupt sources: the LVT (timer, LINT0/1, error), `receive(_:)` (IOAPIC redirection entries,
/// MSIs and IPIs from other processors: checks the destination), `deliver(_:)` (no destination
/// check) and this APIC's own ICR. Fixed and lowest-priority interrupts with vectors 0-15 are
/// refused with a "receive illegal vector" error (SDM 11.5.3).
///
/// Acceptance (SDM 11.8.3-11.8.4): a fixed interrupt sets its IRR bit and its TMR bit (1 for level
/// triggered). The CPU is interrupted (`interruptPending`) when the highest IRR vector's priority
/// class (bits 7:4) is above the processor-priority class: PPR = TPR if TPR[7:4] >= ISRV[7:4],
/// else ISRV[7:4] with bits 3:0 clear, where ISRV is the highest vector in service. `acknowledge()`
/// (the INTA cycle) moves that vector from IRR to ISR; if nothing is deliverable any more it answers
/// the spurious vector (SVR bits 7:0) without touching ISR. An EOI write clears the highest ISR bit;
/// if that vector's TMR bit is set, `endOfInterruptBroadcast` tells the IOAPIC(s) (SDM 11.8.5).
///
/// External interrupts (the 8259A): LINT0 in ExtINT delivery mode, unmasked, with the pin high, or
/// an ExtINT message from the IOAPIC, make `interruptPending` true ahead of any IRR vector; the INTA
/// then calls `externalInterruptAcknowledge` (the 8259A's INTA cycle) and returns its vector, which
/// never enters IRR/ISR and takes no EOI at the APIC (SDM 10.5.1, ExtINT). When the APIC is
/// globally disabled (IA32_APIC_BASE bit 11 = 0) LINT0 is the INTR pin and LINT1 the NMI pin.
///
/// Reset: the power-up state of SDM 11.4.7.1 (IRR/ISR/TMR/ICR/LDR/TPR/timer 0, DFR all ones, LVTs
/// masked, SVR 0xFF: software disabled). A bootstrap processor built with `virtualWire: true`
/// starts with LINT0 = ExtINT, unmasked (0x700), the state a BIOS leaves ("virtual wire mode", MP
/// spec 3.6.2.2) and the one QEMU and KVM give the BSP at reset; an unmasked ExtINT LINT0 passes
/// 8259A interrupts even while the APIC is software disabled, as on QEMU and KVM, so a guest that
/// never touches the APIC sees the PIC's interrupts. Clearing SVR bit 8 masks every LVT entry and
/// keeps them masked while software disabled (SDM 11.4.7.2).
///
/// Timer (SDM 11.5.4): it counts bus clocks (`timerFrequency`, 1 GHz by default as in QEMU and
/// KVM) divided by the divide configuration (DCR bits 0,1,3: 000 = 2, 001 = 4, ... 110 = 128,
/// 111 = 1). The current count is computed from the injected `Clock`, and each expiry is a scheduled
/// callback whether or not the LVT entry is masked (a masked expiry is dropped). One-shot: a write of
/// the initial count N starts counting; the interrupt comes N * divisor bus clocks later and the
/// count stays 0. Periodic: every N * divisor bus clocks, the count reloading; periods shorter than
/// `minimumPeriod` are stretched to it for interrupt delivery (KVM does the same with 200 us), so a
/// guest cannot flood the machine with callbacks. An initial count of 0 stops the timer. Changing the
/// divide configuration while counting keeps the current count and continues at the new rate.
/// TSC-deadline (LVT bits 18:17 = 10): the initial count is ignored and the current count reads 0;
/// the CPU's WRMSR IA32_TSC_DEADLINE goes to `writeTSCDeadline(_:)`; the interrupt comes when the
/// TSC (derived from the clock: floor(ns * tscFrequency / 10^9) + `tscOffset`) reaches the deadline,
/// at once for a deadline already past, and the deadline then reads 0; writing 0 disarms. Moving
/// into or out of TSC-deadline mode disarms the timer (initial count and deadline 0), as KVM does.
/// The reserved mode 11 behaves as one-shot.
///
/// ICR (SDM 11.6.1): fixed, lowest priority (delivered as fixed), NMI, INIT, start-up; destination
/// shorthands self, all including self, all excluding self, or a physical/logical destination.
/// The part that reaches this APIC (ICR destination matching its own ID or logical destination) is
/// delivered at once, so the delivery status bit always reads 0 (idle); the part for other
/// processors goes to `otherProcessors` (the machine's job when it has more than one CPU). INIT
/// to this processor calls `initHandler`, a start-up IPI `startupHandler` (vector = start page);
/// INIT level de-assert is a no-op. A fixed IPI with a vector below 16 records "send illegal vector".
public final class LocalAPIC: BusDevice {
    /// Register offsets in the APIC page (SDM Vol. 3A, Table 11-1).
    public enum Register {
        public static let id: UInt64 = 0x020, version: UInt64 = 0x030
        public static let taskPriority: UInt64 = 0x080, arbitrationPriority: UInt64 = 0x090
        public static let processorPriority: UInt64 = 0x0A0, endOfInterrupt: UInt64 = 0x0B0
        public static let remoteRead: UInt64 = 0x0C0, logicalDestination: UInt64 = 0x0D0
        public static let destinationFormat: UInt64 = 0x0E0, spuriousVector: UInt64 = 0x0F0
        public static let inService: UInt64 = 0x100, triggerMode: UInt64 = 0x180, interruptRequest: UInt64 = 0x200
        public static let errorStatus: UInt64 = 0x280
        public static let interruptCommandLow: UInt64 = 0x300, interruptCommandHigh: UInt64 = 0x310
        public static let lvtTimer: UInt64 = 0x320, lvtThermal: UInt64 = 0x330, lvtPerformance: UInt64 = 0x340
        public static let lvtLINT0: UInt64 = 0x350, lvtLINT1: UInt64 = 0x360, lvtError: UInt64 = 0x370
        public static let timerInitialCount: UInt64 = 0x380, timerCurrentCount: UInt64 = 0x390
        public static let timerDivideConfiguration: UInt64 = 0x3E0
    }

    /// Bits of the Error Status Register (SDM Figure 11-9).
    public enum ErrorStatus {
        public static let sendIllegalVector: UInt32 = 1 << 5
        public static let receiveIllegalVector: UInt32 = 1 << 6
        public static let illegalRegisterAddress: UInt32 = 1 << 7
    }

    /// LVT entry bits (SDM Figure 11-8).
    public enum LVTBits {
        public static let mask: UInt32 = 1 << 16
        public static let levelTriggered: UInt32 = 1 << 15
        public static let remoteIRR: UInt32 = 1 << 14
    }

    /// Timer modes, LVT timer bits 18:17 (SDM Table 11-2).
    public enum TimerMode: UInt32, Sendable {
        case oneShot = 0, periodic = 1, tscDeadline = 2, reserved = 3
    }

    /// Destination shorthands, ICR bits 19:18.
    public enum DestinationShorthand: UInt8, Sendable {
        case none = 0, selfOnly = 1, allIncludingSelf = 2, allExcludingSelf = 3
    }

    /// The architectural default base of the register page (IA32_APIC_BASE bits 35:12 at reset).
    public static let defaultBase: UInt64 = 0xFEE0_0000
    /// The version register: version 0x14 (integrated APIC), max LVT entry 5 (six entries).
    public static let versionValue: UInt32 = 0x0005_0014
    /// MSR IA32_APIC_BASE.
    public static let msrAPICBase: UInt32 = 0x1B
    /// MSR IA32_TSC_DEADLINE.
    public static let msrTSCDeadline: UInt32 = 0x6E0

    private static let lvtWriteMasks: [UInt32] = [
        0x0007_00FF,  // timer: vector, mask, mode 18:17
        0x0001_07FF,  // thermal: vector, delivery mode, mask
        0x0001_07FF,  // performance counters
        0x0001_A7FF,  // LINT0: vector, delivery mode, polarity, trigger, mask
        0x0001_A7FF,  // LINT1
        0x0001_00FF,  // error: vector, mask
    ]
    private static let lvtTimer = 0, lvtLINT0 = 3, lvtError = 5

    // MARK: Configuration and injected collaborators

    private let clock: Clock
    /// The TSC rate (Hz) the CPU's RDTSC runs at; the deadline timer compares against it.
    public let tscFrequency: UInt64
    /// The timer's input clock (the "bus clock", Hz) before the divide configuration.
    public let timerFrequency: UInt64
    /// The shortest period (ns) a periodic timer delivers interrupts at.
    public let minimumPeriod: UInt64
    /// Whether this is the bootstrap processor (IA32_APIC_BASE bit 8).
    public let isBootstrapProcessor: Bool
    private let virtualWire: Bool

    /// The 8259A's INTA cycle, called when the CPU takes an ExtINT interrupt; returns its vector.
    public var externalInterruptAcknowledge: () -> UInt8 = { 0xFF }
    /// Called with the vector on an EOI for a level-triggered interrupt (to the IOAPICs' EOI).
    public var endOfInterruptBroadcast: ((UInt8) -> Void)?
    /// IPIs (ICR writes) whose destination includes other processors: deliver to their APICs.
    /// This APIC has already taken the part addressed to itself.
    public var otherProcessors: ((InterruptMessage, DestinationShorthand) -> Void)?
    /// INIT delivered to this processor.
    public var initHandler: (() -> Void)?
    /// Start-up IPI delivered to this processor, with its vector (start address = vector << 12).
    public var startupHandler: ((UInt8) -> Void)?
    /// Called whenever an interrupt or NMI becomes pending (to wake a halted CPU, kick an engine).
    public var interruptRequested: (() -> Void)?
    /// Added to the clock-derived TSC; must match the CPU's TSC offset (guest writes of IA32_TSC).
    public var tscOffset: UInt64 = 0

    /// The LINT0 pin: the 8259A's INT output is wired here (ExtINT) on a PC.
    public private(set) lazy var lint0: InterruptLine = Pin(apic: self, index: 0)
    /// The LINT1 pin: NMI on a PC.
    public private(set) lazy var lint1: InterruptLine = Pin(apic: self, index: 1)

    // MARK: State

    /// IA32_APIC_BASE: base address (bits 35:12), global enable (bit 11), BSP (bit 8).
    public private(set) var baseMSR: UInt64
    /// Local APIC ID (the ID register's bits 31:24).
    public private(set) var apicID: UInt8
    private var initialAPICID: UInt8
    /// TPR bits 7:0.
    public private(set) var tpr: UInt8 = 0
    private var ldr: UInt32 = 0
    private var dfr: UInt32 = 0xFFFF_FFFF
    /// The spurious-interrupt vector register.
    public private(set) var svr: UInt32 = 0xFF
    private(set) var irr = Bitmap256()
    private(set) var isr = Bitmap256()
    private(set) var tmr = Bitmap256()
    private var esr: UInt32 = 0
    private var pendingErrors: UInt32 = 0
    private var icrLow: UInt32 = 0
    private var icrHigh: UInt32 = 0
    private var lvt = [UInt32](repeating: LVTBits.mask, count: 6)
    private var lintLevels = [false, false]
    private var extINTMessagePending = false

    private var initialCount: UInt32 = 0
    private var dcr: UInt32 = 0
    private var timerStart: UInt64 = 0  // bus tick at which counting (virtually) started
    private var oneShotArmed = false
    private var deadline: UInt64 = 0
    private var timerToken: TimerToken?

    /// Whether the CPU should be interrupted (INTR as the CPU sees it): an ExtINT, or an IRR vector
    /// above the processor priority. Kept up to date on every change, so reading it costs nothing.
    public private(set) var interruptPending = false
    /// A non-maskable interrupt waits for the CPU (LINT1 in NMI mode, NMI IPI or message).
    public private(set) var nmiPending = false

    /// Guest misbehaviour ignored: bad sizes or alignment, writes to read-only registers, accesses
    /// while globally disabled, SMIs and reserved delivery modes.
    public private(set) var ignoredAccesses = 0
    /// Interrupts accepted into IRR while their vector was already requested (coalesced).
    public private(set) var coalescedInterrupts = 0

    /// A local APIC with ID `id`. `tscFrequency` is the rate of the CPU's TSC (Hz);
    /// `timerFrequency` the timer's bus clock (Hz). A bootstrap processor with `virtualWire` starts
    /// with LINT0 in ExtINT mode, unmasked, so the 8259A reaches the CPU through it.
    public init(id: UInt8 = 0, isBootstrapProcessor: Bool = true, virtualWire: Bool = true, clock: Clock,
                tscFrequency: UInt64, timerFrequency: UInt64 = 1_000_000_000, minimumPeriod: UInt64 = 100_000) {
        precondition(tscFrequency > 0 && timerFrequency > 0, "APIC clock rates must be positive")
        self.clock = clock
        self.tscFrequency = tscFrequency
        self.timerFrequency = timerFrequency
        self.minimumPeriod = minimumPeriod
        self.isBootstrapProcessor = isBootstrapProcessor
        self.virtualWire = virtualWire && isBootstrapProcessor
        apicID = id
        initialAPICID = id
        baseMSR = LocalAPIC.defaultBase | 0x800 | (isBootstrapProcessor ? 0x100 : 0)
        if self.virtualWire { lvt[LocalAPIC.lvtLINT0] = 0x700 }
    }

    /// Whether IA32_APIC_BASE bit 11 (APIC global enable) is set.
    public var hardwareEnabled: Bool { baseMSR & 0x800 != 0 }
    /// Whether SVR bit 8 (APIC software enable) is set.
    public var softwareEnabled: Bool { svr & 0x100 != 0 }
    /// The physical address of the register page (IA32_APIC_BASE bits 35:12).
    public var baseAddress: UInt64 { baseMSR & 0xF_FFFF_F000 }
    /// The spurious-interrupt vector (SVR bits 7:0).
    public var spuriousVector: UInt8 { UInt8(truncatingIfNeeded: svr) }

    /// TPR: also CR8 in 64-bit mode, which holds TPR bits 7:4 (SDM 10.8.6.1): MOV to CR8 writes
    /// `taskPriority = UInt8(cr8 << 4)`, MOV from CR8 reads `taskPriority >> 4`.
    public var taskPriority: UInt8 {
        get { tpr }
        set {
            tpr = newValue
            update()
        }
    }

    /// PPR (SDM 11.8.3.1).
    public var processorPriority: UInt8 {
        let isrv = UInt8(isr.highest ?? 0)
        return tpr >> 4 >= isrv >> 4 ? tpr : isrv & 0xF0
    }

    /// The current value of a LVT entry (0 timer, 1 thermal, 2 performance, 3 LINT0, 4 LINT1, 5 error).
    public func lvtEntry(_ index: Int) -> UInt32 { lvt[index] }

    /// Whether `vector`'s bit is set in IRR / ISR / TMR.
    public func isRequested(_ vector: UInt8) -> Bool { irr.contains(vector) }
    public func isInService(_ vector: UInt8) -> Bool { isr.contains(vector) }
    public func isLevelTriggered(_ vector: UInt8) -> Bool { tmr.contains(vector) }

    // MARK: The CPU's side

    /// The INTA cycle: the vector the CPU takes. See the type's documentation.
    public func acknowledge() -> UInt8 {
        if !hardwareEnabled || externalInterruptPending {
            extINTMessagePending = false
            let v = externalInterruptAcknowledge()
            update()
            return v
        }
        guard let v = irr.highest, v >> 4 > Int(processorPriority >> 4) else {
            update()
            return spuriousVector
        }
        irr.remove(UInt8(v))
        isr.insert(UInt8(v))
        update()
        return UInt8(v)
    }

    /// The CPU takes the pending NMI (vector 2).
    public func acknowledgeNMI() {
        nmiPending = false
    }

    /// Whether an ExtINT interrupt is waiting: LINT0 (ExtINT, unmasked) high, or an ExtINT message.
    private var externalInterruptPending: Bool {
        if extINTMessagePending { return true }
        let l = lvt[LocalAPIC.lvtLINT0]
        return lintLevels[0] && l & LVTBits.mask == 0 && (l >> 8) & 7 == 7
    }

    private func update() {
        let was = interruptPending
        if !hardwareEnabled {
            interruptPending = lintLevels[0]
        } else if externalInterruptPending {
            interruptPending = true
        } else if let v = irr.highest {
            interruptPending = v >> 4 > Int(processorPriority >> 4)
        } else {
            interruptPending = false
        }
        if interruptPending && !was { interruptRequested?() }
    }

    // MARK: MSRs

    /// Whether `index` is an MSR this APIC implements (IA32_APIC_BASE, IA32_TSC_DEADLINE).
    public func handlesMSR(_ index: UInt32) -> Bool {
        index == LocalAPIC.msrAPICBase || index == LocalAPIC.msrTSCDeadline
    }

    /// RDMSR of IA32_APIC_BASE or IA32_TSC_DEADLINE (0 for others).
    public func readMSR(_ index: UInt32) -> UInt64 {
        switch index {
        case LocalAPIC.msrAPICBase: baseMSR
        case LocalAPIC.msrTSCDeadline: tscDeadline
        default: 0
        }
    }

    /// WRMSR of IA32_APIC_BASE or IA32_TSC_DEADLINE. False means the write raises #GP: reserved
    /// bits of IA32_APIC_BASE (0-7, 9) or the x2APIC enable bit 10 (x2APIC is not implemented).
    /// Clearing the global enable bit returns the APIC to its power-up state (SDM 11.4.3).
    /// Moving the base is recorded in `baseAddress`; remapping the page is the machine's job.
    public func writeMSR(_ index: UInt32, _ value: UInt64) -> Bool {
        switch index {
        case LocalAPIC.msrAPICBase:
            guard value & 0x6FF == 0, value >> 36 == 0 else { return false }
            let enable = value & 0x800 != 0
            if !enable && hardwareEnabled { powerUpReset() }
            baseMSR = (value & ~0x100) | (isBootstrapProcessor ? 0x100 : 0)
            update()
            return true
        case LocalAPIC.msrTSCDeadline:
            writeTSCDeadline(value)
            return true
        default:
            return false
        }
    }

    /// IA32_TSC_DEADLINE as the CPU reads it: the armed deadline in TSC-deadline mode (0 once it
    /// has fired or when disarmed), 0 in the other timer modes.
    public var tscDeadline: UInt64 {
        guard timerMode == .tscDeadline, deadline != 0 else { return 0 }
        if timeStampCounter >= deadline {
            // Expired but its callback has not run yet (same instant): it fires now.
            timerExpired()
            return 0
        }
        return deadline
    }

    /// WRMSR IA32_TSC_DEADLINE (SDM 11.5.4.1): arms the deadline timer (0 disarms). Ignored unless
    /// the LVT timer is in TSC-deadline mode.
    public func writeTSCDeadline(_ value: UInt64) {
        guard timerMode == .tscDeadline else { return }
        deadline = value
        rescheduleTimer()
    }

    /// The TSC at the clock's current time.
    public var timeStampCounter: UInt64 { tsc(atNanoseconds: clock.now) }

    /// The TSC at virtual time `ns`: floor(ns * tscFrequency / 10^9) + tscOffset.
    public func tsc(atNanoseconds ns: UInt64) -> UInt64 {
        (LocalAPIC.scale(ns, tscFrequency, 1_000_000_000, roundUp: false) ?? .max) &+ tscOffset
    }

    private func powerUpReset() {
        if let t = timerToken { clock.cancel(t) }
        timerToken = nil
        apicID = initialAPICID
        tpr = 0
        ldr = 0
        dfr = 0xFFFF_FFFF
        svr = 0xFF
        irr = Bitmap256()
        isr = Bitmap256()
        tmr = Bitmap256()
        esr = 0
        pendingErrors = 0
        icrLow = 0
        icrHigh = 0
        lvt = [UInt32](repeating: LVTBits.mask, count: 6)
        extINTMessagePending = false
        initialCount = 0
        dcr = 0
        oneShotArmed = false
        deadline = 0
    }

    // MARK: Messages from IOAPICs, MSIs and other processors

    /// Whether this APIC is among the destinations of a message (SDM 11.6.2): physical mode
    /// matches the APIC ID (0xFF = all); logical mode matches LDR under the DFR model, flat
    /// (LDR[31:24] AND destination != 0) or cluster (high nibbles equal, low nibbles intersect).
    public func accepts(destination: UInt8, logical: Bool) -> Bool {
        if destination == 0xFF { return true }
        if !logical { return destination == apicID }
        let logicalID = UInt8(truncatingIfNeeded: ldr >> 24)
        if dfr >> 28 == 0xF { return logicalID & destination != 0 }
        return logicalID >> 4 == destination >> 4 && logicalID & destination & 0x0F != 0
    }

    /// A message on the APIC bus / system bus: taken if this APIC is a destination.
    public func receive(_ message: InterruptMessage) {
        guard accepts(destination: message.destination, logical: message.logicalDestination) else { return }
        deliver(message)
    }

    /// Delivers a fixed interrupt with `vector` to this APIC (an IOAPIC or MSI already routed here).
    public func deliver(vector: UInt8, levelTriggered: Bool) {
        deliver(InterruptMessage(vector: vector, deliveryMode: .fixed, levelTriggered: levelTriggered))
    }

    /// Delivers a message to this APIC without a destination check.
    public func deliver(_ message: InterruptMessage) {
        guard hardwareEnabled else {
            ignoredAccesses += 1
            return
        }
        switch message.deliveryMode {
        case .fixed, .lowestPriority:
            // A software-disabled APIC accepts no fixed interrupts (SDM 11.4.7.2).
            guard softwareEnabled else {
                ignoredAccesses += 1
                return
            }
            accept(vector: message.vector, levelTriggered: message.levelTriggered)
        case .nmi:
            raiseNMI()
        case .initialize:
            initHandler?()
        case .startup:
            startupHandler?(message.vector)
        case .extINT:
            extINTMessagePending = true
            update()
        case .smi:
            ignoredAccesses += 1
        }
    }

    private func raiseNMI() {
        let was = nmiPending
        nmiPending = true
        if !was { interruptRequested?() }
    }

    /// Sets IRR (and TMR) for a fixed interrupt, or records a receive-illegal-vector error.
    private func accept(vector: UInt8, levelTriggered: Bool) {
        guard vector >= 16 else {
            recordError(ErrorStatus.receiveIllegalVector)
            return
        }
        if irr.contains(vector) { coalescedInterrupts += 1 }
        irr.insert(vector)
        if levelTriggered { tmr.insert(vector) } else { tmr.remove(vector) }
        update()
    }

    private func recordError(_ bit: UInt32) {
        pendingErrors |= bit
        let e = lvt[LocalAPIC.lvtError]
        guard e & LVTBits.mask == 0 else { return }
        let vector = UInt8(truncatingIfNeeded: e)
        if vector < 16 {
            pendingErrors |= ErrorStatus.receiveIllegalVector  // no delivery: no recursion
        } else {
            accept(vector: vector, levelTriggered: false)
        }
    }

    // MARK: LINT pins

    fileprivate func pinChanged(_ index: Int, _ level: Bool) {
        let rising = level && !lintLevels[index]
        lintLevels[index] = level
        guard hardwareEnabled else {
            if index == 1 && rising { raiseNMI() }  // LINT1 is the NMI pin
            update()
            return
        }
        let entry = lvt[LocalAPIC.lvtLINT0 + index]
        let masked = entry & LVTBits.mask != 0
        switch (entry >> 8) & 7 {
        case 7:  // ExtINT: level, sampled by update()
            break
        case 4:  // NMI: edge
            if rising && !masked { raiseNMI() }
        case 0:  // fixed
            if entry & LVTBits.levelTriggered != 0 {
                evaluateLevelLINT(index)
            } else if rising && !masked {
                accept(vector: UInt8(truncatingIfNeeded: entry), levelTriggered: false)
            }
        default:
            ignoredAccesses += 1
        }
        update()
    }

    /// A level-triggered fixed LINT input: delivered while high, unmasked and remote IRR clear; remote
    /// IRR is set on acceptance and cleared by the EOI for its vector (SDM Figure 11-8).
    private func evaluateLevelLINT(_ index: Int) {
        let i = LocalAPIC.lvtLINT0 + index
        let entry = lvt[i]
        guard lintLevels[index], entry & LVTBits.mask == 0, (entry >> 8) & 7 == 0,
              entry & LVTBits.levelTriggered != 0, entry & LVTBits.remoteIRR == 0 else { return }
        lvt[i] |= LVTBits.remoteIRR
        accept(vector: UInt8(truncatingIfNeeded: entry), levelTriggered: true)
    }

    private final class Pin: InterruptLine {
        unowned let apic: LocalAPIC
        let index: Int
        init(apic: LocalAPIC, index: Int) {
            self.apic = apic
            self.index = index
        }
        func setLevel(_ asserted: Bool) { apic.pinChanged(index, asserted) }
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        guard hardwareEnabled, offset < 0x1000, size == 1 || size == 2 || size == 4 || size == 8 else {
            ignoredAccesses += 1
            return size >= 8 ? ~0 : (1 << UInt64(max(size, 0) * 8)) &- 1
        }
        let byte = offset & 0xF
        guard byte < 4 else { return 0 }
        let value = UInt64(readRegister(offset & ~0xF)) >> (byte * 8)
        return size >= 8 ? value : value & ((1 << UInt64(size * 8)) - 1)
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        guard hardwareEnabled, offset < 0x1000, offset & 0xF == 0, size == 4 || size == 8 else {
            ignoredAccesses += 1
            return
        }
        writeRegister(offset, UInt32(truncatingIfNeeded: value))
    }

    private func readRegister(_ r: UInt64) -> UInt32 {
        switch r {
        case Register.id: return UInt32(apicID) << 24
        case Register.version: return LocalAPIC.versionValue
        case Register.taskPriority: return UInt32(tpr)
        case Register.arbitrationPriority, Register.remoteRead, Register.endOfInterrupt: return 0
        case Register.processorPriority: return UInt32(processorPriority)
        case Register.logicalDestination: return ldr
        case Register.destinationFormat: return dfr
        case Register.spuriousVector: return svr
        case 0x100...0x170: return isr.word(Int(r - 0x100) >> 4)
        case 0x180...0x1F0: return tmr.word(Int(r - 0x180) >> 4)
        case 0x200...0x270: return irr.word(Int(r - 0x200) >> 4)
        case Register.errorStatus: return esr
        case Register.interruptCommandLow: return icrLow
        case Register.interruptCommandHigh: return icrHigh
        case 0x320...0x370: return lvt[Int(r - 0x320) >> 4]
        case Register.timerInitialCount: return initialCount
        case Register.timerCurrentCount: return currentCount
        case Register.timerDivideConfiguration: return dcr
        default:
            recordError(ErrorStatus.illegalRegisterAddress)
            return 0
        }
    }

    private func writeRegister(_ r: UInt64, _ v: UInt32) {
        switch r {
        case Register.id:
            apicID = UInt8(v >> 24)
        case Register.taskPriority:
            taskPriority = UInt8(truncatingIfNeeded: v)
        case Register.endOfInterrupt:
            endOfInterrupt()
        case Register.logicalDestination:
            ldr = v & 0xFF00_0000
        case Register.destinationFormat:
            dfr = v | 0x0FFF_FFFF
        case Register.spuriousVector:
            svr = v & 0x3FF
            if !softwareEnabled {
                for i in lvt.indices { lvt[i] |= LVTBits.mask }
            }
            update()
        case Register.errorStatus:
            esr = pendingErrors
            pendingErrors = 0
        case Register.interruptCommandLow:
            icrLow = v & 0x000C_CFFF
            sendIPI()
        case Register.interruptCommandHigh:
            icrHigh = v & 0xFF00_0000
        case 0x320...0x370:
            writeLVT(Int(r - 0x320) >> 4, v)
        case Register.timerInitialCount:
            guard timerMode != .tscDeadline else { return }  // ignored in TSC-deadline mode
            initialCount = v
            timerStart = busTick(atNanoseconds: clock.now)
            oneShotArmed = v != 0
            rescheduleTimer()
        case Register.timerDivideConfiguration:
            writeDivideConfiguration(v)
        case Register.version, Register.arbitrationPriority, Register.processorPriority, Register.remoteRead,
             0x100...0x270, Register.timerCurrentCount:
            ignoredAccesses += 1  // read-only
        default:
            recordError(ErrorStatus.illegalRegisterAddress)
        }
    }

    private func writeLVT(_ index: Int, _ value: UInt32) {
        let mask = LocalAPIC.lvtWriteMasks[index]
        let old = lvt[index]
        var new = (old & ~mask) | (value & mask)
        if !softwareEnabled { new |= LVTBits.mask }
        if index >= 3 && index <= 4 && new & LVTBits.levelTriggered == 0 {
            new &= ~LVTBits.remoteIRR  // meaningless for edge
        }
        lvt[index] = new
        if index == LocalAPIC.lvtTimer {
            let oldMode = TimerMode(rawValue: (old >> 17) & 3)!
            if (oldMode == .tscDeadline) != (timerMode == .tscDeadline) {
                initialCount = 0
                oneShotArmed = false
                deadline = 0
            }
            if oldMode != timerMode { rescheduleTimer() }
        } else if index == 3 || index == 4 {
            if (new >> 8) & 7 == 0 && new & LVTBits.levelTriggered != 0 { evaluateLevelLINT(index - 3) }
        }
        update()
    }

    private func endOfInterrupt() {
        guard let v = isr.highest else { return }
        let vector = UInt8(v)
        isr.remove(vector)
        if tmr.contains(vector) {
            for index in 0..<2 {
                let i = LocalAPIC.lvtLINT0 + index
                if lvt[i] & LVTBits.remoteIRR != 0 && UInt8(truncatingIfNeeded: lvt[i]) == vector {
                    lvt[i] &= ~LVTBits.remoteIRR
                    evaluateLevelLINT(index)
                }
            }
            endOfInterruptBroadcast?(vector)
        }
        update()
    }

    private func sendIPI() {
        guard let mode = APICDeliveryMode(rawValue: UInt8((icrLow >> 8) & 7)) else {
            ignoredAccesses += 1
            return
        }
        let vector = UInt8(truncatingIfNeeded: icrLow)
        let levelTriggered = icrLow & 0x8000 != 0
        if mode == .initialize && levelTriggered && icrLow & 0x4000 == 0 { return }  // INIT level de-assert
        if (mode == .fixed || mode == .lowestPriority) && vector < 16 {
            recordError(ErrorStatus.sendIllegalVector)
            return
        }
        let logical = icrLow & 0x800 != 0
        let destination = UInt8(icrHigh >> 24)
        let message = InterruptMessage(vector: vector, deliveryMode: mode, logicalDestination: logical,
                                       destination: destination, levelTriggered: levelTriggered)
        let shorthand = DestinationShorthand(rawValue: UInt8((icrLow >> 18) & 3))!
        let toSelf: Bool
        switch shorthand {
        case .none:
            toSelf = accepts(destination: destination, logical: logical)
            if logical || destination != apicID { otherProcessors?(message, shorthand) }
        case .selfOnly:
            toSelf = true
        case .allIncludingSelf:
            toSelf = true
            otherProcessors?(message, shorthand)
        case .allExcludingSelf:
            toSelf = false
            otherProcessors?(message, shorthand)
        }
        if toSelf { deliver(message) }
    }

    // MARK: Timer

    /// The LVT timer mode.
    public var timerMode: TimerMode { TimerMode(rawValue: (lvt[LocalAPIC.lvtTimer] >> 17) & 3)! }

    /// The divide configuration's divisor (SDM Figure 11-10).
    public var timerDivisor: UInt64 {
        let code = (dcr & 3) | ((dcr >> 1) & 4)
        return code == 7 ? 1 : 2 << UInt64(code)
    }

    /// The timer's current count register.
    public var currentCount: UInt32 {
        guard timerMode != .tscDeadline, initialCount != 0 else { return 0 }
        let counted = (busTick(atNanoseconds: clock.now) &- timerStart) / timerDivisor
        let n = UInt64(initialCount)
        if timerMode == .periodic { return UInt32(n - counted % n) }
        return counted >= n ? 0 : UInt32(n - counted)
    }

    private func writeDivideConfiguration(_ v: UInt32) {
        let running = timerMode != .tscDeadline && initialCount != 0 && (timerMode == .periodic || oneShotArmed)
        let now = busTick(atNanoseconds: clock.now)
        var position = (now &- timerStart) / timerDivisor
        if timerMode == .periodic && initialCount != 0 { position %= UInt64(initialCount) }
        dcr = v & 0xB
        if running {
            timerStart = now &- position &* timerDivisor
            rescheduleTimer()
        }
    }

    /// Bus clocks at virtual time `ns`: floor(ns * timerFrequency / 10^9).
    private func busTick(atNanoseconds ns: UInt64) -> UInt64 {
        LocalAPIC.scale(ns, timerFrequency, 1_000_000_000, roundUp: false) ?? .max
    }

    /// The first virtual time (ns) at which bus clock `tick` has happened.
    private func nanoseconds(atBusTick tick: UInt64) -> UInt64? {
        LocalAPIC.scale(tick, 1_000_000_000, timerFrequency, roundUp: true)
    }

    private func rescheduleTimer() {
        if let t = timerToken { clock.cancel(t) }
        timerToken = nil
        let now = clock.now
        var at: UInt64?
        switch timerMode {
        case .tscDeadline:
            guard deadline != 0 else { return }
            if tsc(atNanoseconds: now) >= deadline {
                timerExpired()
                return
            }
            at = LocalAPIC.scale(deadline &- tscOffset, 1_000_000_000, tscFrequency, roundUp: true)
        case .periodic:
            guard initialCount != 0 else { return }
            let minimum = LocalAPIC.scale(minimumPeriod, timerFrequency, 1_000_000_000, roundUp: true) ?? 0
            let period = max(UInt64(initialCount) * timerDivisor, minimum, 1)
            let elapsed = busTick(atNanoseconds: now) &- timerStart
            at = nanoseconds(atBusTick: timerStart &+ (elapsed / period + 1) &* period)
        case .oneShot, .reserved:
            guard oneShotArmed else { return }
            let length = UInt64(initialCount) * timerDivisor
            if busTick(atNanoseconds: now) &- timerStart >= length {
                timerExpired()
                return
            }
            at = nanoseconds(atBusTick: timerStart &+ length)
        }
        guard let at else { return }
        timerToken = clock.schedule(at: at) { [weak self] in
            guard let self else { return }
            self.timerToken = nil
            switch self.timerMode {
            case .tscDeadline where self.deadline != 0 && self.timeStampCounter < self.deadline:
                self.rescheduleTimer()  // the TSC offset moved
            default:
                self.timerExpired()
            }
        }
    }

    /// The count reached 0 (or the TSC the deadline): interrupt unless masked, re-arm if periodic.
    private func timerExpired() {
        switch timerMode {
        case .tscDeadline:
            guard deadline != 0 else { return }
            deadline = 0
        case .periodic:
            break
        case .oneShot, .reserved:
            guard oneShotArmed else { return }
            oneShotArmed = false
        }
        let entry = lvt[LocalAPIC.lvtTimer]
        if entry & LVTBits.mask == 0 { accept(vector: UInt8(truncatingIfNeeded: entry), levelTriggered: false) }
        if timerMode == .periodic { rescheduleTimer() }
    }

    /// floor (or ceil) of x * mul / div; nil when the result does not fit in 64 bits.
    static func scale(_ x: UInt64, _ mul: UInt64, _ div: UInt64, roundUp: Bool) -> UInt64? {
        let p = x.multipliedFullWidth(by: mul)
        guard p.high < div else { return nil }
        let (q, r) = div.dividingFullWidth(p)
        if roundUp && r != 0 { return q == .max ? nil : q + 1 }
        return q
    }
}

/// 256 bits, one per interrupt vector (IRR, ISR, TMR).
struct Bitmap256: Equatable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    func contains(_ v: UInt8) -> Bool { word64(Int(v) >> 6) >> UInt64(v & 63) & 1 != 0 }

    mutating func insert(_ v: UInt8) { setWord64(Int(v) >> 6, word64(Int(v) >> 6) | 1 << UInt64(v & 63)) }

    mutating func remove(_ v: UInt8) { setWord64(Int(v) >> 6, word64(Int(v) >> 6) & ~(1 << UInt64(v & 63))) }

    /// The highest vector set, if any.
    var highest: Int? {
        if w3 != 0 { return 255 - w3.leadingZeroBitCount }
        if w2 != 0 { return 191 - w2.leadingZeroBitCount }
        if w1 != 0 { return 127 - w1.leadingZeroBitCount }
        if w0 != 0 { return 63 - w0.leadingZeroBitCount }
        return nil
    }

    /// The 32-bit register `i` (0-7) as the APIC page shows it: vectors 32i ..< 32i + 32.
    func word(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: word64(i >> 1) >> UInt64(32 * (i & 1))) }

    private func word64(_ i: Int) -> UInt64 {
        switch i {
        case 0: w0
        case 1: w1
        case 2: w2
        default: w3
        }
    }

    private mutating func setWord64(_ i: Int, _ v: UInt64) {
        switch i {
        case 0: w0 = v
        case 1: w1 = v
        case 2: w2 = v
        default: w3 = v
        }
    }
}
