import Foundation
import Testing
import TestVectors

/// SSE/SSE2/SSE3/SSE4.1 floating-point snippets (`Resources/unicorn-ssefloat-regressions.txt`, written by
/// Scripts/diff-unicorn-ssefloat.py) replayed against the final states the host CPU (64-bit cases, unmasked
/// exceptions and #XM included) or Unicorn (32-bit cases, exceptions masked) gave: XMM and MM results, MXCSR
/// and the x87 environment are in each snippet's data page.
@Suite struct UnicornSSEFloatRegressionTests {
    @Test("SSE floating-point snippets agree with the CPU or Unicorn")
    func snippets() throws {
        let entries = try SnippetRegression.load("unicorn-ssefloat-regressions.txt")
        #expect(entries.count >= 150)
        #expect(entries.contains { $0.input.bits == 32 } && entries.contains { $0.input.bits == 64 })
        let failed = try SnippetRegression.replay(entries, label: "SSE floating-point snippets", differencesShown: 6)
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }
}
