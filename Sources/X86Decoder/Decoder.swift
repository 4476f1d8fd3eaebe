import X86ISA

/// The outcome of decoding one instruction.
public enum DecodeStatus: UInt8, Sendable {
    /// A valid instruction; `Instruction` describes it.
    case ok
    /// The bytes do not form a valid instruction in this mode (a CPU raises #UD), or it is longer
    /// than 15 bytes (#GP). `Instruction.length` is how far the decoder read.
    case invalid
    /// The buffer ended before the instruction did.
    case truncated
    /// A valid encoding this decoder does not describe (EVEX, XOP, 3DNow!); `Instruction.length`
    /// is its length.
    case unsupported
}

/// Decodes x86 machine code into `Instruction` values (SDM Vol. 2, chapter 2 "Instruction Format").
///
/// Reads at most 15 bytes and never past the buffer. Allocates nothing per instruction.
public struct Decoder: Sendable {
    /// The mode code is decoded in.
    public let mode: CPUMode
    let table: OpcodeTable

    public init(mode: CPUMode) {
        self.mode = mode
        self.table = OpcodeTable.shared
    }

    /// Decodes one instruction from `bytes` (at most 15 of them are read).
    public func decode(_ bytes: [UInt8]) -> (DecodeStatus, Instruction) {
        var ins = Instruction()
        let status = bytes.withUnsafeBufferPointer { buf in
            decode(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buf.count, into: &ins)
        }
        return (status, ins)
    }

    /// Decodes one instruction from `count` bytes at `p` into `ins`.
    public func decode(_ p: UnsafePointer<UInt8>, count: Int, into ins: inout Instruction) -> DecodeStatus {
        var r = ByteReader(p: p, count: count)
        return decode(&r, &ins)
    }

    // MARK: - The decoding steps

