import X86Decoder
import X86ISA

/// The instruction-specific choices of iced's NASM formatter (its per-instruction `InstrInfo` table),
/// recovered from the decoded form: mnemonic spelling, implicit operands left out or added, `o16`/`a32`
/// size prefixes, memory size keywords, sign-extension keywords on immediates, x87 operand forms.
struct Rules {
    let ins: Instruction
    let options: NasmFormatter.Options
    let address: UInt64
    let m: Mnemonic
    /// The decoding mode in bits: 16, 32 or 64.
    let bits: Int

    init(_ ins: Instruction, _ options: NasmFormatter.Options, address: UInt64) {
        self.ins = ins
        self.options = options
        self.address = address
        m = ins.mnemonic
        bits = Int(ins.mode.rawValue)
    }

    static func sizeKeyword(_ size: Int) -> String? {
        switch size {
        case 1: "byte"
        case 2: "word"
        case 4: "dword"
        case 6: "fword"
        case 8: "qword"
        case 10: "tword"
        case 16: "oword"
        case 32: "yword"
        case 64: "zword"
        default: nil
        }
    }

    var operandBits: Int { Int(ins.operandSize) * 8 }
    var addressBits: Int { Int(ins.addressSize) * 8 }
    var modrmReg: UInt8 { (ins.modrm >> 3) & 7 }
    var isMap0: Bool { ins.map == 0 && !ins.prefixes.contains(.vex) }

    var memoryOperandIndex: Int? { (0..<Int(ins.operandCount)).first { ins.operand($0).kind == .memory } }

