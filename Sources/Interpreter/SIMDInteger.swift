import X86Decoder
import X86ISA
import X86State

// MMX, SSE/SSE2/SSE3/SSSE3/SSE4.1/SSE4.2 integer and data-movement instructions in their legacy
// encodings (SDM Vol. 2; Vol. 1, chapters 9-12). The floating-point arithmetic, comparisons and
// conversions of SSE come with the SoftFloat-based unit and raise #UD until then.

extension Register {
    @inline(__always) var isMMX: Bool { rawValue >= Register.first_mm && rawValue < Register.first_xmm }
    @inline(__always) var isXMM: Bool { rawValue >= Register.first_xmm && rawValue < Register.first_ymm }
}

@inline(__always) func saturateS8(_ x: Int) -> UInt8 { UInt8(truncatingIfNeeded: min(max(x, -128), 127)) }
@inline(__always) func saturateU8(_ x: Int) -> UInt8 { UInt8(truncatingIfNeeded: min(max(x, 0), 255)) }
@inline(__always) func saturateS16(_ x: Int) -> UInt16 { UInt16(truncatingIfNeeded: min(max(x, -32768), 32767)) }
@inline(__always) func saturateU16(_ x: Int) -> UInt16 { UInt16(truncatingIfNeeded: min(max(x, 0), 65535)) }

