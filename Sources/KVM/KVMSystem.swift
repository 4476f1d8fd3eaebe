#if canImport(Glibc)
import Glibc
#endif
@_exported import CKVM

/// A KVM capability (`KVM_CAP_*`), named for messages.
public struct KVMCapability: Sendable, Hashable, CustomStringConvertible {
    /// The `KVM_CAP_*` number.
    public let rawValue: Int32
    /// The name in <linux/kvm.h>.
    public let name: String

    public init(_ rawValue: Int32, _ name: String) {
        self.rawValue = rawValue
        self.name = name
    }

    public var description: String { name }

    public static let userMemory = KVMCapability(KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY")
    public static let immediateExit = KVMCapability(KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT")
    public static let syncRegisters = KVMCapability(KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS")
    public static let extendedCPUID = KVMCapability(KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID")
    public static let vcpuEvents = KVMCapability(KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS")
    public static let debugRegisters = KVMCapability(KVM_CAP_DEBUGREGS, "KVM_CAP_DEBUGREGS")
    public static let xcrs = KVMCapability(KVM_CAP_XCRS, "KVM_CAP_XCRS")
    public static let setTSSAddress = KVMCapability(KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR")
    public static let setIdentityMapAddress = KVMCapability(KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR")
    public static let irqchip = KVMCapability(KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP")
    public static let userSpaceMSR = KVMCapability(KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR")
    public static let msrFilter = KVMCapability(KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER")
}

/// The KVM subsystem: an open `/dev/kvm` (Documentation/virt/kvm/api.rst, "System ioctls").
///
/// One per process is enough; virtual machines created from it keep it alive.
public final class KVMSystem: @unchecked Sendable {
    /// The `/dev/kvm` descriptor. Owned; closed in deinit.
    public let fd: Int32
    /// The path it was opened from.
    public let path: String
    /// The size of each vCPU's shared `kvm_run` mapping.
    public let vcpuMapSize: Int

    /// Opens the KVM device and checks the API version (12) and the capabilities every engine
    /// needs (user memory regions, immediate exit).
    public init(path: String = "/dev/kvm") throws(KVMError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, errno: errno) }
        self.fd = fd
        self.path = path
        let version = ckvm_ioctl_value(fd, CKVM_GET_API_VERSION, 0)
        guard version == 12 else {
            close(fd)
            if version < 0 { throw .ioctl("KVM_GET_API_VERSION", -version) }
            throw .apiVersion(version)
        }
        let size = ckvm_ioctl_value(fd, CKVM_GET_VCPU_MMAP_SIZE, 0)
        guard size > 0 else {
            close(fd)
            throw .ioctl("KVM_GET_VCPU_MMAP_SIZE", size < 0 ? -size : EINVAL)
        }
        vcpuMapSize = Int(size)
        for cap in [KVMCapability.userMemory, .immediateExit] where ckvm_ioctl_value(fd, CKVM_CHECK_EXTENSION, UInt(cap.rawValue)) <= 0 {
            close(fd)
            throw .missingCapability(cap.name)
        }
    }

    deinit { close(fd) }

    /// `KVM_CHECK_EXTENSION`: 0 when absent, otherwise a capability-specific positive value.
    public func check(_ capability: KVMCapability) -> Int {
        Int(max(0, ckvm_ioctl_value(fd, CKVM_CHECK_EXTENSION, UInt(capability.rawValue))))
    }

    /// Throws `KVMError.missingCapability` unless `capability` is present.
    public func require(_ capability: KVMCapability) throws(KVMError) {
        if check(capability) == 0 { throw .missingCapability(capability.name) }
    }

    /// `KVM_GET_SUPPORTED_CPUID`: what this KVM can expose to a guest.
    public func supportedCPUID() throws(KVMError) -> [kvm_cpuid_entry2] {
        var capacity = 128
        while true {
            let bytes = MemoryLayout<kvm_cpuid2>.size + capacity * MemoryLayout<kvm_cpuid_entry2>.stride
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
            defer { buffer.deallocate() }
            memset(buffer, 0, bytes)
            let header = buffer.assumingMemoryBound(to: kvm_cpuid2.self)
            header.pointee.nent = UInt32(capacity)
            let r = ckvm_ioctl(fd, CKVM_GET_SUPPORTED_CPUID, buffer)
            if r == -E2BIG && capacity < 4096 { capacity *= 2; continue }
            guard r >= 0 else { throw .ioctl("KVM_GET_SUPPORTED_CPUID", -r) }
            let entries = (buffer + MemoryLayout<kvm_cpuid2>.size).assumingMemoryBound(to: kvm_cpuid_entry2.self)
            return Array(UnsafeBufferPointer(start: entries, count: Int(header.pointee.nent)))
        }
    }

    /// `KVM_GET_MSR_INDEX_LIST`: the MSRs KVM saves and restores for a vCPU.
    public func msrIndexList() throws(KVMError) -> [UInt32] {
        var capacity = 256
        while true {
            let bytes = MemoryLayout<kvm_msr_list>.size + capacity * 4
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
            defer { buffer.deallocate() }
            let header = buffer.assumingMemoryBound(to: kvm_msr_list.self)
            header.pointee.nmsrs = UInt32(capacity)
            let r = ckvm_ioctl(fd, CKVM_GET_MSR_INDEX_LIST, buffer)
            if r == -E2BIG && capacity < 65536 { capacity = Int(header.pointee.nmsrs) + 16; continue }
            guard r >= 0 else { throw .ioctl("KVM_GET_MSR_INDEX_LIST", -r) }
            let indices = (buffer + MemoryLayout<kvm_msr_list>.size).assumingMemoryBound(to: UInt32.self)
            return Array(UnsafeBufferPointer(start: indices, count: Int(header.pointee.nmsrs)))
        }
    }

    /// `KVM_CREATE_VM`: a new, empty virtual machine (default type).
    public func createVirtualMachine() throws(KVMError) -> KVMVirtualMachine {
        var r: Int32
        repeat { r = ckvm_ioctl_value(fd, CKVM_CREATE_VM, 0) } while r == -EINTR
        guard r >= 0 else { throw .ioctl("KVM_CREATE_VM", -r) }
        return KVMVirtualMachine(fd: r, system: self)
    }

    /// Whether this host's KVM is the paravirtual `kvm_pvm` module (no VT-x/AMD-V: guest CPL0 and
    /// real-mode code is emulated instruction by instruction by the host kernel).
    public static var isPVM: Bool {
        access("/sys/module/kvm_pvm", F_OK) == 0
    }

    /// The vendor module providing KVM, from /sys/module: "kvm_intel", "kvm_amd", "kvm_pvm", or nil.
    public static var vendorModule: String? {
        for m in ["kvm_pvm", "kvm_intel", "kvm_amd"] where access("/sys/module/\(m)", F_OK) == 0 { return m }
        return nil
    }
}
