import MachineInterface
import X86Decoder
import X86ISA

// The x86-64 model's run loop: blocks from the decode cache (CodeCache.swift). The 8086 and 80286
// models, which only run single-step test vectors, keep the instruction-at-a-time loop.
//
// Precision: exceptions restart at the faulting instruction (its RIP is computed from the block's
// entry RIP and the op's offset); external interrupts, the stop request and HLT are checked between
// blocks, so only between instructions. A block ends after any instruction that may change what the
// next block depends on (mode, CPL, paging, IF, the code itself: `endsBlock`), and the platform is
// polled after those (`Core.pollPlatform`), after device accesses, and when an interrupt shadow ends.

extension Interpreter {
    /// `run(budget:)` for the x86-64 model.
    func runBlocks(budget: UInt64) -> StopReason {
        let c = core
        var remaining = budget
        c.pointee.pollPlatform = true
        while remaining > 0 {
            if c.pointee.pollPlatform {
                c.pointee.pollPlatform = false
                if platform.stopRequested {
                    c.pointee.pollPlatform = true
                    return .platformRequest
                }
                if c.pointee.cpu.halted {
                    if c.pointee.cpu.rflags & 0x200 != 0 && platform.interruptPending {
                        c.pointee.cpu.halted = false
                    } else {
                        c.pointee.pollPlatform = true
                        return .halted
                    }
                }
                if c.pointee.cpu.interruptShadow {
                    // Interrupts wait one instruction (SDM Vol. 3, 6.8.3); look again after this block.
                    c.pointee.cpu.interruptShadow = false
                    c.pointee.pollPlatform = true
                } else if c.pointee.cpu.rflags & 0x200 != 0 && platform.interruptPending {
                    if let stop = takeExternalInterrupt() { return stop }
                    c.pointee.pollPlatform = true
                    remaining &-= 1
                    continue
                }
                // TF, RF or enabled breakpoints: one instruction at a time (DebugExceptions.swift).
                if debugFeaturesActive {
                    if let stop = debugStep() { return stop }
                    remaining &-= 1
                    continue
                }
            }
            let (executed, stop) = runBlock(limit: remaining)
            if let stop { return stop }
            remaining &-= executed
        }
        return .budgetExhausted
    }

    /// `step()` for the x86-64 model: one interrupt or one instruction.
    func stepBlock() -> StopReason? {
        let c = core
        if c.pointee.cpu.interruptShadow {
            c.pointee.cpu.interruptShadow = false
        } else if c.pointee.cpu.rflags & 0x200 != 0 && platform.interruptPending {
            return takeExternalInterrupt()
        }
        if debugFeaturesActive { return debugStep() }
        return runBlock(limit: 1).1
    }

    /// Acknowledges and delivers an external interrupt (SDM Vol. 3, 6.8).
    func takeExternalInterrupt() -> StopReason? {
        let c = core
        let vector = platform.acknowledgeInterrupt()
        c.pointee.instructionStart = c.pointee.cpu.rip
        c.pointee.epoch &+= 1
        do throws(CPUException) {
            try deliverInterrupt(vector: vector, errorCode: nil, kind: .external)
        } catch {
            if let stop = raise(error) { return stop }
        }
        return nil
    }

    /// One instruction without the decode cache: code outside RAM, an instruction that crosses a
    /// page or a segment limit, and every fetch fault (the uncached fetch raises it exactly).
    @inline(never)
    func uncachedStep() -> (UInt64, StopReason?) {
        let c = core
        c.pointee.instructionStart = c.pointee.cpu.rip
        c.pointee.pollPlatform = true
        c.pointee.codeInvalidated = false
        c.pointee.epoch &+= 1
        code.pointee.misses &+= 1
        do throws(CPUException) {
            try executeOne()
            c.pointee.instructions &+= 1
        } catch {
            c.pointee.instructions &+= 1
            return (1, raise(error))
        }
        return (1, nil)
    }

    /// Runs up to `limit` instructions of the block at CS:RIP. Returns the number retired (faulting
    /// ones included) and a stop reason on a triple fault.
    func runBlock(limit: UInt64) -> (UInt64, StopReason?) {
        let c = core
        let cc = code
        let rip = c.pointee.cpu.rip
        let jumpIndex = CodeCache.jumpCacheIndex(rip)
        let j = cc.pointee.jumpCache[jumpIndex]
        var b: Int32
        var fresh = false
        var ipMask: UInt64 = ~0
        if j.rip == rip && j.epoch == c.pointee.epoch {
            // Same epoch: same mode (64-bit), CPL, paging and decoded code as when it was entered.
            b = j.block
        } else {
            let mode = codeMode
            ipMask = mode == .bits16 ? 0xFFFF : mode == .bits32 ? 0xFFFF_FFFF : ~0
            let linear = mode == .bits64 ? rip : (c.pointee.cpu.segments.1.base &+ (rip & ipMask)) & 0xFFFF_FFFF
            guard let pa = try? translate(linear, .execute), pa & physicalMask == pa, isRAM(pa, 1) else {
                return uncachedStep()
            }
            b = cc.pointee.lookup(pa << 2 | Self.modeKey(mode))
            if b < 0 {
                b = buildBlock(physical: pa, mode: mode)
                if b < 0 { return uncachedStep() }
                fresh = true
            }
            if mode != .bits64 {
                // The whole block inside CS's limit, and IP not wrapping inside it.
                let last = (rip & ipMask) &+ UInt64(cc.pointee.blocks[Int(b)].bytes) &- 1
                if last > UInt64(c.pointee.cpu.segments.1.limit) || last > ipMask { return uncachedStep() }
            } else {
                cc.pointee.jumpCache[jumpIndex] = JumpCacheEntry(rip: rip, epoch: c.pointee.epoch, block: b)
            }
        }
        c.pointee.codeInvalidated = false
        return executeBlocks(b, entry: rip, ipMask: ipMask, limit: limit, fresh: fresh)
    }
}
