import X86Decoder
import X86ISA
import X86State

extension Interpreter {
    /// Executes a decoded instruction. RIP already points at the next instruction.
    func execute(_ ins: Instruction) throws(CPUException) {
        let c = core
        switch ins.mnemonic {
        // MARK: Binary arithmetic and logic (SDM Vol. 1, 7.3.2, 7.3.4)
        case .add, .or, .adc, .sbb, .and, .sub, .xor, .cmp:
            let size = operandBytes(ins, 0)
            let mask = sizeMask(size)
            let a = try readOperand(ins, 0)
            let b = try readOperand(ins, 1) & mask
            let r = arithmetic(ins.mnemonic, a, b, size) & mask
            if ins.mnemonic != .cmp { try writeOperand(ins, 0, r) }
        case .test:
            let size = operandBytes(ins, 0)
            let r = (try readOperand(ins, 0) & readOperand(ins, 1)) & sizeMask(size)
            setFlags(.logic, size, 0, 0, r)
        case .inc, .dec:
            let size = operandBytes(ins, 0)
            let a = try readOperand(ins, 0)
            let cf: UInt64 = carryFlag ? 1 : 0
            let r = (ins.mnemonic == .inc ? a &+ 1 : a &- 1) & sizeMask(size)
            try writeOperand(ins, 0, r)
            setFlags(ins.mnemonic == .inc ? .inc : .dec, size, a, 1, r, carryIn: cf)
        case .neg:
            let size = operandBytes(ins, 0)
            let a = try readOperand(ins, 0)
            let r = (0 &- a) & sizeMask(size)
            try writeOperand(ins, 0, r)
            setFlags(.sub, size, 0, a, r)
        case .not:
            let size = operandBytes(ins, 0)
            try writeOperand(ins, 0, ~(try readOperand(ins, 0)) & sizeMask(size))
        case .mul, .imul, .div, .idiv:
            try multiplyDivide(ins)
        case .rol, .ror, .rcl, .rcr, .shl, .sal, .shr, .sar:
            try shiftRotate(ins)
        case .daa, .das, .aaa, .aas, .aam, .aad:
            try decimalAdjust(ins)
        case .salc:
            writeGPR(0, size: 1, carryFlag ? 0xFF : 0)

        // MARK: Data transfer
        case .mov:
            let dst = ins.op0
            if dst.kind == .register && dst.register.isSegment {
                let v = try readOperand(ins, 1)
                try loadSegment(segmentIndex(dst.register), selector: UInt16(truncatingIfNeeded: v))
                if dst.register == .ss { c.pointee.cpu.interruptShadow = true }
            } else if dst.kind == .register && (dst.register.rawValue >= Register.first_cr && dst.register.rawValue < Register.first_tr) {
                try moveToSystemRegister(dst.register, try readOperand(ins, 1))
            } else {
                var v = try readOperand(ins, 1)
                if ins.op1.kind == .register && ins.op1.register.isSegment && dst.kind == .register {
                    v &= 0xFFFF  // MOV r32, Sreg zero-extends on current processors
                }
                try writeOperand(ins, 0, v)
            }
        case .movzx:
            try writeOperand(ins, 0, try readOperand(ins, 1))
        case .movsx, .movsxd:
            let v = try readOperand(ins, 1)
            let from = operandBytes(ins, 1)
            try writeOperand(ins, 0, signExtend(v, from) & sizeMask(operandBytes(ins, 0)))
        case .lea:
            writeRegister(ins.op0.register, effectiveAddress(ins))
        case .xchg:
            let a = try readOperand(ins, 0)
            let b = try readOperand(ins, 1)
            try writeOperand(ins, 0, b)
            try writeOperand(ins, 1, a)
        case .xlatb:
            writeGPR(0, size: 1, try readOperand(ins, 0))
        case .cbw: writeGPR(0, size: 2, signExtend(gpr[0] & 0xFF, 1))
        case .cwde: writeGPR(0, size: 4, signExtend(gpr[0] & 0xFFFF, 2))
        case .cdqe: gpr[0] = signExtend(gpr[0] & 0xFFFF_FFFF, 4)
        case .cwd: writeGPR(2, size: 2, gpr[0] & 0x8000 != 0 ? 0xFFFF : 0)
        case .cdq: writeGPR(2, size: 4, gpr[0] & 0x8000_0000 != 0 ? 0xFFFF_FFFF : 0)
        case .cqo: gpr[2] = gpr[0] & (1 << 63) != 0 ? ~0 : 0
        case .lahf:
            let f = flagsImage()
            writeRegister(.ah, (f & 0xD5) | 2)
        case .sahf:
            commitFlags()
            let ah = (gpr[0] >> 8) & 0xD5
            c.pointee.cpu.rflags = fixedFlags((c.pointee.cpu.rflags & ~0xD5) | ah)
        case .push:
            let size = Int(ins.operandSize)
            var v = try readOperand(ins, 0)
            if ins.op0.kind == .register && ins.op0.register == .sp && model == .i8086 {
                v = (v &- 2) & 0xFFFF  // the 8086 pushes SP after decrementing it
            }
            if ins.op0.kind == .immediate { v &= sizeMask(UInt8(size)) }
            try push(v, size: size)
        case .pop:
            let size = Int(ins.operandSize)
            if ins.op0.kind == .register && ins.op0.register.isSegment {
                let v = try peekStack(0, size: size)
                try loadSegment(segmentIndex(ins.op0.register), selector: UInt16(truncatingIfNeeded: v))
                _ = try pop(size: size)
                if ins.op0.register == .ss { c.pointee.cpu.interruptShadow = true }
            } else if ins.op0.kind == .memory {
                // POP m computes the address with the incremented stack pointer (SDM Vol. 2, POP).
                let v = try peekStack(0, size: size)
                let oldSP = gpr[4]
                _ = try pop(size: size)
                do throws(CPUException) { try writeOperand(ins, 0, v) } catch { gpr[4] = oldSP; throw error }
            } else {
                let v = try pop(size: size)
                try writeOperand(ins, 0, v)
            }
        case .pusha, .pushad:
            let size = ins.mnemonic == .pusha ? 2 : 4
            let sp = readGPR(4, size: UInt8(size))
            for r in 0..<8 { try push(r == 4 ? sp : readGPR(r, size: UInt8(size)), size: size) }
        case .popa, .popad:
            let size = ins.mnemonic == .popa ? 2 : 4
            for r in (0..<8).reversed() {
                let v = try pop(size: size)
                if r != 4 { writeGPR(r, size: UInt8(size), v) }
            }
        case .pushf, .pushfd, .pushfq:
            let f = flagsImage() & ~0x3_0000  // VM and RF are not pushed
            try push(f, size: Int(ins.operandSize))
        case .popf, .popfd, .popfq:
            let size = Int(ins.operandSize)
            let v = try pop(size: size)
            let pl = cpl
            let iopl = UInt8((c.pointee.cpu.rflags >> 12) & 3)
            writeFlags(v, size: size, allowIOPL: !protectedMode || pl == 0, allowIF: !protectedMode || pl <= iopl)
            c.pointee.cpu.rflags &= ~0x1_0000  // POPF clears RF (SDM Vol. 2, POPF)
        case .enter:
            try enter(ins)
        case .leave:
            // Read the saved frame pointer before changing SP: a fault leaves SP and BP as they were.
            let ss = stackAddressSize
            let n = Int(ins.operandSize)
            let frame = readGPR(5, size: ss)
            let saved = try read(2, frame, n)
            writeGPR(4, size: ss, (frame &+ UInt64(n)) & sizeMask(ss))
            writeGPR(5, size: ins.operandSize, saved)
        case .lds, .les, .lss, .lfs, .lgs:
            let size = Int(ins.operandSize)
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            let offset = try read(seg, ea, size)
            let mask: UInt64 = ins.addressSize == 2 ? 0xFFFF : ins.addressSize == 4 ? 0xFFFF_FFFF : ~0
            let selector = try read(seg, (ea &+ UInt64(size)) & mask, 2)
            let target: Int = ins.mnemonic == .lds ? 3 : ins.mnemonic == .les ? 0 : ins.mnemonic == .lss ? 2 : ins.mnemonic == .lfs ? 4 : 5
            try loadSegment(target, selector: UInt16(selector))
            writeRegister(ins.op0.register, offset)
        case .bswap:
            let size = operandBytes(ins, 0)
            let v = try readOperand(ins, 0)
            let r: UInt64 = size == 8 ? v.byteSwapped : size == 4 ? UInt64(UInt32(truncatingIfNeeded: v).byteSwapped) : 0
            try writeOperand(ins, 0, r)
        case .nop, .pause, .endbr32, .endbr64, .prefetchnta, .prefetcht0, .prefetcht1, .prefetcht2, .prefetchw:
            break

        // MARK: Control transfer (SDM Vol. 1, 6.3)
        case .jmp:
            switch ins.op0.kind {
            case .nearBranch: try jump(c.pointee.nextRIP &+ ins.immediate, size: ins.operandSize)
            case .farBranch: try farJump(selector: UInt16(ins.immediate2), offset: ins.immediate, size: ins.operandSize)
            case .memory where ins.op0.size > UInt16(ins.operandSize):
                let (sel, off) = try readFarPointer(ins)
                try farJump(selector: sel, offset: off, size: ins.operandSize)
            default: try jump(try readOperand(ins, 0), size: ins.operandSize)
            }
        case .jo, .jno, .jb, .jae, .je, .jne, .jbe, .ja, .js, .jns, .jp, .jnp, .jl, .jge, .jle, .jg:
            if condition(Self.conditionCode(ins.mnemonic)) {
                try jump(c.pointee.nextRIP &+ ins.immediate, size: ins.operandSize)
            }
        case .loop, .loope, .loopne, .jcxz, .jecxz, .jrcxz:
            let asz = ins.addressSize
            var count = readGPR(1, size: asz)
            var taken: Bool
            switch ins.mnemonic {
            case .jcxz, .jecxz, .jrcxz: taken = count == 0
            default:
                count = (count &- 1) & sizeMask(asz)
                writeGPR(1, size: asz, count)
                taken = count != 0
                if ins.mnemonic == .loope { taken = taken && core.pointee.flags.zero(c.pointee.cpu.rflags) }
                if ins.mnemonic == .loopne { taken = taken && !core.pointee.flags.zero(c.pointee.cpu.rflags) }
            }
            if taken { try jump(c.pointee.nextRIP &+ ins.immediate, size: ins.operandSize) }
        case .call:
            let size = ins.operandSize
            switch ins.op0.kind {
            case .nearBranch:
                let target = (c.pointee.nextRIP &+ ins.immediate) & sizeMask(size)
                try push(c.pointee.nextRIP, size: Int(size))
                try jump(target, size: size)
            case .farBranch:
                try farCall(selector: UInt16(ins.immediate2), offset: ins.immediate, size: size)
            case .memory where ins.op0.size > UInt16(size):
                let (sel, off) = try readFarPointer(ins)
                try farCall(selector: sel, offset: off, size: size)
            default:
                let target = try readOperand(ins, 0)
                try push(c.pointee.nextRIP, size: Int(size))
                try jump(target, size: size)
            }
        case .ret:
            let size = Int(ins.operandSize)
            let target = try peekStack(0, size: size)
            try jump(target, size: ins.operandSize)
            _ = try pop(size: size)
            if ins.operandCount > 0 { try adjustStack(ins.immediate) }
        case .retf:
            try farReturn(size: ins.operandSize, release: ins.operandCount > 0 ? ins.immediate : 0)
        case .int:
            try softwareInterrupt(UInt8(ins.immediate & 0xFF))
        case .int3:
            try softwareInterrupt(3, kind: .breakpoint)
        case .into:
            commitFlags()
            if c.pointee.cpu.rflags & 0x800 != 0 { try softwareInterrupt(4, kind: .breakpoint) }
        case .int1:
            // INT1 (ICEBP): a #DB trap delivered like a hardware exception, with no gate DPL check
            // and no IOPL check in virtual-8086 mode, and no DR6 bits set (SDM Vol. 2, INT1).
            try deliverInterrupt(vector: 1, errorCode: nil, kind: .exception)
        case .stac, .clac:
            try setAlignmentCheckFlag(ins)
        case .iret, .iretd, .iretq:
            try interruptReturn(size: ins.operandSize)
        case .bound:
            let size = Int(ins.operandSize)
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            let lower = signExtend(try read(seg, ea, size), UInt8(size))
            let upper = signExtend(try read(seg, ea &+ UInt64(size), size), UInt8(size))
            let idx = signExtend(try readOperand(ins, 0), UInt8(size))
            if Int64(bitPattern: idx) < Int64(bitPattern: lower) || Int64(bitPattern: idx) > Int64(bitPattern: upper) {
                throw .boundRange
            }

        // MARK: Strings (SDM Vol. 1, 7.3.9)
        case .movsd where ins.map != 0, .cmpsd where ins.map != 0:
            try executeSystem(ins)  // the SSE2 MOVSD/CMPSD (F2 0F 10/11/C2) share the string mnemonics
        case .movsb, .movsw, .movsd, .movsq, .cmpsb, .cmpsw, .cmpsd, .cmpsq, .stosb, .stosw, .stosd, .stosq,
             .lodsb, .lodsw, .lodsd, .lodsq, .scasb, .scasw, .scasd, .scasq, .insb, .insw, .insd, .outsb, .outsw, .outsd:
            try stringInstruction(ins)

        // MARK: Flags
        case .clc: commitFlags(); c.pointee.cpu.rflags &= ~1
        case .stc: commitFlags(); c.pointee.cpu.rflags |= 1
        case .cmc: commitFlags(); c.pointee.cpu.rflags ^= 1
        case .cld: c.pointee.cpu.rflags &= ~0x400
        case .std: c.pointee.cpu.rflags |= 0x400
        case .cli:
            try checkIOPL()
            c.pointee.cpu.rflags &= ~0x200
        case .sti:
            try checkIOPL()
            if c.pointee.cpu.rflags & 0x200 == 0 { c.pointee.cpu.interruptShadow = true }
            c.pointee.cpu.rflags |= 0x200

        // MARK: I/O (SDM Vol. 1, 19.5 "I/O Privilege Level")
        case .in:
            let port = UInt16(try readOperand(ins, 1) & 0xFFFF)
            let size = Int(operandBytes(ins, 0))
            try checkIOPermission(port, size: size)
            c.pointee.ioOperations &+= 1
            writeRegister(ins.op0.register, UInt64(platform.portRead(port, size: size)))
        case .out:
            let port = UInt16(try readOperand(ins, 0) & 0xFFFF)
            let size = Int(operandBytes(ins, 1))
            try checkIOPermission(port, size: size)
            c.pointee.ioOperations &+= 1
            platform.portWrite(port, size: size, value: UInt32(truncatingIfNeeded: try readOperand(ins, 1)))

        // MARK: System
        case .hlt:
            if cpl != 0 { throw .generalProtection(0) }
            c.pointee.cpu.halted = true
        default:
            try executeSystem(ins)
        }
    }

