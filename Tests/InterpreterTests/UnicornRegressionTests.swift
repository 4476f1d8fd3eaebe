import Foundation
import Testing
import TestVectors

/// Differential-testing regressions (`Resources/unicorn-regressions.txt`): instruction snippets on
/// which the interpreter once disagreed with Unicorn, replayed against Unicorn's final state, plus a
/// few hundred random sequences as a broad check. Scripts/diff-unicorn.py finds and writes them.
@Suite struct UnicornRegressionTests {
    @Test("snippets where the interpreter disagreed with Unicorn")
    func regressions() throws {
        let entries = try SnippetRegression.load("unicorn-regressions.txt")
        #expect(entries.count >= 300)
        let failed = try SnippetRegression.replay(entries, label: "Unicorn regressions")
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }

    @Test("snippet case and result lines round-trip")
    func lineFormats() throws {
        let entries = try SnippetRegression.load("unicorn-regressions.txt")
        for e in entries.prefix(50) {
            #expect(SnippetCase(line: e.input.line[...]) == e.input)
            #expect(SnippetResult(line: e.expected.line[...]) == e.expected)
        }
    }
}
