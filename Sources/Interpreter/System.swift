import X86Decoder
import X86ISA
import X86State

extension Interpreter {
    /// Instructions beyond the core integer set: bit operations, conditional moves, and the system
    /// instructions. Anything not implemented raises #UD, so a guest sees a CPU without the feature.
    func executeSystem(_ ins: Instruction) throws(CPUException) {
        // x87, MMX, SSE and XSAVE (FPUSIMDDispatch.swift), before the name-based SETcc/CMOVcc tests below.
        if try executeFPUSIMD(ins) { return }
        let c = core
        // SETcc and CMOVcc share the Jcc condition encoding. (`name` is reflection, far too slow for
        // every instruction that gets here: only for the SETcc and CMOVcc opcodes, 0F 9x and 0F 4x.)
        let name = ins.map == 1 && (ins.opcode & 0xF0 == 0x90 || ins.opcode & 0xF0 == 0x40) ? ins.mnemonic.name : ""
        if name.hasPrefix("set"), let cc = Self.conditionSuffix(name.dropFirst(3)) {
            try writeOperand(ins, 0, condition(cc) ? 1 : 0)
            return
        }
        if name.hasPrefix("cmov"), let cc = Self.conditionSuffix(name.dropFirst(4)) {
            let v = try readOperand(ins, 1)
            let size = operandBytes(ins, 0)
            if condition(cc) {
                try writeOperand(ins, 0, v)
            } else if size == 4 {
                writeRegister(ins.op0.register, readGPR(Int(ins.op0.register.number), size: 4))  // still zero-extends
            }
            return
        }
        switch ins.mnemonic {
        case .bt, .bts, .btr, .btc:
            let size = operandBytes(ins, 0)
            let bits = UInt64(size) * 8
            var offset = try readOperand(ins, 1)
            var value: UInt64
            if ins.op0.kind == .memory && ins.op1.kind == .register {
                // A register bit offset addresses memory beyond the operand (SDM Vol. 2, BT).
                let signed = Int64(bitPattern: signExtend(offset, size))
                let byteDelta = UInt64(bitPattern: (signed >> Int64(bits.trailingZeroBitCount)) * Int64(size))
                let ea = (effectiveAddress(ins) &+ byteDelta) & sizeMask(ins.addressSize)
                offset &= bits - 1
                let seg = segmentIndex(ins.memory.segment)
                value = try read(seg, ea, Int(size))
                let bit: UInt64 = 1 << offset
                commitFlags()
                c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~1) | (value & bit != 0 ? 1 : 0)
                switch ins.mnemonic {
                case .bts: try write(seg, ea, Int(size), value | bit)
                case .btr: try write(seg, ea, Int(size), value & ~bit)
                case .btc: try write(seg, ea, Int(size), value ^ bit)
                default: break
                }
                return
            }
            offset &= bits - 1
            value = try readOperand(ins, 0)
            let bit: UInt64 = 1 << offset
            commitFlags()
            c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~1) | (value & bit != 0 ? 1 : 0)
            switch ins.mnemonic {
            case .bts: try writeOperand(ins, 0, value | bit)
            case .btr: try writeOperand(ins, 0, value & ~bit)
            case .btc: try writeOperand(ins, 0, value ^ bit)
            default: break
            }
        case .bsf, .bsr, .tzcnt, .lzcnt, .popcnt:
            let size = operandBytes(ins, 0)
            let bits = Int(size) * 8
            let v = try readOperand(ins, 1) & sizeMask(size)
            commitFlags()
            var f = c.pointee.cpu.rflags & ~0x8D5
            switch (ins.mnemonic, Self.hasBMI1) {
            case (.bsf, _), (.bsr, _), (.tzcnt, false):
                // Without BMI1 in CPUID leaf 7, F3 0F BC would be BSF (the REP prefix ignored).
                if v == 0 {
                    // The destination is undefined; like Intel's processors, rewrite the old value
                    // (a 32-bit register is zero-extended in 64-bit mode).
                    f |= 0x40
                    try writeOperand(ins, 0, try readOperand(ins, 0))
                } else {
                    try writeOperand(ins, 0, UInt64(ins.mnemonic == .bsr ? 63 - v.leadingZeroBitCount : v.trailingZeroBitCount))
                }
            case (.tzcnt, true):
                // TZCNT and LZCNT (SDM Vol. 2): the operand size when the source is 0; CF = (source
                // = 0), ZF = (result = 0); OF, SF, PF, AF undefined (cleared here).
                let r = v == 0 ? bits : v.trailingZeroBitCount
                try writeOperand(ins, 0, UInt64(r))
                if v == 0 { f |= 1 }
                if r == 0 { f |= 0x40 }
            case (.lzcnt, _):
                let r = v == 0 ? bits : v.leadingZeroBitCount - (64 - bits)
                try writeOperand(ins, 0, UInt64(r))
                if v == 0 { f |= 1 }
                if r == 0 { f |= 0x40 }
            default:
                try writeOperand(ins, 0, UInt64(v.nonzeroBitCount))
                if v == 0 { f |= 0x40 }
            }
            c.pointee.cpu.rflags = f
        case .andn, .bextr, .blsi, .blsmsk, .blsr, .bzhi, .mulx, .pdep, .pext, .rorx, .sarx, .shlx, .shrx, .adcx, .adox:
            try executeBitManipulation(ins)  // BMI1, BMI2, ADX (BitManipulation.swift)
        case .shld, .shrd:
            let size = operandBytes(ins, 0)
            let bits = UInt64(size) * 8
            let count = try readOperand(ins, 2) & (size == 8 ? 63 : 31)
            if count == 0 {
                // A 32-bit register destination is still written (zero-extended in 64-bit mode).
                if size == 4 && ins.op0.kind == .register { try writeOperand(ins, 0, try readOperand(ins, 0)) }
                return
            }
            let a = try readOperand(ins, 0)
            let b = try readOperand(ins, 1)
            let mask = sizeMask(size)
            var r: UInt64
            var cf: Bool
            if ins.mnemonic == .shld {
                if size == 2 && count > 16 {
                    let wide = (a << 32) | (b << 16) | a
                    r = ((wide << count) >> 32) & mask
                    cf = (wide >> (48 - count)) & 1 != 0
                } else {
                    r = ((a << count) | (b >> (bits - count))) & mask
                    cf = (a >> (bits - count)) & 1 != 0
                }
            } else {
                if size == 2 && count > 16 {
                    let wide = (a << 32) | (b << 16) | a
                    r = (wide >> count) & mask
                    cf = (wide >> (count - 1)) & 1 != 0
                } else {
                    r = ((a >> count) | (b << (bits - count))) & mask
                    cf = (a >> (count - 1)) & 1 != 0
                }
            }
            try writeOperand(ins, 0, r)
            setFlags(.logic, size, 0, 0, r)
            commitFlags()
            let of = ((r ^ a) >> (bits - 1)) & 1 != 0
            c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~0x801) | (cf ? 1 : 0) | (of ? 0x800 : 0)
        case .xadd:
            let size = operandBytes(ins, 0)
            let a = try readOperand(ins, 0)
            let b = try readOperand(ins, 1)
            let r = (a &+ b) & sizeMask(size)
            if ins.op0.kind == .memory {
                try writeOperand(ins, 0, r)  // a faulting write leaves the register alone
                writeRegister(ins.op1.register, a)
            } else {
                // SRC <- DEST, then DEST <- sum: with the same register twice, the sum wins.
                writeRegister(ins.op1.register, a)
                writeRegister(ins.op0.register, r)
            }
            setFlags(.add, size, a, b, r)
        case .cmpxchg:
            let size = operandBytes(ins, 0)
            let dst = try readOperand(ins, 0)
            let acc = readGPR(0, size: size)
            setFlags(.sub, size, acc, dst, (acc &- dst) & sizeMask(size))
            if acc == dst {
                try writeOperand(ins, 0, try readOperand(ins, 1))
            } else {
                // A memory destination is written back (the locked cycle, SDM Vol. 2, CMPXCHG); a
                // register destination is not written at all: a 32-bit one keeps bits 63:32 on
                // hardware (FEX-Emu's hardware-checked tests). The accumulator is loaded (zero-extended).
                if ins.op0.kind == .memory { try writeOperand(ins, 0, dst) }
                writeGPR(0, size: size, dst)
            }
        case .cmpxchg8b, .cmpxchg16b:
            let half = ins.mnemonic == .cmpxchg8b ? 4 : 8
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            if half == 8 && ea & 15 != 0 { throw .generalProtection(0) }
            let lo = try read(seg, ea, half), hi = try read(seg, ea &+ UInt64(half), half)
            let h = UInt8(half)
            commitFlags()
            if lo == readGPR(0, size: h) && hi == readGPR(2, size: h) {
                try write(seg, ea, half, readGPR(3, size: h))
                try write(seg, ea &+ UInt64(half), half, readGPR(1, size: h))
                c.pointee.cpu.rflags |= 0x40
            } else {
                try write(seg, ea, half, lo)
                try write(seg, ea &+ UInt64(half), half, hi)
                writeGPR(0, size: h, lo)
                writeGPR(2, size: h, hi)
                c.pointee.cpu.rflags &= ~0x40
            }
        case .ud0, .ud1, .ud2:
            throw .invalidOpcode
        case .cpuid:
            let (a, b, cc, d) = cpuid(leaf: UInt32(truncatingIfNeeded: gpr[0]), subleaf: UInt32(truncatingIfNeeded: gpr[1]))
            gpr[0] = UInt64(a); gpr[3] = UInt64(b); gpr[1] = UInt64(cc); gpr[2] = UInt64(d)
        case .rdtsc, .rdtscp:
            if c.pointee.cpu.cr4 & 4 != 0 && cpl != 0 { throw .generalProtection(0) }
            let tsc = timeStampCounter()
            gpr[0] = tsc & 0xFFFF_FFFF
            gpr[2] = tsc >> 32
            if ins.mnemonic == .rdtscp { gpr[1] = c.pointee.cpu.msr.tscAux & 0xFFFF_FFFF }
        case .rdmsr, .wrmsr:
            if cpl != 0 { throw .generalProtection(0) }
            let index = UInt32(truncatingIfNeeded: gpr[1])
            if ins.mnemonic == .rdmsr {
                let v = try readMSR(index)
                gpr[0] = v & 0xFFFF_FFFF
                gpr[2] = v >> 32
            } else {
                try writeMSR(index, (gpr[2] << 32) | (gpr[0] & 0xFFFF_FFFF))
            }
        case .lgdt, .lidt:
            if cpl != 0 { throw .generalProtection(0) }
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            let limit = UInt16(try read(seg, ea, 2))
            var base = try read(seg, (ea &+ 2) & sizeMask(ins.addressSize), codeMode == .bits64 ? 8 : 4)
            if ins.operandSize == 2 && codeMode != .bits64 { base &= 0xFF_FFFF }
            let r = DescriptorTableRegister(base: base, limit: limit)
            if ins.mnemonic == .lgdt { c.pointee.cpu.gdtr = r } else { c.pointee.cpu.idtr = r }
        case .sgdt, .sidt:
            let r = ins.mnemonic == .sgdt ? c.pointee.cpu.gdtr : c.pointee.cpu.idtr
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            try write(seg, ea, 2, UInt64(r.limit))
            let n = codeMode == .bits64 ? 8 : 4
            try write(seg, (ea &+ 2) & sizeMask(ins.addressSize), n, model == .i80286 ? r.base | 0xFF00_0000 : r.base)
        case .smsw:
            // The 80286's MSW has four bits; bits 4-15 read as ones.
            let v = model == .i80286 ? 0xFFF0 | (c.pointee.cpu.cr0 & 0xF) : c.pointee.cpu.cr0 & 0xFFFF_FFFF
            if ins.op0.kind == .memory { try writeOperand(ins, 0, v & 0xFFFF) } else { try writeOperand(ins, 0, v) }
        case .lmsw:
            if cpl != 0 { throw .generalProtection(0) }
            let v = try readOperand(ins, 0) & 0xF
            // LMSW cannot clear PE (SDM Vol. 2, LMSW).
            let cr0 = (c.pointee.cpu.cr0 & ~0xE) | (v & 0xE) | (c.pointee.cpu.cr0 & 1) | (v & 1)
            try moveToSystemRegister(.cr0, cr0)
        case .clts:
            if cpl != 0 { throw .generalProtection(0) }
            c.pointee.cpu.cr0 &= ~8
        case .invlpg, .wbinvd, .invd:
            if cpl != 0 { throw .generalProtection(0) }
            if ins.mnemonic == .invlpg {
                // The operand is a linear address; INVLPG never faults on it (SDM Vol. 2, INVLPG).
                let seg = segmentIndex(ins.memory.segment)
                let base = codeMode == .bits64 ? (seg >= 4 ? c.pointee.cpu[segment: seg].base : 0) : c.pointee.cpu[segment: seg].base
                flushTranslation(page: base &+ effectiveAddress(ins))
            }
        case .sldt, .str:
            if !protectedMode { throw .invalidOpcode }
            let sel = ins.mnemonic == .sldt ? c.pointee.cpu.ldtr.selector : c.pointee.cpu.tr.selector
            try writeOperand(ins, 0, UInt64(sel))
        case .lldt, .ltr:
            if !protectedMode { throw .invalidOpcode }
            if cpl != 0 { throw .generalProtection(0) }
            try loadSystemSegment(ins.mnemonic == .ltr, selector: UInt16(truncatingIfNeeded: try readOperand(ins, 0)))
        case .lar: try segmentQuery(ins, .accessRights)
        case .lsl: try segmentQuery(ins, .segmentLimit)
        case .verr: try segmentQuery(ins, .verifyRead)
        case .verw: try segmentQuery(ins, .verifyWrite)
        case .sysenter: try systemEnter()
        case .sysexit, .sysexitq: try systemExit(size: ins.mnemonic == .sysexitq || ins.prefixes.contains(.w) ? 8 : 4)
        case .swapgs:
            if codeMode != .bits64 { throw .invalidOpcode }
            if cpl != 0 { throw .generalProtection(0) }
            let k = c.pointee.cpu.msr.kernelGSBase
            c.pointee.cpu.msr.kernelGSBase = c.pointee.cpu.segments.5.base
            c.pointee.cpu.segments.5.base = k
        case .syscall where model == .i80286:
            try loadAll286()  // 0F 05 on the 80286 is LOADALL
        case .syscall:
            try systemCall()
        case .sysret, .sysretq:
            try systemReturn(size: ins.mnemonic == .sysretq || ins.prefixes.contains(.w) ? 8 : 4)
        case .xgetbv:
            if c.pointee.cpu.cr4 & 0x4_0000 == 0 { throw .invalidOpcode }
            if gpr[1] & 0xFFFF_FFFF != 0 { throw .generalProtection(0) }
            gpr[0] = c.pointee.cpu.xcr0 & 0xFFFF_FFFF
            gpr[2] = c.pointee.cpu.xcr0 >> 32
        default:
            throw .invalidOpcode
        }
    }

    /// BMI1 (CPUID.(EAX=07H,ECX=0):EBX[3]), as the CPUID model advertises it: F3 0F BC is TZCNT
    /// with it, BSF without.
    static let hasBMI1 = CPUIDModel.query(leaf: 7, subleaf: 0).1 & (1 << 3) != 0

    /// The condition code named by a SETcc/CMOVcc suffix.
    static func conditionSuffix(_ s: Substring) -> UInt8? {
        switch s {
        case "o": 0x0
        case "no": 0x1
        case "b": 0x2
        case "ae": 0x3
        case "e": 0x4
        case "ne": 0x5
        case "be": 0x6
        case "a": 0x7
        case "s": 0x8
        case "ns": 0x9
        case "p": 0xA
        case "np": 0xB
        case "l": 0xC
        case "ge": 0xD
        case "le": 0xE
        case "g": 0xF
        default: nil
        }
    }

    /// The time-stamp counter: the machine's virtual time in TSC ticks when it has a clock (so TSC,
    /// PIT and APIC timer agree), otherwise instructions retired; plus the guest's offset (WRMSR 10h).
    func timeStampCounter() -> UInt64 {
        let base = platform.timeStampCounter ?? core.pointee.instructions
        return UInt64(bitPattern: Int64(bitPattern: base) &+ core.pointee.cpu.msr.tscOffset)
    }

    /// LLDT/LTR: load LDTR or TR from a system descriptor in the GDT (16 bytes in IA-32e mode).
    func loadSystemSegment(_ task: Bool, selector: UInt16) throws(CPUException) {
        let code = UInt32(selector & 0xFFFC)
        if selector & 0xFFFC == 0 {
            if task { throw .generalProtection(0) }
            core.pointee.cpu.ldtr = SegmentRegister(selector: selector, base: 0, limit: 0, attributes: 0)
            return
        }
        if selector & 4 != 0 { throw .generalProtection(code) }
        let d = try readDescriptor(selector)
        var seg = segmentFromDescriptor(selector, d)
        let type = seg.attributes & 0x1F
        if task ? (type != 0x09 && type != 0x01) : type != 0x02 { throw .generalProtection(code) }
        if !seg.present { throw .notPresent(code) }
        if core.pointee.cpu.msr.efer & 0x400 != 0 {
            let high = try readLinear(core.pointee.cpu.gdtr.base &+ UInt64(selector & 0xFFF8) &+ 8, 8)
            seg.base |= (high & 0xFFFF_FFFF) << 32
        }
        if task {
            try writeLinear(core.pointee.cpu.gdtr.base &+ UInt64(selector & 0xFFF8) &+ 5, 1, ((d >> 40) & 0xFF) | 2)
            seg.attributes |= 2
            core.pointee.cpu.tr = seg
        } else {
            core.pointee.cpu.ldtr = seg
        }
    }

    /// 80286 LOADALL (0F 05, undocumented; CPL 0): loads the whole CPU state, descriptor caches
    /// included, from the 102-byte table at physical 800h: MSW at 806h, TR 816h, FLAGS 818h, IP 81Ah,
    /// LDTR 81Ch, DS SS CS ES 81Eh-825h, DI SI BP SP BX DX CX AX 826h-835h, then 6-byte caches (24-bit
    /// base, access byte, limit) for ES CS SS DS at 836h-84Dh, GDTR 84Eh, LDT 854h, IDTR 85Ah, TSS 860h.
    func loadAll286() throws(CPUException) {
        if cpl != 0 { throw .generalProtection(0) }
        let c = core
        func word(_ a: UInt64) -> UInt64 { readPhysical(a, 2) }
        func cache(_ a: UInt64, selector: UInt16) -> SegmentRegister {
            let base = readPhysical(a, 4) & 0xFF_FFFF
            let access = UInt16(readPhysical(a + 3, 1))
            return SegmentRegister(selector: selector, base: base, limit: UInt32(word(a + 4)), attributes: access)
        }
        // LOADALL can set PE but, like LMSW, not clear it.
        c.pointee.cpu.cr0 = (c.pointee.cpu.cr0 & ~0xF) | (word(0x806) & 0xF) | (c.pointee.cpu.cr0 & 1)
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = fixedFlags(word(0x818))
        c.pointee.cpu.rip = word(0x81A)
        let gprOffsets: [(Int, UInt64)] = [(7, 0x826), (6, 0x828), (5, 0x82A), (4, 0x82C), (3, 0x82E), (2, 0x830), (1, 0x832), (0, 0x834)]
        for (n, a) in gprOffsets { writeGPR(n, size: 2, word(a)) }
        c.pointee.cpu.segments.0 = cache(0x836, selector: UInt16(word(0x824)))
        c.pointee.cpu.segments.1 = cache(0x83C, selector: UInt16(word(0x822)))
        c.pointee.cpu.segments.2 = cache(0x842, selector: UInt16(word(0x820)))
        c.pointee.cpu.segments.3 = cache(0x848, selector: UInt16(word(0x81E)))
        c.pointee.cpu.gdtr = DescriptorTableRegister(base: readPhysical(0x84E, 4) & 0xFF_FFFF, limit: UInt16(word(0x852)))
        c.pointee.cpu.ldtr = cache(0x854, selector: UInt16(word(0x81C)))
        c.pointee.cpu.idtr = DescriptorTableRegister(base: readPhysical(0x85A, 4) & 0xFF_FFFF, limit: UInt16(word(0x85E)))
        c.pointee.cpu.tr = cache(0x860, selector: UInt16(word(0x816)))
    }

    /// SYSCALL (SDM Vol. 2): RCX = RIP, R11 = RFLAGS, CS/SS from STAR, RIP from LSTAR, RFLAGS &= ~FMASK.
    func systemCall() throws(CPUException) {
        let c = core
        if c.pointee.cpu.msr.efer & 1 == 0 || codeMode != .bits64 { throw .invalidOpcode }
        let star = c.pointee.cpu.msr.star
        let sel = UInt16((star >> 32) & 0xFFFC)
        gpr[1] = c.pointee.cpu.rip
        gpr[11] = flagsImage() & ~0x1_0000
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = fixedFlags(gpr[11] & ~c.pointee.cpu.msr.fmask)
        c.pointee.cpu.segments.1 = SegmentRegister(selector: sel, base: 0, limit: 0xFFFF_FFFF, attributes: 0xA9B)
        c.pointee.cpu.segments.2 = SegmentRegister(selector: sel &+ 8, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
        c.pointee.cpu.rip = c.pointee.cpu.msr.lstar
    }

    /// SYSRET (SDM Vol. 2): back to CPL 3 with CS/SS from STAR[63:48].
    func systemReturn(size: Int) throws(CPUException) {
        let c = core
        if c.pointee.cpu.msr.efer & 1 == 0 || codeMode != .bits64 { throw .invalidOpcode }
        if cpl != 0 { throw .generalProtection(0) }
        let base = UInt16((c.pointee.cpu.msr.star >> 48) & 0xFFFF)
        let target = size == 8 ? gpr[1] : gpr[1] & 0xFFFF_FFFF
        let top = Int64(bitPattern: target) >> 47
        if top != 0 && top != -1 { throw .generalProtection(0) }
        if size == 8 {
            c.pointee.cpu.segments.1 = SegmentRegister(selector: (base &+ 16) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xAFB)
        } else {
            c.pointee.cpu.segments.1 = SegmentRegister(selector: base | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xCFB)
        }
        c.pointee.cpu.segments.2 = SegmentRegister(selector: (base &+ 8) | 3, base: 0, limit: 0xFFFF_FFFF, attributes: 0xCF3)
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = fixedFlags((gpr[11] & 0x3C_7FD7) | 2)
        c.pointee.cpu.rip = target
    }
}
