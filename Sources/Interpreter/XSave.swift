import X86Decoder
import X86ISA
import X86State

// FXSAVE/FXRSTOR (SDM Vol. 1, 10.5), LDMXCSR/STMXCSR, and the XSAVE feature set for the x87 and SSE
// state components (SDM Vol. 1, chapter 13): XSETBV, XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS.
// XCR0 may enable x87 and SSE only (no AVX: the interpreter has no VEX execution), IA32_XSS nothing.

extension Interpreter {
    /// MXCSR bits FXRSTOR/LDMXCSR accept (MXCSR_MASK: DAZ supported).
    static let mxcsrMask: UInt32 = 0xFFFF
    /// The XCR0 bits this CPU supports: x87 (0) and SSE (1).
    static let supportedXCR0: UInt64 = 3
    /// Size of the XSAVE area for x87 and SSE: the 512-byte legacy region and the 64-byte header.
    static let xsaveAreaSize = 576

    /// State save and restore instructions; returns false for other mnemonics.
    func executeStateSave(_ ins: Instruction) throws(CPUException) -> Bool {
        let c = core
        switch ins.mnemonic {
        case .fxsave, .fxsave64:
            if c.pointee.cpu.cr0 & 0xC != 0 { throw .deviceNotAvailable }
            let linear = try stateArea(ins, size: 512, alignment: 16, .write)
            try saveLegacyX87(linear, wide: ins.mnemonic == .fxsave64)
            try saveMXCSR(linear)
            try saveXMM(linear)
        case .fxrstor, .fxrstor64:
            if c.pointee.cpu.cr0 & 0xC != 0 { throw .deviceNotAvailable }
            let linear = try stateArea(ins, size: 512, alignment: 16, .read)
            var f = c.pointee.cpu.fpu
            let mxcsr = UInt32(truncatingIfNeeded: try readLinear(linear &+ 24, 4))
            if mxcsr & ~Self.mxcsrMask != 0 { throw .generalProtection(0) }
            let tags = try loadLegacyX87(linear, wide: ins.mnemonic == .fxrstor64, into: &f)
            try loadXMM(linear, into: &f)
            f.mxcsr = mxcsr
            commitFPUState(f, abridgedTags: tags)
        case .ldmxcsr:
            try sseCheck()
            let v = UInt32(truncatingIfNeeded: try readOperand(ins, 0))
            if v & ~Self.mxcsrMask != 0 { throw .generalProtection(0) }
            c.pointee.cpu.fpu.mxcsr = v
        case .stmxcsr:
            try sseCheck()
            try writeOperand(ins, 0, UInt64(c.pointee.cpu.fpu.mxcsr))
        case .xsetbv:
            if c.pointee.cpu.cr4 & 0x4_0000 == 0 { throw .invalidOpcode }
            if cpl != 0 || gpr[1] & 0xFFFF_FFFF != 0 { throw .generalProtection(0) }
            let v = (gpr[2] << 32) | (gpr[0] & 0xFFFF_FFFF)
            if v & 1 == 0 || v & ~Self.supportedXCR0 != 0 { throw .generalProtection(0) }
            c.pointee.cpu.xcr0 = v
        case .xsave, .xsave64, .xsaveopt, .xsaveopt64:
            try xsaveCheck()
            let linear = try stateArea(ins, size: Self.xsaveAreaSize, alignment: 64, .write)
            let rfbm = requestedFeatures(supervisor: false)
            let inUse = xstateInUse()
            let optimize = ins.mnemonic == .xsaveopt || ins.mnemonic == .xsaveopt64
            let wide = ins.mnemonic == .xsave64 || ins.mnemonic == .xsaveopt64
            if rfbm & 1 != 0 && (!optimize || inUse & 1 != 0) { try saveLegacyX87(linear, wide: wide) }
            if rfbm & 6 != 0 { try saveMXCSR(linear) }
            if rfbm & 2 != 0 && (!optimize || inUse & 2 != 0) { try saveXMM(linear) }
            let old = try readLinear(linear &+ 512, 8)
            try writeLinear(linear &+ 512, 8, (old & ~rfbm) | (inUse & rfbm))
        case .xsavec, .xsavec64, .xsaves, .xsaves64:
            try xsaveCheck()
            let supervisor = ins.mnemonic == .xsaves || ins.mnemonic == .xsaves64
            if supervisor && cpl != 0 { throw .generalProtection(0) }
            let linear = try stateArea(ins, size: Self.xsaveAreaSize, alignment: 64, .write)
            let rfbm = requestedFeatures(supervisor: supervisor)
            let inUse = xstateInUse()
            let wide = ins.mnemonic == .xsavec64 || ins.mnemonic == .xsaves64
            if rfbm & inUse & 1 != 0 { try saveLegacyX87(linear, wide: wide) }
            if rfbm & 2 != 0 { try saveMXCSR(linear) }
            if rfbm & inUse & 2 != 0 { try saveXMM(linear) }
            try writeLinear(linear &+ 512, 8, rfbm & inUse)
            try writeLinear(linear &+ 520, 8, rfbm | (1 << 63))
        case .xrstor, .xrstor64, .xrstors, .xrstors64:
            try xsaveCheck()
            let supervisor = ins.mnemonic == .xrstors || ins.mnemonic == .xrstors64
            if supervisor && cpl != 0 { throw .generalProtection(0) }
            let linear = try stateArea(ins, size: Self.xsaveAreaSize, alignment: 64, .read)
            let rfbm = requestedFeatures(supervisor: supervisor)
            let xstateBV = try readLinear(linear &+ 512, 8)
            let xcompBV = try readLinear(linear &+ 520, 8)
            let compacted = xcompBV >> 63 != 0
            let enabled = c.pointee.cpu.xcr0  // | IA32_XSS, which is always 0
            if compacted {
                // SDM Vol. 1, 13.8.2 and 13.12: XCOMP_BV within the enabled components, XSTATE_BV within
                // XCOMP_BV, bytes 63:16 of the header zero.
                if xcompBV & ~(1 << 63) & ~enabled != 0 || xstateBV & ~xcompBV != 0 { throw .generalProtection(0) }
                for offset in stride(from: 528, to: 576, by: 8) where try readLinear(linear &+ UInt64(offset), 8) != 0 {
                    throw .generalProtection(0)
                }
            } else {
                // SDM Vol. 1, 13.8.1: XSTATE_BV within XCR0, bytes 23:8 of the header zero. XRSTORS
                // needs the compacted format.
                if supervisor || xstateBV & ~c.pointee.cpu.xcr0 != 0 || xcompBV != 0 { throw .generalProtection(0) }
                if try readLinear(linear &+ 528, 8) != 0 { throw .generalProtection(0) }
            }
            var f = c.pointee.cpu.fpu
            var tags: UInt8? = nil
            // MXCSR: the standard form loads it when RFBM[1] or RFBM[2]; the compacted form when
            // RFBM[1] and XSTATE_BV[1], and initializes it when RFBM[1] and not XSTATE_BV[1].
            if compacted ? rfbm & 2 != 0 : rfbm & 6 != 0 {
                if !compacted || xstateBV & 2 != 0 {
                    let mxcsr = UInt32(truncatingIfNeeded: try readLinear(linear &+ 24, 4))
                    if mxcsr & ~Self.mxcsrMask != 0 { throw .generalProtection(0) }
                    f.mxcsr = mxcsr
                } else {
                    f.mxcsr = 0x1F80
                }
            }
            if rfbm & 1 != 0 {
                if xstateBV & 1 != 0 {
                    tags = try loadLegacyX87(linear, wide: ins.mnemonic == .xrstor64 || ins.mnemonic == .xrstors64, into: &f)
                } else {
                    Self.initializeX87(&f)
                    tags = 0
                }
            }
            if rfbm & 2 != 0 {
                if xstateBV & 2 != 0 {
                    try loadXMM(linear, into: &f)
                } else {
                    for n in 0..<(codeMode == .bits64 ? 16 : 8) { Self.setXMM(&f, n, .zero) }
                }
            }
            commitFPUState(f, abridgedTags: tags)
        default:
            return false
        }
        return true
    }

