#if canImport(Glibc)
import Glibc
#endif
import MachineInterface
import X86Decoder
import X86ISA

// Specialised handlers for the most frequent instruction forms in 64-bit code, and the loop that
// runs a block's ops (Documentation/InterpreterPerformance.md).
//
// `specialize` picks a handler when a block is decoded; everything it does not recognise stays
// `.generic` and runs through `execute(_:)`, the one place that defines every instruction. A
// handler must do exactly what the generic path does for its forms, with two deliberate exceptions
// where the generic path changes state before raising a fault: flags are set only after a memory
// destination was written, and CALL checks its target before pushing (SDM Vol. 2, CALL, near).
//
// Memory handlers compute the linear address themselves (64-bit mode: no limits; FS/GS bases) and
// use the software TLB directly; a miss or a non-canonical address takes the slow path, which raises
// #SS for stack-segment accesses and #GP otherwise, as `linearAddress` does.

extension Interpreter {
    // MARK: - Choosing a handler (when a block is decoded)

    /// The GPR number (0-15) of a register operand; nil for AH-BH and anything but a GPR.
    static func gprNumber(_ r: Register) -> UInt8? {
        let raw = r.rawValue
        if raw >= Register.first_gpr8 && raw < Register.first_gpr8Rex {
            let n = raw - Register.first_gpr8
            return n < 4 ? n : nil
        }
        if raw >= Register.first_gpr8Rex && raw < Register.first_gpr16 { return raw - Register.first_gpr8Rex + 4 }
        if raw >= Register.first_gpr16 && raw < Register.first_gpr32 { return raw - Register.first_gpr16 }
        if raw >= Register.first_gpr32 && raw < Register.first_gpr64 { return raw - Register.first_gpr32 }
        if raw >= Register.first_gpr64 && raw < Register.first_segment { return raw - Register.first_gpr64 }
        return nil
    }

    /// Fills the memory-operand fields of `op`; false for forms the fast handlers leave to the generic
    /// path (32-bit addressing, 64-bit displacements).
    static func fastMemory(_ ins: Instruction, _ op: inout MicroOp) -> Bool {
        guard ins.addressSize == 8 else { return false }
        let m = ins.memory
        var displacement = m.displacement
        switch m.base {
        case .none: op.base = MicroOp.noRegister
        case .rip:
            op.base = MicroOp.ripBase
            // Relative to the block's first byte: the op's offset plus its length, plus the displacement.
            displacement = displacement &+ Int64(op.offset) &+ Int64(op.length)
        default:
            guard m.base.rawValue >= Register.first_gpr64 && m.base.rawValue < Register.first_segment else { return false }
            op.base = m.base.rawValue - Register.first_gpr64
        }
        switch m.index {
        case .none: op.index = MicroOp.noRegister
        default:
            guard m.index.rawValue >= Register.first_gpr64 && m.index.rawValue < Register.first_segment else { return false }
            op.index = m.index.rawValue - Register.first_gpr64
        }
        guard displacement >= Int64(Int32.min) && displacement <= Int64(Int32.max) else { return false }
        op.displacement = Int32(displacement)
        op.scale = UInt8(m.scale.trailingZeroBitCount)
        guard m.segment.isSegment else { return false }
        op.segment = m.segment.rawValue - Register.first_segment
        return true
    }

    /// The ALU operation number of ADD OR ADC SBB AND SUB XOR CMP.
    static func aluKind(_ m: Mnemonic) -> UInt8? {
        switch m {
        case .add: 0
        case .or: 1
        case .adc: 2
        case .sbb: 3
        case .and: 4
        case .sub: 5
        case .xor: 6
        case .cmp: 7
        default: nil
        }
    }

    /// The environment variable POPEK_GENERIC_ONLY turns the specialised handlers off (every op is
    /// generic): to tell a fast-path bug from a semantic one.
    static let genericOnly = getenv("POPEK_GENERIC_ONLY") != nil

