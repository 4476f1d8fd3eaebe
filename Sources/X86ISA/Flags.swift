/// The arithmetic and system flags of RFLAGS (SDM Vol. 1, 3.4.3 "EFLAGS Register").
///
/// The decoder uses it to say which flags an instruction reads, writes, leaves undefined,
/// clears or sets; the CPU state uses the same bit positions.
public struct RFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// CF, carry flag (bit 0).
    public static let carry = RFlags(rawValue: 1 << 0)
    /// PF, parity flag (bit 2).
    public static let parity = RFlags(rawValue: 1 << 2)
    /// AF, auxiliary carry flag (bit 4).
    public static let auxiliaryCarry = RFlags(rawValue: 1 << 4)
    /// ZF, zero flag (bit 6).
    public static let zero = RFlags(rawValue: 1 << 6)
    /// SF, sign flag (bit 7).
    public static let sign = RFlags(rawValue: 1 << 7)
    /// TF, trap flag (bit 8).
    public static let trap = RFlags(rawValue: 1 << 8)
    /// IF, interrupt enable flag (bit 9).
    public static let interrupt = RFlags(rawValue: 1 << 9)
    /// DF, direction flag (bit 10).
    public static let direction = RFlags(rawValue: 1 << 10)
    /// OF, overflow flag (bit 11).
    public static let overflow = RFlags(rawValue: 1 << 11)
    /// IOPL, I/O privilege level (bits 12-13).
    public static let ioPrivilegeLevel = RFlags(rawValue: 3 << 12)
    /// NT, nested task (bit 14).
    public static let nestedTask = RFlags(rawValue: 1 << 14)
    /// RF, resume flag (bit 16).
    public static let resume = RFlags(rawValue: 1 << 16)
    /// VM, virtual-8086 mode (bit 17).
    public static let virtual8086 = RFlags(rawValue: 1 << 17)
    /// AC, alignment check (bit 18).
    public static let alignmentCheck = RFlags(rawValue: 1 << 18)
    /// VIF, virtual interrupt flag (bit 19).
    public static let virtualInterrupt = RFlags(rawValue: 1 << 19)
    /// VIP, virtual interrupt pending (bit 20).
    public static let virtualInterruptPending = RFlags(rawValue: 1 << 20)
    /// ID, CPUID available (bit 21).
    public static let identification = RFlags(rawValue: 1 << 21)

    /// The six status flags OF SF ZF AF PF CF.
    public static let status: RFlags = [.overflow, .sign, .zero, .auxiliaryCarry, .parity, .carry]

    /// Parses the letters iced and this project's tables use: `o s z a c p d i t` and `A` for AC,
    /// `u` for UIF (ignored: not an RFLAGS bit). Returns nil for an unknown letter.
    public init?(letters: Substring) {
        var f: RFlags = []
        for ch in letters {
            switch ch {
            case "o": f.insert(.overflow)
            case "s": f.insert(.sign)
            case "z": f.insert(.zero)
            case "a": f.insert(.auxiliaryCarry)
            case "c": f.insert(.carry)
            case "p": f.insert(.parity)
            case "d": f.insert(.direction)
            case "i": f.insert(.interrupt)
            case "t": f.insert(.trap)
            case "A": f.insert(.alignmentCheck)
            case "u": break
            default: return nil
            }
        }
        self = f
    }

    /// The flags as letters in the order `oszacpditA`.
    public var letters: String {
        var s = ""
        let order: [(Character, RFlags)] = [("o", .overflow), ("s", .sign), ("z", .zero), ("a", .auxiliaryCarry),
                                            ("c", .carry), ("p", .parity), ("d", .direction), ("i", .interrupt),
                                            ("t", .trap), ("A", .alignmentCheck)]
        for (ch, flag) in order where contains(flag) { s.append(ch) }
        return s
    }
}