    func layout() -> Layout {
        if m == .invalid { return Layout(mnemonic: "(bad)") }
        var l = Layout(mnemonic: mnemonicName)
        var ops: [FOperand] = []
        var memoryShown = false

        // Operands as decoded.
        for i in 0..<Int(ins.operandCount) {
            let o = ins.operand(i)
            switch o.kind {
            case .none: break
            case .register: ops.append(.register(o.register))
            case .immediate: ops.append(immediate(o))
            case .nearBranch: ops.append(branch())
            case .farBranch:
                ops.append(.far(selector: ins.immediate2, offset: ins.immediate, bits: Int(ins.immediateSize) * 8))
            case .memory:
                ops.append(.memory(memory(o, index: i)))
                memoryShown = true
            case .memorySegSI, .memoryESDI:
                // String operands (shown only where iced shows them: not for string instructions).
                var f = FMemory()
                f.addressSize = ins.addressSize
                f.base = .gpr(o.kind == .memorySegSI ? 6 : 7, size: ins.addressSize)
                if o.kind == .memorySegSI, ins.segmentPrefix != .none, bits != 64 || ins.segmentPrefix == .fs
                    || ins.segmentPrefix == .gs {
                    f.segment = ins.segmentPrefix
                }
                ops.append(.memory(f))
                if o.kind == .memorySegSI { memoryShown = true }
            }
        }

        var addressPrefix = false
        var sizePrefix: Int? = nil

        if isStringInstruction {
            ops = []
            addressPrefix = true
            memoryShown = false
        } else if isImplicitMemory {
            // MASKMOVQ, XLAT, MONITOR ...: the rDI/rBX/rAX memory operand is implicit.
            ops = ops.filter {
                if case .memory = $0 { return false }
                return true
            }
            memoryShown = false
            addressPrefix = true
        }

        switch m {
        case .push, .pop:
            if ins.operandCount == 1, ins.op0.kind == .register, ins.op0.register.isSegment {
                if operandBits != bits { sizePrefix = operandBits }
            } else if ins.operandCount == 1, ins.op0.kind == .immediate {
                if ins.immediateSize == 1 {
                    if operandBits != bits { sizePrefix = operandBits }
                } else {
                    // PUSH imm16/imm32: iced shows the size as a keyword on the immediate.
                    let immBits = Int(ins.immediateSize) * 8
                    var keyword: String? = nil
                    if bits == 64 {
                        if immBits == 16 { sizePrefix = 16; keyword = "word" } else { keyword = "qword" }
                    } else if !(immBits == 16 && bits == 16) {
                        keyword = immBits == 16 ? "word" : "dword"
                    }
                    if !options.showSignExtendedImmediateSize { keyword = nil }
                    ops = [.immediate(ins.immediate, bits: operandBits, keyword: keyword)]
                }
            }
        case .enter, .leave:
            if operandBits != bits { sizePrefix = operandBits }
        case .jo, .jno, .jb, .jae, .je, .jne, .jbe, .ja, .js, .jns, .jp, .jnp, .jl, .jge, .jle, .jg, .jmp:
            if ins.immediateSize == 1 && ins.op0.kind == .nearBranch && operandBits != bits { sizePrefix = operandBits }
        case .loop, .loope, .loopne, .jcxz, .jecxz, .jrcxz:
            if operandBits != bits { sizePrefix = operandBits }
            if m == .loop || m == .loope || m == .loopne, addressBits != bits {
                ops.append(.register(.gpr(1, size: UInt8(addressBits / 8))))
            }
        case .fldenv, .fnstenv, .frstor, .fnsave:
            if operandBits != (bits == 16 ? 16 : 32) && operandBits != 64 { sizePrefix = operandBits }
        case .mov:
            // MOV Sreg: the size shows only as a prefix, and only with a memory operand.
            let sreg = (0..<Int(ins.operandCount)).contains { ins.operand($0).kind == .register && ins.operand($0).register.isSegment }
            if sreg && memoryShown && operandBits != (bits == 64 ? 32 : bits) { sizePrefix = operandBits }
        case .sgdt, .sidt, .lgdt, .lidt:
            if bits != 64 && operandBits != bits { sizePrefix = operandBits }
        case .sldt, .str, .smsw:
            if memoryShown && operandBits != (bits == 64 ? 32 : bits) { sizePrefix = operandBits }
        case .lldt, .ltr, .lmsw, .verr, .verw, .lkgs:
            if operandBits != (bits == 64 ? 32 : bits) { sizePrefix = operandBits }
            ops = ops.map { if case .register(let r) = $0, r.isGPR { return .register(Self.gpr16(r)) } else { return $0 } }
        case .arpl:
            ops = ops.map { if case .register(let r) = $0, r.isGPR { return .register(Self.gpr16(r)) } else { return $0 } }
        case .pextrw, .pinsrw, .pinsrb, .pmovmskb, .tpause, .umwait, .vpinsrw, .vpinsrb:
            // iced prints the 32-bit register for these r64 forms (not for the SSE PEXTRW/PINSRW ones).
            let mmx = (0..<Int(ins.operandCount)).contains { Self.isMM(ins.operand($0).register) }
            if (m == .pextrw || m == .pinsrw) && !mmx { break }
            ops = ops.map { if case .register(let r) = $0, r.isGPR, r.size == 8 { return .register(Self.gpr32(r)) } else { return $0 } }
        case .xchg:
            if ins.hasModRM, ops.count == 2 { ops.swapAt(0, 1) }
        case .nop:
            if isMap0 && ins.opcode == 0x90 && ins.operandSize != (bits == 16 ? 2 : 4) {
                let r = Register.gpr(0, size: ins.operandSize)
                l.mnemonic = "xchg"
                ops = [.register(r), .register(r)]
            }
        case .imul:
            // Pseudo-op: `imul ecx,ecx,5` is `imul ecx,5`.
            if ops.count == 3, case .register(let a) = ops[0], case .register(let b) = ops[1], a == b { ops.remove(at: 1) }
        case .aam, .aad:
            if ins.immediate == 10 { ops = [] }
        case .invlpga:
            ops = [.register(.gpr(0, size: ins.addressSize)), .register(.ecx)]
        case .getsecq, .sysexitq, .sysretq:
            sizePrefix = 64
        case .cmpps, .cmppd, .cmpss, .cmpsd, .vcmpps, .vcmppd, .vcmpss, .vcmpsd:
            // Pseudo-ops: `cmpps xmm1,xmm5,0` is `cmpeqps xmm1,xmm5`.
            guard !isStringInstruction, case .immediate(let imm, _, _)? = ops.last else { break }
            let vex = m.name.hasPrefix("v")
            let predicates = vex ? Self.vexComparePredicates : Array(Self.vexComparePredicates.prefix(8))
            if imm < UInt64(predicates.count) {
                l.mnemonic = (vex ? "vcmp" : "cmp") + predicates[Int(imm)] + m.name.suffix(2)
                ops.removeLast()
            }
        case .pclmulqdq, .vpclmulqdq:
            guard case .immediate(let imm, _, _)? = ops.last else { break }
            let names: [UInt64: String] = [0: "lqlq", 1: "hqlq", 0x10: "lqhq", 0x11: "hqhq"]
            if let n = names[imm] {
                l.mnemonic = (m == .vpclmulqdq ? "vpclmul" : "pclmul") + n + "dq"
                ops.removeLast()
            }
        case .blendvps, .blendvpd, .pblendvb, .sha256rnds2:
            if ops.count == 2 { ops.append(.register(.xmm0)) }
        default: break
        }

        if isX87RegisterForm { ops = x87Operands(ops, &l) }

        l.operands = ops

        // Prefixes, in iced's order: operand size, address size, segment, xacquire/xrelease, lock, rep, notrack, bnd.
        if let s = sizePrefix { l.prefixes.append("o\(s)") }
        if (addressPrefix || (isMoffs && bits == 64)) && addressBits != bits { l.prefixes.append("a\(addressBits)") }
        if ins.segmentPrefix != .none && !memoryShown && !isNotrack {
            l.prefixes.append(ins.segmentPrefix.nasmName)
        }
        let p = ins.prefixes
        let lockable = p.contains(.lock) || (m == .xchg && memoryShown)
        let xrelease = p.contains(.rep) && memoryShown
            && (lockable || (m == .mov && isMap0 && [0x88, 0x89, 0xC6, 0xC7].contains(ins.opcode)))
        let xacquire = p.contains(.repne) && memoryShown && lockable
        if xacquire { l.prefixes.append("xacquire") }
        if xrelease { l.prefixes.append("xrelease") }
        if p.contains(.lock) { l.prefixes.append("lock") }
        if showsRep {
            if p.contains(.rep) && !xrelease {
                l.prefixes.append(usesRepe ? "repe" : "rep")
            }
            if p.contains(.repne) && !xacquire && !isBndBranch { l.prefixes.append("repne") }
        }
        if isNotrack { l.prefixes.append("notrack") }
        if p.contains(.repne) && isBndBranch { l.prefixes.append("bnd") }
        return l
    }