    /// Maps a Jcc/SETcc/CMOVcc mnemonic to its condition code (the low nibble of its opcode).
    static func conditionCode(_ m: Mnemonic) -> UInt8 {
        switch m {
        case .jo: 0x0
        case .jno: 0x1
        case .jb: 0x2
        case .jae: 0x3
        case .je: 0x4
        case .jne: 0x5
        case .jbe: 0x6
        case .ja: 0x7
        case .js: 0x8
        case .jns: 0x9
        case .jp: 0xA
        case .jnp: 0xB
        case .jl: 0xC
        case .jge: 0xD
        case .jle: 0xE
        default: 0xF
        }
    }

    @inline(__always) func signExtend(_ v: UInt64, _ size: UInt8) -> UInt64 {
        switch size {
        case 1: UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
        case 2: UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
        case 4: UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
        default: v
        }
    }

    /// ADD OR ADC SBB AND SUB XOR CMP on masked operands; sets the lazy flags.
    @inline(__always) func arithmetic(_ m: Mnemonic, _ a: UInt64, _ b: UInt64, _ size: UInt8) -> UInt64 {
        switch m {
        case .add: let r = a &+ b; setFlags(.add, size, a, b, r); return r
        case .adc:
            let cin: UInt64 = carryFlag ? 1 : 0
            let r = a &+ b &+ cin; setFlags(.adc, size, a, b, r, carryIn: cin); return r
        case .sub, .cmp: let r = a &- b; setFlags(.sub, size, a, b, r); return r
        case .sbb:
            let cin: UInt64 = carryFlag ? 1 : 0
            let r = a &- b &- cin; setFlags(.sbb, size, a, b, r, carryIn: cin); return r
        case .and: let r = a & b; setFlags(.logic, size, 0, 0, r); return r
        case .or: let r = a | b; setFlags(.logic, size, 0, 0, r); return r
        default: let r = a ^ b; setFlags(.logic, size, 0, 0, r); return r
        }
    }

