import X86State

/// Everything the interpreter's hot loop touches, in one struct behind one stable pointer
/// (swift-performance-notes rule 1): the portable CPU state plus the interpreter's own
/// lazy flags and counters.
struct Core {
    var cpu = CPUState()
    var flags = LazyFlags()
    /// Instructions retired.
    var instructions: UInt64 = 0
    /// Counters for the trap-and-emulate accounting (`--stats`).
    var privilegedExecuted: UInt64 = 0
    var sensitiveExecuted: UInt64 = 0
    var ioOperations: UInt64 = 0
    /// The RIP of the instruction being executed (faults restart here).
    var instructionStart: UInt64 = 0
    /// The RIP after the instruction being executed.
    var nextRIP: UInt64 = 0
    /// The last exception an instruction raised (the first one, when delivering it faulted too).
    var lastException: CPUException? = nil
    /// A write dropped decoded code: the running block stops after the current instruction.
    var codeInvalidated = false
    /// Check the platform (stop request, interrupts, halt) before the next block: set after system
    /// instructions, device accesses and when an interrupt shadow ends.
    var pollPlatform = true
    /// Moves on when cached lookups of code by linear address become stale (TLB flushes, CS loads,
    /// exceptions and interrupts, decoded code dropped): `JumpCacheEntry` is valid only for its epoch.
    var epoch: UInt64 = 1
    /// Accesses are supervisor-mode accesses whatever the CPL: set around the implicit accesses to
    /// system structures (descriptor tables, the IDT, the TSS, the stack of an interrupt delivered to
    /// an inner ring; SDM Vol. 3, 4.6.1).
    var supervisorAccess = false
    /// The physical address mask: the model's address width, with bit 20 cleared while the
    /// platform holds the A20 gate off (A20Gate.swift).
    var physicalMask: UInt64 = (1 << 52) - 1
    /// Debug features (DebugExceptions.swift): data and I/O breakpoints are being watched for the
    /// instruction running under `debugStep` (set only there, so memory accesses pay one test).
    var watchingBreakpoints = false
    /// DR6 B0-B3 bits of the data and I/O breakpoints the current instruction hit (trap-class); 0
    /// outside `debugStep`.
    var breakpointHits: UInt64 = 0
    /// The instruction under `debugStep` started with RFLAGS.TF set: a REP string instruction stops
    /// after one iteration.
    var singleStepping = false
    /// An interrupt or exception was delivered during the current instruction (INT n, a fault):
    /// no single-step trap follows it (SDM Vol. 3, 17.3.1.4).
    var eventDelivered = false
    /// The exception being delivered is a fault other than an instruction-breakpoint #DB: the
    /// EFLAGS image pushed has RF set (SDM Vol. 3, 17.3.1.1).
    var faultResume = false
}
