import Testing
import X86Decoder

/// The opcode tables themselves parse.
@Suite struct OpcodeTableTests {
    @Test func everyTableLineParses() {
        let errors = OpcodeTableDiagnostics.errors
        #expect(errors.isEmpty, "\(errors.count) table lines do not parse: \(errors.prefix(10).joined(separator: "\n"))")
        #expect(OpcodeTableDiagnostics.entryCount > 200)
    }
}
