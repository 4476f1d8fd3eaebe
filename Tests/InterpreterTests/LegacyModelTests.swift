import GuestMemory
import Interpreter
import MachineInterface
import Testing
import X86State

/// 8086 and 80286 behaviour the SingleStepTests sets leave out (POP CS, MOV CS, LOADALL, SMSW,
/// 386-only opcodes), checked on hand-written code.
@Suite struct LegacyModelTests {
    final class NullPlatform: Platform {
        func portRead(_ port: UInt16, size: Int) -> UInt32 { 0xFFFF_FFFF }
        func portWrite(_ port: UInt16, size: Int, value: UInt32) {}
        func mmioRead(_ address: UInt64, size: Int) -> UInt64 { ~0 }
        func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
        var interruptPending: Bool { false }
        func acknowledgeInterrupt() -> UInt8 { 0 }
        var stopRequested: Bool { false }
    }

    /// An interpreter in real mode at 1000:0100 running `code`, SS:SP = 2000:0100, IVT entry 6 -> 0000:0500 (HLT).
    static func machine(_ model: CPUModel, _ code: [UInt8]) throws -> (Interpreter, GuestRAM) {
        let ram = try GuestRAM(size: 16 << 20)
        let cpu = Interpreter(ram: ram, platform: NullPlatform(), model: model)
        var s = cpu.state
        s.segments.1 = .real(0x1000)
        s.segments.2 = .real(0x2000)
        s.rip = 0x100
        s[gpr: 4] = 0x100
        cpu.state = s
        ram.write(code, at: 0x10100)
        ram.write([0x00, 0x05, 0x00, 0x00], at: 6 * 4)
        ram.setByte(0xF4, at: 0x500)
        return (cpu, ram)
    }

    @Test func popCSOn8086() throws {
        let (cpu, ram) = try Self.machine(.i8086, [0x0F])
        ram.write([0x34, 0x12], at: 0x20100)
        _ = cpu.step()
        #expect(cpu.state.segments.1.selector == 0x1234)
        #expect(cpu.state.segments.1.base == 0x12340)
        #expect(cpu.state.rip == 0x101)
        #expect(cpu.state[gpr: 4] == 0x102)
    }

    @Test func movCSOn8086() throws {
        let (cpu, _) = try Self.machine(.i8086, [0x8E, 0xC8])  // mov cs, ax
        var s = cpu.state
        s[gpr: 0] = 0x4321
        cpu.state = s
        _ = cpu.step()
        #expect(cpu.state.segments.1.selector == 0x4321)
        #expect(cpu.state.rip == 0x102)
    }

    @Test func movCSIsInvalidOn80286() throws {
        let (cpu, _) = try Self.machine(.i80286, [0x8E, 0xC8])
        #expect(cpu.run(budget: 4) == .halted)
        #expect(cpu.state.rip == 0x501 && cpu.state.segments.1.selector == 0)
    }

    @Test(arguments: [[0x0F, 0xA0] as [UInt8], [0x66, 0x40], [0x0F, 0x20, 0xC0], [0x0F, 0x00, 0xC0]])
    func opcodesThe80286Lacks(code: [UInt8]) throws {
        let (cpu, _) = try Self.machine(.i80286, code)
        #expect(cpu.run(budget: 4) == .halted)
        #expect(cpu.state.rip == 0x501, "expected #UD for \(code)")
    }

    @Test func smswOn80286() throws {
        let (cpu, _) = try Self.machine(.i80286, [0x0F, 0x01, 0xE0])  // smsw ax
        _ = cpu.step()
        #expect(cpu.state[gpr: 0] == 0xFFF0)
    }

    @Test func loadAllOn80286() throws {
        let (cpu, ram) = try Self.machine(.i80286, [0x0F, 0x05])
        func w(_ a: UInt64, _ v: UInt16) { ram.write([UInt8(v & 0xFF), UInt8(v >> 8)], at: a) }
        w(0x818, 0x0202); w(0x81A, 0x1234)
        w(0x822, 0xF000); w(0x834, 0xAAAA); w(0x82C, 0x5555)
        ram.write([0x00, 0x00, 0x20, 0x93, 0xFF, 0xFF], at: 0x836)  // ES cache: base 200000h, above 1 MiB
        ram.write([0x00, 0x00, 0xFF, 0x9B, 0xFF, 0xFF], at: 0x83C)  // CS cache: base FF0000h
        ram.write([0x00, 0x10, 0x00, 0x00, 0xFF, 0x03], at: 0x85A)  // IDTR: 001000h, limit 3FFh
        _ = cpu.step()
        let s = cpu.state
        #expect(s.rip == 0x1234 && s[gpr: 0] == 0xAAAA && s[gpr: 4] == 0x5555)
        #expect(s.segments.0.base == 0x20_0000 && s.segments.0.selector == 0)
        #expect(s.segments.1.base == 0xFF_0000 && s.segments.1.selector == 0xF000)
        #expect(s.idtr.base == 0x1000 && s.idtr.limit == 0x3FF)
        #expect(s.rflags & 0x200 != 0)
    }

    @Test func lockIsAcceptedOnOldModels() throws {
        for model in [CPUModel.i8086, .i80286] {
            let (cpu, _) = try Self.machine(model, [0xF0, 0x40])  // lock inc ax: #UD from the 80386 on
            _ = cpu.step()
            #expect(cpu.state[gpr: 0] == 1 && cpu.state.rip == 0x102)
        }
    }
}
