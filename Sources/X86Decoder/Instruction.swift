import X86ISA

/// What an operand of a decoded instruction is.
public enum OperandKind: UInt8, Sendable {
    case none = 0
    /// A register, in `Operand.register`.
    case register
    /// The instruction's memory operand, described by `Instruction.memory`.
    case memory
    /// String-instruction source `seg:[rSI]` (segment overridable), `Instruction.memory` unused.
    case memorySegSI
    /// String-instruction destination `ES:[rDI]` (not overridable).
    case memoryESDI
    /// An immediate; its value is `Instruction.immediate` (or `immediate2` when `second` is set).
    case immediate
    /// A near branch target: `Instruction.immediate` holds the sign-extended displacement.
    case nearBranch
    /// A far pointer `selector:offset`: `immediate2` holds the selector, `immediate` the offset.
    case farBranch
}

/// One operand of a decoded instruction: 4 bytes, no allocation.
public struct Operand: Sendable, Equatable {
    /// What the operand is.
    public var kind: OperandKind
    /// The register, for `.register`.
    public var register: Register
    /// Operand size in bytes (memory access size, register width or the size the immediate is
    /// extended to); 0 where the instruction gives no size (LEA, INVLPG).
    public var size: UInt16

    @inlinable public init(kind: OperandKind = .none, register: Register = .none, size: UInt16 = 0) {
        self.kind = kind
        self.register = register
        self.size = size
    }
}

/// The memory operand of a decoded instruction: `segment:[base + index*scale + displacement]`.
public struct MemoryOperand: Sendable, Equatable {
    /// The segment the access uses (the default one, or the override).
    public var segment: Register = .none
    /// Base register, `.rip`/`.eip` for RIP-relative addressing, or `.none`.
    public var base: Register = .none
    /// Index register or `.none`.
    public var index: Register = .none
    /// Scale factor 1, 2, 4 or 8.
    public var scale: UInt8 = 1
    /// Size in bytes of the encoded displacement (0, 1, 2, 4, or 8 for 64-bit moffs).
    public var displacementSize: UInt8 = 0
    /// The displacement, sign-extended to 64 bits (for RIP-relative, relative to the next instruction).
    public var displacement: Int64 = 0

    @inlinable public init() {}
}

/// Legacy and REX/VEX prefixes seen on an instruction.
public struct Prefixes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// F0 LOCK.
    public static let lock = Prefixes(rawValue: 1 << 0)
    /// F3 REP/REPE (the last of F2/F3 counts).
    public static let rep = Prefixes(rawValue: 1 << 1)
    /// F2 REPNE (the last of F2/F3 counts).
    public static let repne = Prefixes(rawValue: 1 << 2)
    /// 66 operand-size override, when it acted as one (not as a mandatory prefix).
    public static let operandSize = Prefixes(rawValue: 1 << 3)
    /// 67 address-size override.
    public static let addressSize = Prefixes(rawValue: 1 << 4)
    /// A REX prefix immediately before the opcode (64-bit mode).
    public static let rex = Prefixes(rawValue: 1 << 5)
    /// REX.W or VEX.W = 1.
    public static let w = Prefixes(rawValue: 1 << 6)
    /// Encoded with a VEX prefix.
    public static let vex = Prefixes(rawValue: 1 << 7)
    /// A segment-override prefix was present (see `Instruction.segmentPrefix`).
    public static let segment = Prefixes(rawValue: 1 << 8)
}

/// A decoded x86 instruction in a compact form for an interpreter's hot path: a plain value with
/// no references, so decoding allocates nothing and an engine can cache arrays of these.
public struct Instruction: Sendable {
    /// The mnemonic; `.invalid` if the bytes raise #UD.
    public var mnemonic: Mnemonic = .invalid
    /// Length in bytes, 1 to 15.
    public var length: UInt8 = 0
    /// Number of explicit operands (0-5), in Intel order (destination first).
    public var operandCount: UInt8 = 0
    /// Effective operand size in bytes (2, 4 or 8).
    public var operandSize: UInt8 = 4
    /// Effective address size in bytes (2, 4 or 8).
    public var addressSize: UInt8 = 4
    /// The decoding mode.
    public var mode: CPUMode = .bits32
    /// Prefixes present.
    public var prefixes: Prefixes = []
    /// The last segment-override prefix, as encoded (`.none` if absent). In 64-bit mode ES/CS/SS/DS
    /// overrides are encoded but have no effect (SDM Vol. 1, 3.3.7.1).
    public var segmentPrefix: Register = .none
    /// Opcode map: 0 one-byte, 1 `0F`, 2 `0F 38`, 3 `0F 3A`.
    public var map: UInt8 = 0
    /// The opcode byte within its map.
    public var opcode: UInt8 = 0
    /// The ModRM byte, if `hasModRM`.
    public var modrm: UInt8 = 0
    /// Whether the instruction has a ModRM byte.
    public var hasModRM: Bool = false
    /// VEX.L (vector length 256 when 1).
    public var vexL: UInt8 = 0
    /// Index of the table entry that matched: the key to the instruction's metadata.
    public var entry: UInt16 = 0
    /// Operands 0-4.
    public var op0 = Operand(), op1 = Operand(), op2 = Operand(), op3 = Operand(), op4 = Operand()
    /// The memory operand, for operands of kind `.memory`.
    public var memory = MemoryOperand()
    /// First immediate (or branch displacement, or far-pointer offset), sign- or zero-extended as
    /// the operand says.
    public var immediate: UInt64 = 0
    /// Second immediate (ENTER's nesting level, EXTRQ/INSERTQ's second byte, a far pointer's selector).
    public var immediate2: UInt64 = 0
    /// Encoded size in bytes of the first and second immediates.
    public var immediateSize: UInt8 = 0, immediate2Size: UInt8 = 0

    @inlinable public init() {}

    /// Operand `i` (0-4).
    @inlinable public func operand(_ i: Int) -> Operand {
        switch i {
        case 0: op0
        case 1: op1
        case 2: op2
        case 3: op3
        default: op4
        }
    }

    @inlinable mutating func setOperand(_ i: Int, _ o: Operand) {
        switch i {
        case 0: op0 = o
        case 1: op1 = o
        case 2: op2 = o
        case 3: op3 = o
        default: op4 = o
        }
    }

    /// The target of a near branch, given the address the instruction was decoded at.
    /// Wraps to the operand size, as the CPU does (SDM Vol. 2, JMP: "IF OperandSize = 16 ... AND 0000FFFFH").
    @inlinable public func branchTarget(at address: UInt64) -> UInt64 {
        let next = address &+ UInt64(length) &+ immediate
        switch operandSize {
        case 2: return next & 0xFFFF
        case 4: return next & 0xFFFF_FFFF
        default: return next
        }
    }

    /// The effective address of a RIP-relative memory operand, given the instruction's address.
    @inlinable public func ripRelativeTarget(at address: UInt64) -> UInt64 {
        let t = address &+ UInt64(length) &+ UInt64(bitPattern: memory.displacement)
        return addressSize == 4 ? t & 0xFFFF_FFFF : t
    }
}
