import SoftFloat
import X86Decoder
import X86ISA

// SSE, SSE2, SSE3 and SSE4.1 floating-point arithmetic, comparisons and conversions in their legacy
// encodings (SDM Vol. 2; Vol. 1, chapters 10-12): operands are fetched here, SoftFloat's SSEContext
// computes the instruction under MXCSR. Unmasked SIMD floating-point exceptions leave the destination
// unchanged and raise #XM, or #UD when CR4.OSXMMEXCPT is clear (SDM Vol. 3, 6.15, interrupt 19).

extension Interpreter {
    /// The SoftFloat operation of a floating-point SSE mnemonic; nil for any other mnemonic.
    @inline(__always)
    func sseFloatOperation(_ ins: Instruction) -> SSEOperation? {
        switch ins.mnemonic {
        case .addps: return .addps
        case .addss: return .addss
        case .addpd: return .addpd
        case .addsd: return .addsd
        case .subps: return .subps
        case .subss: return .subss
        case .subpd: return .subpd
        case .subsd: return .subsd
        case .mulps: return .mulps
        case .mulss: return .mulss
        case .mulpd: return .mulpd
        case .mulsd: return .mulsd
        case .divps: return .divps
        case .divss: return .divss
        case .divpd: return .divpd
        case .divsd: return .divsd
        case .sqrtps: return .sqrtps
        case .sqrtss: return .sqrtss
        case .sqrtpd: return .sqrtpd
        case .sqrtsd: return .sqrtsd
        case .minps: return .minps
        case .minss: return .minss
        case .minpd: return .minpd
        case .minsd: return .minsd
        case .maxps: return .maxps
        case .maxss: return .maxss
        case .maxpd: return .maxpd
        case .maxsd: return .maxsd
        case .cmpps: return .cmpps
        case .cmpss: return .cmpss
        case .cmppd: return .cmppd
        case .cmpsd: return .cmpsd
        case .comiss: return .comiss
        case .ucomiss: return .ucomiss
        case .comisd: return .comisd
        case .ucomisd: return .ucomisd
        case .haddps: return .haddps
        case .haddpd: return .haddpd
        case .hsubps: return .hsubps
        case .hsubpd: return .hsubpd
        case .addsubps: return .addsubps
        case .addsubpd: return .addsubpd
        case .dpps: return .dpps
        case .dppd: return .dppd
        case .roundps: return .roundps
        case .roundpd: return .roundpd
        case .roundss: return .roundss
        case .roundsd: return .roundsd
        case .rcpps: return .rcpps
        case .rcpss: return .rcpss
        case .rsqrtps: return .rsqrtps
        case .rsqrtss: return .rsqrtss
        case .cvtps2pd: return .cvtps2pd
        case .cvtpd2ps: return .cvtpd2ps
        case .cvtss2sd: return .cvtss2sd
        case .cvtsd2ss: return .cvtsd2ss
        case .cvtdq2ps: return .cvtdq2ps
        case .cvtps2dq: return .cvtps2dq
        case .cvttps2dq: return .cvttps2dq
        case .cvtdq2pd: return .cvtdq2pd
        case .cvtpd2dq: return .cvtpd2dq
        case .cvttpd2dq: return .cvttpd2dq
        case .cvtpi2ps: return .cvtpi2ps
        case .cvtpi2pd: return .cvtpi2pd
        case .cvtps2pi: return .cvtps2pi
        case .cvttps2pi: return .cvttps2pi
        case .cvtpd2pi: return .cvtpd2pi
        case .cvttpd2pi: return .cvttpd2pi
        case .cvtsi2ss: return operandBytes(ins, 1) == 8 ? .cvtsi2ss64 : .cvtsi2ss32
        case .cvtsi2sd: return operandBytes(ins, 1) == 8 ? .cvtsi2sd64 : .cvtsi2sd32
        case .cvtss2si: return operandBytes(ins, 0) == 8 ? .cvtss2si64 : .cvtss2si32
        case .cvttss2si: return operandBytes(ins, 0) == 8 ? .cvttss2si64 : .cvttss2si32
        case .cvtsd2si: return operandBytes(ins, 0) == 8 ? .cvtsd2si64 : .cvtsd2si32
        case .cvttsd2si: return operandBytes(ins, 0) == 8 ? .cvttsd2si64 : .cvttsd2si32
        default: return nil
        }
    }

    /// Executes an SSE floating-point instruction; returns false for other mnemonics.
    func executeSSEFloat(_ ins: Instruction) throws(CPUException) -> Bool {
        guard let op = sseFloatOperation(ins) else { return false }
        // An MMX register operand (CVTPI2PS/PD from one, CVT(T)PS2PI/PD2PI to one) brings the MMX
        // checks (pending x87 exception: #MF) and the x87-to-MMX transition.
        let d = ins.op0, s = ins.op1
        let mmxDestination = d.kind == .register && d.register.isMMX
        let mmxSource = s.kind == .register && s.register.isMMX
        try sseCheck()
        if mmxDestination || mmxSource { try x87PendingCheck() }
        let b = try vectorOperand(ins, 1, aligned: true)
        let a: Vec
        if d.kind == .register && d.register.isXMM {
            a = xmm(Int(d.register.rawValue &- Register.first_xmm))
        } else {
            a = .zero  // an MMX or general-purpose destination is not a source
        }
        let mxcsr = core.pointee.cpu.fpu.mxcsr
        var ctx = SSEContext(mxcsr: mxcsr)
        let r = ctx.execute(op, a.q, b.q, immediate: UInt8(truncatingIfNeeded: ins.immediate))
        if mmxDestination || mmxSource { mmxTransition() }
        core.pointee.cpu.fpu.mxcsr = mxcsr | UInt32(ctx.flags.rawValue)
        if ctx.raisesException {
            throw core.pointee.cpu.cr4 & 0x400 != 0 ? .simdFloatingPoint : .invalidOpcode
        }
        switch op {
        case .comiss, .ucomiss, .comisd, .ucomisd:
            // ZF, PF, CF from the comparison; OF, SF, AF cleared.
            commitFlags()
            core.pointee.cpu.rflags = (core.pointee.cpu.rflags & ~0x8D5) | r[0]
        case .cvtps2pi, .cvttps2pi, .cvtpd2pi, .cvttpd2pi:
            setMM(Int(d.register.rawValue &- Register.first_mm), r[0])
        case .cvtss2si32, .cvtss2si64, .cvttss2si32, .cvttss2si64,
             .cvtsd2si32, .cvtsd2si64, .cvttsd2si32, .cvttsd2si64:
            writeRegister(d.register, r[0])
        default:
            setXMM(Int(d.register.rawValue &- Register.first_xmm), Vec(lo: r[0], hi: r[1]))
        }
        return true
    }
}
