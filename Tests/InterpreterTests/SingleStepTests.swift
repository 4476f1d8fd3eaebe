import Foundation
import Testing
import TestVectors

/// Where `../shared/testdata` is: beside the package root, or `$POPEK_TESTDATA`.
enum TestData {
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["POPEK_TESTDATA"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/testdata")
    }
}

/// The interpreter against SingleStepTests: every test captured on a real 8086 and 80286
/// (`../shared/testdata/singlestep`), registers and memory bit for bit, undefined flags masked.
///
/// Tests that cannot pass for a documented reason are listed in `Resources/singlestep-exceptions.txt`
/// (`CPU FILE INDEX | reason`); a listed test that passes is a failure too, so the list only shrinks.
/// The failures go to `.build/singlestep-report-CPU.txt`.
@Suite struct SingleStepTests {
    static func exceptions() -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/singlestep-exceptions.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var set = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let key = line.split(separator: "|", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty { set.insert(key) }
        }
        return set
    }

    @Test("SingleStepTests, real mode", arguments: SingleStepCPU.allCases)
    func singleStep(cpu: SingleStepCPU) throws {
        let dir = TestData.root.appendingPathComponent("singlestep/\(cpu.rawValue)")
        let files = try SingleStepRunner.files([dir.path])
        #expect(files.count > 300, "expected the full SingleStepTests subset in \(dir.path)")
        let runner = try SingleStepRunner(cpu: cpu, keepFailures: .max)
        let known = Self.exceptions().filter { $0.hasPrefix(cpu.rawValue + " ") }
        var passed = 0, failed = 0, skipped = 0
        var failures: [SingleStepFailure] = []
        var skipReasons: [String: Int] = [:]
        for url in files {
            let r = try runner.run(file: url)
            passed += r.passed
            failed += r.failed
            skipped += r.skipped
            failures += r.failures
            for (k, v) in r.skipReasons { skipReasons[k, default: 0] += v }
        }
        let keyed = failures.map { ("\(cpu.rawValue) \($0.file) \($0.index)", $0) }
        let unexpected = keyed.filter { !known.contains($0.0) }
        let failingKeys = Set(keyed.map(\.0))
        let nowPassing = known.filter { !failingKeys.contains($0) }

        var report = "\(cpu.rawValue): \(passed) passed, \(failed) failed, \(skipped) skipped\n"
        for (reason, n) in skipReasons.sorted(by: { $0.key < $1.key }) { report += "skipped \(n): \(reason)\n" }
        for (_, f) in keyed { report += f.description + "\n" }
        let reportDir = ProcessInfo.processInfo.environment["POPEK_REPORT_DIR"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build").path
        try? report.write(to: URL(fileURLWithPath: reportDir).appendingPathComponent("singlestep-report-\(cpu.rawValue).txt"),
                          atomically: true, encoding: .utf8)

        print("SingleStepTests \(cpu.rawValue): \(passed) passed, \(failed) failed"
              + (skipped > 0 ? " (\(skipped) skipped)" : "") + (known.isEmpty ? "" : " (\(known.count) listed exceptions)"))
        let first = unexpected.prefix(3).map { $0.1.description }.joined(separator: "\n")
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected failures (report in .build/singlestep-report-\(cpu.rawValue).txt); first:\n\(first)")
        #expect(nowPassing.isEmpty, "listed exceptions now pass; remove them: \(nowPassing.sorted().prefix(5))")
    }
}
