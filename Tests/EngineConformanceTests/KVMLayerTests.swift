import Boot
import GuestMemory
import KVM
import KVMEngine
import MachineInterface
import Testing
import X86State

#if canImport(Glibc)
import Glibc
#endif

/// The KVM layer's errors say what failed and what to do; the engine's state conversion round-trips
/// every CPUState field KVM holds.
@Suite struct KVMLayerTests {
    @Test func missingDeviceSaysSo() {
        #expect(throws: KVMError.open(path: "/nonexistent/kvm", errno: ENOENT)) { try KVMSystem(path: "/nonexistent/kvm") }
        let message = KVMError.open(path: "/dev/kvm", errno: ENOENT).description
        #expect(message.contains("does not exist") && message.contains("--engine interpreter"))
    }

    @Test func permissionDeniedSaysWhatToDo() {
        let message = KVMError.open(path: "/dev/kvm", errno: EACCES).description
        #expect(message.contains("permission denied") && message.contains("kvm"))
    }

    @Test func notAKVMDevice() {
        #expect(throws: KVMError.ioctl("KVM_GET_API_VERSION", ENOTTY)) { try KVMSystem(path: "/dev/null") }
        #expect(KVMError.ioctl("KVM_GET_API_VERSION", ENOTTY).description.contains("not a KVM device"))
    }

    @Test func ioctlErrorsNameTheOperationAndErrno() {
        let e = KVMError.ioctl("KVM_SET_SREGS", EINVAL)
        #expect(e.errno == EINVAL)
        #expect(e.description.hasPrefix("KVM_SET_SREGS failed: Invalid argument (EINVAL)"))
    }

    @Test("a CPUState survives a load into KVM and a save back",
          .disabled(if: KVMAvailability.unusableReason != nil, Comment(rawValue: KVMAvailability.unusableReason ?? "")))
    func stateRoundTrip() throws {
        let ram = try GuestRAM(size: 16 << 20)
        let engine = try KVMEngine(ram: ram, platform: ConformancePlatform())
        var s = try FlatBinary.load([0x90], into: ram, at: 0x8000, bits: 64)
        for i in 0..<16 { s[gpr: i] = 0x0101_0101_0101_0101 &* UInt64(i + 1) }
        s.rip = 0x8000
        s.rflags = 0x2 | 0x1 | 0x4 | 0x40 | 0x80 | 0x800 | 0x200
        s.cr2 = 0xDEAD_B000
        s.gdtr = DescriptorTableRegister(base: 0x1000, limit: 0x1F)
        s.idtr = DescriptorTableRegister(base: 0x5_0000, limit: 0xFFF)
        s.segments.4.base = 0x7F00_1234_5000  // FS base
        s.segments.5.base = 0xFFFF_8880_0000_0000  // GS base
        s.msr.star = 0x0023_0010_0000_0000
        s.msr.lstar = 0xFFFF_FFFF_8100_0000
        s.msr.cstar = 0xFFFF_FFFF_8100_1000
        s.msr.fmask = 0x4_7700
        s.msr.kernelGSBase = 0x1234_5678_9000
        s.msr.sysenterCS = 0x10
        s.msr.sysenterESP = 0x9000
        s.msr.sysenterEIP = 0xFFFF_FFFF_8100_2000
        s.msr.pat = 0x0007_0406_0007_0105
        s.dr = (0x1000, 0x2000, 0x3000, 0x4000)
        s.dr7 = 0x400 | 0x3  // L0, G0
        // x87: TOP = 6, R6 = 1.0 (valid), R7 = +0 (zero), the rest empty.
        s.fpu.controlWord = 0x027F
        s.fpu.statusWord = 6 << 11
        s.fpu.tagWord = 0b0111_1111_1111_1111
        withUnsafeMutableBytes(of: &s.fpu.st) { st in
            st.storeBytes(of: 0x8000_0000_0000_0000, toByteOffset: 6 * 16, as: UInt64.self)
            st.storeBytes(of: 0x3FFF, toByteOffset: 6 * 16 + 8, as: UInt16.self)
        }
        s.fpu.mxcsr = 0x1F80 | 0x6000  // round toward zero
        withUnsafeMutableBytes(of: &s.fpu.xmm) { x in for i in 0..<256 { x[i] = UInt8(truncatingIfNeeded: i * 7 + 3) } }

        try engine.loadState(s)
        let back = try engine.saveState()
        let diff = StateComparison.differences(s, back)
        #expect(diff.isEmpty, "state differs after a round trip through KVM:\n  \(diff.joined(separator: "\n  "))")
        #expect(back.fpu.controlWord == s.fpu.controlWord)
        #expect(back.fpu.statusWord == s.fpu.statusWord)
        #expect(back.fpu.tagWord == s.fpu.tagWord, "tag word 0x\(String(back.fpu.tagWord, radix: 16))")
        #expect(back.fpu.mxcsr == s.fpu.mxcsr)
        #expect(withUnsafeBytes(of: back.fpu.st, Array.init) == withUnsafeBytes(of: s.fpu.st, Array.init))
        #expect(withUnsafeBytes(of: back.fpu.xmm, Array.init) == withUnsafeBytes(of: s.fpu.xmm, Array.init))
        #expect(back.msr.tscOffset >= 0)
    }
}
