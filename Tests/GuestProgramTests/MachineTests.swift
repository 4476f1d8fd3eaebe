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

    /// x87 errors with CR0.NE = 0 reach the guest as IRQ 13 through the 8259s (FERR#), port 0xF0
    /// asserts IGNNE#, and with CR0.NE = 1 they are #MF (Guests/selftest/ferr32.asm).
    @Test func x87ErrorsWithNEClearRaiseIRQ13() throws {
        let image = try assemble("ferr32")
        let vm = try VirtualMachine(memory: 64 << 20, serialOutput: { _ in }, console: { _ in })
        vm.cpu.state = try FlatBinary.load(image, into: vm.machine.ram, at: 0x8000, bits: 32)
        let exit = vm.run()
        #expect(exit == .debugExit(value: 0), "exit \(exit) (a debug-exit value is the number of the failed check)")
    }

    @Test func badMemorySizesAreRejected() {
        #expect(throws: (any Error).self) { try VirtualMachine(memory: 12345, serialOutput: { _ in }, console: { _ in }) }
    }
}
