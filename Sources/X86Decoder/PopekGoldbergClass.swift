/// Where an instruction stands in Popek and Goldberg's classification (Popek & Goldberg, "Formal
/// Requirements for Virtualizable Third Generation Architectures", CACM 17(7), 1974), as it applies
/// to x86 (Robin & Irvine, "Analysis of the Intel Pentium's Ability to Support a Secure Virtual
/// Machine Monitor", USENIX Security 2000).
public enum PopekGoldbergClass: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Neither privileged nor sensitive: runs directly in a virtual machine.
    case innocuous = 0
    /// Privileged: traps (#GP or #UD) when executed outside CPL 0 (or, for I/O and CLI/STI,
    /// when CPL > IOPL), so a deprivileged guest kernel's use of it reaches the monitor.
    case privileged = 1
    /// Sensitive but unprivileged: reads or changes privileged machine state without trapping
    /// at CPL 3 (SGDT, SIDT, SLDT, SMSW, STR, PUSHF/POPF, LAR, LSL, VERR, VERW, MOV from and
    /// PUSH/POP of segment registers, far CALL/JMP/RET, INT n, IRET). These 17 instructions are
    /// why x86 cannot be virtualized by classic trap-and-emulate alone.
    case sensitiveUnprivileged = 2

    /// The name the command line and JSON output use.
    public var description: String {
        switch self {
        case .innocuous: "innocuous"
        case .privileged: "privileged"
        case .sensitiveUnprivileged: "sensitive"
        }
    }
}
