import Foundation
import Testing
import TestVectors

/// x87 snippets (`Resources/x87-regressions.txt`, written by `Scripts/diff-unicorn-x87.py --save`) replayed
/// against the final states the host CPU gave (or Unicorn, where it agreed with the CPU): arithmetic,
/// comparisons, conversions and transcendental instructions under random rounding and precision control,
/// stack faults, unmasked exceptions with #MF (CR0.NE = 1), and FIP/FOP/FDP. Each snippet ends with
/// FNSAVE into its data page, so the registers, FCW, FSW and FTW are compared with the memory.
/// Cases marked "host deviation" carry Popek's state: there the host's microcode is not correctly
/// rounded (one unit in the last place, or C1) or the SDM leaves the result undefined (FYL2XP1 outside
/// its range), and SoftFloat is deliberately not host-exact (Documentation/SoftFloat.md).
@Suite struct X87RegressionTests {
    @Test("x87 snippets agree with the host CPU")
    func snippets() throws {
        let entries = try SnippetRegression.load("x87-regressions.txt", notePerCase: true)
        #expect(entries.count >= 300)
        #expect(entries.contains { $0.input.bits == 32 } && entries.contains { $0.input.bits == 64 })
        #expect(entries.contains { $0.expected.status == "exc16" })
        let failed = try SnippetRegression.replay(entries, label: "x87 snippets", differencesShown: 6)
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }
}
