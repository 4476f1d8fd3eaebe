import Boot
import Foundation
import GuestMemory
import Interpreter
import Machine
import Testing
import X86State

/// Builds the Multiboot test kernels of Guests/multiboot: the ELF32 one with NASM and GNU ld, the
/// a.out-kludge one with NASM alone.
enum MultibootGuest: String, CaseIterable, Sendable {
    case elf, aout

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The modules and command line Guests/multiboot/check.inc expects, with 128 MiB of RAM.
    static let memory: UInt64 = 128 << 20
    static let commandLine = "/boot/kernel mbtest=1 hello"
    static let modules = [
        MultibootModule(bytes: Array("MODULE-ONE".utf8), commandLine: "/boot/m1 first"),
        MultibootModule(bytes: (0..<5000).map { UInt8(truncatingIfNeeded: 7 * $0 + 3) }, commandLine: "/boot/m2 second,arg"),
    ]

    func build() throws -> [UInt8] {
        let dir = MultibootGuest.root.appendingPathComponent("Guests/multiboot")
        let includes = ["-I", MultibootGuest.root.appendingPathComponent("Guests/selftest").path + "/", "-I", dir.path + "/"]
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("popek-mb-\(rawValue)-\(UUID().uuidString)")  // tests build in parallel
        defer { try? FileManager.default.removeItem(at: tmp.appendingPathExtension("o")); try? FileManager.default.removeItem(at: tmp) }
        switch self {
        case .elf:
            try run(["nasm", "-f", "elf32"] + includes + ["-o", tmp.path + ".o", dir.appendingPathComponent("elf.asm").path])
            try run(["ld", "-m", "elf_i386", "-T", dir.appendingPathComponent("elf.ld").path, "-o", tmp.path, tmp.path + ".o"])
        case .aout:
            try run(["nasm", "-f", "bin"] + includes + ["-o", tmp.path, dir.appendingPathComponent("aout.asm").path])
        }
        return [UInt8](try Data(contentsOf: tmp))
    }

    private func run(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(arguments[0]) failed"]) }
    }
}

/// Multiboot loading (Boot/Multiboot.swift): the test kernels check the machine state and the
/// information structure themselves; the unit tests check header parsing and malformed images.
@Suite struct MultibootTests {
    @Test("a Multiboot kernel checks what the loader left", arguments: MultibootGuest.allCases)
    func guestChecks(kind: MultibootGuest) throws {
        let image = try kind.build()
        #expect(KernelFormat.detect(image) == .multiboot)
        let ram = try GuestRAM(size: MultibootGuest.memory)
        let platform = TestPlatform()
        let cpu = Interpreter(ram: ram, platform: platform, model: .x86_64)
        cpu.state = try Multiboot.load(kernel: image, modules: MultibootGuest.modules, commandLine: MultibootGuest.commandLine,
                                       into: ram, memoryMap: LinuxBootProtocol.standardMemoryMap(ramSize: MultibootGuest.memory))
        let stop = cpu.run(budget: 1_000_000)
        let text = String(decoding: platform.output, as: UTF8.self)
        #expect(platform.exitValue == 0, "\(kind): check \(platform.exitValue.map(String.init) ?? "none") failed, stop \(stop), rip 0x\(String(cpu.state.rip, radix: 16)), output \(text)")
        #expect(text.contains("multiboot: all checks passed"))
    }

    @Test("the same kernels on the whole PC machine", arguments: MultibootGuest.allCases)
    func onPCMachine(kind: MultibootGuest) throws {
        let image = try kind.build()
        var console: [UInt8] = []
        let vm = try VirtualMachine(memory: MultibootGuest.memory, serialOutput: { _ in }, console: { console.append($0) })
        vm.cpu.state = try Multiboot.load(kernel: image, modules: MultibootGuest.modules, commandLine: MultibootGuest.commandLine,
                                          into: vm.machine.ram, memoryMap: LinuxBootProtocol.standardMemoryMap(ramSize: MultibootGuest.memory))
        let exit = vm.run()
        #expect(exit == .debugExit(value: 0), "\(kind): \(exit), console \(String(decoding: console, as: UTF8.self))")
    }
}