    /// Checks the memory operand of a state instruction (alignment first, then segment and paging for
    /// every page) and returns its linear address.
    func stateArea(_ ins: Instruction, size: Int, alignment: UInt64, _ access: AccessKind) throws(CPUException) -> UInt64 {
        let seg = segmentIndex(ins.memory.segment)
        let linear = try linearAddress(seg, effectiveAddress(ins), size, access)
        if linear & (alignment - 1) != 0 { throw .generalProtection(0) }
        try probePages(linear, size, access)
        return linear
    }

    /// RFBM: EDX:EAX & XCR0 (| IA32_XSS for XSAVES/XRSTORS).
    func requestedFeatures(supervisor: Bool) -> UInt64 {
        let mask = (gpr[2] << 32) | (gpr[0] & 0xFFFF_FFFF)
        // IA32_XSS is always 0: no supervisor state component is supported.
        return mask & core.pointee.cpu.xcr0
    }

    /// XINUSE for x87 (bit 0) and SSE (bit 1), computed from the state (SDM Vol. 1, 13.6): a component
    /// is not in use when it is in its initial configuration. MXCSR does not count.
    func xstateInUse() -> UInt64 {
        let f = core.pointee.cpu.fpu
        var inUse: UInt64 = 0
        if f.controlWord != 0x037F || f.statusWord != 0 || f.tagWord != 0xFFFF || f.lastOpcode != 0
            || f.lastInstructionPointer != 0 || f.lastDataPointer != 0 {
            inUse |= 1
        } else {
            for phys in 0..<8 where fpuRegister(physical: phys) != .zero { inUse |= 1; break }
        }
        for n in 0..<(codeMode == .bits64 ? 16 : 8) where xmm(n) != .zero { inUse |= 2; break }
        return inUse
    }

    // MARK: - The legacy region (SDM Vol. 1, Table 10-2)

