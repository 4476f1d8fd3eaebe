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

    @Test func badMemorySizesAreRejected() {
        #expect(throws: (any Error).self) { try VirtualMachine(memory: 12345, serialOutput: { _ in }, console: { _ in }) }
    }
}