extension Interpreter {
    /// Executes an MMX/SSE integer or data-movement instruction; returns false for other mnemonics.
    func executeSIMD(_ ins: Instruction) throws(CPUException) -> Bool {
        switch ins.mnemonic {
        // MARK: Lane-wise and permuting operations: destination register op= source
        case .paddb, .paddw, .paddd, .paddq, .psubb, .psubw, .psubd, .psubq,
             .paddsb, .paddsw, .paddusb, .paddusw, .psubsb, .psubsw, .psubusb, .psubusw,
             .pmullw, .pmulhw, .pmulhuw, .pmuludq, .pmaddwd, .pmuldq, .pmulld, .pmulhrsw, .pmaddubsw,
             .pcmpeqb, .pcmpeqw, .pcmpeqd, .pcmpeqq, .pcmpgtb, .pcmpgtw, .pcmpgtd, .pcmpgtq,
             .pand, .pandn, .por, .pxor, .andps, .andpd, .andnps, .andnpd, .orps, .orpd, .xorps, .xorpd,
             .pminub, .pmaxub, .pminsw, .pmaxsw, .pminsb, .pminsd, .pminuw, .pminud, .pmaxsb, .pmaxsd, .pmaxuw, .pmaxud,
             .pavgb, .pavgw, .psadbw, .mpsadbw, .phminposuw,
             .packsswb, .packssdw, .packuswb, .packusdw,
             .punpcklbw, .punpcklwd, .punpckldq, .punpcklqdq, .punpckhbw, .punpckhwd, .punpckhdq, .punpckhqdq,
             .unpcklps, .unpckhps, .unpcklpd, .unpckhpd,
             .pshufb, .phaddw, .phaddd, .phaddsw, .phsubw, .phsubd, .phsubsw, .psignb, .psignw, .psignd,
             .pabsb, .pabsw, .pabsd, .palignr,
             .pshufw, .pshufd, .pshufhw, .pshuflw, .shufps, .shufpd,
             .pblendw, .blendps, .blendpd, .pblendvb, .blendvps, .blendvpd,
             .pmovsxbw, .pmovsxbd, .pmovsxbq, .pmovsxwd, .pmovsxwq, .pmovsxdq,
             .pmovzxbw, .pmovzxbd, .pmovzxbq, .pmovzxwd, .pmovzxwq, .pmovzxdq,
             .aesenc, .aesenclast, .aesdec, .aesdeclast, .aesimc, .aeskeygenassist, .pclmulqdq:
            try simdBinary(ins)
        case .psrlw, .psrld, .psrlq, .psraw, .psrad, .psllw, .pslld, .psllq, .psrldq, .pslldq:
            try simdShift(ins)
        case .ptest:
            try sseCheck()
            let b = try vectorOperand(ins, 1, aligned: true)
            let a = xmm(Int(ins.op0.register.number))
            commitFlags()
            var f = core.pointee.cpu.rflags & ~0x8D5
            if a & b == .zero { f |= 0x40 }
            if ~a & b == .zero { f |= 0x01 }
            core.pointee.cpu.rflags = f
        case .pcmpestri, .pcmpestri64, .pcmpestrm, .pcmpestrm64, .pcmpistri, .pcmpistrm:
            try stringCompare(ins)

        // MARK: Moves
        case .movd, .movq, .movq2dq, .movdq2q:
            try simdMoveScalar(ins)
        case .movdqa, .movdqu, .movaps, .movapd, .movups, .movupd, .lddqu,
             .movntdq, .movntps, .movntpd, .movntdqa:
            try sseCheck()
            let aligned = !(ins.mnemonic == .movdqu || ins.mnemonic == .movups || ins.mnemonic == .movupd || ins.mnemonic == .lddqu)
            let v = try vectorOperand(ins, 1, aligned: aligned)
            try setVectorOperand(ins, 0, v, aligned: aligned)
        case .movntq:
            try mmxCheck()
            let v = mm(Int(ins.op1.register.number))
            try writeOperand(ins, 0, v)
            mmxTransition()
        case .movss, .movsd:
            // MOVSD (F2 0F 10/11); the string MOVSD never comes here.
            try sseCheck()
            let size = ins.mnemonic == .movss ? 4 : 8
            if ins.op0.kind == .memory {
                try writeOperand(ins, 0, xmm(Int(ins.op1.register.number)).lo & sizeMask(UInt8(size)))
            } else if ins.op1.kind == .memory {
                setXMM(Int(ins.op0.register.number), Vec(lo: try readOperand(ins, 1), hi: 0))
            } else {
                let n = Int(ins.op0.register.number)
                var d = xmm(n)
                let s = xmm(Int(ins.op1.register.number))
                if size == 4 { var dd = d.d; dd[0] = s.d[0]; d = vec(dd) } else { var dq = d.q; dq[0] = s.q[0]; d = vec(dq) }
                setXMM(n, d)
            }
        case .movlps, .movlpd, .movhps, .movhpd:
            try sseCheck()
            let high = ins.mnemonic == .movhps || ins.mnemonic == .movhpd
            if ins.op0.kind == .memory {
                let s = xmm(Int(ins.op1.register.number))
                try writeOperand(ins, 0, high ? s.hi : s.lo)
            } else {
                let n = Int(ins.op0.register.number)
                let v = try readOperand(ins, 1)
                var q = xmm(n).q
                q[high ? 1 : 0] = v
                setXMM(n, vec(q))
            }
        case .movhlps, .movlhps:
            try sseCheck()
            let n = Int(ins.op0.register.number)
            let s = xmm(Int(ins.op1.register.number))
            var q = xmm(n).q
            if ins.mnemonic == .movhlps { q[0] = s.hi } else { q[1] = s.lo }
            setXMM(n, vec(q))
        case .movsldup, .movshdup, .movddup:
            try sseCheck()
            let b = try vectorOperand(ins, 1, aligned: true)
            let r: Vec
            switch ins.mnemonic {
            case .movsldup: r = vec(SIMD4<UInt32>(b.d[0], b.d[0], b.d[2], b.d[2]))
            case .movshdup: r = vec(SIMD4<UInt32>(b.d[1], b.d[1], b.d[3], b.d[3]))
            default: r = Vec(lo: b.lo, hi: b.lo)
            }
            setXMM(Int(ins.op0.register.number), r)
        case .maskmovq, .maskmovdqu:
            let mmx = ins.mnemonic == .maskmovq
            if mmx { try mmxCheck() } else { try sseCheck() }
            let data = try vectorOperand(ins, 1, aligned: false)
            let mask = try vectorOperand(ins, 2, aligned: false)
            let seg = segmentIndex(ins.memory.segment)
            let ea = effectiveAddress(ins)
            let addressMask = sizeMask(ins.addressSize)
            if mmx { mmxTransition() }
            for i in 0..<(mmx ? 8 : 16) where mask[i] & 0x80 != 0 {
                try write(seg, (ea &+ UInt64(i)) & addressMask, 1, UInt64(data[i]))
            }
        case .movnti:
            try writeOperand(ins, 0, try readOperand(ins, 1))

        // MARK: Masks, extracts and inserts
        case .pmovmskb, .movmskps, .movmskpd:
            let source = ins.op1.register
            if source.isMMX { try mmxCheck() } else { try sseCheck() }
            let v = try vectorOperand(ins, 1, aligned: false)
            var bits: UInt64 = 0
            switch ins.mnemonic {
            case .pmovmskb: for i in 0..<(source.isMMX ? 8 : 16) { bits |= UInt64(v[i] >> 7) << UInt64(i) }
            case .movmskps: for i in 0..<4 { bits |= UInt64(v.d[i] >> 31) << UInt64(i) }
            default: for i in 0..<2 { bits |= (v.q[i] >> 63) << UInt64(i) }
            }
            if source.isMMX { mmxTransition() }
            writeRegister(ins.op0.register, bits)
        case .pextrw, .pextrb, .pextrd, .pextrq, .extractps:
            let source = ins.op1.register
            if source.isMMX { try mmxCheck() } else { try sseCheck() }
            let v = try vectorOperand(ins, 1, aligned: false)
            let imm = Int(ins.immediate & 0xFF)
            let value: UInt64
            switch ins.mnemonic {
            case .pextrb: value = UInt64(v[imm & 15])
            case .pextrw: value = UInt64(v.w[imm & (source.isMMX ? 3 : 7)])
            case .pextrd, .extractps: value = UInt64(v.d[imm & 3])
            default: value = v.q[imm & 1]
            }
            try writeOperand(ins, 0, value)
            if source.isMMX { mmxTransition() }
        case .pinsrw, .pinsrb, .pinsrd, .pinsrq:
            let dst = ins.op0.register
            if dst.isMMX { try mmxCheck() } else { try sseCheck() }
            let value = try readOperand(ins, 1)
            let imm = Int(ins.immediate & 0xFF)
            let n = Int(dst.number)
            if dst.isMMX {
                var w = Vec(lo: mm(n), hi: 0).w
                w[imm & 3] = UInt16(truncatingIfNeeded: value)
                mmxTransition()
                setMM(n, vec(w).lo)
                return true
            }
            var v = xmm(n)
            switch ins.mnemonic {
            case .pinsrb: v[imm & 15] = UInt8(truncatingIfNeeded: value)
            case .pinsrw: var w = v.w; w[imm & 7] = UInt16(truncatingIfNeeded: value); v = vec(w)
            case .pinsrd: var d = v.d; d[imm & 3] = UInt32(truncatingIfNeeded: value); v = vec(d)
            default: var q = v.q; q[imm & 1] = value; v = vec(q)
            }
            setXMM(n, v)
        case .insertps:
            try sseCheck()
            let imm = Int(ins.immediate & 0xFF)
            let value: UInt32
            if ins.op1.kind == .memory {
                value = UInt32(truncatingIfNeeded: try readOperand(ins, 1))
            } else {
                value = xmm(Int(ins.op1.register.number)).d[(imm >> 6) & 3]
            }
            let n = Int(ins.op0.register.number)
            var d = xmm(n).d
            d[(imm >> 4) & 3] = value
            for i in 0..<4 where imm & (1 << i) != 0 { d[i] = 0 }
            setXMM(n, vec(d))

        // MARK: State, ordering and cache control
        case .emms:
            // Every MMX instruction sets TOP to 0, EMMS too (SDM Vol. 3, 12.2 and Table 12-2; measured on
            // the host), and EMMS empties the tags.
            try mmxCheck()
            core.pointee.cpu.fpu.statusWord &= ~0x3800
            core.pointee.cpu.fpu.tagWord = 0xFFFF
        case .lfence, .mfence, .sfence:
            break  // one instruction at a time: every access is already ordered
        case .clflush, .clflushopt:
            // No caches to flush; the address is checked as a read (SDM Vol. 2, CLFLUSH).
            let linear = try linearAddress(segmentIndex(ins.memory.segment), effectiveAddress(ins), 1, .read)
            try probePages(linear, 1, .read)
        case .crc32:
            let size = operandBytes(ins, 1)
            let v = try readOperand(ins, 1)
            let crc = Self.crc32c(UInt32(truncatingIfNeeded: readGPR(Int(ins.op0.register.number), size: 4)), v, bytes: Int(size))
            writeRegister(ins.op0.register, UInt64(crc))
        default:
            return false
        }
        return true
    }

