import Foundation
import Testing
import TestVectors

/// MMX/SSE integer and x87 state instruction snippets (`Resources/unicorn-simd-regressions.txt`, written by
/// Scripts/diff-unicorn-simd.py) replayed against the final states Unicorn or the host CPU gave: XMM and MM
/// results, MXCSR and the x87 control, status and tag words are in each snippet's data page.
@Suite struct UnicornSIMDRegressionTests {
    @Test("MMX/SSE/x87-state snippets agree with Unicorn or the CPU")
    func snippets() throws {
        let entries = try SnippetRegression.load("unicorn-simd-regressions.txt")
        #expect(entries.count >= 200)
        #expect(entries.contains { $0.input.bits == 32 } && entries.contains { $0.input.bits == 64 })
        let failed = try SnippetRegression.replay(entries, label: "Unicorn SIMD snippets", differencesShown: 6)
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }
}
