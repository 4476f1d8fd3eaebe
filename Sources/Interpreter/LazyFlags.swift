import X86State

/// The operation whose result the status flags describe, when they have not been computed yet.
///
/// Arithmetic instructions record their operands and result instead of computing six flags; a flag is
/// computed only when something reads it (a Jcc, PUSHF, an exception). Most results are never read.
/// (The technique of Bochs' lazy flags and QEMU's `cc_op`.)
enum FlagOp: UInt8 {
    /// RFLAGS holds the status flags.
    case none = 0
    case add, adc, sub, sbb
    /// AND, OR, XOR, TEST: CF = OF = 0, AF = 0.
    case logic
    /// INC/DEC: like ADD/SUB of 1, CF unchanged (kept in `carryIn`).
    case inc, dec
    /// CF and OF given (bits 0 and 11 of `carryIn`), SF ZF PF from the result, AF clear: the x86-64
    /// model's SHL/SHR/SAR and IMUL, as the interpreter's fast handlers record them.
    case givenCarryOverflow
}

/// The lazily evaluated status flags (OF SF ZF AF PF CF).
struct LazyFlags {
    var op: FlagOp = .none
    /// Operand size in bytes.
    var size: UInt8 = 4
    var dst: UInt64 = 0
    var src: UInt64 = 0
    var result: UInt64 = 0
    /// ADC/SBB: the carry in; INC/DEC: the CF to keep.
    var carryIn: UInt64 = 0

    @inline(__always) var bits: UInt64 { UInt64(size) &* 8 }
    @inline(__always) var mask: UInt64 { size == 8 ? ~0 : (1 << bits) &- 1 }
    @inline(__always) func top(_ v: UInt64) -> UInt64 { (v >> (bits &- 1)) & 1 }

    /// CF, given the flags register for `.none`.
    @inline(__always) func carry(_ rflags: UInt64) -> Bool {
        switch op {
        case .none: return rflags & 1 != 0
        case .add, .adc: return top((dst & src) | ((dst | src) & ~result)) != 0
        case .sub, .sbb: return top((~dst & src) | ((~dst | src) & result)) != 0
        case .logic: return false
        case .inc, .dec: return carryIn != 0
        case .givenCarryOverflow: return carryIn & 1 != 0
        }
    }

    @inline(__always) func zero(_ rflags: UInt64) -> Bool {
        op == .none ? rflags & 0x40 != 0 : result & mask == 0
    }

    @inline(__always) func sign(_ rflags: UInt64) -> Bool {
        op == .none ? rflags & 0x80 != 0 : top(result) != 0
    }

    @inline(__always) func overflow(_ rflags: UInt64) -> Bool {
        switch op {
        case .none: return rflags & 0x800 != 0
        case .add, .adc, .inc: return top((dst ^ result) & (src ^ result)) != 0
        case .sub, .sbb, .dec: return top((dst ^ src) & (dst ^ result)) != 0
        case .logic: return false
        case .givenCarryOverflow: return carryIn & 0x800 != 0
        }
    }

    @inline(__always) func parity(_ rflags: UInt64) -> Bool {
        op == .none ? rflags & 4 != 0 : Self.evenParity(result)
    }

    /// PF: an even number of set bits in the low byte (0x6996 is the parity of each nibble value;
    /// cheaper than a population count without POPCNT in the baseline instruction set).
    @inline(__always) static func evenParity(_ v: UInt64) -> Bool {
        let b = v ^ (v >> 4)
        return (0x6996 >> (b & 0xF)) & 1 == 0
    }

    /// ZF, SF and PF of the result as RFLAGS bits.
    @inline(__always) var zeroSignParity: UInt64 {
        var f: UInt64 = result & mask == 0 ? 0x40 : 0
        f |= top(result) << 7
        if Self.evenParity(result) { f |= 4 }
        return f
    }

    @inline(__always) func auxiliary(_ rflags: UInt64) -> Bool {
        switch op {
        case .none: return rflags & 0x10 != 0
        case .logic, .givenCarryOverflow: return false
        default: return (dst ^ src ^ result) & 0x10 != 0
        }
    }

    /// The six status flags as RFLAGS bits.
    func status(_ rflags: UInt64) -> UInt64 {
        switch op {
        case .none: return rflags & 0x8D5
        case .logic: return zeroSignParity
        case .givenCarryOverflow: return zeroSignParity | (carryIn & 0x801)
        default: break
        }
        var f: UInt64 = 0
        if carry(rflags) { f |= 1 }
        if parity(rflags) { f |= 4 }
        if auxiliary(rflags) { f |= 0x10 }
        if zero(rflags) { f |= 0x40 }
        if sign(rflags) { f |= 0x80 }
        if overflow(rflags) { f |= 0x800 }
        return f
    }
}
