import X86ISA
import X86State

extension Interpreter {
    /// Reads a general-purpose register by number and size (1 = low byte; AH..BH are `highByte`).
    @inline(__always) func readGPR(_ n: Int, size: UInt8) -> UInt64 {
        let v = gpr[n & 15]
        switch size {
        case 1: return v & 0xFF
        case 2: return v & 0xFFFF
        case 4: return v & 0xFFFF_FFFF
        default: return v
        }
    }

    /// Writes a general-purpose register: 8/16-bit writes keep the rest, 32-bit writes zero-extend
    /// to 64 bits (SDM Vol. 1, 3.4.1.1).
    @inline(__always) func writeGPR(_ n: Int, size: UInt8, _ value: UInt64) {
        let p = gpr + (n & 15)
        switch size {
        case 1: p.pointee = (p.pointee & ~0xFF) | (value & 0xFF)
        case 2: p.pointee = (p.pointee & ~0xFFFF) | (value & 0xFFFF)
        case 4: p.pointee = value & 0xFFFF_FFFF
        default: p.pointee = value
        }
    }

    /// Reads any register operand the decoder can name (GPRs, segment selectors, CRs, DRs).
    func readRegister(_ r: Register) throws(CPUException) -> UInt64 {
        let raw = r.rawValue
        switch raw {
        case Register.first_gpr8..<Register.first_gpr8Rex:
            let n = Int(raw - Register.first_gpr8)
            return n < 4 ? gpr[n] & 0xFF : (gpr[n - 4] >> 8) & 0xFF
        case Register.first_gpr8Rex..<Register.first_gpr16: return gpr[Int(raw - Register.first_gpr8Rex) + 4] & 0xFF
        case Register.first_gpr16..<Register.first_gpr32: return gpr[Int(raw - Register.first_gpr16)] & 0xFFFF
        case Register.first_gpr32..<Register.first_gpr64: return gpr[Int(raw - Register.first_gpr32)] & 0xFFFF_FFFF
        case Register.first_gpr64..<Register.first_segment: return gpr[Int(raw - Register.first_gpr64)]
        case Register.first_segment..<Register.first_instructionPointer:
            return UInt64(core.pointee.cpu[segment: Int(raw - Register.first_segment)].selector)
        case Register.first_cr..<Register.first_dr:
            return try readControlRegister(Int(raw - Register.first_cr))
        case Register.first_dr..<Register.first_tr:
            return try readDebugRegister(Int(raw - Register.first_dr))
        default:
            throw .invalidOpcode
        }
    }

    /// Writes a general-purpose register operand (segment, control and debug registers have their own paths).
    @inline(__always) func writeRegister(_ r: Register, _ value: UInt64) {
        let raw = r.rawValue
        switch raw {
        case Register.first_gpr8..<Register.first_gpr8Rex:
            let n = Int(raw - Register.first_gpr8)
            if n < 4 {
                gpr[n] = (gpr[n] & ~0xFF) | (value & 0xFF)
            } else {
                gpr[n - 4] = (gpr[n - 4] & ~0xFF00) | ((value & 0xFF) << 8)
            }
        case Register.first_gpr8Rex..<Register.first_gpr16: writeGPR(Int(raw - Register.first_gpr8Rex) + 4, size: 1, value)
        case Register.first_gpr16..<Register.first_gpr32: writeGPR(Int(raw - Register.first_gpr16), size: 2, value)
        case Register.first_gpr32..<Register.first_gpr64: writeGPR(Int(raw - Register.first_gpr32), size: 4, value)
        case Register.first_gpr64..<Register.first_segment: gpr[Int(raw - Register.first_gpr64)] = value
        default: break
        }
    }
}
