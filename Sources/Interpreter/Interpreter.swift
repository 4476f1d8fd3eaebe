import GuestMemory
import MachineInterface
import X86Decoder
import X86ISA
import X86State

/// The full-emulation engine: fetches, decodes and executes x86 instructions one at a time against
/// guest RAM and the platform (the Bochs/QEMU role in the x86 virtualization story).
public final class Interpreter {
    /// The interpreter's state. SAFETY: allocated in init, freed in deinit, never reallocated, so
    /// the pointer stays valid for the engine's life; only this engine's thread touches it.
    let core: UnsafeMutablePointer<Core>
    /// SAFETY: points into `core`'s `cpu.gpr`, 16 UInt64s, valid as long as `core`.
    let gpr: UnsafeMutablePointer<UInt64>
    let ram: GuestRAM
    /// Host address of guest physical 0, and RAM size (copied from `ram` for the fast path).
    let ramBase: UnsafeMutableRawPointer
    let ramSize: UInt64
    /// RAM above 4 GiB (issue #5): the 32-bit hole [ramHoleStart, ramHoleEnd) inside [0, ramSize)
    /// is not RAM (MMIO); both equal `ramSize` when RAM is contiguous. See RAMLayout.swift.
    let ramHoleStart: UInt64
    let ramHoleEnd: UInt64
    let platform: Platform
    public let model: CPUModel
    let decoders: (Decoder, Decoder, Decoder)
    /// The model's physical address mask: 20 bits (8086), 24 bits (80286), 52 bits otherwise
    /// (`physicalMask`, A20Gate.swift, adds the A20 gate).
    let modelPhysicalMask: UInt64
    /// The decode cache (CodeCache.swift). SAFETY: allocated in init, freed in deinit, like `core`.
    let code: UnsafeMutablePointer<CodeCache>
    /// The software TLB (SoftTLB.swift), and its entries (for the fast path). SAFETY: as `code`.
    let tlb: UnsafeMutablePointer<SoftTLB>
    let tlbEntries: UnsafeMutablePointer<TLBEntry>

    public init(ram: GuestRAM, platform: Platform, model: CPUModel = .x86_64) {
        core = .allocate(capacity: 1)
        core.initialize(to: Core())
        let offset = MemoryLayout<Core>.offset(of: \Core.cpu)! + MemoryLayout<CPUState>.offset(of: \CPUState.gpr)!
        gpr = (UnsafeMutableRawPointer(core) + offset).assumingMemoryBound(to: UInt64.self)
        self.ram = ram
        ramBase = ram.base
        ramSize = ram.size
        ramHoleStart = ram.holeStart
        ramHoleEnd = ram.holeEnd
        self.platform = platform
        self.model = model
        decoders = (Decoder(mode: .bits16), Decoder(mode: .bits32), Decoder(mode: .bits64))
        switch model {
        case .i8086: modelPhysicalMask = 0xF_FFFF
        case .i80286: modelPhysicalMask = 0xFF_FFFF
        case .x86_64: modelPhysicalMask = (1 << 52) - 1
        }
        core.pointee.physicalMask = modelPhysicalMask
        code = .allocate(capacity: 1)
        // The 8086 and 80286 models run uncached (their single-step vectors rewrite RAM behind the CPU).
        code.initialize(to: CodeCache(ramSize: model == .x86_64 ? ram.size : 0))
        tlb = .allocate(capacity: 1)
        tlb.initialize(to: SoftTLB())
        tlbEntries = tlb.pointee.entries
        reset()
    }

    /// Returns the CPU to the model's power-on state (8086: CS:IP = FFFF:0000, FLAGS bits 12-15 set;
    /// 80286: CS:IP = F000:FFF0 with CS base FF0000h, MSW = FFF0h; x86-64: SDM Vol. 3, Table 10-1).
    /// Counters and guest RAM are not touched.
    public func reset() {
        var s = CPUState()
        switch model {
        case .i8086:
            s.rflags = 0xF002
            s.cr0 = 0
            s.segments.1 = SegmentRegister(selector: 0xFFFF, base: 0xF_FFF0, limit: 0xFFFF, attributes: 0x9B)
            s.rip = 0
        case .i80286:
            s.rflags = 0x0002
            s.cr0 = 0
            s.segments.1 = SegmentRegister(selector: 0xF000, base: 0xFF_0000, limit: 0xFFFF, attributes: 0x9B)
        case .x86_64:
            break
        }
        core.pointee.cpu = s
        core.pointee.flags = LazyFlags()
        invalidateAllCode()
        flushTranslations(global: true)
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
        code.pointee.release()
        code.deinitialize(count: 1)
        code.deallocate()
        tlb.pointee.release()
        tlb.deinitialize(count: 1)
        tlb.deallocate()
    }

    /// The CPU state, with the status flags computed. Setting it loads a new state.
    public var state: CPUState {
        get {
            var s = core.pointee.cpu
            s.rflags = materializedFlags()
            // CR8 aliases the local APIC's TPR, which the guest may also have written through MMIO.
            if let tpr = platform.taskPriorityClass { s.cr8 = UInt64(tpr) }
            return s
        }
        set {
            core.pointee.cpu = newValue
            core.pointee.flags.op = .none
            // A new state usually comes with new memory contents (a loader, a test case).
            invalidateAllCode()
            flushTranslations(global: true)
            core.pointee.pollPlatform = true
        }
    }

