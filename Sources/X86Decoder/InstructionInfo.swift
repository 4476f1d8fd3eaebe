import X86ISA

extension Instruction {
    /// The instruction's Popek-Goldberg class (see `PopekGoldbergClass`).
    public var popekGoldbergClass: PopekGoldbergClass {
        OpcodeTable.shared.entries[Int(entry)].pgClass
    }
}
