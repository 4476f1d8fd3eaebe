import X86State

/// An execution engine: something that runs a virtual CPU on the machine. The interpreter
/// (full emulation) and the KVM engine (hardware-assisted trap-and-emulate) both conform, so the
/// machine's run loop, the command line and the conformance tests drive either the same way.
///
/// An engine owns only its CPU and its caches; it reaches devices through the `Platform` it was
/// created with, and its CPU state moves in and out as the portable `CPUState`.
public protocol ExecutionEngine: AnyObject {
    /// A short name for messages and statistics ("interpreter", "kvm").
    var name: String { get }
    /// The architectural state. Reading it may cost the engine work (KVM fetches it from the
    /// kernel); setting it loads a whole new state, as a boot loader or a snapshot restore does.
    var state: CPUState { get set }
    /// Runs until the budget is spent or something stops the CPU (halt, triple fault, a platform
    /// request). Interrupts the platform raises are taken as the CPU would take them.
    func run(_ budget: RunBudget) -> StopReason
    /// What the engine has done so far (the trap-and-emulate accounting behind `--stats`).
    var statistics: EngineStatistics { get }
    /// RFLAGS.IF: whether a halted CPU can be woken by an interrupt. Cheaper than `state` on
    /// engines whose state lives elsewhere.
    var interruptsEnabled: Bool { get }
    /// The machine's A20 gate changed (on a PC: the 8042's output port bit 1 OR port 92h bit 1).
    /// With the gate off the CPU forces physical address bit 20 to 0 (the 8086's wrap at 1 MiB).
    func setA20Gate(enabled: Bool)
}

extension ExecutionEngine {
    public var interruptsEnabled: Bool { state.rflags & 0x200 != 0 }
    /// Engines that cannot mask address line 20 keep it on (KVM: guest memory is mapped whole;
    /// the gate would need the region above 1 MiB remapped, which is not modelled).
    public func setA20Gate(enabled: Bool) {}
}

/// How much an engine may run before returning to the machine's loop (which then runs device
/// timers and console input). Each engine honours the limit it can measure: the interpreter counts
/// instructions; the KVM engine, which cannot count the instructions the hardware runs, stops
/// after a time slice.
public struct RunBudget: Sendable, Equatable {
    /// Instructions (engines that count instructions).
    public var instructions: UInt64
    /// Nanoseconds of wall time (engines that run natively); `UInt64.max` for no limit.
    public var nanoseconds: UInt64

    public init(instructions: UInt64, nanoseconds: UInt64 = .max) {
        self.instructions = instructions
        self.nanoseconds = nanoseconds
    }
}

/// An engine's counters. Which fields are filled depends on what the engine can observe.
public struct EngineStatistics: Sendable {
    /// Instructions retired, when the engine counts them (nil under KVM).
    public var instructionsRetired: UInt64?
    /// Engine-specific counters, in display order (e.g. privileged instructions executed).
    public var counters: [Counter]
    /// VM exits by reason (trap-and-emulate engines): how many, and the time the monitor spent
    /// handling them.
    public var exits: [ExitCount]
    /// Time spent inside the guest (KVM_RUN, including the host kernel's own exit handling).
    public var guestNanoseconds: UInt64?

    public init(instructionsRetired: UInt64? = nil, counters: [Counter] = [], exits: [ExitCount] = [],
                guestNanoseconds: UInt64? = nil) {
        self.instructionsRetired = instructionsRetired
        self.counters = counters
        self.exits = exits
        self.guestNanoseconds = guestNanoseconds
    }

    /// A named counter.
    public struct Counter: Sendable, Equatable {
        public var name: String
        public var value: UInt64
        public init(_ name: String, _ value: UInt64) {
            self.name = name
            self.value = value
        }
    }

    /// Exits of one reason.
    public struct ExitCount: Sendable, Equatable {
        /// The reason ("io out", "mmio read", "hlt", ...).
        public var reason: String
        public var count: UInt64
        /// Time in the monitor (userspace) handling these exits, from KVM_RUN's return to the
        /// next entry.
        public var monitorNanoseconds: UInt64
        public init(reason: String, count: UInt64, monitorNanoseconds: UInt64) {
            self.reason = reason
            self.count = count
            self.monitorNanoseconds = monitorNanoseconds
        }
    }
}