    private func decode(_ r: inout ByteReader, _ ins: inout Instruction) -> DecodeStatus {
        ins = Instruction()
        ins.mode = mode
        let is64 = mode == .bits64
        var has66 = false, has67 = false, lock = false
        var lastRep: UInt8 = 0
        var segment: UInt8 = 0xFF
        var rex: UInt8 = 0
        var b: UInt8
        // Legacy prefixes (SDM Vol. 2, 2.1.1) and REX (2.2.1): REX counts only directly before the opcode.
        prefixes: while true {
            guard let x = r.next() else { return r.failure(&ins) }
            switch x {
            case 0xF0: lock = true; rex = 0
            case 0xF2, 0xF3: lastRep = x; rex = 0
            case 0x66: has66 = true; rex = 0
            case 0x67: has67 = true; rex = 0
            case 0x26, 0x2E, 0x36, 0x3E:
                // In 64-bit mode these overrides have no effect (SDM Vol. 1, 3.3.7.1: the segment bases
                // are 0) and do not displace an FS/GS override; they are still reported.
                if !is64 || segment == 0xFF || segment < 4 { segment = (x >> 3) & 3 }
                rex = 0
            case 0x64, 0x65: segment = x - 0x60; rex = 0
            case 0x40...0x4F where is64: rex = x
            default: b = x; break prefixes
            }
        }
        var prefixSet: Prefixes = []
        if lock { prefixSet.insert(.lock) }
        if lastRep == 0xF3 { prefixSet.insert(.rep) } else if lastRep == 0xF2 { prefixSet.insert(.repne) }
        if has67 { prefixSet.insert(.addressSize) }
        if segment != 0xFF { prefixSet.insert(.segment); ins.segmentPrefix = .segment(segment) }
        if rex != 0 { prefixSet.insert(.rex) }

        var tableIndex: UInt8 = 0
        var opcode = b
        var w: UInt8 = (rex >> 3) & 1
        var rexR: UInt8 = (rex >> 2) & 1, rexX: UInt8 = (rex >> 1) & 1, rexB: UInt8 = rex & 1
        var vexL: UInt8 = 0, vvvv: UInt8 = 0
        // All four VEX.vvvv bits: an instruction without a vvvv operand needs 1111b in every mode, even
        // though outside 64-bit mode only the low three select a register (as iced checks it).
        var vvvvAll: UInt8 = 0
        var isVEX = false
        var mandatory: MandatoryPrefix = lastRep == 0xF3 ? .pF3 : lastRep == 0xF2 ? .pF2 : has66 ? .p66 : .none

        if b == 0x0F {
            guard let b2 = r.next() else { return r.failure(&ins) }
            switch b2 {
            case 0x38, 0x3A:
                guard let b3 = r.next() else { return r.failure(&ins) }
                tableIndex = b2 == 0x38 ? 2 : 3
                opcode = b3
            case 0x0F:
                // 3DNow!: 0F 0F ModRM [SIB] [disp] imm8-opcode; only AMD's defined suffixes are valid.
                let status = skipUnsupported(&r, &ins, addressSize16: (mode == .bits16) != has67 && !is64,
                                             addressSize32In64: has67, immediateBytes: 1)
                if status == .unsupported && !Self.threeDNowOpcodes.contains(r.p[r.pos - 1]) { return invalid(&r, &ins) }
                return status
            default:
                tableIndex = 1
                opcode = b2
            }
        } else if (b == 0xC4 || b == 0xC5) && (is64 || r.peek() >= 0xC0) {
            // VEX (SDM Vol. 2, 2.3.5). Any 66/F2/F3/REX/LOCK before it makes it #UD.
            isVEX = true
            guard let p1 = r.next() else { return r.failure(&ins) }
            var pp: UInt8
            var map: UInt8
            if b == 0xC5 {
                rexR = (~p1 >> 7) & 1
                vvvv = (~p1 >> 3) & 15
                vexL = (p1 >> 2) & 1
                pp = p1 & 3
                map = 1
                w = 0
                rexX = 0; rexB = 0
            } else {
                guard let p2 = r.next() else { return r.failure(&ins) }
                rexR = (~p1 >> 7) & 1
                rexX = (~p1 >> 6) & 1
                rexB = (~p1 >> 5) & 1
                map = p1 & 0x1F
                w = p2 >> 7
                vvvv = (~p2 >> 3) & 15
                vexL = (p2 >> 2) & 1
                pp = p2 & 3
            }
            vvvvAll = vvvv
            if !is64 { rexR = 0; rexX = 0; rexB = 0; vvvv &= 7 }
            guard let op = r.next() else { return r.failure(&ins) }
            opcode = op
            if map < 1 || map > 3 || has66 || lastRep != 0 || rex != 0 || lock {
                return invalid(&r, &ins)
            }
            tableIndex = 3 + map
            mandatory = pp == 0 ? .none : pp == 1 ? .p66 : pp == 2 ? .pF3 : .pF2
            prefixSet.insert(.vex)
            if w != 0 { prefixSet.insert(.w) }
        } else if b == 0x62 && (is64 || r.peek() >= 0xC0) {
            return skipEVEX(&r, &ins, has67: has67)
        } else if b == 0x8F && (r.peek() & 0x1F) >= 8 {
            return skipXOP(&r, &ins, has67: has67)
        }
        if w != 0 && !isVEX { prefixSet.insert(.w) }

        let slot = Int(tableIndex) &* 256 &+ Int(opcode)
        let range = table.slots[slot]
        let count = Int(range & 0xFFFF)
        if count == 0 { return invalid(&r, &ins) }
        var modrm: UInt8 = 0
        let hasModRM = table.slotHasModRM[slot]
        if hasModRM {
            guard let m = r.next() else { return r.failure(&ins) }
            modrm = m
        }
        let mod = modrm >> 6, regField = (modrm >> 3) & 7, rmField = modrm & 7
        let start = Int(range >> 16)
        let asz: UInt8
        switch mode {
        case .bits16: asz = has67 ? 4 : 2
        case .bits32: asz = has67 ? 2 : 4
        case .bits64: asz = has67 ? 4 : 8
        }

        // Select the first entry whose constraints hold.
        var found = -1
        var osz: UInt8 = 4
        for k in start..<(start &+ count) {
            let idx = Int(table.candidates[k])
            let e = table.entries[idx]
            switch e.prefix {
            case .any: break
            case .none: if mandatory != .none { continue }
            case .p66: if mandatory != .p66 { continue }
            case .pF3: if mandatory != .pF3 { continue }
            case .pF2: if mandatory != .pF2 { continue }
            }
            if e.reg != 0xFF && e.reg != regField { continue }
            if e.mod == 1 && mod == 3 { continue }
            if e.mod == 2 && mod != 3 { continue }
            if e.rm != 0xFF && e.rm != rmField { continue }
            if e.w != 0xFF && e.w != w { continue }
            if e.l != 0xFF && e.l != vexL { continue }
            let attrs = e.attributes
            if attrs.contains(.only64) && !is64 { continue }
            if attrs.contains(.invalid64) && is64 { continue }
            if attrs.contains(.no66) && has66 { continue }
            if attrs.contains(.noRexB) && rexB != 0 { continue }
            if attrs.contains(.noRep) && lastRep != 0 { continue }
            let p66 = has66 && e.prefix != .p66 && !isVEX
            var s: UInt8
            if is64 {
                if attrs.contains(.force64) || w != 0 { s = 8 } else if attrs.contains(.default64) { s = p66 ? 2 : 8 } else { s = p66 ? 2 : 4 }
            } else {
                s = (mode == .bits16) != p66 ? 2 : 4
                if attrs.contains(.force32) { s = 4 }
            }
            if attrs.contains(.operandSizeY) { s = (w != 0 && is64) ? 8 : 4 }
            if e.operandSize != 0 && e.operandSize != s { continue }
            if e.addressSize != 0 && e.addressSize != asz { continue }
            found = idx
            osz = s
            if p66 { prefixSet.insert(.operandSize) }
            break
        }
        if found < 0 { return invalid(&r, &ins) }
        let e = table.entries[found]
        // A line whose mnemonic is `invalid` carves a #UD encoding out of a later, more general line.
        if e.mnemonics.0 == .invalid { return invalid(&r, &ins) }
        let memoryForm = hasModRM && mod != 3

        // LOCK needs a lockable instruction with a memory destination (SDM Vol. 2, LOCK).
        // These make the instruction #UD, but only once its bytes are all there: a truncated
        // instruction is reported as truncated first (as iced does).
        var undefined = lock && !(e.attributes.contains(.lock) && memoryForm) && !e.attributes.contains(.lockAsCR8)
        if isVEX && vvvvAll != 0 && !e.usesVvvv { undefined = true }

        ins.entry = UInt16(found)
        ins.map = isVEX ? tableIndex - 3 : tableIndex
        ins.opcode = opcode
        ins.modrm = modrm
        ins.hasModRM = hasModRM
        ins.vexL = vexL
        ins.operandSize = osz
        ins.addressSize = asz
        ins.prefixes = prefixSet
        if e.attributes.contains(.mnemonicByAddressSize) {
            ins.mnemonic = asz == 2 ? e.mnemonics.0 : asz == 4 ? e.mnemonics.1 : e.mnemonics.2
        } else if e.attributes.contains(.mnemonicByW) {
            ins.mnemonic = (w != 0 && (is64 || isVEX)) ? e.mnemonics.2 : e.mnemonics.1
        } else {
            ins.mnemonic = osz == 2 ? e.mnemonics.0 : osz == 4 ? e.mnemonics.1 : e.mnemonics.2
        }

        // ModRM memory operand (SDM Vol. 2, 2.1.5 and 2.2.1.6): decode SIB and displacement.
        var registerOnlyRM = false
        var vsibIndexSize: UInt8 = 0
        var needsSIB = false
        for i in 0..<Int(e.operandCount) {
            let m = e.operand(i).method
            if m == .R || m == .C || m == .D || m == .T { registerOnlyRM = registerOnlyRM || m == .R }
            if m == .vsib { vsibIndexSize = e.operand(i).fixed; needsSIB = true }
            if e.operand(i).type == .sib { needsSIB = true }
        }
        // VSIB (SDM Vol. 2, 2.3.12) and AMX sibmem need a SIB byte and 32/64-bit addressing; otherwise #UD.
        if needsSIB && (!memoryForm || rmField != 4 || asz == 2) { undefined = true }
        if memoryForm && !registerOnlyRM {
            if !decodeMemory(&r, &ins, mod: mod, rm: rmField, rexX: rexX, rexB: rexB, segment: segment,
                             vsibIndexSize: vsibIndexSize) {
                return r.failure(&ins)
            }
        }

        // Operands, reading immediates in order.
        let ctx = OperandContext(osz: osz, asz: asz, w: w, vexL: vexL, vvvv: vvvv, rex: rex != 0 || isVEX,
                                 rexR: rexR, rexB: rexB, regField: regField, rmField: rmField, mod: mod,
                                 opcode: opcode, segment: segment, is64: is64, lock: lock)
        // Registers that must all differ, else #UD: a VSIB gather's destination, index and mask (SDM Vol. 2,
        // VPGATHERDD), an AMX instruction's tiles (TDPBSSD).
        var distinct: UInt32 = vsibIndexSize != 0 ? 1 << ins.memory.index.number : 0
        for i in 0..<Int(e.operandCount) {
            guard let o = decodeOperand(e.operand(i), &r, &ins, ctx) else {
                if r.truncated || r.tooLong { return r.failure(&ins) }
                return invalid(&r, &ins)
            }
            if o.kind == .register {
                let raw = o.register.rawValue
                let isTile = raw >= Register.first_tmm && raw < Register.first_end
                let isVector = raw >= Register.first_xmm && raw < Register.first_cr
                if isTile || (vsibIndexSize != 0 && isVector) {
                    let bit: UInt32 = 1 << o.register.number
                    if distinct & bit != 0 { undefined = true }
                    distinct |= bit
                }
            }
            ins.setOperand(i, o)
        }
        ins.operandCount = e.operandCount
        if r.tooLong { return r.failure(&ins) }
        if undefined { return invalid(&r, &ins) }
        // XBEGIN's target is EIP/RIP-sized whatever the displacement size (SDM Vol. 2, XBEGIN).
        if e.attributes.contains(.wideBranch) { ins.operandSize = is64 ? 8 : 4 }
        ins.length = UInt8(r.pos)
        return .ok
    }

