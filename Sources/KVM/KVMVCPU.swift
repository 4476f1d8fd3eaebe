#if canImport(Glibc)
import Glibc
#endif
import CKVM

/// One KVM virtual CPU (Documentation/virt/kvm/api.rst, "vCPU ioctls") and its shared `kvm_run`
/// structure, through which KVM_RUN reports exits.
///
/// Not thread-safe: a vCPU is run and inspected from one thread.
public final class KVMVCPU: @unchecked Sendable {
    /// The vCPU descriptor. Owned; closed in deinit.
    public let fd: Int32
    /// The shared `kvm_run` structure. SAFETY: mapped in `KVMVirtualMachine.createVCPU` for
    /// `mapSize` bytes, unmapped in deinit; valid for the vCPU's life.
    public let run: UnsafeMutablePointer<kvm_run>
    let mapSize: Int
    /// The VM (kept alive while the vCPU exists).
    public let vm: KVMVirtualMachine

    init(fd: Int32, run: UnsafeMutableRawPointer, mapSize: Int, vm: KVMVirtualMachine) {
        self.fd = fd
        self.run = run.assumingMemoryBound(to: kvm_run.self)
        self.mapSize = mapSize
        self.vm = vm
    }

    deinit {
        munmap(UnsafeMutableRawPointer(run), mapSize)
        close(fd)
    }

    /// The start of the `kvm_run` mapping, for exit data at an offset (port I/O data).
    @inlinable public var runBase: UnsafeMutableRawPointer { UnsafeMutableRawPointer(run) }

    // MARK: Running

    /// `KVM_RUN`: runs the vCPU until an exit. Returns true when `run.pointee.exit_reason` says
    /// why, false when a signal (or `immediate_exit`) interrupted it (EINTR) or KVM asked to be
    /// called again (EAGAIN).
    @inlinable public func enter() throws(KVMError) -> Bool {
        let r = ckvm_ioctl_value(fd, CKVM_RUN, 0)
        if r >= 0 { return true }
        if r == -EINTR || r == -EAGAIN { return false }
        throw .ioctl("KVM_RUN", -r)
    }

    // MARK: Registers

    /// `KVM_GET_REGS`.
    public func registers() throws(KVMError) -> kvm_regs {
        var v = kvm_regs()
        try call(CKVM_GET_REGS, "KVM_GET_REGS", &v)
        return v
    }

    /// `KVM_SET_REGS`.
    public func setRegisters(_ value: kvm_regs) throws(KVMError) {
        var v = value
        try call(CKVM_SET_REGS, "KVM_SET_REGS", &v)
    }

    /// `KVM_GET_SREGS`: segments with their hidden parts, descriptor tables, control registers, EFER, APIC base.
    public func specialRegisters() throws(KVMError) -> kvm_sregs {
        var v = kvm_sregs()
        try call(CKVM_GET_SREGS, "KVM_GET_SREGS", &v)
        return v
    }

    /// `KVM_SET_SREGS`.
    public func setSpecialRegisters(_ value: kvm_sregs) throws(KVMError) {
        var v = value
        try call(CKVM_SET_SREGS, "KVM_SET_SREGS", &v)
    }

    /// `KVM_GET_FPU`: x87, MMX and SSE state in FXSAVE form.
    public func fpu() throws(KVMError) -> kvm_fpu {
        var v = kvm_fpu()
        try call(CKVM_GET_FPU, "KVM_GET_FPU", &v)
        return v
    }

    /// `KVM_SET_FPU`.
    public func setFPU(_ value: kvm_fpu) throws(KVMError) {
        var v = value
        try call(CKVM_SET_FPU, "KVM_SET_FPU", &v)
    }

    /// `KVM_GET_DEBUGREGS`: DR0-DR3, DR6, DR7.
    public func debugRegisters() throws(KVMError) -> kvm_debugregs {
        var v = kvm_debugregs()
        try call(CKVM_GET_DEBUGREGS, "KVM_GET_DEBUGREGS", &v)
        return v
    }

