import X86Decoder
import X86State

/// SYSENTER and SYSEXIT (SDM Vol. 2): the fast system call of 32-bit Linux and of compatibility
/// mode on Intel CPUs. Flat CS/SS are derived from IA32_SYSENTER_CS, never read from the GDT.
extension Interpreter {
    /// SYSENTER: to CPL 0 at IA32_SYSENTER_EIP with the stack at IA32_SYSENTER_ESP; #GP(0) in real
    /// mode or when IA32_SYSENTER_CS[15:2] is 0.
    func systemEnter() throws(CPUException) {
        let c = core
        let msr = c.pointee.cpu.msr
        if c.pointee.cpu.cr0 & 1 == 0 || msr.sysenterCS & 0xFFFC == 0 { throw .generalProtection(0) }
        let longMode = msr.efer & 0x400 != 0
        let sel = UInt16(truncatingIfNeeded: msr.sysenterCS) & 0xFFFC
        commitFlags()
        c.pointee.cpu.rflags &= ~UInt64(0x2_0000 | 0x200 | 0x1_0000)  // VM, IF, RF
        c.pointee.cpu.segments.1 = SegmentRegister(selector: sel, base: 0, limit: 0xFFFF_FFFF, attributes: longMode ? 0xA9B : 0xC9B)
        c.pointee.cpu.segments.2 = SegmentRegister(selector: sel &+ 8, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
        c.pointee.cpu.rip = longMode ? msr.sysenterEIP : msr.sysenterEIP & 0xFFFF_FFFF
        gpr[4] = longMode ? msr.sysenterESP : msr.sysenterESP & 0xFFFF_FFFF
    }

    /// SYSEXIT: back to CPL 3 at EDX/RDX with the stack at ECX/RCX; with REX.W to 64-bit code.
    /// #GP(0) outside protected mode, at CPL > 0, when IA32_SYSENTER_CS[15:2] is 0, or (64-bit)
    /// when RDX or RCX is not canonical.
    func systemExit(size: Int) throws(CPUException) {
        let c = core
        let base = UInt16(truncatingIfNeeded: c.pointee.cpu.msr.sysenterCS)
        if !protectedMode || base & 0xFFFC == 0 || cpl != 0 { throw .generalProtection(0) }
        if size == 8 {
            for value in [gpr[2], gpr[1]] {
                let top = Int64(bitPattern: value) >> 47
                if top != 0 && top != -1 { throw .generalProtection(0) }
            }
            c.pointee.cpu.segments.1 = SegmentRegister(selector: (base &+ 32) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xAFB)
            c.pointee.cpu.segments.2 = SegmentRegister(selector: (base &+ 40) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xCF3)
            c.pointee.cpu.rip = gpr[2]
            gpr[4] = gpr[1]
        } else {
            c.pointee.cpu.segments.1 = SegmentRegister(selector: (base &+ 16) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xCFB)
            c.pointee.cpu.segments.2 = SegmentRegister(selector: (base &+ 24) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xCF3)
            c.pointee.cpu.rip = gpr[2] & 0xFFFF_FFFF
            gpr[4] = gpr[1] & 0xFFFF_FFFF
        }
    }
}
