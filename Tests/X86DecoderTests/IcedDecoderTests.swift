import Foundation
import Testing
import X86Decoder
import X86ISA

/// Decoding agrees with iced's decoder test vectors (`../shared/testdata/iced/Decoder`).
///
/// Every line that needs only iced's default options is checked: length, mnemonic, every operand,
/// and invalid/truncated detection. Lines that still disagree are listed with the reason in
/// `Resources/iced-known-differences.txt`; a line listed there that now agrees is a failure too,
/// so the list only shrinks. The full report goes to `.build/iced-report-MODE.txt`.
@Suite struct IcedDecoderTests {
    static func knownDifferences() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/iced-known-differences.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var set = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            // "MODE | iced line | reason"
            let parts = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count >= 2 { set.insert(parts[0] + "|" + parts[1]) }
        }
        return set
    }

    static func run(_ file: String, mode: CPUMode) throws -> (checked: Int, failures: [(String, String)]) {
        let decoder = Decoder(mode: mode)
        var checked = 0
        var failures: [(String, String)] = []
        for line in try TestData.lines("iced/Decoder/\(file)") {
            guard let v = IcedDecoderVector(line) else { continue }
            checked += 1
            if let diff = v.check(decoder) { failures.append((String(v.line), diff)) }
        }
        return (checked, failures)
    }

    @Test("iced decoder vectors", arguments: [
        ("DecoderTest16.txt", CPUMode.bits16), ("DecoderTest32.txt", .bits32), ("DecoderTest64.txt", .bits64),
        ("DecoderTestMisc16.txt", .bits16), ("DecoderTestMisc32.txt", .bits32), ("DecoderTestMisc64.txt", .bits64),
    ])
    func decoderVectors(file: String, mode: CPUMode) throws {
        let known = try Self.knownDifferences()
        let (checked, failures) = try Self.run(file, mode: mode)
        var report = "\(file): \(checked) checked, \(failures.count) disagree\n"
        for (line, diff) in failures { report += "\(mode.rawValue) | \(line) | \(diff)\n" }
        let reportDir = ProcessInfo.processInfo.environment["POPEK_REPORT_DIR"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build").path
        let reportURL = URL(fileURLWithPath: reportDir).appendingPathComponent("iced-report-\(file)")
        try? report.write(to: reportURL, atomically: true, encoding: .utf8)
        let unexpected = failures.filter { !known.contains("\(mode.rawValue)|\($0.0)") }
        let failingLines = Set(failures.map { "\(mode.rawValue)|\($0.0)" })
        let nowPassing = known.filter { $0.hasPrefix("\(mode.rawValue)|") && !failingLines.contains($0) }
            .filter { k in (try? TestData.lines("iced/Decoder/\(file)"))?.contains { "\(mode.rawValue)|\($0)" == k } ?? false }
        print("\(file): \(checked) lines checked, \(checked - failures.count) agree, \(failures.count) disagree (\(unexpected.count) unexpected)")
        let unexpectedCount = unexpected.count, nowPassingCount = nowPassing.count
        let firstUnexpected = unexpected.prefix(5).map { "\($0.0) -> \($0.1)" }.joined(separator: "; ")
        #expect(unexpectedCount == 0, "lines disagree with iced (report in .build/iced-report-\(file)); first: \(firstUnexpected)")
        #expect(nowPassingCount == 0, "lines listed as known differences now agree; remove them: \(nowPassing.prefix(5).joined(separator: "; "))")
    }
}
