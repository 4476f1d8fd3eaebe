#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GuestMemory
import Interpreter
import MachineInterface
import X86State

/// The processors the SingleStepTests sets were captured on.
public enum SingleStepCPU: String, CaseIterable, Sendable {
    case i8086 = "8086"
    case i80286 = "80286"

    var model: CPUModel { self == .i8086 ? .i8086 : .i80286 }
    /// Physical addresses: 20 bits that wrap (8086), 24 bits (80286, A20 on).
    var addressMask: UInt32 { self == .i8086 ? 0xF_FFFF : 0xFF_FFFF }
}

/// One test that did not match the hardware.
public struct SingleStepFailure: Sendable {
    public var file: String
    public var index: Int
    public var name: String
    public var bytes: [UInt8]
    public var hash: String?
    /// The INIT registers, for the report.
    public var initial: [UInt16] = []
    /// One line per differing register or byte: "ax: expected 1234, got 5678".
    public var differences: [String]

    public var description: String {
        let hex = bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
        var s = "\(file) #\(index) \(name) [\(hex)]"
        if let hash { s += " \(hash)" }
        if initial.count == 14 {
            s += "\n    init: " + zip(MOOState.registerNames, initial).map { "\($0)=" + String(format: "%04X", $1) }.joined(separator: " ")
        }
        for d in differences { s += "\n    \(d)" }
        return s
    }
}

/// The outcome of one MOO file.
public struct SingleStepFileResult: Sendable {
    public var file: String
    public var passed = 0
    public var failed = 0
    /// Tests not run, with the reason (revoked upstream, or a documented skip).
    public var skipped = 0
    public var skipReasons: [String: Int] = [:]
    /// The first failures (up to the runner's `keepFailures`).
    public var failures: [SingleStepFailure] = []
}

/// The platform the tests assume: IN reads all ones, OUT goes nowhere, no interrupts, no MMIO.
final class TestPlatform: Platform {
    func portRead(_ port: UInt16, size: Int) -> UInt32 { size >= 4 ? 0xFFFF_FFFF : (1 << (UInt32(size) * 8)) - 1 }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) {}
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { size >= 8 ? ~0 : (1 << (UInt64(size) * 8)) - 1 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
    var interruptPending: Bool { false }
    func acknowledgeInterrupt() -> UInt8 { 0 }
    var stopRequested: Bool { false }
}

/// Runs SingleStepTests MOO files against the interpreter (shared/testdata/README.md, "How to run one test").
///
/// One interpreter and one 16 MiB guest RAM serve every test: RAM is returned to zero between tests
/// with `madvise(MADV_DONTNEED)`, and the pages a test made resident are scanned afterwards, so a write
/// the hardware did not make is reported even where the test lists no byte.
public final class SingleStepRunner {
    public let cpu: SingleStepCPU
    /// How many failures per file to keep with their details.
    public var keepFailures: Int
    let ram: GuestRAM
    let interpreter: Interpreter
    let platform = TestPlatform()
    var metadataByDirectory: [String: (SingleStepMetadata, Set<String>)] = [:]
    let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    var residency: [UInt8]

