import Foundation
import Testing
import TestVectors

/// Differential-testing regressions (`Resources/unicorn-regressions.txt`): instruction snippets on
/// which the interpreter once disagreed with Unicorn, replayed against Unicorn's final state, plus a
/// few hundred random sequences as a broad check. Scripts/diff-unicorn.py finds and writes them.
@Suite struct UnicornRegressionTests {
    struct Entry: Sendable, CustomStringConvertible {
        var note: String
        var input: SnippetCase
        var expected: SnippetResult
        var flagMask: UInt64
        var description: String { input.id }
    }

    static func entries() throws -> [Entry] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/unicorn-regressions.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [Entry] = []
        var note = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") { note = String(line.dropFirst(2)); continue }
            let parts = line.components(separatedBy: " | ")
            guard parts.count == 3, let c = SnippetCase(line: parts[0][...]), let e = SnippetResult(line: parts[1][...]),
                  let mask = UInt64(parts[2].trimmingCharacters(in: .whitespaces), radix: 16) else {
                Issue.record("malformed line in unicorn-regressions.txt: \(line.prefix(80))")
                continue
            }
            out.append(Entry(note: note, input: c, expected: e, flagMask: mask))
        }
        return out
    }

    @Test("snippets where the interpreter disagreed with Unicorn")
    func regressions() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 300)
        let runner = try SnippetRunner()
        var failed: [String] = []
        for e in entries {
            let got = try runner.run(e.input)
            let d = got.differences(from: e.expected, bits: e.input.bits, flagMask: e.flagMask)
            if !d.isEmpty { failed.append("\(e.input.id) (\(e.note)): " + d.joined(separator: "; ")) }
        }
        print("Unicorn regressions: \(entries.count - failed.count) passed, \(failed.count) failed")
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }

    @Test("snippet case and result lines round-trip")
    func lineFormats() throws {
        let entries = try Self.entries()
        for e in entries.prefix(50) {
            #expect(SnippetCase(line: e.input.line[...]) == e.input)
            #expect(SnippetResult(line: e.expected.line[...]) == e.expected)
        }
    }
}