    /// The 3DNow! and extended 3DNow! opcode suffixes (AMD 3DNow! Technology Manual, Table 11).
    static let threeDNowOpcodes: Set<UInt8> = [
        0x0C, 0x0D, 0x1C, 0x1D, 0x8A, 0x8E, 0x90, 0x94, 0x96, 0x97, 0x9A, 0x9E, 0xA0, 0xA4, 0xA6, 0xA7,
        0xAA, 0xAE, 0xB0, 0xB4, 0xB6, 0xB7, 0xBB, 0xBF,
    ]

    private func invalid(_ r: inout ByteReader, _ ins: inout Instruction) -> DecodeStatus {
        ins.mnemonic = .invalid
        ins.length = UInt8(min(r.pos, 15))
        return .invalid
    }

    struct OperandContext {
        var osz: UInt8, asz: UInt8, w: UInt8, vexL: UInt8, vvvv: UInt8
        var rex: Bool
        var rexR: UInt8, rexB: UInt8
        var regField: UInt8, rmField: UInt8, mod: UInt8
        var opcode: UInt8
        var segment: UInt8
        var is64: Bool
        /// LOCK was accepted (only `lockcr8` lines get here without a memory operand).
        var lock: Bool = false
    }

    /// The size in bytes an operand type stands for.
    private func size(of type: OperandType, _ c: OperandContext) -> UInt16 {
        switch type {
        case .none, .unknown, .xsave, .tmm, .sib: return 0
        case .b, .yb, .db, .bs, .b2, .b4, .kb: return 1
        case .w, .vw, .yw, .dw, .xw, .kw: return 2
        case .d, .ss, .xd, .yd, .kd: return 4
        case .q, .sd, .xq, .k, .kq: return 8
        case .dq: return 16
        case .qq: return 32
        case .v: return UInt16(c.osz)
        case .z: return c.osz == 2 ? 2 : 4
        case .y: return c.osz == 8 ? 8 : 4
        case .x, .ps, .pd: return c.vexL != 0 ? 32 : 16
        case .xh: return c.vexL != 0 ? 16 : 8
        case .xqtr: return c.vexL != 0 ? 8 : 4
        case .xe: return c.vexL != 0 ? 4 : 2
        case .p: return UInt16(c.osz) + 2
        case .s: return c.is64 ? 10 : 6
        case .a: return UInt16(c.osz) * 2
        case .t: return 10
        case .fpenv: return c.osz == 2 ? 14 : 28
        case .fpstate: return c.osz == 2 ? 94 : 108
        case .fx: return 512
        case .bnd: return c.is64 ? 16 : 8
        case .ptr: return UInt16(c.osz) + 2
        case .m512: return 64
        case .m384: return 48
        }
    }

