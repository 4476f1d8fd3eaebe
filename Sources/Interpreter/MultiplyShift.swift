import X86Decoder
import X86ISA

extension Interpreter {
    /// MUL, IMUL (one-, two- and three-operand), DIV, IDIV (SDM Vol. 2).
    func multiplyDivide(_ ins: Instruction) throws(CPUException) {
        let m = ins.mnemonic
        if m == .imul && ins.operandCount >= 2 {
            // IMUL r, r/m [, imm]: truncated signed product; CF = OF = the product did not fit.
            let size = operandBytes(ins, 0)
            let a = signExtend(try readOperand(ins, ins.operandCount == 3 ? 1 : 0), size)
            let b = signExtend(try readOperand(ins, ins.operandCount == 3 ? 2 : 1), size)
            let (hi, lo) = Int64(bitPattern: a).multipliedFullWidth(by: Int64(bitPattern: b))
            let r = lo & sizeMask(size)
            let fits: Bool
            if size == 8 { fits = (hi == 0 && Int64(bitPattern: lo) >= 0) || (hi == -1 && Int64(bitPattern: lo) < 0) } else { fits = signExtend(r, size) == lo }
            try writeOperand(ins, 0, r)
            setMultiplyFlags(overflow: !fits, result: r, size: size)
            return
        }
        let size = operandBytes(ins, 0)
        let src = try readOperand(ins, 0)
        let mask = sizeMask(size)
        let bits = UInt64(size) * 8
        switch m {
        case .mul, .imul:
            let a = size == 1 ? gpr[0] & 0xFF : readGPR(0, size: size)
            var hi: UInt64, lo: UInt64
            var overflow: Bool
            if m == .mul {
                let p = a.multipliedFullWidth(by: src)
                if size == 8 { hi = p.high; lo = p.low } else { lo = p.low & mask; hi = (p.low >> bits) & mask }
                overflow = hi != 0
            } else {
                let p = Int64(bitPattern: signExtend(a, size)).multipliedFullWidth(by: Int64(bitPattern: signExtend(src, size)))
                if size == 8 {
                    hi = UInt64(bitPattern: p.high); lo = p.low
                    overflow = p.high != (Int64(bitPattern: lo) < 0 ? -1 : 0)
                } else {
                    lo = p.low & mask; hi = (p.low >> bits) & mask
                    overflow = signExtend(lo, size) != p.low
                }
            }
            if model == .i8086 && m == .imul && (ins.prefixes.contains(.rep) || ins.prefixes.contains(.repne)) {
                // 8086 quirk: a REP prefix negates the product of IMUL, as of IDIV: it sets the
                // microcode's sign flip-flop, which only the signed paths use (reenigne's 8086
                // microcode analysis; untested by SingleStepTests, whose MUL/IMUL files have no REP).
                let full = size == 8 ? lo : (hi << bits) | lo
                let neg = 0 &- full
                lo = neg & mask
                hi = size == 8 ? 0 &- hi : (neg >> bits) & mask
            }
            if size == 1 {
                writeGPR(0, size: 2, (hi << 8) | lo)
            } else {
                writeGPR(0, size: size, lo)
                writeGPR(2, size: size, hi)
            }
            setMultiplyFlags(overflow: overflow, result: lo, size: size)
        default:
            // DIV/IDIV: #DE on a zero divisor or a quotient that does not fit (SDM Vol. 2, DIV).
            if src == 0 { throw .divideError }
            let hiIn: UInt64 = size == 1 ? (gpr[0] >> 8) & 0xFF : readGPR(2, size: size)
            let loIn: UInt64 = size == 1 ? gpr[0] & 0xFF : readGPR(0, size: size)
            var q: UInt64, r: UInt64
            if m == .div {
                if size == 8 {
                    if hiIn >= src { throw .divideError }
                    let (qq, rr) = src.dividingFullWidth((hiIn, loIn))
                    q = qq; r = rr
                } else {
                    let dividend = (hiIn << bits) | loIn
                    q = dividend / src
                    r = dividend % src
                    if q > mask { throw .divideError }
                }
            } else {
                let divisor = Int64(bitPattern: signExtend(src, size))
                if size == 8 {
                    // 128-by-64 signed division.
                    let negDividend = Int64(bitPattern: hiIn) < 0
                    var dh = hiIn, dl = loIn
                    if negDividend { dl = 0 &- loIn; dh = ~hiIn &+ (loIn == 0 ? 1 : 0) }
                    let mag = divisor < 0 ? UInt64(bitPattern: 0 &- divisor) : UInt64(divisor)
                    if dh >= mag { throw .divideError }
                    let (uq, ur) = mag.dividingFullWidth((dh, dl))
                    let negQ = negDividend != (divisor < 0)
                    if negQ ? uq > (1 << 63) : uq > UInt64(Int64.max) { throw .divideError }
                    q = negQ ? 0 &- uq : uq
                    r = negDividend ? 0 &- ur : ur
                } else {
                    let dividend = Int64(bitPattern: signExtend((hiIn << bits) | loIn, size * 2))
                    let qi = dividend / divisor
                    let ri = dividend % divisor
                    let maxQ = Int64(mask >> 1)
                    let minQ = model == .i8086 ? -maxQ : -maxQ - 1
                    if qi > maxQ || qi < minQ { throw .divideError }
                    q = UInt64(bitPattern: qi) & mask
                    r = UInt64(bitPattern: ri) & mask
                    if model == .i8086 && (ins.prefixes.contains(.rep) || ins.prefixes.contains(.repne)) {
                        q = (0 &- q) & mask  // 8086 quirk: a REP prefix negates the quotient of IDIV
                    }
                }
            }
            if size == 1 {
                writeGPR(0, size: 2, ((r & 0xFF) << 8) | (q & 0xFF))
            } else {
                writeGPR(0, size: size, q)
                writeGPR(2, size: size, r)
            }
        }
    }