    /// `KVM_SET_DEBUGREGS`.
    public func setDebugRegisters(_ value: kvm_debugregs) throws(KVMError) {
        var v = value
        try call(CKVM_SET_DEBUGREGS, "KVM_SET_DEBUGREGS", &v)
    }

    /// `KVM_GET_XCRS`: the extended control registers (XCR0).
    public func extendedControlRegisters() throws(KVMError) -> kvm_xcrs {
        var v = kvm_xcrs()
        try call(CKVM_GET_XCRS, "KVM_GET_XCRS", &v)
        return v
    }

    /// `KVM_SET_XCRS`.
    public func setExtendedControlRegisters(_ value: kvm_xcrs) throws(KVMError) {
        var v = value
        try call(CKVM_SET_XCRS, "KVM_SET_XCRS", &v)
    }

    /// `KVM_GET_VCPU_EVENTS`: pending exceptions and interrupts, the interrupt shadow, NMI state.
    public func events() throws(KVMError) -> kvm_vcpu_events {
        var v = kvm_vcpu_events()
        try call(CKVM_GET_VCPU_EVENTS, "KVM_GET_VCPU_EVENTS", &v)
        return v
    }

    /// `KVM_SET_VCPU_EVENTS`.
    public func setEvents(_ value: kvm_vcpu_events) throws(KVMError) {
        var v = value
        try call(CKVM_SET_VCPU_EVENTS, "KVM_SET_VCPU_EVENTS", &v)
    }

    /// `KVM_GET_MSRS`: the values of `indices`, in order. Throws if KVM returns fewer than asked
    /// (it stops at the first MSR it does not support).
    public func modelSpecificRegisters(_ indices: [UInt32]) throws(KVMError) -> [UInt64] {
        if indices.isEmpty { return [] }
        return try withMSRBuffer(indices.map { ($0, 0) }, "KVM_GET_MSRS", CKVM_GET_MSRS) { entries, n in
            (0..<n).map { entries[$0].data }
        }
    }

    /// `KVM_SET_MSRS`: writes each (index, value). Throws if KVM accepted fewer than given.
    public func setModelSpecificRegisters(_ values: [(index: UInt32, value: UInt64)]) throws(KVMError) {
        if values.isEmpty { return }
        try withMSRBuffer(values, "KVM_SET_MSRS", CKVM_SET_MSRS) { _, _ in () }
    }

    private func withMSRBuffer<R>(_ values: [(index: UInt32, value: UInt64)], _ name: String, _ request: UInt,
                                  _ body: (UnsafeMutablePointer<kvm_msr_entry>, Int) -> R) throws(KVMError) -> R {
        let bytes = MemoryLayout<kvm_msrs>.size + values.count * MemoryLayout<kvm_msr_entry>.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        defer { buffer.deallocate() }
        memset(buffer, 0, bytes)
        buffer.assumingMemoryBound(to: kvm_msrs.self).pointee.nmsrs = UInt32(values.count)
        let entries = (buffer + MemoryLayout<kvm_msrs>.size).assumingMemoryBound(to: kvm_msr_entry.self)
        for (i, v) in values.enumerated() {
            entries[i].index = v.index
            entries[i].data = v.value
        }
        let r = ckvm_ioctl(fd, request, buffer)
        guard r >= 0 else { throw .ioctl(name, -r) }
        guard Int(r) == values.count else {
            // KVM processed the first r entries and stopped at the one it does not support.
            throw .ioctl("\(name) (MSR 0x\(String(entries[Int(r)].index, radix: 16)))", EINVAL)
        }
        return body(entries, values.count)
    }

    /// `KVM_SET_CPUID2`: the CPUID table the guest sees. Set before the first KVM_RUN.
    public func setCPUID(_ entries: [kvm_cpuid_entry2]) throws(KVMError) {
        let bytes = MemoryLayout<kvm_cpuid2>.size + entries.count * MemoryLayout<kvm_cpuid_entry2>.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
        defer { buffer.deallocate() }
        memset(buffer, 0, bytes)
        buffer.assumingMemoryBound(to: kvm_cpuid2.self).pointee.nent = UInt32(entries.count)
        let p = (buffer + MemoryLayout<kvm_cpuid2>.size).assumingMemoryBound(to: kvm_cpuid_entry2.self)
        for (i, e) in entries.enumerated() { p[i] = e }
        let r = ckvm_ioctl(fd, CKVM_SET_CPUID2, buffer)
        guard r >= 0 else { throw .ioctl("KVM_SET_CPUID2", -r) }
    }