    /// The width of a register operand of this type (memory-only types give their GPR width).
    private func registerSize(of type: OperandType, _ c: OperandContext) -> UInt8 {
        switch type {
        case .vw: return c.osz
        case .yb, .yw, .yd: return c.osz == 8 ? 8 : 4
        case .db, .dw: return 4
        default: return UInt8(truncatingIfNeeded: size(of: type, c))
        }
    }

    /// Opmask types: in ModRM r/m the register number ignores REX.B/VEX.B (as iced decodes it).
    private func isMask(_ type: OperandType) -> Bool {
        type == .k || type == .kb || type == .kw || type == .kd || type == .kq
    }

    /// The XMM/YMM (or opmask, or tile) register `n` for an operand type; `.none` if there is no such register.
    private func vectorRegister(_ n: UInt8, _ type: OperandType, _ c: OperandContext) -> Register {
        switch type {
        case .qq: return .ymm(n)
        case .x, .ps, .pd: return c.vexL != 0 ? .ymm(n) : .xmm(n)
        case .k, .kb, .kw, .kd, .kq: return .k(n)
        case .tmm: return .tmm(n)
        default: return .xmm(n)
        }
    }

    private func decodeOperand(_ s: OperandSpec, _ r: inout ByteReader, _ ins: inout Instruction, _ c: OperandContext) -> Operand? {
        let regN = c.regField | (c.rexR << 3)
        let rmN = c.rmField | (c.rexB << 3)
        let isMem = c.mod != 3
        switch s.method {
        case .none: return Operand()
        case .fixedRegister:
            let reg = Register(rawValue: s.fixed) ?? .none
            return Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .fixedGPR:
            let sz = registerSize(of: s.type, c)
            return Operand(kind: .register, register: .gpr(s.fixed, size: sz), size: UInt16(sz))
        case .one:
            ins.immediate = 1
            return Operand(kind: .immediate, size: 1)
        case .E, .Q, .W, .M, .bndRM:
            if isMem { return Operand(kind: .memory, size: size(of: s.type, c)) }
            if s.method == .M { return nil }
            let reg: Register
            switch s.method {
            case .E: let sz = registerSize(of: s.type, c); reg = .gpr(rmN, size: sz, rex: c.rex)
            case .Q: reg = .mm(c.rmField)
            case .bndRM: reg = rmN < 4 ? .bnd(rmN) : .none
            default: reg = vectorRegister(isMask(s.type) ? c.rmField : rmN, s.type, c)
            }
            if reg == .none { return nil }
            return Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .R:
            let sz = registerSize(of: s.type, c)
            return Operand(kind: .register, register: .gpr(rmN, size: sz, rex: c.rex), size: UInt16(sz))
        case .N: return Operand(kind: .register, register: .mm(c.rmField), size: 8)
        case .U:
            let reg = vectorRegister(isMask(s.type) ? c.rmField : rmN, s.type, c)
            return reg == .none ? nil : Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .G:
            let sz = registerSize(of: s.type, c)
            return Operand(kind: .register, register: .gpr(regN, size: sz, rex: c.rex), size: UInt16(sz))
        case .P: return Operand(kind: .register, register: .mm(c.regField), size: 8)
        case .V:
            let reg = vectorRegister(regN, s.type, c)
            return reg == .none ? nil : Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .H:
            let reg = vectorRegister(c.vvvv, s.type, c)
            return reg == .none ? nil : Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .B:
            let sz = registerSize(of: s.type, c)
            return Operand(kind: .register, register: .gpr(c.vvvv, size: sz), size: UInt16(sz))
        case .L:
            guard let imm = r.next() else { return nil }
            let n = c.is64 ? imm >> 4 : (imm >> 4) & 7
            let reg = vectorRegister(n, s.type, c)
            return Operand(kind: .register, register: reg, size: UInt16(reg.size))
        case .S:
            let reg = Register.segment(c.regField)
            if reg == .none { return nil }
            return Operand(kind: .register, register: reg, size: 2)
        case .C:
            // CR0, CR2-CR4 and CR8 exist (SDM Vol. 3, 2.5); the others are #UD. LOCK selects CR8-CR15
            // (AMD's alternate encoding of MOV CR8, `lockcr8`).
            let n = c.lock ? regN &+ 8 : regN
            guard n == 0 || (n >= 2 && n <= 4) || n == 8 else { return nil }
            return Operand(kind: .register, register: Register.cr(n), size: UInt16(c.osz))
        case .D:
            // DR0-DR7; REX.R (DR8-DR15) is #UD (SDM Vol. 2, MOV-Move to/from Debug Registers).
            guard regN < 8 else { return nil }
            return Operand(kind: .register, register: .dr(regN), size: UInt16(c.osz))
        case .T:
            return Operand(kind: .register, register: .tr(c.regField), size: 4)
        case .bndReg:
            return regN < 4 ? Operand(kind: .register, register: .bnd(regN), size: 16) : nil
        case .STi:
            return Operand(kind: .register, register: .st(c.rmField), size: 10)
        case .Z:
            let n = (c.opcode & 7) | (c.rexB << 3)
            let sz = registerSize(of: s.type, c)
            return Operand(kind: .register, register: .gpr(n, size: sz, rex: c.rex), size: UInt16(sz))
        case .I:
            return decodeImmediate(s.type, &r, &ins, c)
        case .J:
            let disp: UInt64
            let n: UInt8
            if s.type == .b {
                guard let v = r.readSigned(1) else { return nil }
                disp = v; n = 1
            } else {
                n = c.osz == 2 ? 2 : 4
                guard let v = r.readSigned(Int(n)) else { return nil }
                disp = v
            }
            ins.immediate = disp
            ins.immediateSize = n
            return Operand(kind: .nearBranch, size: UInt16(c.osz))
        case .A:
            let n = c.osz == 2 ? 2 : 4
            guard let off = r.readUnsigned(n), let sel = r.readUnsigned(2) else { return nil }
            ins.immediate = off
            ins.immediate2 = sel
            ins.immediateSize = UInt8(n)
            ins.immediate2Size = 2
            return Operand(kind: .farBranch, size: UInt16(n + 2))
        case .O:
            guard let off = r.readUnsigned(Int(c.asz)) else { return nil }
            var m = MemoryOperand()
            m.segment = c.segment != 0xFF ? .segment(c.segment) : .ds
            m.displacement = Int64(bitPattern: off)
            m.displacementSize = c.asz
            ins.memory = m
            return Operand(kind: .memory, size: size(of: s.type, c))
        case .X:
            return Operand(kind: .memorySegSI, size: size(of: s.type, c))
        case .xlat:
            var m = MemoryOperand()
            m.segment = c.segment != 0xFF ? .segment(c.segment) : .ds
            m.base = .gpr(3, size: c.asz)
            m.index = .al
            ins.memory = m
            return Operand(kind: .memory, size: 1)
        case .Y:
            return Operand(kind: .memoryESDI, size: size(of: s.type, c))
        case .vsib:
            // The memory was decoded with the vector index; the size is one element's.
            return isMem ? Operand(kind: .memory, size: size(of: s.type, c)) : nil
        case .segDI:
            var m = MemoryOperand()
            m.segment = c.segment != 0xFF ? .segment(c.segment) : .ds
            m.base = .gpr(7, size: c.asz)
            ins.memory = m
            return Operand(kind: .memory, size: size(of: s.type, c))
        }
    }

