import Foundation
import Testing

/// `popek run` as a user meets it: the built executable (beside this test bundle) on good and
/// malformed input. Every refusal must be a message and a non-zero exit status, never a crash:
/// 64 for bad arguments, 2 for a kernel or file that cannot be used.
@Suite struct RunCommandTests {
    /// The `popek` executable SwiftPM built beside the test bundle.
    static let popek: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("popek")
    }()

    static let scratch: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("popek-run-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Writes a file in the scratch directory and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs `popek run ARGUMENTS` with standard input from /dev/null; the exit status and standard error.
    func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: Self.popek.path) else {
            Issue.record("no popek executable at \(Self.popek.path): build the package first")
            return (-1, "")
        }
        let p = Process()
        p.executableURL = Self.popek
        p.arguments = ["run"] + arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        watchdog.cancel()
        #expect(p.terminationReason == .exit, "popek \(arguments) was killed by signal \(p.terminationStatus): \(text)")
        return (p.terminationStatus, text)
    }

    @Test func multibootKernelsBootWithModulesFromTheCommandLine() throws {
        let m1 = try Self.file("m1", Array("MODULE-ONE".utf8))
        let m2 = try Self.file("m2", (0..<5000).map { UInt8(truncatingIfNeeded: 7 * $0 + 3) })
        for kind in MultibootGuest.allCases {
            let kernel = try Self.file("kernel-\(kind)", try kind.build())
            let r = try run(["--kernel", kernel, "--memory", "128M", "--append", "mbtest=1 hello", "--initrd", "\(m1) first,\(m2) second,,arg"])
            #expect(r.status == 1 && r.stderr.contains("multiboot: all checks passed"), "\(kind): status \(r.status), \(r.stderr)")
        }
    }

    @Test func ramAbove4GiBFromTheCommandLine() throws {
        let image = try Self.file("highmem64.bin", try assemble("highmem64"))
        let r = try run(["--flat", image, "--mode", "64", "--load-address", "0x8000", "--memory", "6G"])
        #expect(r.status == 1, "status \(r.status): \(r.stderr)")
    }

    @Test func unusableKernelsAreRefusedWithAMessage() throws {
        let elf = try MultibootGuest.elf.build()
        var badChecksum = SyntheticKernel.aout()
        badChecksum[8] ^= 1
        let cases: [(String, [UInt8], String)] = [
            ("garbage", [UInt8](repeating: 0xC3, count: 10000), "neither a Linux bzImage"),
            ("empty", [], "is empty"),
            ("bad-checksum", badChecksum, "bad checksum"),
            ("truncated-elf", Array(elf.prefix(0x1100)), "truncated"),
            ("video", SyntheticKernel.header(flags: 1 << 2) + [0xF4], "video mode"),
            ("outside-ram", SyntheticKernel.aout(load: 0x2000_0000), "outside guest RAM"),
        ]
        for (name, bytes, message) in cases {
            let r = try run(["--kernel", try Self.file(name, bytes), "--memory", "64M"])
            #expect(r.status == 2 && r.stderr.contains(message), "\(name): status \(r.status), \(r.stderr)")
        }
        // A Linux setup header from an older protocol.
        var old = [UInt8](repeating: 0, count: 0x1000)
        old.replaceSubrange(0x1FE..<0x206, with: [0x55, 0xAA, 0x6A, 0] + Array("HdrS".utf8))
        old.replaceSubrange(0x206..<0x208, with: [0x01, 0x02])
        let r = try run(["--kernel", try Self.file("old-linux", old)])
        #expect(r.status == 2 && r.stderr.contains("too old"), "status \(r.status), \(r.stderr)")
    }

    @Test func missingFilesAreNamed() throws {
        let kernel = try Self.file("kernel-aout", try MultibootGuest.aout.build())
        let missing = Self.scratch.appendingPathComponent("no-such-file").path
        for args in [["--kernel", missing], ["--kernel", kernel, "--initrd", missing + " arg"], ["--flat", missing],
                     ["--kernel", Self.scratch.path]] {
            let r = try run(args)
            #expect(r.status == 2 && r.stderr.contains("'\(args[args.count - 1].split(separator: " ")[0])'"), "\(args): status \(r.status), \(r.stderr)")
        }
    }

    @Test func badOptionsAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--memory", "1T"], "36-bit"),
            (["--memory", "lots"], "is not a size"),
            (["--memory", "0"], "is not a size"),
            (["--memory", "8M"], "too small"),
            (["--memory", "99999999G"], "is not a size"),
            (["--engine", "warp"], "choose"),
            (["--flat", "x", "--mode", "48"], "--mode must be"),
            (["--flat", "x", "--load-address", "here"], "not a number"),
            (["--initrd", "x"], "--initrd needs --kernel"),
            (["--kernel", "a", "--flat", "b"], "not both"),
            (["--serial", "tty"], "--serial"),
        ]
        for (args, message) in cases {
            let r = try run(args)
            #expect(r.status == 64 && r.stderr.contains(message), "\(args): status \(r.status), \(r.stderr)")
        }
        let host = ProcessInfo.processInfo.physicalMemory
        if host < 60 << 30 {
            let r = try run(["--memory", "\((host >> 30) + 2)G"])
            #expect(r.status == 64 && r.stderr.contains("more than this host's"), "status \(r.status), \(r.stderr)")
        }
    }
}
