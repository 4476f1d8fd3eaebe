/// The code-segment size the decoder assumes: the default operand and address size of the code
/// being decoded (SDM Vol. 1, 3.6 "Operand-size and address-size attributes").
public enum CPUMode: UInt8, Sendable, CaseIterable {
    /// Real mode, virtual-8086 mode, or a 16-bit protected-mode code segment (CS.D = 0).
    case bits16 = 16
    /// A 32-bit protected-mode or compatibility-mode code segment (CS.D = 1).
    case bits32 = 32
    /// 64-bit mode (IA32_EFER.LMA = 1 and CS.L = 1).
    case bits64 = 64

    /// Parses "16", "32" or "64".
    public init?(bits: Int) {
        switch bits {
        case 16: self = .bits16
        case 32: self = .bits32
        case 64: self = .bits64
        default: return nil
        }
    }

    /// The default operand and address size in bytes.
    @inlinable public var defaultSize: UInt8 {
        switch self {
        case .bits16: 2
        case .bits32: 4
        case .bits64: 8
        }
    }
}
