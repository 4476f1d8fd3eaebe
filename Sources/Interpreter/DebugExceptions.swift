import MachineInterface
import X86State

// Debug exceptions, #DB (SDM Vol. 3, 17.2 "Debug Registers" and 17.3 "Debug Exceptions"):
//
// - instruction breakpoints (DR7 R/Wn = 00): a fault before the instruction at DRn's linear address
//   executes, suppressed for one instruction by RFLAGS.RF;
// - data breakpoints (R/Wn = 01 writes, 11 reads or writes) and I/O breakpoints (R/Wn = 10 with
//   CR4.DE): a trap after the instruction that touched [DRn, DRn + LENn) (LENn 00/01/11/10 = 1, 2, 4,
//   8 bytes, DRn aligned down to the length);
// - single-step (RFLAGS.TF at the start of an instruction): a trap after it, with DR6.BS, unless the
//   instruction delivered an interrupt or exception (INT n, INT3, INTO, INT1, a fault), whose
//   delivery clears TF (17.3.1.4);
// - general detect (DR7.GD): MOV to or from a debug register faults with DR6.BD (17.2.4);
// - INT1 (ICEBP, F1): a #DB trap without DR6 bits (Instructions.swift).
//
// Performance: the block executor never looks at any of this. While TF or RF is set or DR7 enables a
// breakpoint (`debugFeaturesActive`), the run loop, which checks it only when it polls the platform,
// executes one instruction at a time through `debugStep`; everything that can turn these features on
// (MOV DR, POPF, IRET, task switches, loading a state) ends its block and asks for a poll. Data and I/O
// breakpoints are watched only inside `debugStep` (`Core.watchingBreakpoints`): the generic memory
// path pays one test of that flag, the fast handlers nothing.
//
// DR6: B0-B3 report the breakpoints of the current #DB (the processor "may clear" them, 17.2.3; they
// are replaced), BD, BS and BT accumulate until software clears them. DR7.GD is cleared when a #DB is
// delivered, so that the handler may use the debug registers.

extension Interpreter {
    /// DR6 bits (SDM Vol. 3, Figure 17-1).
    static let dr6BD: UInt64 = 1 << 13
    static let dr6BS: UInt64 = 1 << 14
    /// RFLAGS.TF and RFLAGS.RF.
    static let trapFlag: UInt64 = 1 << 8
    static let resumeFlag: UInt64 = 1 << 16

    /// Whether instructions must run one at a time through `debugStep`: TF or RF set, or a breakpoint
    /// enabled in DR7 (L0-L3, G0-G3).
    @inline(__always) var debugFeaturesActive: Bool {
        core.pointee.cpu.rflags & (Self.trapFlag | Self.resumeFlag) != 0 || core.pointee.cpu.dr7 & 0xFF != 0
    }

    /// Breakpoint `i`'s R/W field (00 execute, 01 write, 10 I/O, 11 read/write), or nil if disabled.
    @inline(__always) func breakpointKind(_ i: Int) -> UInt64? {
        let dr7 = core.pointee.cpu.dr7
        guard dr7 & (3 << UInt64(2 * i)) != 0 else { return nil }
        return (dr7 >> UInt64(16 + 4 * i)) & 3
    }

    /// Breakpoint `i`'s length in bytes: LEN 00 = 1, 01 = 2, 10 = 8, 11 = 4 (SDM Vol. 3, 17.2.5).
    @inline(__always) func breakpointLength(_ i: Int) -> UInt64 {
        switch (core.pointee.cpu.dr7 >> UInt64(18 + 4 * i)) & 3 {
        case 0: return 1
        case 1: return 2
        case 2: return 8
        default: return 4
        }
    }

    /// Whether `[address, address + size)` overlaps breakpoint `i`'s range (DRi aligned down to its
    /// length, SDM Vol. 3, 17.2.5).
    @inline(__always) func breakpointCovers(_ i: Int, _ address: UInt64, _ size: UInt64) -> Bool {
        let length = breakpointLength(i)
        let start = core.pointee.cpu[debug: i] & ~(length &- 1)
        return address < start &+ length && start < address &+ size
    }

    /// Whether any data or I/O breakpoint is enabled (then `debugStep` watches accesses).
    var dataBreakpointsEnabled: Bool {
        (0..<4).contains { i in (breakpointKind(i) ?? 0) != 0 }
    }

    /// The B bits of the instruction breakpoints set on the instruction at CS:RIP.
    func instructionBreakpointHits() -> UInt64 {
        let cpu = core.pointee.cpu
        let linear = codeMode == .bits64 ? cpu.rip : (cpu.segments.1.base &+ cpu.rip) & 0xFFFF_FFFF
        var hits: UInt64 = 0
        for i in 0..<4 where breakpointKind(i) == 0 && cpu[debug: i] == linear { hits |= 1 << UInt64(i) }
        return hits
    }