    // MARK: - Operands

    /// Operand `i` as a vector: an XMM register, an MMX register (low 8 bytes), a general-purpose
    /// register (zero-extended), or memory of the operand's size (`aligned`: a 16-byte operand must be
    /// 16-byte aligned).
    @inline(__always) func vectorOperand(_ ins: Instruction, _ i: Int, aligned: Bool) throws(CPUException) -> Vec {
        let o = ins.operand(i)
        switch o.kind {
        case .register:
            let r = o.register
            if r.isXMM { return xmm(Int(r.rawValue &- Register.first_xmm)) }
            if r.isMMX { return Vec(lo: mm(Int(r.rawValue &- Register.first_mm)), hi: 0) }
            return Vec(lo: try readRegister(r), hi: 0)
        case .memory:
            return try readVectorMemory(ins, size: Int(o.size), aligned: aligned)
        default:
            throw .invalidOpcode
        }
    }

    /// Writes operand `i`: a whole XMM register, an MMX register (low 8 bytes, with the transition),
    /// a general-purpose register, or memory of the operand's size.
    @inline(__always) func setVectorOperand(_ ins: Instruction, _ i: Int, _ v: Vec, aligned: Bool) throws(CPUException) {
        let o = ins.operand(i)
        switch o.kind {
        case .register:
            let r = o.register
            if r.isXMM { setXMM(Int(r.rawValue &- Register.first_xmm), v) }
            else if r.isMMX { mmxTransition(); setMM(Int(r.rawValue &- Register.first_mm), v.lo) }
            else { writeRegister(r, v.lo) }
        case .memory:
            try writeVectorMemory(ins, size: Int(o.size), aligned: aligned, v)
        default:
            throw .invalidOpcode
        }
    }

