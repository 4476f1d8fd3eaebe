import X86Decoder
import X86ISA

extension Interpreter {
    /// The x87, MMX, SSE and XSAVE instructions implemented so far (X87State, XSave, SIMDInteger,
    /// SIMDString, SIMDCrypto). Returns false for anything else, which the caller turns into #UD: a
    /// guest sees the missing floating-point arithmetic as absent.
    func executeFPUSIMD(_ ins: Instruction) throws(CPUException) -> Bool {
        // FWAIT and FNOP are no-ops without a coprocessor (8086, 80286 models).
        guard model == .x86_64 else { return ins.mnemonic == .wait || ins.mnemonic == .fnop }
        if ins.prefixes.contains(.vex) { return false }  // no AVX
        if core.pointee.cpu.fpu.statusWord & 0x80 != 0 { return try executeWithPendingX87Error(ins) }
        return try executeFPUSIMDInstruction(ins)
    }

    @inline(__always) func executeFPUSIMDInstruction(_ ins: Instruction) throws(CPUException) -> Bool {
        switch ins.map {
        case 0:
            // D8-DF: the x87 escape opcodes; 9B is FWAIT.
            if ins.mnemonic == .wait { try x87Wait(); return true }
            if try executeX87(ins) { return true }
            return try executeX87Arithmetic(ins)
        default:
            if try executeSIMD(ins) { return true }
            if try executeSSEFloat(ins) { return true }
            return try executeStateSave(ins)
        }
    }

    /// An instruction met with an unmasked x87 exception pending (FSW.ES). With CR0.NE = 1 the waiting
    /// instructions raise #MF themselves (`x87PendingCheck`). With CR0.NE = 0 (the MS-DOS compatible
    /// mode, SDM Vol. 1, Appendix D) a waiting x87 or MMX instruction asserts FERR#, which a PC latches
    /// into IRQ 13, and unless the machine asserts IGNNE# the processor freezes before it until an
    /// external interrupt: modelled as a halt at the instruction, so that the handler (which writes
    /// port 0xF0 and clears the exception) returns to it and it runs again. No-wait instructions (FNINIT,
    /// FNCLEX, FNSTSW...) go on. When FSW.ES is clear afterwards, FERR# is withdrawn.
    @inline(never)
    func executeWithPendingX87Error(_ ins: Instruction) throws(CPUException) -> Bool {
        let c = core
        if c.pointee.cpu.cr0 & 0x20 == 0 && x87ReportsPendingError(ins) {
            platform.floatingPointError(true)
            if !platform.ignoreNumericError {
                c.pointee.cpu.rip = c.pointee.instructionStart
                c.pointee.cpu.halted = true
                // End the block here: the run loop sees the halt and waits for an interrupt.
                c.pointee.pollPlatform = true
                c.pointee.codeInvalidated = true
                return true
            }
        }
        let handled = try executeFPUSIMDInstruction(ins)
        if c.pointee.cpu.fpu.statusWord & 0x80 == 0 { platform.floatingPointError(false) }
        return handled
    }

    /// Whether `ins` reaches the pending-exception check (the #MF point with CR0.NE = 1): a waiting x87
    /// instruction or FWAIT past its #NM checks, or an MMX instruction past #UD/#NM.
    func x87ReportsPendingError(_ ins: Instruction) -> Bool {
        let cr0 = core.pointee.cpu.cr0
        if ins.map == 0 {
            switch ins.mnemonic {
            case .wait: return cr0 & 0xA != 0xA
            case .fninit, .fnclex, .fnstsw, .fnstcw, .fnstenv, .fnsave, .fneni, .fndisi, .fnsetpm: return false
            default: return cr0 & 0xC == 0
            }
        }
        if cr0 & 0xC != 0 { return false }
        if ins.mnemonic == .emms { return true }
        var mmx = false, xmm = false
        for i in 0..<Int(ins.operandCount) {
            let o = ins.operand(i)
            guard o.kind == .register else { continue }
            if o.register.isMMX { mmx = true }
            if o.register.isXMM { xmm = true }
        }
        return mmx && (!xmm || core.pointee.cpu.cr4 & 0x200 != 0)
    }
}