    /// Bytes 0-23 and 32-159: FCW, FSW, abridged FTW, FOP, FIP, FDP (64-bit with REX.W, else 32-bit
    /// offsets with the deprecated FCS/FDS as zero), ST0-ST7 in stack order (bytes 10-15 of each zero).
    func saveLegacyX87(_ linear: UInt64, wide: Bool) throws(CPUException) {
        let f = core.pointee.cpu.fpu
        let header = UInt64(f.controlWord) | UInt64(f.statusWord) << 16 | UInt64(x87AbridgedTagWord()) << 32
            | UInt64(f.lastOpcode & 0x7FF) << 48
        try writeLinear(linear, 8, header)
        try writeLinear(linear &+ 8, 8, wide ? f.lastInstructionPointer : f.lastInstructionPointer & 0xFFFF_FFFF)
        try writeLinear(linear &+ 16, 8, wide ? f.lastDataPointer : f.lastDataPointer & 0xFFFF_FFFF)
        for i in 0..<8 {
            let r = st(i)
            try writeLinear(linear &+ UInt64(32 + i * 16), 8, r.significand)
            try writeLinear(linear &+ UInt64(40 + i * 16), 8, UInt64(r.signExponent))
        }
    }

    /// Bytes 24-31: MXCSR and MXCSR_MASK.
    func saveMXCSR(_ linear: UInt64) throws(CPUException) {
        try writeLinear(linear &+ 24, 8, UInt64(core.pointee.cpu.fpu.mxcsr) | UInt64(Self.mxcsrMask) << 32)
    }

    /// Bytes 160-415: XMM0-XMM15 in 64-bit mode, XMM0-XMM7 otherwise.
    func saveXMM(_ linear: UInt64) throws(CPUException) {
        for n in 0..<(codeMode == .bits64 ? 16 : 8) {
            let v = xmm(n)
            try writeLinear(linear &+ UInt64(160 + n * 16), 8, v.lo)
            try writeLinear(linear &+ UInt64(168 + n * 16), 8, v.hi)
        }
    }

    /// Reads the x87 part of a legacy region into `f`; returns the abridged tag word.
    func loadLegacyX87(_ linear: UInt64, wide: Bool, into f: inout FPUState) throws(CPUException) -> UInt8 {
        let header = try readLinear(linear, 8)
        let fip = try readLinear(linear &+ 8, 8)
        let fdp = try readLinear(linear &+ 16, 8)
        f.controlWord = Self.x87ControlWord(UInt16(truncatingIfNeeded: header))
        f.statusWord = UInt16(truncatingIfNeeded: header >> 16)
        f.lastOpcode = UInt16(truncatingIfNeeded: header >> 48) & 0x7FF
        f.lastInstructionPointer = wide ? fip : fip & 0xFFFF_FFFF
        f.lastDataPointer = wide ? fdp : fdp & 0xFFFF_FFFF
        let top = Int((f.statusWord >> 11) & 7)
        for i in 0..<8 {
            let significand = try readLinear(linear &+ UInt64(32 + i * 16), 8)
            let signExponent = UInt16(truncatingIfNeeded: try readLinear(linear &+ UInt64(40 + i * 16), 2))
            withUnsafeMutableBytes(of: &f.st) { raw in
                let offset = ((top + i) & 7) * 16
                raw.storeBytes(of: significand, toByteOffset: offset, as: UInt64.self)
                raw.storeBytes(of: signExponent, toByteOffset: offset + 8, as: UInt16.self)
            }
        }
        return UInt8(truncatingIfNeeded: header >> 32)
    }

    /// Reads XMM0-XMM15 (64-bit mode) or XMM0-XMM7 from a legacy region into `f`.
    func loadXMM(_ linear: UInt64, into f: inout FPUState) throws(CPUException) {
        for n in 0..<(codeMode == .bits64 ? 16 : 8) {
            let lo = try readLinear(linear &+ UInt64(160 + n * 16), 8)
            let hi = try readLinear(linear &+ UInt64(168 + n * 16), 8)
            Self.setXMM(&f, n, Vec(lo: lo, hi: hi))
        }
    }

    static func setXMM(_ f: inout FPUState, _ n: Int, _ v: Vec) {
        withUnsafeMutableBytes(of: &f.xmm) { $0.storeBytes(of: v, toByteOffset: (n & 15) * 16, as: Vec.self) }
    }

    /// The x87 state component's initial configuration (SDM Vol. 1, 13.6): FNINIT's, with ST0-ST7 zero.
    static func initializeX87(_ f: inout FPUState) {
        f.controlWord = 0x037F
        f.statusWord = 0
        f.tagWord = 0xFFFF
        f.lastOpcode = 0
        f.lastInstructionPointer = 0
        f.lastDataPointer = 0
        f.st = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    }

    /// Installs a restored FPU state; with `abridgedTags`, the x87 part was restored too: tags from the
    /// abridged word and the register contents, and the exception summary from the loaded flags.
    func commitFPUState(_ f: FPUState, abridgedTags: UInt8?) {
        core.pointee.cpu.fpu = f
        guard let t = abridgedTags else { return }
        var tw: UInt16 = 0
        for phys in 0..<8 where t & (1 << UInt8(phys)) == 0 { tw |= 3 << UInt16(phys * 2) }
        x87LoadTagWord(tw)
        x87UpdateSummary()
    }
}