    /// Instructions retired since creation.
    public var instructionsRetired: UInt64 { core.pointee.instructions }
    /// Privileged and sensitive-unprivileged instructions executed, and I/O operations.
    public var privilegedExecuted: UInt64 { core.pointee.privilegedExecuted }
    public var sensitiveExecuted: UInt64 { core.pointee.sensitiveExecuted }
    public var ioOperations: UInt64 { core.pointee.ioOperations }
    /// The last exception an instruction raised (before any #DF it escalated to), for tests and debugging.
    public var lastException: CPUException? {
        get { core.pointee.lastException }
        set { core.pointee.lastException = newValue }
    }

    /// RFLAGS with the lazily evaluated status flags folded in.
    func materializedFlags() -> UInt64 {
        let c = core.pointee
        return (c.cpu.rflags & ~0x8D5) | c.flags.status(c.cpu.rflags)
    }

    /// Folds the lazy flags into RFLAGS (before anything reads or replaces RFLAGS whole).
    @inline(__always) func commitFlags() {
        if core.pointee.flags.op != .none {
            core.pointee.cpu.rflags = materializedFlags()
            core.pointee.flags.op = .none
        }
    }

    // MARK: - Running

    /// Runs up to `budget` instructions. Exceptions are delivered to the guest; only a triple fault,
    /// a halt, or a platform request stops early.
    public func run(budget: UInt64) -> StopReason {
        if model == .x86_64 { return runBlocks(budget: budget) }
        var remaining = budget
        while remaining > 0 {
            if platform.stopRequested { return .platformRequest }
            if core.pointee.cpu.halted {
                if core.pointee.cpu.rflags & 0x200 != 0 && platform.interruptPending {
                    core.pointee.cpu.halted = false
                } else {
                    return .halted
                }
            }
            if let stop = step() { return stop }
            remaining &-= 1
        }
        return .budgetExhausted
    }

    /// Executes one instruction (or takes one interrupt). Returns a stop reason on triple fault.
    public func step() -> StopReason? {
        if model == .x86_64 { return stepBlock() }
        let c = core
        // External interrupts are recognized between instructions (SDM Vol. 3, 6.8).
        if c.pointee.cpu.interruptShadow {
            c.pointee.cpu.interruptShadow = false
        } else if c.pointee.cpu.rflags & 0x200 != 0 && platform.interruptPending {
            let vector = platform.acknowledgeInterrupt()
            c.pointee.instructionStart = c.pointee.cpu.rip
            do throws(CPUException) {
                try deliverInterrupt(vector: vector, errorCode: nil, kind: .external)
            } catch {
                if let stop = raise(error) { return stop }
            }
            return nil
        }
        c.pointee.instructionStart = c.pointee.cpu.rip
        do throws(CPUException) {
            try executeOne()
            c.pointee.instructions &+= 1
        } catch {
            c.pointee.instructions &+= 1
            if let stop = raise(error) { return stop }
        }
        return nil
    }

    /// Delivers an exception raised by the current instruction, escalating to #DF and a triple fault.
    func raise(_ e: CPUException) -> StopReason? {
        core.pointee.lastException = e
        var exception = e
        var depth = 0
        while true {
            // Faults restart the instruction; the state already points RIP at it.
            core.pointee.cpu.rip = core.pointee.instructionStart
            if model == .i8086 && exception.vector == 0 { core.pointee.cpu.rip = core.pointee.faultNextRIP }
            // Faults push RF set; a #DB clears DR7.GD on the way in (DebugExceptions.swift).
            core.pointee.faultResume = model == .x86_64 && Self.pushesResumeFlag(exception.vector)
            if exception.vector == 1 { core.pointee.cpu.dr7 &= ~0x2000 }
            defer { core.pointee.faultResume = false }
            do throws(CPUException) {
                try deliverInterrupt(vector: exception.vector, errorCode: exception.errorCode, kind: .exception)
                return nil
            } catch {
                depth += 1
                if depth >= 2 || exception.vector == 8 { return .tripleFault }
                // SDM Vol. 3, Table 6-5: contributory after contributory, or #PF after #PF/contributory -> #DF.
                let first = exception
                if (first.isContributory && error.isContributory) || (first.vector == 14 && (error.isContributory || error.vector == 14)) {
                    exception = CPUException(8, errorCode: 0)
                } else {
                    exception = error
                }
            }
        }
    }

    // MARK: - Mode

    /// The current code size: from CS.L/CS.D in protected mode, 16 in real and virtual-8086 mode.
    @inline(__always) var codeMode: CPUMode {
        let cpu = core.pointee.cpu
        if cpu.cr0 & 1 == 0 || cpu.rflags & 0x2_0000 != 0 { return .bits16 }
        let cs = cpu.segments.1
        if cs.long && cpu.msr.efer & 0x400 != 0 { return .bits64 }
        return cs.defaultBig ? .bits32 : .bits16
    }

    /// Protected mode (CR0.PE) and not virtual-8086.
    @inline(__always) var protectedMode: Bool {
        core.pointee.cpu.cr0 & 1 != 0 && core.pointee.cpu.rflags & 0x2_0000 == 0
    }

    /// Current privilege level: CS.RPL in protected mode (SS.DPL is equivalent), 0 in real mode, 3 in v8086.
    @inline(__always) var cpl: UInt8 {
        let cpu = core.pointee.cpu
        if cpu.cr0 & 1 == 0 { return 0 }
        if cpu.rflags & 0x2_0000 != 0 { return 3 }
        return UInt8(cpu.segments.1.selector & 3)
    }
}

extension Core {
    /// For the 8086, whose #DE pushes the address after DIV: the next instruction's IP.
    var faultNextRIP: UInt64 {
        get { nextRIP }
        set { nextRIP = newValue }
    }
}
