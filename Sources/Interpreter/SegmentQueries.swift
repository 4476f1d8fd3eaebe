import X86Decoder
import X86State

/// LAR, LSL, VERR and VERW (SDM Vol. 2): questions about a selector that answer in ZF instead of
/// faulting. A selector that is null, past the table limit, or names a descriptor of the wrong kind
/// or a privilege the program may not see clears ZF; only faults of the operand access itself and
/// page faults on the descriptor read are raised. All four are sensitive but unprivileged: they
/// reveal the real descriptor tables to a deprivileged guest kernel (Popek-Goldberg, Robin & Irvine).
extension Interpreter {
    /// Which question a segment-query instruction asks.
    enum SegmentQuery {
        case accessRights, segmentLimit, verifyRead, verifyWrite
    }

    /// Executes LAR, LSL, VERR or VERW; #UD in real and virtual-8086 mode.
    func segmentQuery(_ ins: Instruction, _ query: SegmentQuery) throws(CPUException) {
        if !protectedMode { throw .invalidOpcode }
        let sourceIndex = query == .accessRights || query == .segmentLimit ? 1 : 0
        let selector = UInt16(truncatingIfNeeded: try readOperand(ins, sourceIndex))
        let answer = try queryDescriptor(selector, query)
        commitFlags()
        let c = core
        if let value = answer {
            c.pointee.cpu.rflags |= 0x40
            if query == .accessRights || query == .segmentLimit {
                let size = ins.operand(0).size
                try writeOperand(ins, 0, size == 2 ? value & 0xFFFF : value & 0xFFFF_FFFF)
            }
        } else {
            c.pointee.cpu.rflags &= ~0x40
        }
    }

    /// The descriptor's answer (access rights, scaled limit, or 1 for VERR/VERW), or nil when ZF
    /// is to be cleared.
    private func queryDescriptor(_ selector: UInt16, _ query: SegmentQuery) throws(CPUException) -> UInt64? {
        let cpu = core.pointee.cpu
        if selector & 0xFFFC == 0 { return nil }
        let local = selector & 4 != 0
        if local && cpu.ldtr.selector & 0xFFFC == 0 { return nil }
        let (base, limit): (UInt64, UInt64) = local ? (cpu.ldtr.base, UInt64(cpu.ldtr.limit)) : (cpu.gdtr.base, UInt64(cpu.gdtr.limit))
        let index = UInt64(selector & 0xFFF8)
        if index + 7 > limit { return nil }
        // A descriptor-table access is a supervisor-mode access at any CPL (SDM Vol. 3, 4.6.1).
        let d = try asSupervisor { () throws(CPUException) in try readLinear(base &+ index, 8) }
        let type = UInt8((d >> 40) & 0xF)
        let system = d & (1 << 44) == 0
        let dpl = UInt8((d >> 45) & 3)
        let longMode = cpu.msr.efer & 0x400 != 0
        let code = !system && type & 8 != 0
        let conforming = code && type & 4 != 0
        // Data and non-conforming code segments, and all system descriptors: DPL >= max(CPL, RPL).
        let visible = conforming || dpl >= max(cpl, UInt8(selector & 3))

        switch query {
        case .verifyRead, .verifyWrite:
            if system || !visible { return nil }
            if query == .verifyRead { return !code || type & 2 != 0 ? 1 : nil }  // data, or readable code
            return !code && type & 2 != 0 ? 1 : nil  // writable data
        case .accessRights, .segmentLimit:
            if !visible { return nil }
            if system {
                // Valid system types (SDM Vol. 2, LAR and LSL tables): in IA-32e mode the LDT,
                // 64-bit TSSs and (LAR only) 64-bit call gates; otherwise 16/32-bit TSSs, the LDT,
                // and (LAR only) gates.
                let valid: Set<UInt8> = switch (longMode, query == .accessRights) {
                case (true, true): [2, 9, 0xB, 0xC]
                case (true, false): [2, 9, 0xB]
                case (false, true): [1, 2, 3, 4, 5, 9, 0xB, 0xC]
                case (false, false): [1, 2, 3, 9, 0xB]
                }
                if !valid.contains(type) { return nil }
                if longMode {
                    // A 16-byte system descriptor: the upper half's type field must be 0.
                    if index + 15 > limit { return nil }
                    let upper = try asSupervisor { () throws(CPUException) in try readLinear(base &+ index &+ 8, 8) }
                    if (upper >> 40) & 0x1F != 0 { return nil }
                }
            }
            if query == .accessRights { return (d >> 32) & 0x00F0_FF00 }
            var segmentLimit = (d & 0xFFFF) | ((d >> 32) & 0xF_0000)
            if d & (1 << 55) != 0 { segmentLimit = (segmentLimit << 12) | 0xFFF }
            return segmentLimit
        }
    }
}
