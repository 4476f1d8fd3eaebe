import X86Decoder
import X86ISA

extension Interpreter {
    /// Mask for an operand size in bytes.
    @inline(__always) func sizeMask(_ size: UInt8) -> UInt64 {
        size >= 8 ? ~0 : (1 << (UInt64(size) &* 8)) &- 1
    }

    /// The segment register index (ES=0 ... GS=5) of the instruction's memory operand.
    @inline(__always) func segmentIndex(_ r: Register) -> Int {
        Int(r.rawValue &- Register.first_segment)
    }

    /// The effective address (offset in the segment) of the memory operand, wrapped to the address size.
    @inline(__always) func effectiveAddress(_ ins: Instruction) -> UInt64 {
        let m = ins.memory
        var ea = UInt64(bitPattern: m.displacement)
        switch m.base {
        case .none: break
        case .rip, .eip: ea = ea &+ core.pointee.nextRIP
        default: ea = ea &+ gpr[Int(m.base.number)]
        }
        if m.index == .al {
            ea = ea &+ (gpr[0] & 0xFF)
        } else if m.index != .none {
            ea = ea &+ (gpr[Int(m.index.number)] &* UInt64(m.scale))
        }
        switch ins.addressSize {
        case 2: return ea & 0xFFFF
        case 4: return ea & 0xFFFF_FFFF
        default: return ea
        }
    }

    /// Reads operand `i`, zero-extended to 64 bits.
    @inline(__always) func readOperand(_ ins: Instruction, _ i: Int) throws(CPUException) -> UInt64 {
        let o = ins.operand(i)
        switch o.kind {
        case .register: return try readRegister(o.register)
        case .memory:
            return try read(segmentIndex(ins.memory.segment), effectiveAddress(ins), Int(o.size))
        case .immediate:
            let v = o.register == .rip ? ins.immediate2 : ins.immediate
            return v & sizeMask(UInt8(truncatingIfNeeded: o.size))
        default:
            throw .invalidOpcode
        }
    }

    /// Writes operand `i` (a register or the memory operand).
    @inline(__always) func writeOperand(_ ins: Instruction, _ i: Int, _ value: UInt64) throws(CPUException) {
        let o = ins.operand(i)
        switch o.kind {
        case .register: writeRegister(o.register, value)
        case .memory: try write(segmentIndex(ins.memory.segment), effectiveAddress(ins), Int(o.size), value)
        default: throw .invalidOpcode
        }
    }

    /// The operand's size in bytes.
    @inline(__always) func operandBytes(_ ins: Instruction, _ i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: ins.operand(i).size)
    }
}