    // MARK: - Mnemonics

    var mnemonicName: String {
        let defaultBits = bits == 16 ? 16 : 32
        func sized(_ base: String, defaultBits d: Int) -> String {
            if operandBits == d { return base }
            switch operandBits {
            case 16: return base + "w"
            case 32: return base + "d"
            default: return base + "q"
            }
        }
        switch m {
        case .iret, .iretd, .iretq: return sized("iret", defaultBits: defaultBits)
        case .pusha, .pushad: return sized("pusha", defaultBits: defaultBits)
        case .popa, .popad: return sized("popa", defaultBits: defaultBits)
        case .pushf, .pushfd, .pushfq: return sized("pushf", defaultBits: bits)
        case .popf, .popfd, .popfq: return sized("popf", defaultBits: bits)
        case .ret where isMap0 && (ins.opcode == 0xC2 || ins.opcode == 0xC3): return sized("ret", defaultBits: bits)
        case .retf: return sized("retf", defaultBits: defaultBits)
        case .reservednop: return "nop"
        case .getsecq: return "getsec"
        case .sysexitq: return "sysexit"
        case .sysretq: return "sysret"
        default: return Self.renamed[m.name] ?? m.name
        }
    }

    /// Mnemonics iced spells differently from the SDM: its condition-code names (`ae` for `nb`, `e` for
    /// `z` ...) in CMPccXADD.
    static let renamed: [String: String] = [
        "cmpnbxadd": "cmpaexadd", "cmpzxadd": "cmpexadd", "cmpnzxadd": "cmpnexadd", "cmpnbexadd": "cmpaxadd",
        "cmpnlxadd": "cmpgexadd", "cmpnlexadd": "cmpgxadd",
    ]

    // MARK: - Prefix helpers

    var isStringInstruction: Bool {
        switch m {
        case .movsb, .movsw, .movsd, .movsq, .cmpsb, .cmpsw, .cmpsd, .cmpsq, .stosb, .stosw, .stosd, .stosq,
             .lodsb, .lodsw, .lodsd, .lodsq, .scasb, .scasw, .scasd, .scasq, .insb, .insw, .insd, .outsb, .outsw, .outsd:
            // SSE MOVSD/CMPSD share the names but not the encoding.
            return isMap0
        default: return false
        }
    }

    /// Instructions whose memory operand is implicit in iced's NASM output: only an `aNN` prefix shows
    /// a non-default address size.
    var isImplicitMemory: Bool {
        switch m {
        case .xlatb, .maskmovq, .maskmovdqu, .vmaskmovdqu, .monitor, .monitorx, .clzero, .invlpgb, .vmrun, .vmload,
             .vmsave, .pvalidate, .xstore, .xstore_alt, .xcryptecb, .xcryptcbc, .xcryptctr, .xcryptcfb, .xcryptofb,
             .xsha1, .xsha256, .xsha512, .xsha512_alt, .montmul, .ccs_hash, .ccs_encrypt, .undoc:
            return true
        default: return false
        }
    }