    private func decodeImmediate(_ type: OperandType, _ r: inout ByteReader, _ ins: inout Instruction, _ c: OperandContext) -> Operand? {
        let second = type == .b2 || (ins.immediateSize != 0)
        var value: UInt64
        var n: UInt8
        var extended: UInt16
        switch type {
        case .b, .b2:
            guard let v = r.readUnsigned(1) else { return nil }
            value = v; n = 1; extended = 1
        case .b4:
            // The low 4 bits of the /is4 byte an `L` operand has just read.
            guard let v = r.previous() else { return nil }
            value = UInt64(v & 15); n = 1; extended = 1
        case .bs:
            guard let v = r.readSigned(1) else { return nil }
            value = v; n = 1; extended = UInt16(c.osz)
        case .w:
            guard let v = r.readUnsigned(2) else { return nil }
            value = v; n = 2; extended = 2
        case .d:
            guard let v = r.readUnsigned(4) else { return nil }
            value = v; n = 4; extended = 4
        case .z:
            n = c.osz == 2 ? 2 : 4
            guard let v = c.osz == 8 ? r.readSigned(4) : r.readUnsigned(Int(n)) else { return nil }
            value = v; extended = UInt16(c.osz)
        case .v:
            n = c.osz
            guard let v = r.readUnsigned(Int(n)) else { return nil }
            value = v; extended = UInt16(n)
        default:
            return nil
        }
        if c.osz == 2 && extended == 2 { value &= 0xFFFF } else if extended == 4 { value &= 0xFFFF_FFFF }
        if second {
            ins.immediate2 = value
            ins.immediate2Size = n
        } else {
            ins.immediate = value
            ins.immediateSize = n
        }
        return Operand(kind: .immediate, register: second ? .rip : .none, size: extended)
    }