    /// `KVM_GET_CPUID2`: the CPUID table KVM holds for the vCPU (which KVM may have adjusted).
    public func cpuid() throws(KVMError) -> [kvm_cpuid_entry2] {
        var capacity = 256
        while true {
            let bytes = MemoryLayout<kvm_cpuid2>.size + capacity * MemoryLayout<kvm_cpuid_entry2>.stride
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
            defer { buffer.deallocate() }
            memset(buffer, 0, bytes)
            let header = buffer.assumingMemoryBound(to: kvm_cpuid2.self)
            header.pointee.nent = UInt32(capacity)
            let r = ckvm_ioctl(fd, CKVM_GET_CPUID2, buffer)
            if r == -E2BIG && capacity < 4096 { capacity *= 2; continue }
            guard r >= 0 else { throw .ioctl("KVM_GET_CPUID2", -r) }
            let entries = (buffer + MemoryLayout<kvm_cpuid2>.size).assumingMemoryBound(to: kvm_cpuid_entry2.self)
            return Array(UnsafeBufferPointer(start: entries, count: min(Int(header.pointee.nent), capacity)))
        }
    }

    /// `KVM_INTERRUPT`: queues external interrupt `vector` for delivery at the next entry (only
    /// without an in-kernel irqchip, and only when `kvm_run.ready_for_interrupt_injection` is set).
    public func interrupt(_ vector: UInt8) throws(KVMError) {
        var irq = kvm_interrupt(irq: UInt32(vector))
        try call(CKVM_INTERRUPT, "KVM_INTERRUPT", &irq)
    }

    @inline(__always)
    private func call<T>(_ request: UInt, _ name: String, _ value: inout T) throws(KVMError) {
        let r = withUnsafeMutablePointer(to: &value) { ckvm_ioctl(fd, request, UnsafeMutableRawPointer($0)) }
        guard r >= 0 else { throw .ioctl(name, -r) }
    }

    // MARK: Kicking out of KVM_RUN

    /// Signal used to kick vCPUs out of KVM_RUN (a real-time signal nobody else in Popek uses).
    public static let kickSignal: Int32 = ckvm_kick_signal()

    /// Makes the calling thread this vCPU's runner: installs the kick handler once and registers
    /// `run` with it, so that a kick (`KVMTimer` expiry) sets `immediate_exit` and KVM_RUN
    /// returns EINTR. Call from the thread that calls `enter()`.
    public func registerKickTarget() throws(KVMError) {
        let r = KVMVCPU.installHandler
        guard r >= 0 else { throw .host("sigaction for the vCPU kick signal", -r) }
        ckvm_kick_register(run)
    }

    /// Unregisters the calling thread's kick target.
    public func unregisterKickTarget() {
        ckvm_kick_register(nil)
    }

    private static let installHandler: Int32 = ckvm_kick_install(kickSignal)
}

/// A one-shot timer that kicks the calling thread's registered vCPU out of KVM_RUN: how a time
/// slice ends when the guest does not exit by itself.
public final class KVMTimer {
    private let timer: Int

    /// Creates the timer for the calling thread (it signals this thread only).
    public init() throws(KVMError) {
        var t = 0
        let r = ckvm_timer_create(KVMVCPU.kickSignal, &t)
        guard r >= 0 else { throw .host("timer_create", -r) }
        timer = t
    }

    deinit { ckvm_timer_delete(timer) }

    /// Fires once after `nanoseconds`; 0 disarms.
    public func arm(nanoseconds: UInt64) {
        _ = ckvm_timer_arm(timer, nanoseconds)
    }
}