    /// REP/REPNE are shown on one-byte-map instructions and the VIA PadLock ones; elsewhere F2/F3 are
    /// part of the opcode.
    var showsRep: Bool {
        if isMap0 { return !(m == .pause) }
        return ins.map == 1 && (ins.opcode == 0xA6 || ins.opcode == 0xA7) && !ins.prefixes.contains(.vex)
    }

    var usesRepe: Bool {
        switch m {
        case .cmpsb, .cmpsw, .cmpsd, .cmpsq, .scasb, .scasw, .scasd, .scasq: return isStringInstruction
        default: return false
        }
    }

    /// Near CALL/JMP/RET and Jcc: F2 is MPX's BND.
    var isBndBranch: Bool {
        guard isMap0 || ins.map == 1 else { return false }
        switch m {
        case .call, .jmp: return !isFar
        case .ret: return true
        case .jo, .jno, .jb, .jae, .je, .jne, .jbe, .ja, .js, .jns, .jp, .jnp, .jl, .jge, .jle, .jg: return true
        default: return false
        }
    }

    var isFar: Bool {
        if ins.op0.kind == .farBranch { return true }
        return isMap0 && ins.opcode == 0xFF && (modrmReg == 3 || modrmReg == 5)
    }

    /// Indirect CALL/JMP (FF /2, FF /4) with a DS prefix: CET's NOTRACK.
    var isNotrackBranch: Bool {
        isMap0 && ins.opcode == 0xFF && ins.hasModRM && (modrmReg == 2 || modrmReg == 4)
    }

    var isNotrack: Bool { ins.segmentPrefix == .ds && isNotrackBranch }

    // MARK: - Operands

    func branch() -> FOperand {
        let target = ins.branchTarget(at: address)
        if m == .xbegin {
            // iced computes XBEGIN's target at 32 bits even for a 16-bit operand size.
            if bits == 64 { return .branch(target, bits: 64) }
            return .branch((address &+ UInt64(ins.length) &+ ins.immediate) & 0xFFFF_FFFF, bits: 32)
        }
        return .branch(target, bits: operandBits)
    }

    func immediate(_ o: Operand) -> FOperand {
        let second = o.register == .rip
        let value = second ? ins.immediate2 : ins.immediate
        let encoded = second ? ins.immediate2Size : ins.immediateSize
        var keyword: String? = nil
        if options.showSignExtendedImmediateSize {
            if encoded == 1 && o.size > 1 {
                keyword = "byte"
            } else if encoded == 4 && o.size == 8 {
                switch m {
                case .test: keyword = nil
                case .mov: keyword = memoryOperandIndex == nil ? "dword" : "qword"
                default: keyword = "qword"
                }
            } else if m == .imul && encoded > 1 {
                keyword = Self.sizeKeyword(Int(encoded))
            }
        }
        return .immediate(value, bits: Int(o.size) * 8, keyword: keyword)
    }

    func memory(_ o: Operand, index: Int) -> FMemory {
        let mem = ins.memory
        var f = FMemory()
        f.base = mem.base
        f.index = mem.index
        f.scale = mem.scale
        f.displacementSize = mem.displacementSize
        f.displacement = mem.displacement
        f.addressSize = ins.addressSize
        if mem.base == .none && mem.index == .none && [2, 4, 8].contains(mem.displacementSize) {
            // iced sizes an absolute address by its displacement (`[0x80000000]` for a disp32 in 64-bit mode).
            f.addressSize = mem.displacementSize
        }
        if ins.segmentPrefix != .none && showSegment(mem) { f.segment = mem.segment }
        if isMoffs {
            // MOV AL/eAX <-> moffs: iced names a non-default offset size inside the brackets (64-bit mode:
            // always qword for a 64-bit offset, an a32 prefix for a 32-bit one).
            f.addressSize = mem.displacementSize
            if bits == 64 {
                if mem.displacementSize == 8 { f.innerKeyword = "qword" }
            } else if Int(mem.displacementSize) * 8 != bits {
                f.innerKeyword = Self.sizeKeyword(Int(mem.displacementSize))
            }
        }
        if isFar {
            let farBits = operandBits
            f.sizeKeyword = farBits == bits ? "far" : (farBits == 16 ? "word far" : "dword far")
        } else if showMemorySize(o, index: index) {
            f.sizeKeyword = Self.sizeKeyword(Int(o.size))
        }
        return f
    }

    var isMoffs: Bool { isMap0 && (0xA0...0xA3).contains(ins.opcode) && m == .mov }

