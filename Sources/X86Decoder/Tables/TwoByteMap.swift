// Opcode table: see OpcodeTableParser for the grammar.
extension OpcodeTableText {
    static let twoByte = """
    """
}
