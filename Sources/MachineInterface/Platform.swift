/// The one narrow interface through which an engine reaches the machine: port I/O, MMIO and
/// interrupts. Devices sit behind it; engines never see a device type, and the machine implements it
/// (architecture guide: "Engines reach devices only through one narrow platform interface").
///
/// Sizes are 1, 2, 4 (ports) or 1, 2, 4, 8 (MMIO) bytes. Guest misbehaviour (a read of a port nobody
/// decodes) is answered (all ones) and counted by the machine, never an error.
public protocol Platform: AnyObject {
    /// IN: a read of an I/O port.
    func portRead(_ port: UInt16, size: Int) -> UInt32
    /// OUT: a write of an I/O port.
    func portWrite(_ port: UInt16, size: Int, value: UInt32)
    /// A read of guest physical memory that is not RAM.
    func mmioRead(_ address: UInt64, size: Int) -> UInt64
    /// A write of guest physical memory that is not RAM.
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64)
    /// Whether a maskable external interrupt is pending (INTR asserted).
    var interruptPending: Bool { get }
    /// Interrupt acknowledge: the vector of the highest-priority pending interrupt.
    func acknowledgeInterrupt() -> UInt8
    /// The engine asks the machine to stop running (power-off, reset, debug exit) after this instruction.
    var stopRequested: Bool { get }
    /// RDMSR of an MSR a device models (the local APIC's), or nil if no device claims it.
    func readMSR(_ index: UInt32) -> UInt64?
    /// WRMSR of an MSR a device models; false if no device claims it (or it refuses the value).
    func writeMSR(_ index: UInt32, _ value: UInt64) -> Bool
    /// The time-stamp counter derived from the machine's virtual time, or nil without a clock.
    var timeStampCounter: UInt64? { get }
    /// FERR#: with CR0.NE = 0 the CPU reports a pending unmasked x87 exception on this output (true)
    /// instead of raising #MF, and withdraws it (false) once FSW.ES is clear again (FNCLEX, FNINIT,
    /// FLDENV...). A PC latches it into IRQ 13 (SDM Vol. 1, Appendix D).
    func floatingPointError(_ asserted: Bool)
    /// IGNNE#: the machine tells the CPU to go on despite a pending x87 exception (CR0.NE = 0); a PC
    /// asserts it from a write to port 0xF0 until FERR# is withdrawn.
    var ignoreNumericError: Bool { get }
    /// CR8, the task-priority class: bits 7:4 of the local APIC's TPR (SDM Vol. 3, 10.8.6.1), or nil
    /// when the platform has no local APIC (the engine then keeps CR8 as a plain register).
    var taskPriorityClass: UInt8? { get }
    /// MOV to CR8: sets the local APIC's TPR to `value << 4`.
    func setTaskPriorityClass(_ value: UInt8)
}

extension Platform {
    /// Platforms without devices that own MSRs.
    public func readMSR(_ index: UInt32) -> UInt64? { nil }
    /// Platforms without devices that own MSRs.
    public func writeMSR(_ index: UInt32, _ value: UInt64) -> Bool { false }
    /// Platforms without a clock: engines count instructions instead.
    public var timeStampCounter: UInt64? { nil }
    /// Platforms without an FERR# wire.
    public func floatingPointError(_ asserted: Bool) {}
    /// Platforms without an FERR# wire hold IGNNE# asserted: with CR0.NE = 0 a pending x87 exception is
    /// ignored.
    public var ignoreNumericError: Bool { true }
    /// Platforms without a local APIC: CR8 is the engine's own register.
    public var taskPriorityClass: UInt8? { nil }
    /// Platforms without a local APIC.
    public func setTaskPriorityClass(_ value: UInt8) {}
}

/// Why an engine's `run` returned.
public enum StopReason: Equatable, Sendable {
    /// The instruction budget ran out.
    case budgetExhausted
    /// HLT with interrupts disabled, or HLT with nothing pending and no time to wait for.
    case halted
    /// The platform asked to stop (power-off, reset request, debug-exit port).
    case platformRequest
    /// A triple fault: the CPU shuts down (SDM Vol. 3, 6.15, interrupt 8).
    case tripleFault
    /// The engine cannot go on (KVM: a failed VM entry, or an instruction the host kernel could not
    /// emulate, KVM_EXIT_INTERNAL_ERROR). The message says what happened, for a person.
    case engineFailure(String)
}