    /// RSP += n after a RET imm16, in the stack's address size.
    func adjustStack(_ n: UInt64) throws(CPUException) {
        let ss = stackAddressSize
        writeGPR(4, size: ss, (gpr[4] &+ n) & sizeMask(ss))
    }

    /// Reads the `offset, selector` far pointer of a memory operand (m16:16, m16:32, m16:64).
    func readFarPointer(_ ins: Instruction) throws(CPUException) -> (UInt16, UInt64) {
        let size = Int(ins.operandSize)
        let seg = segmentIndex(ins.memory.segment)
        let ea = effectiveAddress(ins)
        let off = try read(seg, ea, size)
        let mask: UInt64 = ins.addressSize == 2 ? 0xFFFF : ins.addressSize == 4 ? 0xFFFF_FFFF : ~0
        let sel = try read(seg, (ea &+ UInt64(size)) & mask, 2)
        return (UInt16(sel), off)
    }

    /// IOPL check for CLI/STI (SDM Vol. 2, CLI): CPL must not exceed IOPL in protected mode.
    func checkIOPL() throws(CPUException) {
        guard protectedMode || core.pointee.cpu.rflags & 0x2_0000 != 0 else { return }
        let iopl = UInt8((core.pointee.cpu.rflags >> 12) & 3)
        if cpl > iopl { throw .generalProtection(0) }
    }

    /// I/O permission: CPL <= IOPL, or the TSS I/O permission bitmap allows the ports (SDM Vol. 1, 19.5.2).
    func checkIOPermission(_ port: UInt16, size: Int) throws(CPUException) {
        if core.pointee.watchingBreakpoints { noteIOAccess(port, size) }  // I/O breakpoints (DebugExceptions.swift)
        guard core.pointee.cpu.cr0 & 1 != 0 else { return }
        let iopl = UInt8((core.pointee.cpu.rflags >> 12) & 3)
        if protectedMode && cpl <= iopl { return }
        let tr = core.pointee.cpu.tr
        if tr.limit < 0x67 { throw .generalProtection(0) }
        let bitmapBase = try readLinear(tr.base &+ 0x66, 2)
        let byteOffset = bitmapBase &+ UInt64(port >> 3)
        if byteOffset &+ 1 > UInt64(tr.limit) { throw .generalProtection(0) }
        let bits = try readLinear(tr.base &+ byteOffset, 2)
        let mask: UInt64 = ((1 << UInt64(size)) - 1) << UInt64(port & 7)
        if bits & mask != 0 { throw .generalProtection(0) }
    }
}