    /// Chooses a specialised handler for `ins` (64-bit code, x86-64 model) and fills `op`'s operand
    /// fields; false leaves it to the generic path.
    func specialize(_ ins: Instruction, _ op: inout MicroOp) -> Bool {
        if Self.genericOnly { return false }
        let o0 = ins.op0, o1 = ins.op1
        let size = UInt8(truncatingIfNeeded: o0.size)
        let r0 = o0.kind == .register ? Self.gprNumber(o0.register) : nil
        let r1 = o1.kind == .register ? Self.gprNumber(o1.register) : nil
        op.size = size
        op.reg = r0 ?? 0
        op.rm = r1 ?? 0
        // LOCK is valid only with a memory destination; let the generic path judge everything else.
        if ins.prefixes.contains(.lock) && o0.kind != .memory { return false }
        let m = ins.mnemonic
        if let kind = Self.aluKind(m) {
            guard [1, 2, 4, 8].contains(size) else { return false }
            op.cc = kind
            switch (o0.kind, o1.kind) {
            case (.register, .register):
                guard r0 != nil && r1 != nil else { return false }
                op.handler = .aluRR
            case (.register, .immediate):
                guard r0 != nil else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size)) & sizeMask(size)
                op.handler = .aluRI
            case (.register, .memory):
                guard r0 != nil, Self.fastMemory(ins, &op) else { return false }
                op.handler = .aluRM
            case (.memory, .register):
                guard r1 != nil, Self.fastMemory(ins, &op) else { return false }
                op.handler = .aluMR
            case (.memory, .immediate):
                guard Self.fastMemory(ins, &op) else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size)) & sizeMask(size)
                op.handler = .aluMI
            default: return false
            }
            return true
        }
        switch m {
        case .test:
            switch (o0.kind, o1.kind) {
            case (.register, .register):
                guard r0 != nil && r1 != nil else { return false }
                op.handler = .testRR
            case (.register, .immediate):
                guard r0 != nil else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size)) & sizeMask(size)
                op.handler = .testRI
            case (.memory, .register):
                guard r1 != nil, Self.fastMemory(ins, &op) else { return false }
                op.handler = .testMR
            case (.memory, .immediate):
                guard Self.fastMemory(ins, &op) else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size)) & sizeMask(size)
                op.handler = .testMI
            default: return false
            }
        case .inc, .dec:
            if r0 != nil {
                op.handler = m == .inc ? .incR : .decR
            } else if o0.kind == .memory && Self.fastMemory(ins, &op) {
                op.handler = m == .inc ? .incM : .decM
            } else {
                return false
            }
        case .neg, .not:
            guard r0 != nil else { return false }
            op.handler = m == .neg ? .negR : .notR
        case .mov:
            switch (o0.kind, o1.kind) {
            case (.register, .register):
                guard r0 != nil && r1 != nil else { return false }
                op.handler = .movRR
            case (.register, .immediate):
                guard r0 != nil else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size))
                op.handler = .movRI
            case (.register, .memory):
                guard r0 != nil, Self.fastMemory(ins, &op) else { return false }
                op.handler = .movRM
            case (.memory, .register):
                guard r1 != nil, Self.fastMemory(ins, &op) else { return false }
                op.handler = .movMR
            case (.memory, .immediate):
                guard Self.fastMemory(ins, &op) else { return false }
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o1.size))
                op.handler = .movMI
            default: return false
            }
        case .movzx, .movsx, .movsxd:
            guard r0 != nil else { return false }
            op.aux = UInt8(truncatingIfNeeded: o1.size)
            if r1 != nil {
                op.handler = m == .movzx ? .movzxRR : .movsxRR
            } else if o1.kind == .memory && Self.fastMemory(ins, &op) {
                op.handler = m == .movzx ? .movzxRM : .movsxRM
            } else {
                return false
            }
        case .lea:
            guard r0 != nil, o1.kind == .memory, Self.fastMemory(ins, &op) else { return false }
            op.handler = .lea
        case .shl, .sal, .shr, .sar, .rol, .ror:
            guard r0 != nil else { return false }
            op.cc = m == .rol ? 0 : m == .ror ? 1 : m == .shr ? 5 : m == .sar ? 7 : 4
            if o1.kind == .immediate {
                let count = ins.immediate & 0xFF & (size == 8 ? 0x3F : 0x1F)
                guard count != 0 else { return false }
                op.aux = UInt8(count)
                op.handler = .shiftRI
            } else if o1.kind == .register && o1.register == .cl {
                op.handler = .shiftRC
            } else {
                return false
            }
        case .imul:
            guard r0 != nil else { return false }
            if ins.operandCount == 2 {
                if r1 != nil { op.handler = .imulRR } else if o1.kind == .memory && Self.fastMemory(ins, &op) { op.handler = .imulRM } else { return false }
            } else if ins.operandCount == 3 && ins.op2.kind == .immediate {
                op.immediate = signExtend(ins.immediate & sizeMask(UInt8(truncatingIfNeeded: ins.op2.size)), size)
                if r1 != nil { op.handler = .imulRRI } else if o1.kind == .memory && Self.fastMemory(ins, &op) { op.handler = .imulRMI } else { return false }
            } else {
                return false
            }
        case .mul:
            guard ins.operandCount == 1, size == 4 || size == 8 else { return false }
            if let r0 {
                op.rm = r0
                op.handler = .mulR
            } else if o0.kind == .memory && Self.fastMemory(ins, &op) {
                op.handler = .mulM
            } else {
                return false
            }
        case .cdq: op.handler = .cdq
        case .cdqe: op.handler = .cdqe
        case .cqo: op.handler = .cqo
        case .push:
            guard ins.operandSize == 8 else { return false }
            if o0.kind == .register, let r = r0, o0.size == 8 {
                op.reg = r
                op.handler = .pushR
            } else if o0.kind == .immediate {
                op.immediate = ins.immediate & sizeMask(UInt8(truncatingIfNeeded: o0.size))
                op.handler = .pushI
            } else {
                return false
            }
        case .pop:
            guard ins.operandSize == 8, o0.kind == .register, r0 != nil, o0.size == 8 else { return false }
            op.handler = .popR
        case .nop, .pause, .endbr32, .endbr64:
            op.handler = .nop
        case .jmp, .call:
            guard ins.operandSize == 8 else { return false }
            let call = m == .call
            switch o0.kind {
            case .nearBranch:
                op.immediate = ins.immediate
                op.handler = call ? .call : .jmp
            case .register:
                guard r0 != nil, size == 8 else { return false }
                op.handler = call ? .callR : .jmpR
            case .memory:
                guard size == 8, Self.fastMemory(ins, &op) else { return false }
                op.handler = call ? .callM : .jmpM
            default: return false
            }
        case .jo, .jno, .jb, .jae, .je, .jne, .jbe, .ja, .js, .jns, .jp, .jnp, .jl, .jge, .jle, .jg:
            guard ins.operandSize == 8, o0.kind == .nearBranch else { return false }
            op.cc = Self.conditionCode(m)
            op.immediate = ins.immediate
            op.handler = .jcc
        case .ret:
            guard ins.operandSize == 8, ins.operandCount == 0 else { return false }
            op.handler = .ret
        case .movsb, .movsw, .movsd, .movsq, .stosb, .stosw, .stosd, .stosq:
            // REP MOVS/STOS only (the SSE2 MOVSD shares the mnemonic: map 0 only).
            guard ins.map == 0, ins.prefixes.contains(.rep) || ins.prefixes.contains(.repne),
                  ins.addressSize == 8, ins.segmentPrefix == .none else { return false }
            switch m {
            case .movsb, .stosb: op.size = 1
            case .movsw, .stosw: op.size = 2
            case .movsd, .stosd: op.size = 4
            default: op.size = 8
            }
            op.handler = m == .movsb || m == .movsw || m == .movsd || m == .movsq ? .repMovs : .repStos
        default:
            // SETcc (0F 90-9F) and CMOVcc (0F 40-4F).
            guard ins.map == 1 && !ins.prefixes.contains(.vex) else { return false }
            if ins.opcode & 0xF0 == 0x90 && m.name.hasPrefix("set") {
                guard r0 != nil, size == 1 else { return false }
                op.cc = ins.opcode & 0xF
                op.handler = .setccR
            } else if ins.opcode & 0xF0 == 0x40 && m.name.hasPrefix("cmov") {
                guard r0 != nil else { return false }
                op.cc = ins.opcode & 0xF
                if r1 != nil { op.handler = .cmovRR } else if o1.kind == .memory && Self.fastMemory(ins, &op) { op.handler = .cmovRM } else { return false }
            } else {
                return false
            }
        }
        return true
    }

    // MARK: - Operand access for the handlers

    @inline(__always) static func mask(_ size: UInt8) -> UInt64 {
        size >= 8 ? ~0 : (1 << (UInt64(size) &* 8)) &- 1
    }

    /// Writes GPR `n` with the size rules of SDM Vol. 1, 3.4.1.1 (32-bit writes zero-extend).
    @inline(__always) func setGPR(_ gpr: UnsafeMutablePointer<UInt64>, _ n: UInt8, _ size: UInt8, _ v: UInt64) {
        let p = gpr + Int(n & 15)
        switch size {
        case 8: p.pointee = v
        case 4: p.pointee = v & 0xFFFF_FFFF
        case 2: p.pointee = (p.pointee & ~0xFFFF) | (v & 0xFFFF)
        default: p.pointee = (p.pointee & ~0xFF) | (v & 0xFF)
        }
    }

    /// The effective address of `op`'s memory operand (64-bit addressing) in a block entered at `rip`.
    @inline(__always) func effectiveAddress(_ op: UnsafeMutablePointer<MicroOp>, _ gpr: UnsafeMutablePointer<UInt64>, _ rip: UInt64) -> UInt64 {
        let op = UnsafePointer(op)
        var a = UInt64(bitPattern: Int64(op.pointee.displacement))
        let base = op.pointee.base, index = op.pointee.index
        if base < 16 { a = a &+ gpr[Int(base)] } else if base == MicroOp.ripBase { a = a &+ rip }
        if index < 16 { a = a &+ (gpr[Int(index)] << UInt64(op.pointee.scale & 3)) }
        return a
    }

    /// The linear address of `op`'s memory operand: the effective address plus the FS or GS base.
    @inline(__always) func linearAddress(_ op: UnsafeMutablePointer<MicroOp>, _ gpr: UnsafeMutablePointer<UInt64>, _ rip: UInt64) -> UInt64 {
        let a = effectiveAddress(op, gpr, rip)
        let segment = op.pointee.segment
        if segment < 4 { return a }
        return a &+ (segment == 4 ? core.pointee.cpu.segments.4.base : core.pointee.cpu.segments.5.base)
    }

    /// Loads `size` bytes at linear address `a` in 64-bit mode: a TLB hit, or the slow path.
    @inline(__always)
    func load64(_ a: UInt64, _ size: UInt8, _ segment: UInt8, _ tlbBase: Int) throws(CPUException) -> UInt64 {
        let e = tlbEntries[Int(truncatingIfNeeded: (a >> 12) & UInt64(SoftTLB.size - 1)) | tlbBase]
        if e.read == (a &+ UInt64(size &- 1)) & ~0xFFF { return hostLoad(e.addend &+ a, Int(size)) }
        return try load64Slow(a, size, segment)
    }

    @inline(never)
    func load64Slow(_ a: UInt64, _ size: UInt8, _ segment: UInt8) throws(CPUException) -> UInt64 {
        let top = Int64(bitPattern: a) >> 47
        if top != 0 && top != -1 { throw segment == 2 ? .stackFault(0) : .generalProtection(0) }
        return try readLinear(a, Int(size))
    }

    /// Stores `size` bytes at linear address `a` in 64-bit mode. A store to a page holding decoded
    /// code takes the slow path, which drops that code and sets `Core.codeInvalidated`.
    @inline(__always)
    func store64(_ a: UInt64, _ size: UInt8, _ value: UInt64, _ segment: UInt8, _ tlbBase: Int) throws(CPUException) {
        let e = tlbEntries[Int(truncatingIfNeeded: (a >> 12) & UInt64(SoftTLB.size - 1)) | tlbBase]
        if e.write == (a &+ UInt64(size &- 1)) & ~0xFFF {
            hostStore(e.addend &+ a, Int(size), value)
            return
        }
        try store64Slow(a, size, value, segment)
    }

    @inline(never)
    func store64Slow(_ a: UInt64, _ size: UInt8, _ value: UInt64, _ segment: UInt8) throws(CPUException) {
        let top = Int64(bitPattern: a) >> 47
        if top != 0 && top != -1 { throw segment == 2 ? .stackFault(0) : .generalProtection(0) }
        try writeLinear(a, Int(size), value)
    }

    /// #GP(0) unless `target` is canonical (a near branch in 64-bit mode).
    @inline(__always) func checkCanonical(_ target: UInt64) throws(CPUException) {
        if (target &+ (1 << 47)) >> 48 != 0 { throw .generalProtection(0) }
    }

    // MARK: - REP MOVS / REP STOS

    /// At most this many elements per execution of a REP MOVS/STOS; then RIP stays on it so that
    /// interrupts can be taken between slices (as the generic path does every 4096).
    static let stringSlice: UInt64 = 16384

    /// REP MOVS (`store` false) or REP STOS in 64-bit mode with DF = 0: whole page-bounded runs
    /// through the TLB with memmove/fill, and single elements through the exact slow path where an
    /// access misses the TLB, crosses a page or writes decoded code. Returns true when RCX reached 0.
    @inline(never)
    func fastRepString(stos: Bool, size: UInt8, tlbBase: Int) throws(CPUException) -> Bool {
        let gpr = self.gpr
        let c = core
        let es = UInt64(size)
        var budget = Self.stringSlice
        while gpr[1] != 0 && budget > 0 {
            let si = gpr[6], di = gpr[7]
            let dstRoom = (0x1000 - (di & 0xFFF)) / es
            let srcRoom = stos ? dstRoom : (0x1000 - (si & 0xFFF)) / es
            var k = min(gpr[1], min(dstRoom, srcRoom), budget)
            let de = tlbEntries[Int(truncatingIfNeeded: (di >> 12) & UInt64(SoftTLB.size - 1)) | tlbBase]
            let se = tlbEntries[Int(truncatingIfNeeded: (si >> 12) & UInt64(SoftTLB.size - 1)) | tlbBase]
            if k == 0 || de.write != di & ~0xFFF || (!stos && se.read != si & ~0xFFF) {
                // One element the exact way (fills the TLB, raises the fault, drops decoded code).
                let v = stos ? gpr[0] : try load64Slow(si, size, 3)
                try store64Slow(di, size, v, 0)
                if !stos { gpr[6] = si &+ es }
                gpr[7] = di &+ es
                gpr[1] &-= 1
                budget &-= 1
                if c.pointee.codeInvalidated { break }
                continue
            }
            // SAFETY: both runs lie inside pages the TLB maps to RAM (write entries: without code).
            let dst = UnsafeMutableRawPointer(bitPattern: UInt(de.addend &+ di)).unsafelyUnwrapped
            let bytes = Int(k &* es)
            if stos {
                let v = gpr[0]
                switch size {
                case 1: dst.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: v), count: bytes)
                case 2: for e in 0..<Int(k) { dst.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: e &* 2, as: UInt16.self) }
                case 4: for e in 0..<Int(k) { dst.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: e &* 4, as: UInt32.self) }
                default: for e in 0..<Int(k) { dst.storeBytes(of: v, toByteOffset: e &* 8, as: UInt64.self) }
                }
            } else {
                let src = UnsafeRawPointer(bitPattern: UInt(se.addend &+ si)).unsafelyUnwrapped
                if UnsafeRawPointer(dst) > src && UnsafeRawPointer(dst) < src + bytes {
                    // The destination starts inside the source: element-by-element forward copy
                    // repeats the source pattern, which memmove would not.
                    if size == 1 {
                        // Bytes: copy in pieces no longer than the distance, each from bytes already final.
                        let distance = UnsafeRawPointer(dst) - src
                        var done = 0
                        while done < bytes {
                            let piece = min(distance, bytes - done)
                            (dst + done).copyMemory(from: src + done, byteCount: piece)
                            done += piece
                        }
                    } else {
                        k = 1  // one element per round: each then sees the previous ones' stores
                        dst.copyMemory(from: src, byteCount: Int(es))
                    }
                } else {
                    dst.copyMemory(from: src, byteCount: bytes)
                }
            }
            let moved = k &* es
            if !stos { gpr[6] = si &+ moved }
            gpr[7] = di &+ moved
            gpr[1] &-= k
            budget &-= k
        }
        return gpr[1] == 0
    }

    /// The `.generic` handler (out of line: the run loop stays small): the full instruction through
    /// `execute(_:)`, with RIP, the next RIP, the retired count and the counters it may read.
    @inline(never)
    func runGeneric(_ op: UnsafeMutablePointer<MicroOp>, rip: UInt64, ipMask: UInt64, retired: UInt64) throws(CPUException) {
        let c = core
        let start = (rip &+ UInt64(op.pointee.offset)) & ipMask
        let next = (start &+ UInt64(op.pointee.length)) & ipMask
        c.pointee.instructionStart = start
        c.pointee.nextRIP = next
        c.pointee.cpu.rip = next
        c.pointee.instructions = retired
        let flags = op.pointee.flags
        if flags & (MicroOp.privileged | MicroOp.sensitive) != 0 {
            if flags & MicroOp.privileged != 0 { c.pointee.privilegedExecuted &+= 1 } else { c.pointee.sensitiveExecuted &+= 1 }
        }
        try execute(code.pointee.instructions[Int(op.pointee.generic)])
    }

    /// The `.repMovs` and `.repStos` handlers (out of line: the run loop stays small). Leaves RIP on
    /// the instruction while elements remain.
    @inline(never)
    func repString(_ op: UnsafeMutablePointer<MicroOp>, rip: UInt64, retired: UInt64, tlbBase: Int) throws(CPUException) {
        let c = core
        let start = rip &+ UInt64(op.pointee.offset)
        let next = start &+ UInt64(op.pointee.length)
        if c.pointee.cpu.rflags & 0x400 != 0 {
            // DF = 1: the generic path, one element after another downwards.
            c.pointee.instructionStart = start
            c.pointee.nextRIP = next
            c.pointee.cpu.rip = next
            c.pointee.instructions = retired
            try execute(code.pointee.instructions[Int(op.pointee.generic)])
            c.pointee.pollPlatform = true
        } else {
            let done = try fastRepString(stos: op.pointee.handler == .repStos, size: op.pointee.size, tlbBase: tlbBase)
            c.pointee.cpu.rip = done ? next : start
            if !done { c.pointee.pollPlatform = true }
        }
    }

    // MARK: - Lazy flags, as `setFlags` records them

    @inline(__always) func flagsLogic(_ size: UInt8, _ r: UInt64) {
        let c = core
        c.pointee.flags.op = .logic
        c.pointee.flags.size = size
        c.pointee.flags.result = r
    }

    @inline(__always) func flagsArith(_ kind: FlagOp, _ size: UInt8, _ a: UInt64, _ b: UInt64, _ r: UInt64) {
        let c = core
        c.pointee.flags.op = kind
        c.pointee.flags.size = size
        c.pointee.flags.dst = a
        c.pointee.flags.src = b
        c.pointee.flags.result = r
    }

    @inline(__always) func flagsWithCarry(_ kind: FlagOp, _ size: UInt8, _ a: UInt64, _ b: UInt64, _ r: UInt64, _ carryIn: UInt64) {
        core.pointee.flags = LazyFlags(op: kind, size: size, dst: a, src: b, result: r, carryIn: carryIn)
    }

    /// The result of ALU operation `kind` (masked to `size`), without flags.
    @inline(__always) func aluResult(_ kind: UInt8, _ a: UInt64, _ b: UInt64, _ carryIn: UInt64, _ size: UInt8) -> UInt64 {
        let r: UInt64
        switch kind {
        case 0: r = a &+ b
        case 1: r = a | b
        case 2: r = a &+ b &+ carryIn
        case 3: r = a &- b &- carryIn
        case 4: r = a & b
        case 5, 7: r = a &- b
        default: r = a ^ b
        }
        return r & Self.mask(size)
    }

    /// Records the flags of ALU operation `kind`, as `arithmetic` does.
    @inline(__always) func aluFlags(_ kind: UInt8, _ a: UInt64, _ b: UInt64, _ r: UInt64, _ carryIn: UInt64, _ size: UInt8) {
        switch kind {
        case 0: flagsArith(.add, size, a, b, r)
        case 2: flagsWithCarry(.adc, size, a, b, r, carryIn)
        case 3: flagsWithCarry(.sbb, size, a, b, r, carryIn)
        case 5, 7: flagsArith(.sub, size, a, b, r)
        default: flagsLogic(size, r)
        }
    }

    /// ALU operation `kind` on register operands: the masked result, with the flags recorded.
    @inline(__always) func aluRegister(_ kind: UInt8, _ a: UInt64, _ b: UInt64, _ size: UInt8) -> UInt64 {
        let m = Self.mask(size)
        switch kind {
        case 0:
            let r = (a &+ b) & m
            flagsArith(.add, size, a, b, r)
            return r
        case 1:
            let r = a | b
            flagsLogic(size, r)
            return r
        case 4:
            let r = a & b
            flagsLogic(size, r)
            return r
        case 5, 7:
            let r = (a &- b) & m
            flagsArith(.sub, size, a, b, r)
            return r
        case 6:
            let r = a ^ b
            flagsLogic(size, r)
            return r
        default:
            let cin: UInt64 = carryFlag ? 1 : 0
            let r = aluResult(kind, a, b, cin, size)
            aluFlags(kind, a, b, r, cin, size)
            return r
        }
    }

    /// CF as an integer, for ADC and SBB (0 for the other operations).
    @inline(__always) func aluCarryIn(_ kind: UInt8) -> UInt64 {
        kind == 2 || kind == 3 ? (carryFlag ? 1 : 0) : 0
    }

    /// Jcc/SETcc/CMOVcc: the common cases straight from the lazy flags, the rest through `condition`.
    @inline(__always) func fastCondition(_ cc: UInt8) -> Bool {
        let f = core.pointee.flags
        if f.op == .sub {
            let m = f.mask
            let a = f.dst & m, b = f.src & m
            switch cc {
            case 2: return a < b
            case 3: return a >= b
            case 4: return (f.result & m) == 0
            case 5: return (f.result & m) != 0
            case 6: return a <= b
            case 7: return a > b
            case 0xC, 0xD, 0xE, 0xF:
                let shift = 64 &- f.bits
                let sa = Int64(bitPattern: a << shift), sb = Int64(bitPattern: b << shift)
                switch cc {
                case 0xC: return sa < sb
                case 0xD: return sa >= sb
                case 0xE: return sa <= sb
                default: return sa > sb
                }
            default: break
            }
        } else if f.op != .none && (cc == 4 || cc == 5) {
            return ((f.result & f.mask) == 0) == (cc == 4)
        }
        return condition(cc)
    }

    // MARK: - Running a block

    /// Runs block `first`, entered at `entry` (its first byte), and the blocks that follow it through
    /// the jump cache (chained without returning, while the budget lasts and nothing needs the outer
    /// loop: a generic control transfer or system instruction, a device access, dropped code). Runs
    /// at most `limit` instructions. Returns the instructions retired (a faulting one included) and a
    /// stop reason on a triple fault. RIP, the retired count and the lazy flags are up to date on
    /// return; inside a block RIP is only materialised for generic ops (which may read it) and faults.
    func executeBlocks(_ first: Int32, entry: UInt64, ipMask: UInt64, limit: UInt64, fresh: Bool) -> (UInt64, StopReason?) {
        let c = core
        let cc = code
        let gpr = self.gpr
        // CPL cannot change inside a chain: only generic ops change CS, and they end it.
        let tlbBase = ipMask == ~0 && userAccess ? SoftTLB.size : 0
        var retiredBefore = c.pointee.instructions
        var remaining = limit
        var rip = entry
        var ops = cc.pointee.ops + Int(cc.pointee.blocks[Int(first)].firstOp)
        var count = UInt64(cc.pointee.blocks[Int(first)].count)
        var n = Int(count < remaining ? count : remaining)
        var freshBlock = fresh
        var i = 0
        var ripSet = false
        do throws(CPUException) {
          chain: while true {
            i = 0
            loop: while i < n {
                let op = ops + i
                ripSet = false
                switch op.pointee.handler {
                case .generic:
                    try runGeneric(op, rip: rip, ipMask: ipMask, retired: retiredBefore &+ UInt64(i))
                    i &+= 1
                    ripSet = true
                    if op.pointee.flags & MicroOp.terminator != 0 {
                        c.pointee.pollPlatform = true
                        c.pointee.epoch &+= 1
                        break loop
                    }
                    if c.pointee.codeInvalidated { break loop }
                    continue loop
                case .nop:
                    break

                // Arithmetic and logic.
                case .aluRR, .aluRI:
                    let size = op.pointee.size, kind = op.pointee.cc
                    let m = Self.mask(size)
                    let a = gpr[Int(op.pointee.reg & 15)] & m
                    let b = op.pointee.handler == .aluRR ? gpr[Int(op.pointee.rm & 15)] & m : op.pointee.immediate
                    let r: UInt64
                    switch kind {
                    case 0:
                        r = (a &+ b) & m
                        flagsArith(.add, size, a, b, r)
                    case 1:
                        r = a | b
                        flagsLogic(size, r)
                    case 4:
                        r = a & b
                        flagsLogic(size, r)
                    case 5, 7:
                        r = (a &- b) & m
                        flagsArith(.sub, size, a, b, r)
                    case 6:
                        r = a ^ b
                        flagsLogic(size, r)
                    default:  // ADC, SBB
                        // CF in: straight from a SUB/CMP or ADD result, else through the lazy flags.
                        let f = c.pointee.flags.op
                        let fm = c.pointee.flags.mask
                        let cf: Bool
                        if f == .sub { cf = (c.pointee.flags.dst & fm) < (c.pointee.flags.src & fm) }
                        else if f == .add { cf = (c.pointee.flags.result & fm) < (c.pointee.flags.dst & fm) }
                        else if f == .logic { cf = false }
                        else { cf = carryFlag }
                        let cin: UInt64 = cf ? 1 : 0
                        if kind == 2 {
                            r = (a &+ b &+ cin) & m
                            flagsWithCarry(.adc, size, a, b, r, cin)
                        } else {
                            r = (a &- b &- cin) & m
                            flagsWithCarry(.sbb, size, a, b, r, cin)
                        }
                    }
                    if kind != 7 { setGPR(gpr, op.pointee.reg, size, r) }
                case .aluRM:
                    let size = op.pointee.size, kind = op.pointee.cc
                    let b = try load64(linearAddress(op, gpr, rip), size, op.pointee.segment, tlbBase)
                    let r = aluRegister(kind, gpr[Int(op.pointee.reg & 15)] & Self.mask(size), b, size)
                    if kind != 7 { setGPR(gpr, op.pointee.reg, size, r) }
                case .aluMR, .aluMI:
                    let address = linearAddress(op, gpr, rip)
                    let a = try load64(address, op.pointee.size, op.pointee.segment, tlbBase)
                    let b = op.pointee.handler == .aluMR ? gpr[Int(op.pointee.rm & 15)] & Self.mask(op.pointee.size) : op.pointee.immediate
                    let cin = aluCarryIn(op.pointee.cc)
                    let r = aluResult(op.pointee.cc, a, b, cin, op.pointee.size)
                    if op.pointee.cc != 7 {
                        try store64(address, op.pointee.size, r, op.pointee.segment, tlbBase)
                        aluFlags(op.pointee.cc, a, b, r, cin, op.pointee.size)
                        if c.pointee.codeInvalidated { i &+= 1; break loop }
                    } else {
                        aluFlags(op.pointee.cc, a, b, r, cin, op.pointee.size)
                    }
                case .testRR:
                    flagsLogic(op.pointee.size, gpr[Int(op.pointee.reg & 15)] & gpr[Int(op.pointee.rm & 15)] & Self.mask(op.pointee.size))
                case .testRI:
                    flagsLogic(op.pointee.size, gpr[Int(op.pointee.reg & 15)] & op.pointee.immediate)
                case .testMR, .testMI:
                    let a = try load64(linearAddress(op, gpr, rip), op.pointee.size, op.pointee.segment, tlbBase)
                    let b = op.pointee.handler == .testMR ? gpr[Int(op.pointee.rm & 15)] : op.pointee.immediate
                    flagsLogic(op.pointee.size, a & b & Self.mask(op.pointee.size))
                case .incR, .decR:
                    let a = gpr[Int(op.pointee.reg & 15)] & Self.mask(op.pointee.size)
                    let cf: UInt64 = carryFlag ? 1 : 0
                    let inc = op.pointee.handler == .incR
                    let r = (inc ? a &+ 1 : a &- 1) & Self.mask(op.pointee.size)
                    setGPR(gpr, op.pointee.reg, op.pointee.size, r)
                    flagsWithCarry(inc ? .inc : .dec, op.pointee.size, a, 1, r, cf)
                case .incM, .decM:
                    let address = linearAddress(op, gpr, rip)
                    let a = try load64(address, op.pointee.size, op.pointee.segment, tlbBase)
                    let cf: UInt64 = carryFlag ? 1 : 0
                    let inc = op.pointee.handler == .incM
                    let r = (inc ? a &+ 1 : a &- 1) & Self.mask(op.pointee.size)
                    try store64(address, op.pointee.size, r, op.pointee.segment, tlbBase)
                    flagsWithCarry(inc ? .inc : .dec, op.pointee.size, a, 1, r, cf)
                    if c.pointee.codeInvalidated { i &+= 1; break loop }
                case .negR:
                    let a = gpr[Int(op.pointee.reg & 15)] & Self.mask(op.pointee.size)
                    let r = (0 &- a) & Self.mask(op.pointee.size)
                    setGPR(gpr, op.pointee.reg, op.pointee.size, r)
                    flagsArith(.sub, op.pointee.size, 0, a, r)
                case .notR:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, ~gpr[Int(op.pointee.reg & 15)])
                case .shiftRI, .shiftRC:
                    let size = op.pointee.size
                    let bits = UInt64(size) &* 8
                    let m = Self.mask(size)
                    let v = gpr[Int(op.pointee.reg & 15)] & m
                    let count = op.pointee.handler == .shiftRI ? UInt64(op.pointee.aux) : gpr[1] & (size == 8 ? 0x3F : 0x1F)
                    if count == 0 {
                        // Flags and value unchanged; a 32-bit register is still written (zero-extended).
                        if size == 4 { setGPR(gpr, op.pointee.reg, 4, v) }
                        break
                    }
                    let r: UInt64
                    switch op.pointee.cc {
                    case 4:  // SHL
                        r = (v << count) & m
                        let cf: UInt64 = count <= bits ? (v >> (bits &- count)) & 1 : 0
                        let of = ((r >> (bits &- 1)) & 1) ^ cf
                        flagsWithCarry(.givenCarryOverflow, size, 0, 0, r, cf | of << 11)
                    case 5:  // SHR
                        r = v >> count
                        let cf: UInt64 = count <= bits ? (v >> (count &- 1)) & 1 : 0
                        let of = (v >> (bits &- 1)) & 1
                        flagsWithCarry(.givenCarryOverflow, size, 0, 0, r, cf | of << 11)
                    case 7:  // SAR
                        let sv = Int64(bitPattern: signExtend(v, size))
                        let n = min(count, 63)
                        r = UInt64(bitPattern: sv >> Int64(n)) & m
                        let cf = UInt64(bitPattern: sv >> Int64(n &- 1)) & 1
                        flagsWithCarry(.givenCarryOverflow, size, 0, 0, r, cf)
                    default:  // ROL, ROR: CF and OF only; the other flags keep their values.
                        let s = count % bits
                        let cf: UInt64, of: UInt64
                        if op.pointee.cc == 0 {
                            r = s == 0 ? v : ((v << s) | (v >> (bits &- s))) & m
                            cf = r & 1
                            of = ((r >> (bits &- 1)) & 1) ^ cf
                        } else {
                            r = s == 0 ? v : ((v >> s) | (v << (bits &- s))) & m
                            cf = (r >> (bits &- 1)) & 1
                            of = cf ^ ((r >> (bits &- 2)) & 1)
                        }
                        let kind = c.pointee.flags.op
                        if kind == .logic || kind == .givenCarryOverflow {
                            // SF ZF PF already come from the recorded result and AF is clear: only
                            // CF and OF change, which `.givenCarryOverflow` holds beside it.
                            c.pointee.flags.op = .givenCarryOverflow
                            c.pointee.flags.carryIn = cf | of << 11
                        } else {
                            commitFlags()
                            c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~0x801) | cf | of << 11
                        }
                    }
                    setGPR(gpr, op.pointee.reg, size, r)
                case .imulRR, .imulRM, .imulRRI, .imulRMI:
                    let size = op.pointee.size
                    let source: UInt64
                    if op.pointee.handler == .imulRR || op.pointee.handler == .imulRRI {
                        source = gpr[Int(op.pointee.rm & 15)] & Self.mask(size)
                    } else {
                        source = try load64(linearAddress(op, gpr, rip), size, op.pointee.segment, tlbBase)
                    }
                    let a: UInt64, b: UInt64
                    if op.pointee.handler == .imulRR || op.pointee.handler == .imulRM {
                        a = signExtend(gpr[Int(op.pointee.reg & 15)] & Self.mask(size), size)
                        b = signExtend(source, size)
                    } else {
                        a = signExtend(source, size)
                        b = op.pointee.immediate
                    }
                    let product = Int128(Int64(bitPattern: a)) &* Int128(Int64(bitPattern: b))
                    let lo = UInt64(truncatingIfNeeded: product)
                    let hi = Int64(truncatingIfNeeded: product >> 64)
                    let r = lo & Self.mask(size)
                    let fits: Bool
                    if size == 8 {
                        fits = (hi == 0 && Int64(bitPattern: lo) >= 0) || (hi == -1 && Int64(bitPattern: lo) < 0)
                    } else {
                        fits = signExtend(r, size) == lo
                    }
                    setGPR(gpr, op.pointee.reg, size, r)
                    flagsWithCarry(.givenCarryOverflow, size, 0, 0, r, fits ? 0 : 0x801)
                case .mulR, .mulM:
                    // MUL r/m32, r/m64 (SDM Vol. 2, MUL): CF = OF = upper half non-zero; SF, ZF, AF
                    // and PF are undefined and set as the generic path sets them (from the low half).
                    let size = op.pointee.size
                    let source = op.pointee.handler == .mulR
                        ? gpr[Int(op.pointee.rm & 15)] & Self.mask(size)
                        : try load64(linearAddress(op, gpr, rip), size, op.pointee.segment, tlbBase)
                    let lo: UInt64, hi: UInt64
                    if size == 8 {
                        (hi, lo) = gpr[0].multipliedFullWidth(by: source)
                    } else {
                        let p = (gpr[0] & 0xFFFF_FFFF) &* source
                        lo = p & 0xFFFF_FFFF
                        hi = p >> 32
                    }
                    setGPR(gpr, 0, size, lo)
                    setGPR(gpr, 2, size, hi)
                    flagsWithCarry(.givenCarryOverflow, size, 0, 0, lo, hi != 0 ? 0x801 : 0)
                case .cdq:
                    setGPR(gpr, 2, 4, gpr[0] & 0x8000_0000 != 0 ? 0xFFFF_FFFF : 0)
                case .cdqe:
                    gpr[0] = signExtend(gpr[0] & 0xFFFF_FFFF, 4)
                case .cqo:
                    gpr[2] = gpr[0] & (1 << 63) != 0 ? ~0 : 0

                // Data movement.
                case .movRR:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, gpr[Int(op.pointee.rm & 15)])
                case .movRI:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, op.pointee.immediate)
                case .movRM:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, try load64(linearAddress(op, gpr, rip), op.pointee.size, op.pointee.segment, tlbBase))
                case .movMR, .movMI:
                    let v = op.pointee.handler == .movMR ? gpr[Int(op.pointee.rm & 15)] : op.pointee.immediate
                    try store64(linearAddress(op, gpr, rip), op.pointee.size, v, op.pointee.segment, tlbBase)
                    if c.pointee.codeInvalidated { i &+= 1; break loop }
                case .movzxRR:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, gpr[Int(op.pointee.rm & 15)] & Self.mask(op.pointee.aux))
                case .movzxRM:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, try load64(linearAddress(op, gpr, rip), op.pointee.aux, op.pointee.segment, tlbBase))
                case .movsxRR:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, signExtend(gpr[Int(op.pointee.rm & 15)] & Self.mask(op.pointee.aux), op.pointee.aux) & Self.mask(op.pointee.size))
                case .movsxRM:
                    let v = try load64(linearAddress(op, gpr, rip), op.pointee.aux, op.pointee.segment, tlbBase)
                    setGPR(gpr, op.pointee.reg, op.pointee.size, signExtend(v, op.pointee.aux) & Self.mask(op.pointee.size))
                case .lea:
                    setGPR(gpr, op.pointee.reg, op.pointee.size, effectiveAddress(op, gpr, rip))
                case .pushR, .pushI:
                    let v = op.pointee.handler == .pushR ? gpr[Int(op.pointee.reg & 15)] : op.pointee.immediate
                    let sp = gpr[4] &- 8
                    try store64(sp, 8, v, 2, tlbBase)
                    gpr[4] = sp
                    if c.pointee.codeInvalidated { i &+= 1; break loop }
                case .popR:
                    let sp = gpr[4]
                    let v = try load64(sp, 8, 2, tlbBase)
                    gpr[4] = sp &+ 8
                    gpr[Int(op.pointee.reg & 15)] = v

                // Control transfers (always the last op of a block).
                case .jmp:
                    let target = rip &+ UInt64(op.pointee.offset) &+ UInt64(op.pointee.length) &+ op.pointee.immediate
                    try checkCanonical(target)
                    c.pointee.cpu.rip = target
                    ripSet = true
                case .jcc, .setccR, .cmovRR, .cmovRM:
                    // One inline evaluation of the condition for Jcc, SETcc and CMOVcc: ZF after
                    // anything lazy, unsigned and signed compares after SUB/CMP, CF after ADD and
                    // logic operations; the rest through `condition`.
                    let handler = op.pointee.handler
                    // CMOVcc reads its source (and may fault) whatever the condition.
                    let source = handler == .cmovRR ? gpr[Int(op.pointee.rm & 15)]
                        : handler == .cmovRM ? try load64(linearAddress(op, gpr, rip), op.pointee.size, op.pointee.segment, tlbBase) : 0
                    let cond = op.pointee.cc
                    let kind = c.pointee.flags.op
                    let taken: Bool
                    if kind != .none && cond & 0xE == 4 {
                        taken = ((c.pointee.flags.result & c.pointee.flags.mask) == 0) == (cond == 4)
                    } else if kind == .sub && (cond & 0xC == 0xC || (cond >= 2 && cond != 4 && cond != 5 && cond < 8)) {
                        let m = c.pointee.flags.mask
                        let a = c.pointee.flags.dst & m, b = c.pointee.flags.src & m
                        let shift = 64 &- c.pointee.flags.bits
                        let sa = Int64(bitPattern: a << shift), sb = Int64(bitPattern: b << shift)
                        switch cond {
                        case 2: taken = a < b
                        case 3: taken = a >= b
                        case 6: taken = a <= b
                        case 7: taken = a > b
                        case 0xC: taken = sa < sb
                        case 0xD: taken = sa >= sb
                        case 0xE: taken = sa <= sb
                        default: taken = sa > sb
                        }
                    } else if kind == .add && cond & 0xE == 2 {
                        // CF after ADD: the sum wrapped.
                        let m = c.pointee.flags.mask
                        taken = ((c.pointee.flags.result & m) < (c.pointee.flags.dst & m)) == (cond == 2)
                    } else if kind == .logic && cond & 0xE == 2 {
                        taken = cond == 3  // CF = 0
                    } else {
                        taken = condition(cond)
                    }
                    switch handler {
                    case .jcc:
                        if taken {
                            let target = rip &+ UInt64(op.pointee.offset) &+ UInt64(op.pointee.length) &+ op.pointee.immediate
                            try checkCanonical(target)
                            c.pointee.cpu.rip = target
                            ripSet = true
                        }
                    case .setccR:
                        setGPR(gpr, op.pointee.reg, 1, taken ? 1 : 0)
                    default:
                        if taken {
                            setGPR(gpr, op.pointee.reg, op.pointee.size, source)
                        } else if op.pointee.size == 4 {
                            setGPR(gpr, op.pointee.reg, 4, gpr[Int(op.pointee.reg & 15)])  // still zero-extends
                        }
                    }
                case .call, .callR, .callM:
                    let next = rip &+ UInt64(op.pointee.offset) &+ UInt64(op.pointee.length)
                    let target: UInt64
                    switch op.pointee.handler {
                    case .call: target = next &+ op.pointee.immediate
                    case .callR: target = gpr[Int(op.pointee.reg & 15)]
                    default: target = try load64(linearAddress(op, gpr, rip), 8, op.pointee.segment, tlbBase)
                    }
                    try checkCanonical(target)
                    let sp = gpr[4] &- 8
                    try store64(sp, 8, next, 2, tlbBase)
                    gpr[4] = sp
                    c.pointee.cpu.rip = target
                    ripSet = true
                case .ret:
                    let sp = gpr[4]
                    let target = try load64(sp, 8, 2, tlbBase)
                    try checkCanonical(target)
                    gpr[4] = sp &+ 8
                    c.pointee.cpu.rip = target
                    ripSet = true
                case .repMovs, .repStos:
                    try repString(op, rip: rip, retired: retiredBefore &+ UInt64(i), tlbBase: tlbBase)
                    ripSet = true
                case .jmpR, .jmpM:
                    let target = op.pointee.handler == .jmpR ? gpr[Int(op.pointee.reg & 15)] : try load64(linearAddress(op, gpr, rip), 8, op.pointee.segment, tlbBase)
                    try checkCanonical(target)
                    c.pointee.cpu.rip = target
                    ripSet = true
                }
                i &+= 1
            }
            // The block (or its first `n` instructions) is done.
            if !ripSet {
                let last = ops[i &- 1]
                c.pointee.cpu.rip = (rip &+ UInt64(last.offset) &+ UInt64(last.length)) & ipMask
            }
            retiredBefore &+= UInt64(i)
            remaining &-= UInt64(i)
            if freshBlock { cc.pointee.misses &+= UInt64(i) } else { cc.pointee.hits &+= UInt64(i) }
            freshBlock = false
            // Chain to the next block if the jump cache knows it (64-bit code only).
            if remaining == 0 || ipMask != ~0 || c.pointee.pollPlatform || c.pointee.codeInvalidated { break chain }
            let next = c.pointee.cpu.rip
            let j = cc.pointee.jumpCache[CodeCache.jumpCacheIndex(next)]
            guard j.rip == next && j.epoch == c.pointee.epoch else { break chain }
            rip = next
            ops = cc.pointee.ops + Int(cc.pointee.blocks[Int(j.block)].firstOp)
            count = UInt64(cc.pointee.blocks[Int(j.block)].count)
            n = Int(count < remaining ? count : remaining)
          }
        } catch {
            let start = (rip &+ UInt64(ops[i].offset)) & ipMask
            c.pointee.instructionStart = start
            c.pointee.cpu.rip = start
            c.pointee.instructions = retiredBefore &+ UInt64(i &+ 1)
            c.pointee.pollPlatform = true
            c.pointee.epoch &+= 1
            if freshBlock { cc.pointee.misses &+= UInt64(i &+ 1) } else { cc.pointee.hits &+= UInt64(i &+ 1) }
            return (limit &- remaining &+ UInt64(i &+ 1), raise(error))
        }
        c.pointee.instructions = retiredBefore
        return (limit &- remaining, nil)
    }
}

