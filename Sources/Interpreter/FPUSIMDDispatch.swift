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
}
