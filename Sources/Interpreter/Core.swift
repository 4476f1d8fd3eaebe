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
}