    /// Decodes the addressing form after ModRM: SIB, displacement, default segment.
    /// `vsibIndexSize` 16 or 32: the SIB index selects an XMM or YMM register (VSIB), never "none".
    private func decodeMemory(_ r: inout ByteReader, _ ins: inout Instruction, mod: UInt8, rm: UInt8,
                              rexX: UInt8, rexB: UInt8, segment: UInt8, vsibIndexSize: UInt8 = 0) -> Bool {
        var m = MemoryOperand()
        var stackDefault = false
        let asz = ins.addressSize
        if asz == 2 {
            // SDM Vol. 2, Table 2-1 "16-Bit Addressing Forms with the ModR/M Byte".
            let bases: [Register] = [.bx, .bx, .bp, .bp, .si, .di, .bp, .bx]
            let indexes: [Register] = [.si, .di, .si, .di, .none, .none, .none, .none]
            if mod == 0 && rm == 6 {
                guard let d = r.readUnsigned(2) else { return false }
                m.displacement = Int64(d); m.displacementSize = 2
            } else {
                m.base = bases[Int(rm)]
                m.index = indexes[Int(rm)]
                stackDefault = rm == 2 || rm == 3 || rm == 6
                if mod == 1 {
                    guard let d = r.readSigned(1) else { return false }
                    m.displacement = Int64(bitPattern: d) & 0xFFFF; m.displacementSize = 1
                } else if mod == 2 {
                    guard let d = r.readUnsigned(2) else { return false }
                    m.displacement = Int64(d); m.displacementSize = 2
                }
            }
        } else {
            // SDM Vol. 2, Tables 2-2 and 2-3, and 2.2.1.6 "RIP-Relative Addressing".
            var baseN: UInt8 = rm | (rexB << 3)
            var hasBase = true
            if rm == 4 {
                guard let sib = r.next() else { return false }
                m.scale = 1 << (sib >> 6)
                let idx = ((sib >> 3) & 7) | (rexX << 3)
                if vsibIndexSize != 0 {
                    m.index = vsibIndexSize == 32 ? .ymm(idx) : .xmm(idx)
                } else if idx != 4 {
                    m.index = .gpr(idx, size: asz)
                }
                baseN = (sib & 7) | (rexB << 3)
                if sib & 7 == 5 && mod == 0 { hasBase = false }
            } else if mod == 0 && rm == 5 {
                hasBase = false
                if ins.mode == .bits64 { m.base = asz == 8 ? .rip : .eip }
            }
            if hasBase {
                m.base = .gpr(baseN, size: asz)
                stackDefault = baseN == 4 || baseN == 5
            }
            if mod == 1 {
                guard let d = r.readSigned(1) else { return false }
                m.displacement = Int64(bitPattern: d); m.displacementSize = 1
            } else if mod == 2 || !hasBase {
                guard let d = r.readSigned(4) else { return false }
                m.displacement = Int64(bitPattern: d); m.displacementSize = 4
            }
            if asz == 4 && m.base != .eip && m.base != .rip { m.displacement &= 0xFFFF_FFFF }
        }
        if segment != 0xFF {
            m.segment = .segment(segment)
        } else {
            m.segment = stackDefault ? .ss : .ds
        }
        ins.memory = m
        return true
    }