    /// A data access of the instruction under `debugStep` (readLinear/writeLinear).
    @inline(never)
    func noteDataAccess(_ linear: UInt64, _ size: Int, write: Bool) {
        for i in 0..<4 {
            guard let kind = breakpointKind(i), kind == 3 || (kind == 1 && write) else { continue }
            if breakpointCovers(i, linear, UInt64(size)) { core.pointee.breakpointHits |= 1 << UInt64(i) }
        }
    }

    /// A port access of the instruction under `debugStep` (IN, OUT, INS, OUTS): I/O breakpoints
    /// exist only with CR4.DE (SDM Vol. 3, 17.2.4).
    @inline(never)
    func noteIOAccess(_ port: UInt16, _ size: Int) {
        guard core.pointee.cpu.cr4 & 0x8 != 0 else { return }
        for i in 0..<4 where breakpointKind(i) == 2 {
            if breakpointCovers(i, UInt64(port), UInt64(size)) { core.pointee.breakpointHits |= 1 << UInt64(i) }
        }
    }

    /// One instruction with the debug features: instruction breakpoints before it, data and I/O
    /// breakpoints and single-step after it, RF cleared once it completes (SDM Vol. 3, 17.3.1).
    /// Returns a stop reason on a triple fault.
    @inline(never)
    func debugStep() -> StopReason? {
        let c = core
        c.pointee.pollPlatform = true  // back here (or to the blocks) after this instruction
        c.pointee.epoch &+= 1
        c.pointee.codeInvalidated = false
        let flags = c.pointee.cpu.rflags
        c.pointee.instructionStart = c.pointee.cpu.rip
        if flags & Self.resumeFlag == 0 {
            let hits = instructionBreakpointHits()
            if hits != 0 {
                // A fault: RIP stays on the instruction; RF is not set in the image pushed (17.3.1.1).
                c.pointee.cpu.dr6 = (c.pointee.cpu.dr6 & ~0xF) | hits
                c.pointee.instructions &+= 1
                return deliverDebugException()
            }
        }
        // RF suppresses instruction breakpoints for one instruction; IRET and task switches load it.
        c.pointee.cpu.rflags &= ~Self.resumeFlag
        c.pointee.breakpointHits = 0
        c.pointee.eventDelivered = false
        c.pointee.watchingBreakpoints = dataBreakpointsEnabled
        c.pointee.singleStepping = flags & Self.trapFlag != 0
        code.pointee.misses &+= 1
        do throws(CPUException) {
            try executeOne()
            c.pointee.watchingBreakpoints = false
            c.pointee.singleStepping = false
            c.pointee.instructions &+= 1
        } catch {
            // A fault: the instruction did not complete, so neither do its breakpoint traps.
            c.pointee.watchingBreakpoints = false
            c.pointee.singleStepping = false
            c.pointee.breakpointHits = 0
            c.pointee.instructions &+= 1
            return raise(error)
        }
        var bits = c.pointee.breakpointHits
        c.pointee.breakpointHits = 0
        if flags & Self.trapFlag != 0 && !c.pointee.eventDelivered { bits |= Self.dr6BS }
        guard bits != 0 else { return nil }
        // A trap: the handler returns to the next instruction.
        c.pointee.cpu.dr6 = (c.pointee.cpu.dr6 & ~0xF) | bits
        c.pointee.instructionStart = c.pointee.cpu.rip
        return deliverDebugException()
    }

    /// Delivers #DB (vector 1) at the current RIP, clearing DR7.GD (SDM Vol. 3, 17.2.4).
    func deliverDebugException() -> StopReason? {
        let c = core
        c.pointee.cpu.dr7 &= ~0x2000
        c.pointee.epoch &+= 1
        do throws(CPUException) {
            try deliverInterrupt(vector: 1, errorCode: nil, kind: .exception)
        } catch {
            return raise(error)
        }
        return nil
    }

    /// The checks of MOV to or from DRn beyond CPL (SDM Vol. 2, MOV—Move to/from Debug Registers):
    /// DR4 and DR5 are #UD with CR4.DE (else they alias DR6 and DR7), and DR7.GD makes any access a
    /// #DB fault with DR6.BD set.
    func checkDebugRegisterAccess(_ n: Int) throws(CPUException) {
        if (n == 4 || n == 5) && core.pointee.cpu.cr4 & 0x8 != 0 { throw .invalidOpcode }
        if core.pointee.cpu.dr7 & 0x2000 != 0 {
            core.pointee.cpu.dr6 |= Self.dr6BD
            throw .debug
        }
    }

    /// Whether an exception is delivered as a fault whose pushed EFLAGS image has RF set: every
    /// fault-class exception but an instruction-breakpoint #DB (SDM Vol. 3, 17.3.1.1), which
    /// `debugStep` delivers itself (a #DB raised as an exception is a general-detect fault).
    static func pushesResumeFlag(_ vector: UInt8) -> Bool {
        switch vector {
        case 0, 1, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19, 20, 21: return true
        default: return false
        }
    }
}
