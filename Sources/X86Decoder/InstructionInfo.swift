import X86ISA

extension Instruction {
    /// The instruction's Popek-Goldberg class (see `PopekGoldbergClass`).
    public var popekGoldbergClass: PopekGoldbergClass {
        OpcodeTable.shared.entries[Int(entry)].pgClass
    }
}

/// Diagnostics over the opcode tables, for tests.
public enum OpcodeTableDiagnostics {
    /// Table lines that failed to parse; empty in a correct build.
    public static var errors: [String] { OpcodeTable.shared.errors }
    /// Number of table entries.
    public static var entryCount: Int { OpcodeTable.shared.entries.count - 1 }
}