    // MARK: - Encodings described only by length

    /// Skips ModRM, SIB, displacement and an immediate of an encoding this decoder does not describe.
    private func skipModRM(_ r: inout ByteReader, addressSize: UInt8) -> Bool {
        guard let modrm = r.next() else { return false }
        let mod = modrm >> 6, rm = modrm & 7
        if mod == 3 { return true }
        if addressSize == 2 {
            let n = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0
            return r.skip(n)
        }
        var n = mod == 1 ? 1 : mod == 2 ? 4 : 0
        if rm == 4 {
            guard let sib = r.next() else { return false }
            if mod == 0 && sib & 7 == 5 { n = 4 }
        } else if mod == 0 && rm == 5 { n = 4 }
        return r.skip(n)
    }

    private func skipUnsupported(_ r: inout ByteReader, _ ins: inout Instruction, addressSize16: Bool,
                                 addressSize32In64: Bool, immediateBytes: Int) -> DecodeStatus {
        let asz: UInt8 = addressSize16 ? 2 : 4
        guard skipModRM(&r, addressSize: asz), r.skip(immediateBytes) else { return r.failure(&ins) }
        if r.tooLong { return r.failure(&ins) }
        ins.length = UInt8(r.pos)
        return .unsupported
    }

    private func effectiveAddressSize(has67: Bool) -> UInt8 {
        switch mode {
        case .bits16: has67 ? 4 : 2
        case .bits32: has67 ? 2 : 4
        case .bits64: has67 ? 4 : 8
        }
    }