    public init(cpu: SingleStepCPU, keepFailures: Int = 20) throws {
        self.cpu = cpu
        self.keepFailures = keepFailures
        ram = try GuestRAM(size: 16 << 20)
        interpreter = Interpreter(ram: ram, platform: platform, model: cpu.model)
        residency = [UInt8](repeating: 0, count: Int(ram.size) / Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The MOO files named by `paths`: files as given, directories expanded to their `*.MOO[.gz]`, sorted.
    public static func files(_ paths: [String]) throws(TestVectorError) -> [URL] {
        var result: [URL] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { throw .unreadable(p, "no such file or directory") }
            if isDir.boolValue {
                let names: [String]
                do { names = try FileManager.default.contentsOfDirectory(atPath: p) } catch { throw .unreadable(p, error.localizedDescription) }
                let moo = names.filter { $0.uppercased().hasSuffix(".MOO.GZ") || $0.uppercased().hasSuffix(".MOO") }.sorted()
                result += moo.map { URL(fileURLWithPath: p).appendingPathComponent($0) }
            } else {
                result.append(URL(fileURLWithPath: p))
            }
        }
        return result
    }

    /// The opcode key and group ModRM.reg a file name gives: `F7.6.MOO.gz` -> ("F7", 6), `0F01.MOO.gz` -> ("0F01", nil).
    public static func opcodeKey(_ url: URL) -> (String, Int?) {
        let parts = url.lastPathComponent.split(separator: ".")
        let op = parts.first.map(String.init)?.uppercased() ?? ""
        if parts.count >= 2, let reg = Int(parts[1]) { return (op, reg) }
        return (op, nil)
    }

    func metadata(for url: URL) -> (SingleStepMetadata, Set<String>) {
        let dir = url.deletingLastPathComponent()
        if let m = metadataByDirectory[dir.path] { return m }
        let meta = (try? SingleStepMetadata(contentsOf: dir.appendingPathComponent("metadata.json"))) ?? SingleStepMetadata()
        let revoked = loadRevocationList(dir.appendingPathComponent("revocation_list.txt"))
        metadataByDirectory[dir.path] = (meta, revoked)
        return (meta, revoked)
    }

    /// Runs every test of one file.
    public func run(file url: URL) throws(TestVectorError) -> SingleStepFileResult {
        let moo = try MOOFile(contentsOf: url)
        let fileCPU: SingleStepCPU? = moo.cpu == "8086" ? .i8086 : moo.cpu.hasSuffix("286") ? .i80286 : nil
        if let fileCPU, fileCPU != cpu {
            throw .malformed(url.path, "captured on the \(fileCPU.rawValue), not the \(cpu.rawValue)")
        }
        let (meta, revoked) = metadata(for: url)
        let (opcode, fileReg) = Self.opcodeKey(url)
        var result = SingleStepFileResult(file: url.lastPathComponent)
        for test in moo.tests {
            if let h = test.hash, revoked.contains(h) {
                result.skipped += 1
                result.skipReasons["revoked upstream (revocation_list.txt)", default: 0] += 1
                continue
            }
            // Every other test runs, whatever its metadata status: aliases, undocumented and undefined
            // forms and the ESC (FPU) opcodes all have defined outcomes on the captured chip.
            let reg = fileReg ?? Self.modrmReg(test.bytes, opcode: opcode)
            let entry = meta.entry(opcode: opcode, reg: reg)
            let differences = run(test, flagsMask: entry?.flagsMask ?? 0xFFFF)
            if differences.isEmpty {
                result.passed += 1
            } else {
                result.failed += 1
                if result.failures.count < keepFailures {
                    result.failures.append(SingleStepFailure(file: url.lastPathComponent, index: test.index, name: test.name,
                                                             bytes: test.bytes, hash: test.hash,
                                                             initial: test.initial.registers.map { $0 ?? 0 }, differences: differences))
                }
            }
        }
        return result
    }

    /// ModRM.reg of a test's instruction, for group opcodes in files not split by reg.
    static func modrmReg(_ bytes: [UInt8], opcode: String) -> Int? {
        var i = 0
        while i < bytes.count, [0x26, 0x2E, 0x36, 0x3E, 0xF0, 0xF1, 0xF2, 0xF3].contains(bytes[i]) { i += 1 }
        i += opcode.count / 2
        return i < bytes.count ? Int((bytes[i] >> 3) & 7) : nil
    }

    /// Runs one test; returns the differences from the hardware (empty: passed).
    public func run(_ test: MOOTest, flagsMask: UInt16) -> [String] {
        let mask = cpu.addressMask
        // Reset: RAM to zero, then the INIT registers and bytes.
        _ = madvise(ram.base, Int(ram.size), MADV_DONTNEED)
        interpreter.reset()
        var s = interpreter.state
        let r = test.initial.registers.map { UInt64($0 ?? 0) }
        s[gpr: 0] = r[MOOState.ax]
        s[gpr: 1] = r[MOOState.cx]
        s[gpr: 2] = r[MOOState.dx]
        s[gpr: 3] = r[MOOState.bx]
        s[gpr: 4] = r[MOOState.sp]
        s[gpr: 5] = r[MOOState.bp]
        s[gpr: 6] = r[MOOState.si]
        s[gpr: 7] = r[MOOState.di]
        s.segments.0 = .real(UInt16(r[MOOState.es]))
        s.segments.1 = .real(UInt16(r[MOOState.cs]))
        s.segments.1.attributes = 0x9B
        s.segments.2 = .real(UInt16(r[MOOState.ss]))
        s.segments.3 = .real(UInt16(r[MOOState.ds]))
        s.rip = r[MOOState.ip]
        var initialFlags = UInt16(r[MOOState.flags])
        // The 80286 cannot hold IOPL/NT (bits 12-15) in real mode: the test's INIT is a LOADALL image.
        if cpu == .i80286 { initialFlags &= 0x0FFF }
        s.rflags = UInt64(initialFlags)
        interpreter.state = s
        let base = ram.base.assumingMemoryBound(to: UInt8.self)
        for (a, v) in test.initial.ram { base[Int(a & mask)] = v }

        // Run: one instruction (8086), or until the HLT that ends every 80286 test.
        var differences: [String] = []
        switch cpu {
        case .i8086:
            if let stop = interpreter.step() { differences.append("stopped: \(stop)") }
        case .i80286:
            let stop = interpreter.run(budget: 64)
            if stop != .halted { differences.append("did not reach HLT: \(stop)") }
        }

        // Registers: INIT overlaid with FINA; FLAGS masked to the defined bits on both sides.
        var expected = test.initial.registers.map { $0 ?? 0 }
        expected[MOOState.flags] = initialFlags
        for (i, v) in test.final.registers.enumerated() { if let v { expected[i] = v } }
        let f = interpreter.state
        let actual: [UInt16] = [
            f[gpr: 0], f[gpr: 3], f[gpr: 1], f[gpr: 2],
            UInt64(f.segments.1.selector), UInt64(f.segments.2.selector), UInt64(f.segments.3.selector), UInt64(f.segments.0.selector),
            f[gpr: 4], f[gpr: 5], f[gpr: 6], f[gpr: 7], f.rip, f.rflags,
        ].map { UInt16(truncatingIfNeeded: $0) }
        for i in 0..<14 {
            var e = expected[i], a = actual[i]
            if i == MOOState.flags { e &= flagsMask; a &= flagsMask }
            if e != a {
                differences.append(String(format: "%@: expected %04X, got %04X", MOOState.registerNames[i], e, a)
                                   + (i == MOOState.flags ? String(format: " (diff %04X)", e ^ a) : ""))
            }
        }
        // Upper halves of the 64-bit registers must stay clear in a 16-bit CPU.
        for n in 0..<8 where f[gpr: n] > 0xFFFF { differences.append("gpr\(n) has bits above 15: \(String(f[gpr: n], radix: 16))") }

        // Memory: INIT overlaid with FINA, every listed byte.
        var expectedRAM: [UInt32: UInt8] = [:]
        expectedRAM.reserveCapacity(test.initial.ram.count + test.final.ram.count)
        for (a, v) in test.initial.ram { expectedRAM[a & mask] = v }
        for (a, v) in test.final.ram { expectedRAM[a & mask] = v }
        // The FLAGS word an exception pushed holds the undefined flags too: mask it on both sides.
        var maskedBytes: [UInt32: UInt8] = [:]
        if let (low, high) = exceptionFlagsAddresses(test, expected: expected) {
            maskedBytes[low & mask] = UInt8(flagsMask & 0xFF)
            maskedBytes[high & mask] = UInt8(flagsMask >> 8)
        }
        for (a, e) in expectedRAM.sorted(by: { $0.key < $1.key }) {
            let m = maskedBytes[a] ?? 0xFF
            let got = base[Int(a)]
            if e & m != got & m { differences.append(String(format: "[%06X]: expected %02X, got %02X", a, e, got)) }
        }
        // Writes the hardware did not make: nonzero bytes outside the listed ones, on the pages the test touched.
        differences += strayWrites(expectedRAM)
        return differences
    }

    /// The physical addresses of the two bytes of the FLAGS word an exception pushed: at SS:SP+4 of the
    /// final state (IP, CS, FLAGS), each byte's offset wrapping at 64 KiB. The 80286 files mark
    /// exceptions (EXCP; its address is the word's bus address, rounded down to even for an odd SP).
    /// The 8086 files do not: a #DE is recognized by its outcome, CS:IP from IVT entry 0 and SP
    /// lowered by 6.
    func exceptionFlagsAddresses(_ test: MOOTest, expected: [UInt16]) -> (UInt32, UInt32)? {
        let ss = UInt32(expected[MOOState.ss]) << 4, sp = expected[MOOState.sp]
        let slot = (ss &+ UInt32(sp &+ 4), ss &+ UInt32(sp &+ 5))
        if let e = test.exception {
            return slot.0 & ~1 == e.flagsAddress & ~1 ? slot : (e.flagsAddress, e.flagsAddress &+ 1)
        }
        guard cpu == .i8086 else { return nil }
        var ivt = [UInt8](repeating: 0, count: 4)
        var have = 0
        for (a, v) in test.initial.ram where a < 4 { ivt[Int(a)] = v; have |= 1 << Int(a) }
        guard have == 0xF else { return nil }
        let ip = UInt16(ivt[0]) | UInt16(ivt[1]) << 8, cs = UInt16(ivt[2]) | UInt16(ivt[3]) << 8
        let initialSP = test.initial.registers[MOOState.sp] ?? 0
        guard expected[MOOState.ip] == ip, expected[MOOState.cs] == cs, sp == initialSP &- 6 else { return nil }
        return slot
    }

    func strayWrites(_ expected: [UInt32: UInt8]) -> [String] {
        var result: [String] = []
        let pages = residency.count
        let ok = residency.withUnsafeMutableBufferPointer { mincore(ram.base, Int(ram.size), $0.baseAddress) == 0 }
        guard ok else { return [] }
        let words = ram.base.assumingMemoryBound(to: UInt64.self)
        let bytes = ram.base.assumingMemoryBound(to: UInt8.self)
        let perPage = pageSize / 8
        for p in 0..<pages where residency[p] & 1 != 0 {
            for w in p * perPage..<(p + 1) * perPage where words[w] != 0 {
                for b in w * 8..<w * 8 + 8 where bytes[b] != 0 && expected[UInt32(b)] == nil {
                    if result.count < 16 { result.append(String(format: "[%06X]: expected untouched (00), got %02X", b, bytes[b])) }
                }
            }
        }
        return result
    }
}
