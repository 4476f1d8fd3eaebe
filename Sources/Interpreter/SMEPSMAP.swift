import X86Decoder

/// Supervisor-mode execution and access prevention (SDM Vol. 3, 4.6.1 "Determination of Access
/// Rights"): with CR4.SMEP (bit 20) a supervisor-mode instruction fetch from a user-mode page (U/S set
/// at every level of the walk) faults; with CR4.SMAP (bit 21) a supervisor-mode data access to a
/// user-mode page faults unless it is explicit (not an access to a system structure made on the way,
/// `Core.supervisorAccess`) at CPL < 3 with RFLAGS.AC set. The checks live in `pageWalk`
/// (Memory.swift); the page-fault error code has P = 1, U/S = 0, W and I/D as for any fault.
///
/// The software TLB's supervisor half caches no fetch permission for user-mode pages under SMEP and
/// no data permission for them under SMAP (the answer depends on AC, which STAC/CLAC/POPF change
/// without a flush): those accesses walk every time, where the rule is applied in full.
extension Interpreter {
    /// SMAP lets an explicit supervisor-mode data access reach a user-mode page: RFLAGS.AC = 1 and
    /// not an implicit access to a system structure (SDM Vol. 3, 4.6.1).
    @inline(__always) var smapAllowsData: Bool {
        !core.pointee.supervisorAccess && core.pointee.cpu.rflags & 0x4_0000 != 0
    }

    /// STAC / CLAC: set or clear RFLAGS.AC (SDM Vol. 2, STAC, CLAC). #UD at CPL > 0 and in
    /// virtual-8086 mode (where CPL is 3), and with LOCK.
    func setAlignmentCheckFlag(_ ins: Instruction) throws(CPUException) {
        if ins.prefixes.contains(.lock) || cpl != 0 { throw .invalidOpcode }
        if ins.mnemonic == .stac {
            core.pointee.cpu.rflags |= 0x4_0000
        } else {
            core.pointee.cpu.rflags &= ~0x4_0000
        }
    }
}
