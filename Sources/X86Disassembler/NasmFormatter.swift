import X86Decoder
import X86ISA

/// Formats decoded instructions in NASM syntax, as iced's NASM formatter does with its default
/// options (lower case, `0x` hex, no spaces after commas).
public struct NasmFormatter: Sendable {
    public init() {}

    /// The mnemonic as printed (without prefixes).
    public func mnemonicText(_ ins: Instruction) -> String {
        ins.mnemonic.name
    }

    /// The whole instruction, given the address it was decoded at (for branch targets).
    public func format(_ ins: Instruction, address: UInt64) -> String {
        var s = mnemonicText(ins)
        var first = true
        for i in 0..<Int(ins.operandCount) {
            s += first ? " " : ","
            first = false
            s += operandText(ins, i, address: address)
        }
        return s
    }

    func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    func operandText(_ ins: Instruction, _ i: Int, address: UInt64) -> String {
        let o = ins.operand(i)
        switch o.kind {
        case .none: return ""
        case .register: return o.register.nasmName
        case .immediate: return hex(i > 0 && ins.operand(i).register == .rip ? ins.immediate2 : ins.immediate)
        case .nearBranch: return hex(ins.branchTarget(at: address))
        case .farBranch: return hex(ins.immediate2) + ":" + hex(ins.immediate)
        case .memory, .memorySegSI, .memoryESDI:
            return "[mem]"
        }
    }
}
