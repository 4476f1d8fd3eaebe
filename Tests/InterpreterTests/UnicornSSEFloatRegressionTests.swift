import Foundation
import Testing
import TestVectors

/// SSE/SSE2/SSE3/SSE4.1 floating-point snippets (`Resources/unicorn-ssefloat-regressions.txt`, written by
/// Scripts/diff-unicorn-ssefloat.py) replayed against the final states the host CPU (64-bit cases, unmasked
/// exceptions and #XM included) or Unicorn (32-bit cases, exceptions masked) gave: XMM and MM results, MXCSR
/// and the x87 environment are in each snippet's data page.
@Suite struct UnicornSSEFloatRegressionTests {
    struct Entry: Sendable {
        var note: String
        var input: SnippetCase
        var expected: SnippetResult
        var flagMask: UInt64
        /// The `#! fault-state OFFSET[/N]` in force: the x87/SSE state written at an exception.
        var faultState: (offset: Int, registers: Int?)? = nil
    }

    static func entries() throws -> [Entry] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/unicorn-ssefloat-regressions.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [Entry] = []
        var note = ""
        var faultState: (offset: Int, registers: Int?)? = nil
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#! fault-state ") {
                // Cases saved with POPEK_SNIPPET_FAULT_STATE set (the scripts' host-CPU reference).
                let v = line.dropFirst("#! fault-state ".count).split(separator: "/")
                faultState = v.first.flatMap { Int($0, radix: 16) }.map { ($0, v.count > 1 ? Int(v[1]) : nil) }
                continue
            }
            if line.hasPrefix("#") { note = String(line.dropFirst(2)); continue }
            let parts = line.components(separatedBy: " | ")
            guard parts.count == 3, let c = SnippetCase(line: parts[0][...]), let e = SnippetResult(line: parts[1][...]),
                  let mask = UInt64(parts[2].trimmingCharacters(in: .whitespaces), radix: 16) else {
                Issue.record("malformed line in unicorn-ssefloat-regressions.txt: \(line.prefix(80))")
                continue
            }
            out.append(Entry(note: note, input: c, expected: e, flagMask: mask, faultState: faultState))
        }
        return out
    }

    @Test("SSE floating-point snippets agree with the CPU or Unicorn")
    func snippets() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 150)
        #expect(entries.contains { $0.input.bits == 32 } && entries.contains { $0.input.bits == 64 })
        let runner = try SnippetRunner()
        var failed: [String] = []
        for e in entries {
            runner.faultStateOffset = e.faultState?.offset
            runner.faultStateRegisters = e.faultState?.registers
            let got = try runner.run(e.input)
            let d = got.differences(from: e.expected, bits: e.input.bits, flagMask: e.flagMask)
            if !d.isEmpty { failed.append("\(e.input.id) (\(e.note)): " + d.prefix(6).joined(separator: "; ")) }
        }
        print("SSE floating-point snippets: \(entries.count - failed.count) passed, \(failed.count) failed")
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }
}