    /// EVEX (SDM Vol. 2, 2.7): 62 P0 P1 P2 opcode ModRM ...; its immediate follows the VEX map's rules.
    private func skipEVEX(_ r: inout ByteReader, _ ins: inout Instruction, has67: Bool) -> DecodeStatus {
        guard let p0 = r.next(), r.next() != nil, r.next() != nil, let op = r.next() else { return r.failure(&ins) }
        let map = p0 & 7
        var imm = 0
        switch map {
        case 3: imm = 1
        case 1: imm = [0x70, 0x71, 0x72, 0x73, 0xC2, 0xC4, 0xC5, 0xC6].contains(op) ? 1 : 0
        default: imm = 0
        }
        guard skipModRM(&r, addressSize: effectiveAddressSize(has67: has67)), r.skip(imm) else { return r.failure(&ins) }
        if r.tooLong { return r.failure(&ins) }
        ins.length = UInt8(r.pos)
        return .unsupported
    }

    /// XOP (AMD): 8F RXB.mmmmm W.vvvv.L.pp opcode ModRM ...; map 8 has imm8, map A imm32.
    private func skipXOP(_ r: inout ByteReader, _ ins: inout Instruction, has67: Bool) -> DecodeStatus {
        guard let p1 = r.next(), r.next() != nil, r.next() != nil else { return r.failure(&ins) }
        let map = p1 & 0x1F
        let imm = map == 8 ? 1 : map == 0xA ? 4 : 0
        guard skipModRM(&r, addressSize: effectiveAddressSize(has67: has67)), r.skip(imm) else { return r.failure(&ins) }
        if r.tooLong { return r.failure(&ins) }
        ins.length = UInt8(r.pos)
        return .unsupported
    }
}

/// A bounds-checked cursor over at most 15 instruction bytes.
struct ByteReader {
    let p: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    var truncated = false
    var tooLong = false

    init(p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        self.count = count
    }

    /// The next byte, or nil at the end of the buffer or past 15 bytes.
    @inline(__always) mutating func next() -> UInt8? {
        if pos >= 15 { tooLong = true; return nil }
        if pos >= count { truncated = true; return nil }
        // SAFETY: pos < count, and the caller guarantees `count` readable bytes at `p`.
        let b = p[pos]
        pos &+= 1
        return b
    }

    /// The byte last read, or nil if none was.
    @inline(__always) func previous() -> UInt8? {
        pos > 0 ? p[pos - 1] : nil
    }

    /// The next byte without consuming it, or 0 at the end.
    @inline(__always) func peek() -> UInt8 {
        pos < count && pos < 15 ? p[pos] : 0
    }

    mutating func skip(_ n: Int) -> Bool {
        for _ in 0..<n where next() == nil { return false }
        return true
    }

    /// Reads `n` (1, 2, 4, 8) little-endian bytes, zero-extended.
    @inline(__always) mutating func readUnsigned(_ n: Int) -> UInt64? {
        var v: UInt64 = 0
        for i in 0..<n {
            guard let b = next() else { return nil }
            v |= UInt64(b) << (8 * i)
        }
        return v
    }

    /// Reads `n` little-endian bytes, sign-extended to 64 bits.
    @inline(__always) mutating func readSigned(_ n: Int) -> UInt64? {
        guard let v = readUnsigned(n) else { return nil }
        let shift = UInt64(64 - 8 * n)
        return UInt64(bitPattern: Int64(bitPattern: v << shift) >> shift)
    }

    /// The status for a read that failed: too long (#GP, reported as invalid) or truncated.
    mutating func failure(_ ins: inout Instruction) -> DecodeStatus {
        ins.mnemonic = .invalid
        ins.length = UInt8(min(pos, 15))
        return tooLong ? .invalid : .truncated
    }
}
