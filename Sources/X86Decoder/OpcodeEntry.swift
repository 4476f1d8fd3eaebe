import X86ISA

/// The prefix an SSE-style instruction requires (SDM Vol. 2, 2.1.2: "mandatory prefix"), or
/// `any` for instructions whose prefixes keep their ordinary meaning.
enum MandatoryPrefix: UInt8, Sendable {
    case any = 0
    /// NP: none of 66, F2, F3.
    case none
    case p66
    case pF3
    case pF2
}

/// Attributes of an opcode-table entry.
struct EntryAttributes: OptionSet, Sendable {
    let rawValue: UInt32
    /// d64: in 64-bit mode the operand size defaults to 64 bits (66 selects 16).
    static let default64 = EntryAttributes(rawValue: 1 << 0)
    /// f64: in 64-bit mode the operand size is forced to 64 bits (66 is ignored, as on Intel CPUs).
    static let force64 = EntryAttributes(rawValue: 1 << 1)
    /// i64: invalid in 64-bit mode.
    static let invalid64 = EntryAttributes(rawValue: 1 << 2)
    /// o64: valid only in 64-bit mode.
    static let only64 = EntryAttributes(rawValue: 1 << 3)
    /// LOCK is allowed (with a memory destination).
    static let lock = EntryAttributes(rawValue: 1 << 4)
    /// The mnemonic variants are chosen by address size, not operand size (JCXZ/JECXZ/JRCXZ).
    static let mnemonicByAddressSize = EntryAttributes(rawValue: 1 << 5)
    /// The mnemonic variants are chosen by REX.W / VEX.W: first without, second with.
    static let mnemonicByW = EntryAttributes(rawValue: 1 << 6)
    /// Operand size is 32 bits whatever the prefixes, or 64 with REX.W (SSE GPR forms, MOVNTI...).
    static let operandSizeY = EntryAttributes(rawValue: 1 << 7)
    /// LOCK is allowed without a memory operand: `LOCK MOV CR0` is AMD's alternate encoding of CR8.
    static let lockAsCR8 = EntryAttributes(rawValue: 1 << 8)
    /// Outside 64-bit mode the operand size is 32 bits (MOV CR/DR: 66 is ignored).
    static let force32 = EntryAttributes(rawValue: 1 << 9)
    /// The 66 prefix makes this encoding invalid (for example VMX instructions with NP).
    static let no66 = EntryAttributes(rawValue: 1 << 10)
    /// F2 or F3 is part of the instruction but 66 still acts as the operand-size prefix.
    static let keeps66 = EntryAttributes(rawValue: 1 << 11)
    /// Matches only without REX.B (`90` is NOP, `41 90` is XCHG R8, RAX).
    static let noRexB = EntryAttributes(rawValue: 1 << 12)
    /// The branch target is 32 bits (64 in 64-bit mode) whatever the operand size (XBEGIN).
    static let wideBranch = EntryAttributes(rawValue: 1 << 13)
    /// F2 and F3 make the encoding invalid, while 66 keeps its operand-size meaning (RDRAND, RDSEED).
    static let noRep = EntryAttributes(rawValue: 1 << 14)
}

/// One line of an opcode table, parsed: which bytes it matches and how its operands are encoded.
struct OpcodeEntry: Sendable {
    /// Mnemonics for operand size 16, 32, 64 (or address size, or W0/W1).
    var mnemonics: (Mnemonic, Mnemonic, Mnemonic) = (.invalid, .invalid, .invalid)
    var operands: (OperandSpec, OperandSpec, OperandSpec, OperandSpec, OperandSpec) =
        (OperandSpec(), OperandSpec(), OperandSpec(), OperandSpec(), OperandSpec())
    var operandCount: UInt8 = 0
    /// 0-3: legacy one-byte, 0F, 0F38, 0F3A. 4-6: VEX maps 0F, 0F38, 0F3A.
    var table: UInt8 = 0
    var opcode: UInt8 = 0
    var prefix: MandatoryPrefix = .any
    var hasModRM = false
    /// Required ModRM.reg, or 0xFF.
    var reg: UInt8 = 0xFF
    /// 0: any; 1: memory only (mod != 11); 2: register only (mod = 11).
    var mod: UInt8 = 0
    /// Required ModRM.rm (with mod = 11), or 0xFF.
    var rm: UInt8 = 0xFF
    /// The low 3 bits of the opcode encode a register (`+r`): the entry covers 8 opcodes.
    var opcodeRegister = false
    /// Required REX.W / VEX.W (0 or 1), or 0xFF.
    var w: UInt8 = 0xFF
    /// Required VEX.L, or 0xFF.
    var l: UInt8 = 0xFF
    /// Required operand size in bytes, or 0.
    var operandSize: UInt8 = 0
    /// Required address size in bytes, or 0.
    var addressSize: UInt8 = 0
    /// Required decoding mode bits (16/32/64), or 0.
    var attributes: EntryAttributes = []
    var pgClass: PopekGoldbergClass = .innocuous

    /// Operand spec `i` (0-4). A load from the tuple's bytes rather than a switch: the decoder's
    /// hottest accessor (Documentation/DecoderPerformance.md).
    @inline(__always) func operand(_ i: Int) -> OperandSpec {
        // SAFETY: `operands` is a homogeneous tuple of 5 OperandSpec (POD), laid out contiguously at
        // stride offsets; min(i, 4) keeps the offset inside it.
        withUnsafeBytes(of: operands) { raw in
            raw.load(fromByteOffset: min(i, 4) &* MemoryLayout<OperandSpec>.stride, as: OperandSpec.self)
        }
    }

    mutating func setOperand(_ i: Int, _ s: OperandSpec) {
        switch i {
        case 0: operands.0 = s
        case 1: operands.1 = s
        case 2: operands.2 = s
        case 3: operands.3 = s
        default: operands.4 = s
        }
    }

    /// Whether an operand is encoded in VEX.vvvv (so VEX.vvvv must not be 1111b otherwise... the reverse).
    var usesVvvv: Bool {
        for i in 0..<Int(operandCount) where operand(i).method == .H || operand(i).method == .B { return true }
        return false
    }
}
