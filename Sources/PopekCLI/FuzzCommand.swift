#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Synchronization
import TestVectors

/// `popek fuzz`: developer tools for testing the interpreter (hidden from the main help).
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Interpreter fuzzing tools (for Scripts/diff-unicorn.py and CI).",
        shouldDisplay: false,
        subcommands: [Snippets.self, Robustness.self]
    )
}

/// `popek fuzz snippets`: runs snippet cases from standard input, one result line per case.
struct Snippets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run instruction snippets (one case line each on standard input) and print their final state.",
        discussion: """
            The line formats are documented in Sources/TestVectors/SnippetRunner.swift. A line `sync` \
            is answered with `sync` and a flush, so that a driver can exchange batches with one process. \
            Scripts/diff-unicorn.py generates the cases and compares the results with Unicorn's.
            """
    )

    @Option(help: "Instruction budget per case.")
    var budget: Int = 10_000

    func run() throws {
        let runner = try SnippetRunner(budget: budget)
        var out = ""
        while let line = readLine(strippingNewline: true) {
            if line == "sync" {
                out += "sync\n"
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
                continue
            }
            if line.isEmpty { continue }
            guard let c = SnippetCase(line: line[...]) else {
                out += "error malformed case line: \(line.prefix(80))\n"
                continue
            }
            do {
                out += try runner.run(c).line + "\n"
            } catch {
                out += "\(c.id) error \(error)\n"
            }
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// The case being run, for the crash and hang reports (read by the signal handler and the watchdog).
nonisolated(unsafe) var robustnessCurrent: (bits: Int, index: Int, seed: UInt64) = (0, 0, 0)
let robustnessProgress = Atomic<Int>(0)

/// Writes `text` then a decimal number to standard error without allocating (signal-handler safe enough).
func reportToStderr(_ text: StaticString, _ n: Int) {
    _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var v = UInt64(bitPattern: Int64(n))
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buf in
        repeat {
            buf[19 - count] = UInt8(48 + v % 10)
            v /= 10
            count += 1
        } while v > 0 && count < 20
        _ = write(2, buf.baseAddress! + (20 - count), count)
    }
}

func reportCurrentCase() {
    reportToStderr(" in robustness case: --bits ", robustnessCurrent.bits)
    reportToStderr(" --seed ", Int(truncatingIfNeeded: robustnessCurrent.seed))
    reportToStderr(" --first ", robustnessCurrent.index)
    reportToStderr(" --cases ", 1)
    _ = write(2, "\n", 1)
}

/// `popek fuzz robustness`: random byte programs with a budget; the monitor must never crash or hang.
struct Robustness: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run random byte programs in 16-, 32- and 64-bit starting states with an instruction budget.",
        discussion: """
            Each case is 4 KiB of random code plus random registers and data, run for --budget \
            instructions; exceptions go to the guest's IDT (whose handlers are random code too) or end the \
            run as a triple fault. A crash (a trap in the monitor) or a case that does not finish within \
            --timeout seconds is reported with the command line that reproduces it. Ends with \
            "N passed, M failed".
            """
    )

    @Option(help: "Cases per mode.")
    var cases: Int = 10_000

    @Option(help: "Modes to run, comma-separated.")
    var bits: String = "16,32,64"

    @Option(help: "Seed (decimal).")
    var seed: UInt64 = 1

    @Option(help: "Index of the first case (to reproduce one).")
    var first: Int = 0

    @Option(help: "Instruction budget per case.")
    var budget: UInt64 = 1000

    @Option(help: "Seconds without progress that count as a hang.")
    var timeout: Int = 20

    func run() throws {
        let modes = bits.split(separator: ",").compactMap { Int($0) }
        guard !modes.isEmpty, modes.allSatisfy({ [16, 32, 64].contains($0) }) else {
            throw ValidationError("--bits takes 16, 32 and/or 64")
        }
        for sig in [SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGABRT] {
            signal(sig) { s in
                reportToStderr("popek fuzz robustness: crashed with signal ", Int(s))
                reportCurrentCase()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
        let limit = timeout
        let watchdog = Thread {
            var last = -1, still = 0
            while true {
                sleep(1)
                let now = robustnessProgress.load(ordering: .relaxed)
                if now == last { still += 1 } else { still = 0; last = now }
                if still >= limit {
                    reportToStderr("popek fuzz robustness: no progress for seconds: ", still)
                    reportCurrentCase()
                    Glibc.exit(3)
                }
            }
        }
        watchdog.start()
        var total = 0
        for mode in modes {
            let fuzzer = try RobustnessFuzzer(budget: budget)
            let start = Date()
            for i in first..<(first + cases) {
                robustnessCurrent = (mode, i, seed)
                fuzzer.run(bits: mode, seed: seed, index: i)
                robustnessProgress.add(1, ordering: .relaxed)
            }
            total += fuzzer.cases
            let secs = Date().timeIntervalSince(start)
            let stops = fuzzer.stops.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let exc = fuzzer.exceptions.sorted { $0.key < $1.key }.map { "#\($0.key) \($0.value)" }.joined(separator: " ")
            print("\(mode)-bit: \(fuzzer.cases) programs, \(fuzzer.instructions) instructions in \(String(format: "%.1f", secs)) s; stops: \(stops)")
            print("  last exception per program: \(exc)")
        }
        print("\(total) passed, 0 failed")
    }
}