    /// CF = OF = overflow; SF, ZF, PF from the low half (undefined architecturally).
    func setMultiplyFlags(overflow: Bool, result: UInt64, size: UInt8) {
        setFlags(.logic, size, 0, 0, result)
        commitFlags()
        if overflow { core.pointee.cpu.rflags |= 0x801 } else { core.pointee.cpu.rflags &= ~0x801 }
    }

    /// ROL ROR RCL RCR SHL/SAL SHR SAR by 1, CL or imm8 (SDM Vol. 2, SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR).
    func shiftRotate(_ ins: Instruction) throws(CPUException) {
        let size = operandBytes(ins, 0)
        let bits = UInt64(size) * 8
        let mask = sizeMask(size)
        var count = try readOperand(ins, 1) & 0xFF
        if model != .i8086 { count &= size == 8 ? 0x3F : 0x1F }
        if model == .i8086 && ins.mnemonic == .sal {
            // 8086 D0-D3 /6: SETMO/SETMOC, which set the operand to all ones (unless CL = 0) and
            // the flags as OR with all ones would.
            if count == 0 { return }
            try writeOperand(ins, 0, mask)
            setFlags(.logic, size, 0, 0, mask)
            return
        }
        // The operand is read even when the count is zero: a memory operand can still fault.
        let v = try readOperand(ins, 0)
        if count == 0 {
            // Flags and value unchanged, but a 32-bit register is still written: in 64-bit mode that
            // clears bits 63:32 (SDM Vol. 1, 3.4.1.1).
            if size == 4 && ins.op0.kind == .register { try writeOperand(ins, 0, v) }
            return
        }
        commitFlags()
        var f = core.pointee.cpu.rflags
        var r: UInt64 = v
        var cf = f & 1 != 0
        var of = f & 0x800 != 0
        let top = { (x: UInt64) -> Bool in (x >> (bits - 1)) & 1 != 0 }
        var setsSZP = false
        switch ins.mnemonic {
        case .rol:
            let n = count % bits
            r = n == 0 ? v : ((v << n) | (v >> (bits - n))) & mask
            cf = r & 1 != 0
            of = top(r) != cf
        case .ror:
            let n = count % bits
            r = n == 0 ? v : ((v >> n) | (v << (bits - n))) & mask
            cf = top(r)
            of = top(r) != ((r >> (bits - 2)) & 1 != 0)
        case .rcl:
            var x = v
            var c = cf
            let n = model == .i8086 ? count : count % (bits + 1)
            for _ in 0..<n {
                let out = top(x)
                x = ((x << 1) | (c ? 1 : 0)) & mask
                c = out
            }
            r = x; cf = c
            of = top(r) != cf
        case .rcr:
            var x = v
            var c = cf
            // The 8086 and 80286 rotate one bit per step for the whole count and leave OF as the
            // last step set it; later processors reduce the count modulo width + 1 and define OF
            // only for a count of 1 (from the operand before the rotation).
            let legacy = model != .x86_64
            let n = legacy ? count : count % (bits + 1)
            of = top(x) != c
            for _ in 0..<n {
                if legacy { of = top(x) != c }
                let out = x & 1 != 0
                x = (x >> 1) | (c ? 1 << (bits - 1) : 0)
                c = out
            }
            r = x; cf = c
        case .shl, .sal:
            r = count >= 64 ? 0 : (v << count) & mask
            cf = count <= bits ? (v >> (bits - count)) & 1 != 0 : false
            of = top(r) != cf
            setsSZP = true
        case .shr:
            r = count >= 64 ? 0 : v >> count
            cf = count <= bits ? (v >> (count - 1)) & 1 != 0 : false
            // OF is the sign of the operand before the (last) one-bit step: the 8086 and 80286
            // shift bit by bit, so a count above 1 leaves OF clear.
            of = model == .x86_64 || count == 1 ? top(v) : false
            setsSZP = true
        default:  // sar
            let sv = Int64(bitPattern: signExtend(v, size))
            let n = min(count, 63)
            r = UInt64(bitPattern: sv >> n) & mask
            cf = (sv >> (n - 1)) & 1 != 0
            of = false
            setsSZP = true
        }
        try writeOperand(ins, 0, r)
        f = (f & ~0x801) | (cf ? 1 : 0) | (of ? 0x800 : 0)
        if setsSZP {
            f &= ~0xD4
            if r & mask == 0 { f |= 0x40 }
            if top(r) { f |= 0x80 }
            if (r & 0xFF).nonzeroBitCount & 1 == 0 { f |= 4 }
            if model == .i8086 || count > 0 { f |= 0x10 & (model == .x86_64 ? 0 : 0x10) }
        }
        core.pointee.cpu.rflags = f
    }