    /// MOVD/MOVQ in all their forms (MMX, XMM, general registers, memory), MOVQ2DQ and MOVDQ2Q: the low
    /// 4 or 8 bytes of the source, zero-extended into an XMM destination.
    func simdMoveScalar(_ ins: Instruction) throws(CPUException) {
        let d = ins.op0.register, s = ins.op1.register
        let mmx = (ins.op0.kind == .register && d.isMMX) || (ins.op1.kind == .register && s.isMMX)
        let sse = (ins.op0.kind == .register && d.isXMM) || (ins.op1.kind == .register && s.isXMM)
        if sse { try sseCheck() }
        if mmx { if sse { try x87PendingCheck() } else { try mmxCheck() } }
        let size = ins.mnemonic == .movd ? 4 : 8
        let v = try vectorOperand(ins, 1, aligned: false).lo & sizeMask(UInt8(size))
        if mmx { mmxTransition() }
        if ins.op0.kind == .register && d.isXMM {
            setXMM(Int(d.rawValue &- Register.first_xmm), Vec(lo: v, hi: 0))
        } else if ins.op0.kind == .register && d.isMMX {
            setMM(Int(d.rawValue &- Register.first_mm), v)
        } else {
            try writeOperand(ins, 0, v)
        }
    }

    // MARK: - Lane arithmetic

    /// The binary (and unary-on-source) operations: destination register = op(destination, source).
    func simdBinary(_ ins: Instruction) throws(CPUException) {
        let dst = ins.op0.register
        let mmx = dst.isMMX
        if mmx { try mmxCheck() } else { try sseCheck() }
        let b = try vectorOperand(ins, 1, aligned: true)
        let n = Int(dst.number)
        let a = mmx ? Vec(lo: mm(n), hi: 0) : xmm(n)
        let r = simdCompute(ins.mnemonic, a, b, UInt8(truncatingIfNeeded: ins.immediate), width: mmx ? 8 : 16)
        if mmx {
            mmxTransition()
            setMM(n, r.lo)
        } else {
            setXMM(n, r)
        }
    }

    /// Shifts by an immediate (the register is both operands) or by the low 64 bits of a register or
    /// memory operand; PSRLDQ/PSLLDQ shift whole bytes.
    func simdShift(_ ins: Instruction) throws(CPUException) {
        let dst = ins.op0.register
        let mmx = dst.isMMX
        if mmx { try mmxCheck() } else { try sseCheck() }
        let count: UInt64
        if ins.op1.kind == .immediate {
            count = ins.immediate & 0xFF
        } else {
            count = try vectorOperand(ins, 1, aligned: true).lo
        }
        let n = Int(dst.number)
        let a = mmx ? Vec(lo: mm(n), hi: 0) : xmm(n)
        var r = Vec.zero
        switch ins.mnemonic {
        case .psrlw, .psllw:
            if count < 16 { r = vec(ins.mnemonic == .psrlw ? a.w &>> UInt16(count) : a.w &<< UInt16(count)) }
        case .psrld, .pslld:
            if count < 32 { r = vec(ins.mnemonic == .psrld ? a.d &>> UInt32(count) : a.d &<< UInt32(count)) }
        case .psrlq, .psllq:
            if count < 64 { r = vec(ins.mnemonic == .psrlq ? a.q &>> count : a.q &<< count) }
        case .psraw: r = vec(a.sw &>> Int16(min(count, 15)))
        case .psrad: r = vec(a.sd &>> Int32(min(count, 31)))
        case .psrldq:
            let bits = count < 16 ? count &* 8 : 128
            if bits == 0 { r = a }
            else if bits < 64 { r = Vec(lo: (a.lo >> bits) | (a.hi << (64 &- bits)), hi: a.hi >> bits) }
            else if bits < 128 { r = Vec(lo: a.hi >> (bits &- 64), hi: 0) }
        default:  // pslldq
            let bits = count < 16 ? count &* 8 : 128
            if bits == 0 { r = a }
            else if bits < 64 { r = Vec(lo: a.lo << bits, hi: (a.hi << bits) | (a.lo >> (64 &- bits))) }
            else if bits < 128 { r = Vec(lo: 0, hi: a.lo << (bits &- 64)) }
        }
        if mmx {
            mmxTransition()
            setMM(n, r.lo)
        } else {
            setXMM(n, r)
        }
    }

