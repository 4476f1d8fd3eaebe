import X86Decoder
import X86ISA

/// BMI1, BMI2 and ADX: the VEX-encoded general-purpose bit-manipulation instructions and the
/// carry-chain additions (Intel SDM Vol. 2; CPUID.(EAX=07H,ECX=0):EBX.BMI1[bit 3], .BMI2[bit 8],
/// .ADX[bit 19]). TZCNT (BMI1's F3 0F BC) and LZCNT share BSF/BSR's code in System.swift.
///
/// Operand size: 32 bits, or 64 with VEX.W = 1 (REX.W for ADCX/ADOX) in 64-bit mode; VEX.W is
/// ignored outside it. The decoder's `y` operands carry that size, so a 32-bit destination register
/// is zero-extended in 64-bit mode by `writeRegister`. The VEX forms raise #UD with VEX.L = 1 and in
/// real-address and virtual-8086 mode (SDM Vol. 2, 2.8, "Exceptions Type 13"); they do not depend
/// on CR4.OSXSAVE or XCR0, which gate only the vector state.
extension Interpreter {
    /// Executes ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX,
    /// ADCX or ADOX.
    func executeBitManipulation(_ ins: Instruction) throws(CPUException) {
        guard model == .x86_64 else { throw .invalidOpcode }
        if ins.prefixes.contains(.vex) {
            // Exceptions Type 13 (VEX-encoded GPR instructions): #UD in real and virtual-8086 mode
            // and with VEX.L = 1 (the decoder's L0 table lines already refuse the latter).
            if !protectedMode || ins.vexL != 0 { throw .invalidOpcode }
        }
        let size = operandBytes(ins, 0)
        let bits = UInt64(size) &* 8
        let mask = sizeMask(size)
        switch ins.mnemonic {
        case .andn:
            // ANDN r, vvvv, r/m: DEST := ~SRC1 AND SRC2. SF, ZF from the result; CF = OF = 0;
            // AF, PF undefined (here: AF = 0, PF from the result, as a logical operation).
            let src1 = try readOperand(ins, 1), src2 = try readOperand(ins, 2)
            let r = ~src1 & src2 & mask
            writeRegister(ins.op0.register, r)
            setFlags(.logic, size, 0, 0, r)
        case .bextr:
            // BEXTR r, r/m, vvvv: START = SRC2[7:0], LEN = SRC2[15:8]; bits past the operand read as 0.
            // ZF from the result; CF = OF = 0; AF, SF, PF undefined (here: AF = 0, SF and PF from the result).
            let src1 = try readOperand(ins, 1), control = try readOperand(ins, 2)
            let start = control & 0xFF, length = (control >> 8) & 0xFF
            var r: UInt64 = start < bits ? src1 >> start : 0
            if length < 64 { r &= (1 << length) &- 1 }
            r &= mask
            writeRegister(ins.op0.register, r)
            setFlags(.logic, size, 0, 0, r)
        case .blsi, .blsmsk, .blsr:
            // BLSI vvvv, r/m: (-SRC) AND SRC, CF = (SRC != 0).
            // BLSMSK: (SRC - 1) XOR SRC, CF = (SRC = 0), ZF = 0 (the result is never zero).
            // BLSR: (SRC - 1) AND SRC, CF = (SRC = 0).
            // SF, ZF from the result; OF = 0; AF, PF undefined (here: AF = 0, PF from the result).
            let src = try readOperand(ins, 1) & mask
            let r: UInt64
            let cf: Bool
            switch ins.mnemonic {
            case .blsi: r = (0 &- src) & src & mask; cf = src != 0
            case .blsmsk: r = ((src &- 1) ^ src) & mask; cf = src == 0
            default: r = ((src &- 1) & src) & mask; cf = src == 0
            }
            writeRegister(ins.op0.register, r)
            setFlags(.givenCarryOverflow, size, 0, 0, r, carryIn: cf ? 1 : 0)
        case .bzhi:
            // BZHI r, r/m, vvvv: N = SRC2[7:0]; clears bits N and up when N < the operand size.
            // CF = (N > operand size - 1); SF, ZF from the result; OF = 0; AF, PF undefined.
            let src = try readOperand(ins, 1), n = try readOperand(ins, 2) & 0xFF
            let r = n < bits ? src & ((1 << n) &- 1) : src & mask
            writeRegister(ins.op0.register, r)
            setFlags(.givenCarryOverflow, size, 0, 0, r, carryIn: n >= bits ? 1 : 0)
        case .mulx:
            // MULX r1, r2(vvvv), r/m: r1:r2 := EDX/RDX * SRC, unsigned, flags unaffected. The low
            // half is written first, so with r1 = r2 the high half wins.
            let src = try readOperand(ins, 2)
            let (high, low): (UInt64, UInt64)
            if size == 8 {
                (high, low) = gpr[2].multipliedFullWidth(by: src)
            } else {
                let p = (gpr[2] & 0xFFFF_FFFF) &* (src & 0xFFFF_FFFF)
                (high, low) = (p >> 32, p & 0xFFFF_FFFF)
            }
            writeRegister(ins.op1.register, low)
            writeRegister(ins.op0.register, high)
        case .pdep:
            // PDEP r, vvvv, r/m: deposits SRC1's low bits at the set bits of the mask SRC2; flags unaffected.
            let src = try readOperand(ins, 1), selector = try readOperand(ins, 2) & mask
            var r: UInt64 = 0, m = selector, k: UInt64 = 0
            while m != 0 {
                let low = m & (0 &- m)
                if src & (1 << k) != 0 { r |= low }
                m &= m &- 1
                k &+= 1
            }
            writeRegister(ins.op0.register, r)
        case .pext:
            // PEXT r, vvvv, r/m: gathers SRC1's bits at the set bits of the mask SRC2 into the low
            // bits; flags unaffected.
            let src = try readOperand(ins, 1), selector = try readOperand(ins, 2) & mask
            var r: UInt64 = 0, m = selector, k: UInt64 = 0
            while m != 0 {
                let low = m & (0 &- m)
                if src & low != 0 { r |= 1 << k }
                m &= m &- 1
                k &+= 1
            }
            writeRegister(ins.op0.register, r)
        case .rorx:
            // RORX r, r/m, imm8: rotate right by imm8 masked to 5 (6) bits; flags unaffected.
            let src = try readOperand(ins, 1) & mask
            let count = ins.immediate & (bits &- 1)
            let r = count == 0 ? src : ((src >> count) | (src << (bits &- count))) & mask
            writeRegister(ins.op0.register, r)
        case .sarx, .shlx, .shrx:
            // SARX/SHLX/SHRX r, r/m, vvvv: shift by SRC2 masked to 5 (6) bits; flags unaffected.
            let src = try readOperand(ins, 1) & mask
            let count = try readOperand(ins, 2) & (bits &- 1)
            let r: UInt64
            switch ins.mnemonic {
            case .shlx: r = (src << count) & mask
            case .shrx: r = src >> count
            default:
                let signed = Int64(bitPattern: signExtend(src, size))
                r = UInt64(bitPattern: signed >> Int64(count)) & mask
            }
            writeRegister(ins.op0.register, r)
        case .adcx, .adox:
            // ADCX r, r/m: DEST + SRC + CF, CF := carry out; ADOX the same through OF. No other flag
            // changes.
            let flag: UInt64 = ins.mnemonic == .adcx ? 0x1 : 0x800
            commitFlags()
            let c = core
            let carryIn: UInt64 = c.pointee.cpu.rflags & flag != 0 ? 1 : 0
            let a = try readOperand(ins, 0) & mask, b = try readOperand(ins, 1) & mask
            let r: UInt64, carryOut: Bool
            if size == 8 {
                let (s1, o1) = a.addingReportingOverflow(b)
                let (s2, o2) = s1.addingReportingOverflow(carryIn)
                (r, carryOut) = (s2, o1 || o2)
            } else {
                let s = a &+ b &+ carryIn
                (r, carryOut) = (s & mask, s >> bits != 0)
            }
            writeRegister(ins.op0.register, r)
            c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~flag) | (carryOut ? flag : 0)
        default:
            throw .invalidOpcode
        }
    }
}
