import Boot
import Foundation
import Machine
import Testing

/// The whole PC machine (devices, clock, run loop) with the interpreter, on the built-in demo guest.
@Suite struct MachineTests {
    @Test func demoGuestWalksToLongModeAndReportsOnCOM1() throws {
        var serial: [UInt8] = []
        let vm = try VirtualMachine(memory: 64 << 20, serialOutput: { serial.append($0) }, console: { _ in })
        vm.cpu.state = try FlatBinary.load(DemoGuest.image, into: vm.machine.ram, at: DemoGuest.loadAddress, bits: 16)
        let exit = vm.run()
        let text = String(decoding: serial, as: UTF8.self)
        #expect(exit == .powerOff, "exit \(exit), output: \(text)")
        #expect(text.contains("protected mode: 32-bit flat segments"))
        #expect(text.contains("CPUID vendor: PopekVMPopek"))
        #expect(text.contains("long mode: 64-bit code"))
        // The RTC answers in BCD: "RTC time: hh:mm:ss UTC" with digits only.
        let time = text.components(separatedBy: "RTC time: ").last?.prefix(8) ?? ""
        #expect(time.count == 8 && time.allSatisfy { $0.isNumber || $0 == ":" }, "time \(time)")
    }

    /// Self-checking programs that need the PC's devices ("; Machine: pc": PICs, PIT, local APIC) run
    /// on the whole machine with the interpreter (the engine conformance test also runs them under KVM).
    @Test("self-checking guest programs on the PC machine", arguments: [("timer64", 64), ("cr8tpr64", 64)])
    func pcMachineProgram(name: String, bits: Int) throws {
        let image = try assemble(name)
        var console: [UInt8] = []
        let vm = try VirtualMachine(memory: 64 << 20, serialOutput: { _ in }, console: { console.append($0) })
        vm.cpu.state = try FlatBinary.load(image, into: vm.machine.ram, at: 0x8000, bits: bits)
        let exit = vm.run()
        #expect(exit == .debugExit(value: 0), "\(name): \(exit), console: \(String(decoding: console, as: UTF8.self))")
    }

    @Test func badMemorySizesAreRejected() {
        #expect(throws: (any Error).self) { try VirtualMachine(memory: 12345, serialOutput: { _ in }, console: { _ in }) }
    }
}