    /// The result of a lane operation on `a` (destination) and `b` (source). `width` is 8 for MMX
    /// registers (the operands' high halves are zero and the result's is dropped), 16 for XMM.
    func simdCompute(_ m: Mnemonic, _ a: Vec, _ b: Vec, _ imm: UInt8, width: Int) -> Vec {
        switch m {
        // Wrapping and saturating add/subtract
        case .paddb: return a &+ b
        case .paddw: return vec(a.w &+ b.w)
        case .paddd: return vec(a.d &+ b.d)
        case .paddq: return vec(a.q &+ b.q)
        case .psubb: return a &- b
        case .psubw: return vec(a.w &- b.w)
        case .psubd: return vec(a.d &- b.d)
        case .psubq: return vec(a.q &- b.q)
        case .paddsb: return byteLanes { saturateS8(Int(a.sb[$0]) + Int(b.sb[$0])) }
        case .psubsb: return byteLanes { saturateS8(Int(a.sb[$0]) - Int(b.sb[$0])) }
        case .paddusb: return byteLanes { saturateU8(Int(a[$0]) + Int(b[$0])) }
        case .psubusb: return byteLanes { saturateU8(Int(a[$0]) - Int(b[$0])) }
        case .paddsw: return wordLanes { saturateS16(Int(a.sw[$0]) + Int(b.sw[$0])) }
        case .psubsw: return wordLanes { saturateS16(Int(a.sw[$0]) - Int(b.sw[$0])) }
        case .paddusw: return wordLanes { saturateU16(Int(a.w[$0]) + Int(b.w[$0])) }
        case .psubusw: return wordLanes { saturateU16(Int(a.w[$0]) - Int(b.w[$0])) }

        // Multiplies
        case .pmullw: return vec(a.w &* b.w)
        case .pmulhw: return wordLanes { UInt16(truncatingIfNeeded: (Int32(a.sw[$0]) * Int32(b.sw[$0])) >> 16) }
        case .pmulhuw: return wordLanes { UInt16(truncatingIfNeeded: (UInt32(a.w[$0]) * UInt32(b.w[$0])) >> 16) }
        case .pmulhrsw:
            return wordLanes { UInt16(truncatingIfNeeded: (((Int32(a.sw[$0]) * Int32(b.sw[$0])) >> 14) + 1) >> 1) }
        case .pmuludq: return vec(SIMD2<UInt64>(UInt64(a.d[0]) &* UInt64(b.d[0]), UInt64(a.d[2]) &* UInt64(b.d[2])))
        case .pmuldq:
            return vec(SIMD2<Int64>(Int64(a.sd[0]) &* Int64(b.sd[0]), Int64(a.sd[2]) &* Int64(b.sd[2])))
        case .pmulld: return vec(a.d &* b.d)
        case .pmaddwd:
            var r = SIMD4<UInt32>()
            for i in 0..<4 {
                let s = Int32(a.sw[2 * i]) &* Int32(b.sw[2 * i]) &+ Int32(a.sw[2 * i + 1]) &* Int32(b.sw[2 * i + 1])
                r[i] = UInt32(bitPattern: s)
            }
            return vec(r)
        case .pmaddubsw:
            return wordLanes { i in
                saturateS16(Int(a[2 * i]) * Int(b.sb[2 * i]) + Int(a[2 * i + 1]) * Int(b.sb[2 * i + 1]))
            }

        // Compares (all-ones where true)
        case .pcmpeqb: return Vec.zero.replacing(with: 0xFF, where: a .== b)
        case .pcmpeqw: return vec(SIMD8<UInt16>.zero.replacing(with: 0xFFFF, where: a.w .== b.w))
        case .pcmpeqd: return vec(SIMD4<UInt32>.zero.replacing(with: ~0, where: a.d .== b.d))
        case .pcmpeqq: return vec(SIMD2<UInt64>.zero.replacing(with: ~0, where: a.q .== b.q))
        case .pcmpgtb: return Vec.zero.replacing(with: 0xFF, where: a.sb .> b.sb)
        case .pcmpgtw: return vec(SIMD8<UInt16>.zero.replacing(with: 0xFFFF, where: a.sw .> b.sw))
        case .pcmpgtd: return vec(SIMD4<UInt32>.zero.replacing(with: ~0, where: a.sd .> b.sd))
        case .pcmpgtq: return vec(SIMD2<UInt64>.zero.replacing(with: ~0, where: a.sq .> b.sq))

        // Bitwise (the packed-float forms are bit operations too)
        case .pand, .andps, .andpd: return a & b
        case .pandn, .andnps, .andnpd: return ~a & b
        case .por, .orps, .orpd: return a | b
        case .pxor, .xorps, .xorpd: return a ^ b

        // Minimum, maximum, average, sums of differences
        case .pminub: return pointwiseMin(a, b)
        case .pmaxub: return pointwiseMax(a, b)
        case .pminsb: return vec(pointwiseMin(a.sb, b.sb))
        case .pmaxsb: return vec(pointwiseMax(a.sb, b.sb))
        case .pminuw: return vec(pointwiseMin(a.w, b.w))
        case .pmaxuw: return vec(pointwiseMax(a.w, b.w))
        case .pminsw: return vec(pointwiseMin(a.sw, b.sw))
        case .pmaxsw: return vec(pointwiseMax(a.sw, b.sw))
        case .pminud: return vec(pointwiseMin(a.d, b.d))
        case .pmaxud: return vec(pointwiseMax(a.d, b.d))
        case .pminsd: return vec(pointwiseMin(a.sd, b.sd))
        case .pmaxsd: return vec(pointwiseMax(a.sd, b.sd))
        case .pavgb: return byteLanes { UInt8(truncatingIfNeeded: (UInt16(a[$0]) + UInt16(b[$0]) + 1) >> 1) }
        case .pavgw: return wordLanes { UInt16(truncatingIfNeeded: (UInt32(a.w[$0]) + UInt32(b.w[$0]) + 1) >> 1) }
        case .psadbw:
            var q = SIMD2<UInt64>()
            for g in 0..<2 {
                var sum: UInt64 = 0
                for j in 0..<8 {
                    let x = Int(a[g * 8 + j]), y = Int(b[g * 8 + j])
                    sum += UInt64(abs(x - y))
                }
                q[g] = sum
            }
            return vec(q)
        case .mpsadbw:
            let sourceOffset = Int(imm & 3) * 4
            let destinationOffset = Int((imm >> 2) & 1) * 4
            return wordLanes { i in
                var sum = 0
                for j in 0..<4 { sum += abs(Int(a[destinationOffset + i + j]) - Int(b[sourceOffset + j])) }
                return UInt16(sum)
            }
        case .phminposuw:
            var index = 0
            for i in 1..<8 where b.w[i] < b.w[index] { index = i }
            return vec(SIMD8<UInt16>(b.w[index], UInt16(index), 0, 0, 0, 0, 0, 0))

        // Packs (destination elements in the low half, source in the high half)
        case .packsswb:
            let half = width / 2
            return byteLanes { i in i < half ? saturateS8(Int(a.sw[i])) : i < width ? saturateS8(Int(b.sw[i - half])) : 0 }
        case .packuswb:
            let half = width / 2
            return byteLanes { i in i < half ? saturateU8(Int(a.sw[i])) : i < width ? saturateU8(Int(b.sw[i - half])) : 0 }
        case .packssdw:
            let half = width / 4
            return wordLanes { i in i < half ? saturateS16(Int(a.sd[i])) : i < width / 2 ? saturateS16(Int(b.sd[i - half])) : 0 }
        case .packusdw:
            return wordLanes { i in i < 4 ? saturateU16(Int(a.sd[i])) : saturateU16(Int(b.sd[i - 4])) }

        // Interleaves
        case .punpcklbw, .punpckhbw:
            let base = m == .punpckhbw ? width / 2 : 0
            return byteLanes { i in i & 1 == 0 ? a[base + i / 2] : b[base + i / 2] }
        case .punpcklwd, .punpckhwd:
            let base = m == .punpckhwd ? width / 4 : 0
            return wordLanes { i in i & 1 == 0 ? a.w[base + i / 2] : b.w[base + i / 2] }
        case .punpckldq, .punpckhdq, .unpcklps, .unpckhps:
            let base = m == .punpckhdq || m == .unpckhps ? width / 8 : 0
            var r = SIMD4<UInt32>()
            for i in 0..<4 { r[i] = i & 1 == 0 ? a.d[base + i / 2] : b.d[base + i / 2] }
            return vec(r)
        case .punpcklqdq, .unpcklpd: return Vec(lo: a.lo, hi: b.lo)
        case .punpckhqdq, .unpckhpd: return Vec(lo: a.hi, hi: b.hi)

        // SSSE3
        case .pshufb:
            return byteLanes { i in b[i] & 0x80 != 0 ? 0 : a[Int(b[i]) & (width - 1)] }
        case .phaddw, .phsubw, .phaddsw, .phsubsw:
            let half = width / 4
            return wordLanes { i in
                if i >= width / 2 { return 0 }
                let s = i < half ? a : b
                let k = (i < half ? i : i - half) * 2
                let x = Int(s.sw[k]), y = Int(s.sw[k + 1])
                switch m {
                case .phaddw: return UInt16(truncatingIfNeeded: x + y)
                case .phsubw: return UInt16(truncatingIfNeeded: x - y)
                case .phaddsw: return saturateS16(x + y)
                default: return saturateS16(x - y)
                }
            }
        case .phaddd, .phsubd:
            let half = width / 8
            var r = SIMD4<UInt32>()
            for i in 0..<(width / 4) {
                let s = i < half ? a : b
                let k = (i < half ? i : i - half) * 2
                r[i] = m == .phaddd ? s.d[k] &+ s.d[k + 1] : s.d[k] &- s.d[k + 1]
            }
            return vec(r)
        case .psignb:
            return byteLanes { i in b.sb[i] < 0 ? 0 &- a[i] : b.sb[i] == 0 ? 0 : a[i] }
        case .psignw:
            return wordLanes { i in b.sw[i] < 0 ? 0 &- a.w[i] : b.sw[i] == 0 ? 0 : a.w[i] }
        case .psignd:
            var r = SIMD4<UInt32>()
            for i in 0..<4 { r[i] = b.sd[i] < 0 ? 0 &- a.d[i] : b.sd[i] == 0 ? 0 : a.d[i] }
            return vec(r)
        case .pabsb: return vec(b.sb.replacing(with: 0 &- b.sb, where: b.sb .< 0))
        case .pabsw: return vec(b.sw.replacing(with: 0 &- b.sw, where: b.sw .< 0))
        case .pabsd: return vec(b.sd.replacing(with: 0 &- b.sd, where: b.sd .< 0))
        case .palignr:
            // (destination : source) shifted right by imm bytes; the low `width` bytes.
            let shift = Int(imm)
            return byteLanes { i in
                guard i < width else { return 0 }
                let k = i + shift
                return k < width ? b[k] : k < 2 * width ? a[k - width] : 0
            }

        // Shuffles
        case .pshufw:
            return wordLanes { i in i < 4 ? b.w[Int(imm >> UInt8(2 * i)) & 3] : 0 }
        case .pshufd:
            var r = SIMD4<UInt32>()
            for i in 0..<4 { r[i] = b.d[Int(imm >> UInt8(2 * i)) & 3] }
            return vec(r)
        case .pshuflw:
            return wordLanes { i in i < 4 ? b.w[Int(imm >> UInt8(2 * i)) & 3] : b.w[i] }
        case .pshufhw:
            return wordLanes { i in i < 4 ? b.w[i] : b.w[4 + Int(imm >> UInt8(2 * (i - 4))) & 3] }
        case .shufps:
            return vec(SIMD4<UInt32>(a.d[Int(imm) & 3], a.d[Int(imm >> 2) & 3], b.d[Int(imm >> 4) & 3], b.d[Int(imm >> 6) & 3]))
        case .shufpd:
            return Vec(lo: a.q[Int(imm) & 1], hi: b.q[Int(imm >> 1) & 1])

        // Blends
        case .pblendw: return wordLanes { i in imm & (1 << UInt8(i)) != 0 ? b.w[i] : a.w[i] }
        case .blendps:
            var r = a.d
            for i in 0..<4 where imm & (1 << UInt8(i)) != 0 { r[i] = b.d[i] }
            return vec(r)
        case .blendpd: return Vec(lo: imm & 1 != 0 ? b.lo : a.lo, hi: imm & 2 != 0 ? b.hi : a.hi)
        case .pblendvb:
            let mask = xmm(0)
            return byteLanes { i in mask[i] & 0x80 != 0 ? b[i] : a[i] }
        case .blendvps:
            let mask = xmm(0)
            var r = a.d
            for i in 0..<4 where mask.d[i] >> 31 != 0 { r[i] = b.d[i] }
            return vec(r)
        case .blendvpd:
            let mask = xmm(0)
            return Vec(lo: mask.lo >> 63 != 0 ? b.lo : a.lo, hi: mask.hi >> 63 != 0 ? b.hi : a.hi)

        // Sign and zero extension (the source is the low bytes of a register or a short memory operand)
        case .pmovsxbw: return wordLanes { UInt16(bitPattern: Int16(b.sb[$0])) }
        case .pmovzxbw: return wordLanes { UInt16(b[$0]) }
        case .pmovsxbd:
            var r = SIMD4<UInt32>(); for i in 0..<4 { r[i] = UInt32(bitPattern: Int32(b.sb[i])) }; return vec(r)
        case .pmovzxbd:
            var r = SIMD4<UInt32>(); for i in 0..<4 { r[i] = UInt32(b[i]) }; return vec(r)
        case .pmovsxbq: return vec(SIMD2<Int64>(Int64(b.sb[0]), Int64(b.sb[1])))
        case .pmovzxbq: return Vec(lo: UInt64(b[0]), hi: UInt64(b[1]))
        case .pmovsxwd:
            var r = SIMD4<UInt32>(); for i in 0..<4 { r[i] = UInt32(bitPattern: Int32(b.sw[i])) }; return vec(r)
        case .pmovzxwd:
            var r = SIMD4<UInt32>(); for i in 0..<4 { r[i] = UInt32(b.w[i]) }; return vec(r)
        case .pmovsxwq: return vec(SIMD2<Int64>(Int64(b.sw[0]), Int64(b.sw[1])))
        case .pmovzxwq: return Vec(lo: UInt64(b.w[0]), hi: UInt64(b.w[1]))
        case .pmovsxdq: return vec(SIMD2<Int64>(Int64(b.sd[0]), Int64(b.sd[1])))
        case .pmovzxdq: return Vec(lo: UInt64(b.d[0]), hi: UInt64(b.d[1]))

        // AES-NI and carry-less multiplication
        case .aesenc: return AES.encryptRound(a, key: b, last: false)
        case .aesenclast: return AES.encryptRound(a, key: b, last: true)
        case .aesdec: return AES.decryptRound(a, key: b, last: false)
        case .aesdeclast: return AES.decryptRound(a, key: b, last: true)
        case .aesimc: return AES.inverseMixColumns(b)
        case .aeskeygenassist: return AES.keyGenAssist(b, rcon: imm)
        case .pclmulqdq:
            let (lo, hi) = carrylessMultiply(a.q[Int(imm) & 1], b.q[Int(imm >> 4) & 1])
            return Vec(lo: lo, hi: hi)
        default:
            return .zero
        }
    }

    @inline(__always) func byteLanes(_ f: (Int) -> UInt8) -> Vec {
        var r = Vec()
        for i in 0..<16 { r[i] = f(i) }
        return r
    }

    @inline(__always) func wordLanes(_ f: (Int) -> UInt16) -> Vec {
        var r = SIMD8<UInt16>()
        for i in 0..<8 { r[i] = f(i) }
        return vec(r)
    }
}

/// PCLMULQDQ: the 128-bit carry-less product of two 64-bit values.
func carrylessMultiply(_ x: UInt64, _ y: UInt64) -> (UInt64, UInt64) {
    var lo: UInt64 = 0, hi: UInt64 = 0
    for i in 0..<64 where (y >> UInt64(i)) & 1 != 0 {
        lo ^= x << UInt64(i)
        if i > 0 { hi ^= x >> UInt64(64 - i) }
    }
    return (lo, hi)
}
