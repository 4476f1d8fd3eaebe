import Boot
import Foundation
import GuestMemory
import Interpreter
import Machine
import MachineInterface
import Testing
import X86State

/// A platform for running bare-metal test programs: port 0xE9 collects text, port 0xF4 ends the
/// run (QEMU's isa-debug-exit), everything else reads as all ones.
final class TestPlatform: Platform {
    var output: [UInt8] = []
    var exitValue: UInt32?
    func portRead(_ port: UInt16, size: Int) -> UInt32 { port == 0xE9 ? 0xE9 : UInt32.max >> (32 - 8 * UInt32(size)) }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        if port == 0xE9 { output.append(UInt8(truncatingIfNeeded: value)) }
        if port == 0xF4 && exitValue == nil { exitValue = value & 0xFF }
    }
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { ~0 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
    var interruptPending: Bool { false }
    func acknowledgeInterrupt() -> UInt8 { 0 }
    var stopRequested: Bool { exitValue != nil }
}

/// Assembles a program from Guests/selftest with NASM.
func assemble(_ name: String) throws -> [UInt8] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("Guests/selftest")
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("popek-\(name)-\(UUID().uuidString).bin")  // unique: tests assemble in parallel
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["nasm", "-f", "bin", "-I", dir.path + "/", "-o", out.path, dir.appendingPathComponent("\(name).asm").path]
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
    defer { try? FileManager.default.removeItem(at: out) }
    return [UInt8](try Data(contentsOf: out))
}

/// Self-checking guest programs (NASM sources in Guests/selftest) run on the interpreter and report
/// pass (0) or the number of the failed check through port 0xF4.
@Suite struct GuestProgramTests {
    static let programs: [(String, Int)] = [("exceptions64", 64), ("paging32", 32), ("smc", 32), ("mmu64", 64), ("supervisor64", 64), ("taskswitch", 32), ("v86", 32),
                                                    ("simd64", 64), ("fpu32", 32), ("fpu16", 16), ("x87arith32", 32),
                                                    ("user64", 64), ("cpuid64", 64), ("msr64", 64), ("ssefloat64", 64),
                                                    ("debug64", 64), ("callgate32", 32), ("callgate64", 64), ("smepsmap64", 64),
                                                    ("segquery32", 32), ("sysenter64", 64), ("iretfault64", 64)]

    @Test("self-checking guest programs on the interpreter", arguments: programs)
    func program(name: String, bits: Int) throws {
        let image = try assemble(name)
        let ram = try GuestRAM(size: 64 << 20)
        let platform = TestPlatform()
        let cpu = Interpreter(ram: ram, platform: platform, model: .x86_64)
        // 16-bit programs run at 1000:0000 (so that real-mode linear addresses exceed 16 bits).
        cpu.state = try FlatBinary.load(image, into: ram, at: bits == 16 ? 0x10000 : 0x8000, bits: bits)
        let stop = cpu.run(budget: 10_000_000)
        let text = String(decoding: platform.output, as: UTF8.self)
        #expect(platform.exitValue == 0, "\(name): exit value \(platform.exitValue.map(String.init) ?? "none") (check that failed), stop \(stop), rip 0x\(String(cpu.state.rip, radix: 16)), output \(text)")
    }

    /// Programs that need the PC's devices ("; Machine: pc"): run on the whole machine with the interpreter.
    static let pcPrograms: [(String, Int, UInt64)] = [("a20gate16", 16, 0x10000), ("timer64", 64, 0x8000), ("cr8tpr64", 64, 0x8000)]

    @Test("self-checking guest programs on the PC machine with the interpreter", arguments: pcPrograms)
    func pcProgram(name: String, bits: Int, load: UInt64) throws {
        let image = try assemble(name)
        var console: [UInt8] = []
        let vm = try VirtualMachine(memory: 64 << 20, engine: .interpreter, serialOutput: { _ in }, console: { console.append($0) })
        vm.cpu.state = try FlatBinary.load(image, into: vm.machine.ram, at: load, bits: bits)
        let exit = vm.run()
        #expect(exit == .debugExit(value: 0), "\(name): \(exit) (debugExit(value: n): check n failed), output \(String(decoding: console, as: UTF8.self))")
    }
}