    /// Whether iced prints the segment override inside the brackets.
    func showSegment(_ mem: MemoryOperand) -> Bool {
        let seg = ins.segmentPrefix
        if m == .lea { return false }
        if isNotrack && !(bits != 64 && (mem.base == .bp || mem.base == .ebp || mem.base == .esp)) { return false }
        if bits == 64 { return seg == .fs || seg == .gs }
        let defaultSegment: Register = (mem.base == .bp || mem.base == .ebp || mem.base == .esp) ? .ss : .ds
        return seg != defaultSegment
    }

    /// Whether the memory operand gets a size keyword (iced's `ShowNoMemSize_ForceSize`): where no
    /// register operand implies the size, or where the register's size differs from the memory's.
    func showMemorySize(_ o: Operand, index: Int) -> Bool {
        if o.size == 0 { return false }
        switch m {
        case .movzx, .movsx, .crc32, .cvtsi2ss, .cvtsi2sd, .vcvtsi2ss, .vcvtsi2sd:
            return true
        case .vcvtpd2ps, .vcvttpd2dq, .vcvtpd2dq, .vcvtneps2bf16:
            return true
        case .add, .or, .adc, .sbb, .and, .sub, .xor, .cmp, .test, .mov, .rol, .ror, .rcl, .rcr, .shl, .shr, .sal, .sar,
             .bt, .bts, .btr, .btc, .inc, .dec, .neg, .not, .mul, .imul, .div, .idiv, .push, .pop, .call, .jmp, .nop,
             .ptwrite,
             .fadd, .fmul, .fcom, .fcomp, .fsub, .fsubr, .fdiv, .fdivr, .fld, .fst, .fstp, .fiadd, .fimul, .ficom,
             .ficomp, .fisub, .fisubr, .fidiv, .fidivr, .fild, .fist, .fistp, .fisttp, .fbld, .fbstp:
            for i in 0..<Int(ins.operandCount) where i != index {
                let other = ins.operand(i)
                if other.kind == .register && !(other.register == .cl && isShift) { return false }
            }
            return true
        default:
            return false
        }
    }

    var isShift: Bool {
        switch m {
        case .rol, .ror, .rcl, .rcr, .shl, .shr, .sal, .sar: return true
        default: return false
        }
    }

    // MARK: - x87

    var isX87RegisterForm: Bool {
        guard ins.operandCount == 2, ins.op0.kind == .register, ins.op1.kind == .register else { return false }
        return Self.isST(ins.op0.register) && Self.isST(ins.op1.register)
    }

    static func isMM(_ r: Register) -> Bool { r.rawValue >= Register.mm0.rawValue && r.rawValue <= Register.mm7.rawValue }

    static func isST(_ r: Register) -> Bool { r.rawValue >= Register.st0.rawValue && r.rawValue <= Register.st7.rawValue }

    /// `fadd st0,st3` is `fadd st3`, `fadd st3,st0` is `fadd to st3`, `faddp st3,st0` is `faddp st3`;
    /// the pseudo-ops `fxch`, `fcom`, `faddp` ... stand for `fxch st1`, `fcom st1`, `faddp st1` ...
    func x87Operands(_ ops: [FOperand], _ l: inout Layout) -> [FOperand] {
        let r0 = ins.op0.register, r1 = ins.op1.register
        if r0 == .st0 {
            switch m {
            case .fxch, .fcom, .fcomp, .fucom, .fucomp: if r1 == .st1 { return [] }
            default: break
            }
            return [.register(r1)]
        }
        if r1 == .st0 {
            switch m {
            case .faddp, .fmulp, .fsubp, .fsubrp, .fdivp, .fdivrp: if r0 == .st1 { return [] }
            default: break
            }
            switch m {
            case .fadd, .fmul, .fsub, .fsubr, .fdiv, .fdivr: return [.text("to " + r0.nasmName)]
            default: return [.register(r0)]
            }
        }
        return ops
    }

    /// The comparison predicates of CMPPS and VCMPPS (SDM Vol. 2, CMPPS, Table 3-1), as iced's pseudo-ops
    /// spell them; legacy SSE has the first 8.
    static let vexComparePredicates = [
        "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord",
        "eq_uq", "nge", "ngt", "false", "neq_oq", "ge", "gt", "true",
        "eq_os", "lt_oq", "le_oq", "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s",
        "eq_us", "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq", "true_us",
    ]

    // MARK: - Register helpers

    static func gpr16(_ r: Register) -> Register { r.size >= 2 ? .gpr(r.number, size: 2) : r }
    static func gpr32(_ r: Register) -> Register { r.size == 8 ? .gpr(r.number, size: 4) : r }
}
