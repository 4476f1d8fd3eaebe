#if canImport(Glibc)
import Glibc
#endif
import KVM

/// How fast this host's KVM runs guest code that the hardware cannot run directly (real mode and
/// CPL0 under kvm_pvm): measured once, so that a slow host is said out loud instead of a guest
/// appearing hung.
public struct KernelCodeSpeed: Sendable {
    /// Guest instructions in the measured loop.
    public let instructions: UInt64
    /// Time KVM took to run them.
    public let nanoseconds: UInt64
    /// The KVM vendor module ("kvm_intel", "kvm_amd", "kvm_pvm"), when known.
    public let vendorModule: String?

    /// Millions of guest instructions per second.
    public var mips: Double { Double(instructions) / Double(max(nanoseconds, 1)) * 1000 }

    /// Below this rate a kernel-heavy guest is better run by the interpreter.
    public static let slowThreshold = 50.0

    /// Whether kernel code runs slowly here.
    public var isSlow: Bool { mips < KernelCodeSpeed.slowThreshold }

    /// A one-line note for standard error when kernel code runs slowly, else nil.
    public var note: String? {
        guard isSlow else { return nil }
        var s = "popek: note: KVM on this host runs guest kernel (CPL0) and real-mode code at "
            + String(format1(mips)) + " MIPS (measured at start-up"
        if vendorModule == "kvm_pvm" {
            s += "; /dev/kvm is kvm_pvm, without VT-x/AMD-V, so the host kernel emulates each such instruction"
        }
        s += "); user-mode (CPL3) code runs natively. A kernel-heavy guest such as a Linux boot will take a long "
            + "time under --engine kvm; --engine interpreter may be faster."
        return s
    }

    /// Runs a real-mode `dec ecx / jnz` loop in a scratch VM and times it.
    public static func measure(devicePath: String = "/dev/kvm", iterations: UInt32 = 3000) throws(KVMError) -> KernelCodeSpeed {
        let system = try KVMSystem(path: devicePath)
        let vm = try system.createVirtualMachine()
        if system.check(.setTSSAddress) > 0 { try vm.setTSSAddress(0xFEFF_D000) }
        let size = 0x10000
        guard let mem = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mem != MAP_FAILED else {
            throw .host("mmap of the probe's guest memory", errno)
        }
        defer { munmap(mem, size) }
        try vm.setUserMemoryRegion(slot: 0, guestPhysicalAddress: 0, size: UInt64(size), hostAddress: mem)
        let vcpu = try vm.createVCPU()
        var sregs = try vcpu.specialRegisters()
        sregs.cs.base = 0
        sregs.cs.selector = 0
        try vcpu.setSpecialRegisters(sregs)

        func loop(_ n: UInt32) throws(KVMError) -> UInt64 {
            // 0x1000: mov ecx, n; dec ecx; jnz $-2; hlt (16-bit code).
            let code: [UInt8] = [0x66, 0xB9] + withUnsafeBytes(of: n.littleEndian, Array.init) + [0x66, 0x49, 0x75, 0xFC, 0xF4]
            for (i, b) in code.enumerated() { mem.storeBytes(of: b, toByteOffset: 0x1000 + i, as: UInt8.self) }
            var regs = kvm_regs()
            regs.rip = 0x1000
            regs.rflags = 2
            try vcpu.setRegisters(regs)
            let start = KVMEngine.now()
            while true {
                if try vcpu.enter() {
                    let reason = Int32(bitPattern: vcpu.run.pointee.exit_reason)
                    if reason == KVM_EXIT_HLT { break }
                    throw .ioctl("KVM_RUN (speed probe: exit \(vcpu.run.pointee.exit_reason))", EINVAL)
                }
            }
            return KVMEngine.now() - start
        }
        _ = try loop(10)  // first entry: page faults and set-up
        let ns = try loop(iterations)
        return KernelCodeSpeed(instructions: UInt64(iterations) * 2 + 2, nanoseconds: ns, vendorModule: KVMSystem.vendorModule)
    }
}

private func format1(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
