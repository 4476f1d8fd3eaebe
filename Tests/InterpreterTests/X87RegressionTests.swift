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
            .appendingPathComponent("Resources/x87-regressions.txt")
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
                Issue.record("malformed line in x87-regressions.txt: \(line.prefix(80))")
                continue
            }
            out.append(Entry(note: note, input: c, expected: e, flagMask: mask, faultState: faultState))
            note = ""
        }
        return out
    }

    @Test("x87 snippets agree with the host CPU")
    func snippets() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 300)
        #expect(entries.contains { $0.input.bits == 32 } && entries.contains { $0.input.bits == 64 })
        #expect(entries.contains { $0.expected.status == "exc16" })
        let runner = try SnippetRunner()
        var failed: [String] = []
        for e in entries {
            runner.faultStateOffset = e.faultState?.offset
            runner.faultStateRegisters = e.faultState?.registers
            let got = try runner.run(e.input)
            let d = got.differences(from: e.expected, bits: e.input.bits, flagMask: e.flagMask)
            if !d.isEmpty { failed.append("\(e.input.id) (\(e.note)): " + d.prefix(6).joined(separator: "; ")) }
        }
        print("x87 snippets: \(entries.count - failed.count) passed, \(failed.count) failed")
        #expect(failed.isEmpty, "\(failed.count) failed; first: \(failed.prefix(5).joined(separator: "\n"))")
    }
}
