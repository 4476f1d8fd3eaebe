import ArgumentParser
import Foundation
import TestVectors

/// `popek test-vectors`: run third-party CPU test vectors against the interpreter.
struct TestVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-vectors",
        abstract: "Run CPU test vectors against the interpreter.",
        subcommands: [SingleStep.self]
    )
}

/// `popek test-vectors singlestep --cpu 8086|80286 PATH...`
struct SingleStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "singlestep",
        abstract: "Run SingleStepTests MOO files (8086 or 80286, real mode) against the interpreter.",
        discussion: """
            PATH is a .MOO.gz file or a directory of them; metadata.json and revocation_list.txt are \
            read from each file's directory. Ends with "N passed, M failed"; exits 1 if any failed.
            """
    )

    @Option(help: "The processor the files were captured on: 8086 or 80286.")
    var cpu: String

    @Flag(help: "Print each failure with the test name and the differing registers and bytes.")
    var verbose = false

    @Option(help: "With --verbose: failures shown per file at most.")
    var maxFailures: Int = 1_000_000

    @Argument(help: "MOO files or directories.")
    var paths: [String]

    func validate() throws {
        guard SingleStepCPU(rawValue: cpu) != nil else { throw ValidationError("--cpu must be 8086 or 80286, not \(cpu)") }
        if paths.isEmpty { throw ValidationError("give at least one MOO file or directory") }
    }

    func run() throws {
        let runner = try SingleStepRunner(cpu: SingleStepCPU(rawValue: cpu)!, keepFailures: verbose ? maxFailures : 0)
        let files: [URL]
        do { files = try SingleStepRunner.files(paths) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(66)
        }
        var passed = 0, failed = 0, skipped = 0
        var skipReasons: [String: Int] = [:]
        var unreadable = false
        for url in files {
            let r: SingleStepFileResult
            do { r = try runner.run(file: url) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                unreadable = true
                continue
            }
            passed += r.passed
            failed += r.failed
            skipped += r.skipped
            for (k, v) in r.skipReasons { skipReasons[k, default: 0] += v }
            if verbose {
                for f in r.failures { print("FAIL " + f.description) }
                if r.failed > 0 { print("\(r.file): \(r.passed) passed, \(r.failed) failed") }
            }
        }
        if skipped > 0 {
            for (reason, n) in skipReasons.sorted(by: { $0.key < $1.key }) { print("skipped \(n): \(reason)") }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 || unreadable { throw ExitCode(1) }
    }
}