    /// DAA DAS AAA AAS AAM AAD (SDM Vol. 2).
    func decimalAdjust(_ ins: Instruction) throws(CPUException) {
        commitFlags()
        var f = core.pointee.cpu.rflags
        var al = gpr[0] & 0xFF
        var ah = (gpr[0] >> 8) & 0xFF
        let oldAL = al
        let oldCF = f & 1 != 0
        let af = f & 0x10 != 0
        func szp(_ v: UInt64) {
            f &= ~0xC4
            if v & 0xFF == 0 { f |= 0x40 }
            if v & 0x80 != 0 { f |= 0x80 }
            if (v & 0xFF).nonzeroBitCount & 1 == 0 { f |= 4 }
        }
        switch ins.mnemonic {
        case .daa, .das:
            // The 8086 compares AL with 9Fh instead of 99h when AF was set, and takes CF only from
            // the high-digit step (its microcode; SingleStepTests 27, 2F).
            let isDAA = ins.mnemonic == .daa
            var cf = false
            if al & 0xF > 9 || af {
                al = (isDAA ? al &+ 6 : al &- 6) & 0xFF
                if model != .i8086 { cf = oldCF || (isDAA ? oldAL > 0xF9 : oldAL < 6) }
                f |= 0x10
            } else {
                f &= ~0x10
            }
            let limit: UInt64 = model == .i8086 && af ? 0x9F : 0x99
            if oldAL > limit || oldCF { al = (isDAA ? al &+ 0x60 : al &- 0x60) & 0xFF; cf = true }
            f = cf ? f | 1 : f & ~1
            szp(al)
            writeGPR(0, size: 1, al)
        case .aaa, .aas:
            if al & 0xF > 9 || af {
                // The 8086 adjusts AL alone; later processors adjust AX, so a carry or borrow out of
                // AL reaches AH (SDM Vol. 2, AAA: "AX <- AX + 106H").
                if ins.mnemonic == .aaa {
                    if model == .i8086 { al = al &+ 6; ah = ah &+ 1 } else {
                        let ax = ((ah << 8) | al) &+ 0x106
                        al = ax & 0xFF; ah = (ax >> 8) & 0xFF
                    }
                } else {
                    if model == .i8086 { al = al &- 6; ah = ah &- 1 } else {
                        let ax = (((ah << 8) | al) &- 6) & 0xFFFF
                        al = ax & 0xFF; ah = ((ax >> 8) &- 1) & 0xFF
                    }
                }
                f |= 0x11
            } else {
                f &= ~0x11
            }
            szp(al)
            writeGPR(0, size: 2, ((ah & 0xFF) << 8) | (al & 0x0F))
        case .aam:
            let base = ins.immediate & 0xFF
            if base == 0 {
                // The 8086's division microcode leaves SF/ZF/PF as for a zero result before the #DE.
                if model == .i8086 { szp(0); core.pointee.cpu.rflags = f }
                throw .divideError
            }
            ah = al / base
            al = al % base
            writeGPR(0, size: 2, (ah << 8) | al)
            f &= ~0x811
            szp(al)
        default:  // aad
            let base = ins.immediate & 0xFF
            let r = (al &+ ah &* base) & 0xFF
            writeGPR(0, size: 2, r)
            f &= ~0x811
            szp(r)
        }
        core.pointee.cpu.rflags = f
    }

    /// ENTER imm16, imm8 (SDM Vol. 2, ENTER).
    func enter(_ ins: Instruction) throws(CPUException) {
        let size = Int(ins.operandSize)
        let ss = stackAddressSize
        let allocation = ins.immediate & 0xFFFF
        let level = ins.immediate2 & 0x1F
        try push(readGPR(5, size: UInt8(size)), size: size)
        let frame = readGPR(4, size: ss)
        if level > 0 {
            var bp = readGPR(5, size: ss)
            for _ in 1..<level {
                bp = (bp &- UInt64(size)) & sizeMask(ss)
                try push(try read(2, bp, size), size: size)
            }
            try push(frame, size: size)
        }
        writeGPR(5, size: UInt8(size), frame)
        writeGPR(4, size: ss, (readGPR(4, size: ss) &- allocation) & sizeMask(ss))
    }
}
