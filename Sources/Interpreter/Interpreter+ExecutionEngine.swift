import MachineInterface

/// The interpreter as an `ExecutionEngine`: the budget is counted in instructions.
extension Interpreter: ExecutionEngine {
    public var name: String { "interpreter" }

    public func run(_ budget: RunBudget) -> StopReason {
        run(budget: budget.instructions)
    }

    public var statistics: EngineStatistics {
        EngineStatistics(
            instructionsRetired: instructionsRetired,
            counters: [
                .init("privileged executed", privilegedExecuted),
                .init("sensitive-unprivileged", sensitiveExecuted),
                .init("I/O operations", ioOperations),
                .init("decode cache hits", code.pointee.hits),
                .init("decode cache misses", code.pointee.misses),
                .init("blocks decoded", code.pointee.blocksBuilt),
                .init("code pages invalidated", code.pointee.pagesInvalidated),
                .init("decode cache flushes", code.pointee.flushes),
                .init("TLB misses (page walks)", tlb.pointee.misses),
                .init("TLB flushes", tlb.pointee.flushes),
            ])
    }

    public var interruptsEnabled: Bool { core.pointee.cpu.rflags & 0x200 != 0 }
}
