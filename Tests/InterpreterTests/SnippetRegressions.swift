import Foundation
import Testing
import TestVectors

/// One case of a differential-testing regression file in `Resources/` (written by the
/// Scripts/diff-unicorn*.py testers): the snippet, the final state the reference (Unicorn or the host
/// CPU) gave, and the mask of flags compared. The four regression suites read and replay their files
/// through this one type.
///
/// File format: `# note` names the cases that follow (or only the next one, for files that say so),
/// `#! fault-state OFFSET[/N]` makes the cases after it write the x87/SSE state at an exception into
/// the data page (POPEK_SNIPPET_FAULT_STATE in the scripts), and each case is
/// `CASE | RESULT | FLAGMASK`.
struct SnippetRegression: Sendable, CustomStringConvertible {
    var note: String
    var input: SnippetCase
    var expected: SnippetResult
    var flagMask: UInt64
    /// The `#! fault-state` in force: where the state at an exception is written, and how many registers.
    var faultState: (offset: Int, registers: Int?)? = nil
    var description: String { input.id }

    /// Reads `Resources/<file>`. With `notePerCase`, a note names only the case right after it.
    static func load(_ file: String, notePerCase: Bool = false) throws -> [SnippetRegression] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/\(file)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [SnippetRegression] = []
        var note = ""
        var faultState: (offset: Int, registers: Int?)? = nil
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#! fault-state ") {
                let v = line.dropFirst("#! fault-state ".count).split(separator: "/")
                faultState = v.first.flatMap { Int($0, radix: 16) }.map { ($0, v.count > 1 ? Int(v[1]) : nil) }
                continue
            }
            if line.hasPrefix("#") { note = String(line.dropFirst(2)); continue }
            let parts = line.components(separatedBy: " | ")
            guard parts.count == 3, let c = SnippetCase(line: parts[0][...]), let e = SnippetResult(line: parts[1][...]),
                  let mask = UInt64(parts[2].trimmingCharacters(in: .whitespaces), radix: 16) else {
                Issue.record("malformed line in \(file): \(line.prefix(80))")
                continue
            }
            out.append(SnippetRegression(note: note, input: c, expected: e, flagMask: mask, faultState: faultState))
            if notePerCase { note = "" }
        }
        return out
    }

    /// Runs every case on the interpreter and returns one line per case whose final state differs
    /// (at most `differencesShown` differences each), after printing "LABEL: N passed, M failed".
    static func replay(_ entries: [SnippetRegression], label: String, differencesShown: Int = .max) throws -> [String] {
        let runner = try SnippetRunner()
        var failed: [String] = []
        for e in entries {
            runner.faultStateOffset = e.faultState?.offset
            runner.faultStateRegisters = e.faultState?.registers
            let got = try runner.run(e.input)
            let d = got.differences(from: e.expected, bits: e.input.bits, flagMask: e.flagMask)
            if !d.isEmpty { failed.append("\(e.input.id) (\(e.note)): " + d.prefix(differencesShown).joined(separator: "; ")) }
        }
        print("\(label): \(entries.count - failed.count) passed, \(failed.count) failed")
        return failed
    }
}
