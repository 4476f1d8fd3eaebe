#if canImport(Glibc)
import Glibc
#endif
import CKVM

/// A KVM virtual machine (Documentation/virt/kvm/api.rst, "VM ioctls"): memory slots and vCPUs.
public final class KVMVirtualMachine: @unchecked Sendable {
    /// The VM descriptor. Owned; closed in deinit.
    public let fd: Int32
    /// The system it was created from (kept alive for `vcpuMapSize`).
    public let system: KVMSystem

    init(fd: Int32, system: KVMSystem) {
        self.fd = fd
        self.system = system
    }

    deinit { close(fd) }

    /// `KVM_SET_USER_MEMORY_REGION`: maps `size` bytes of this process at `hostAddress` as guest
    /// physical memory at `guestPhysicalAddress` in `slot`. A size of 0 deletes the slot.
    ///
    /// The caller keeps the host memory mapped for as long as the slot exists.
    public func setUserMemoryRegion(slot: UInt32, guestPhysicalAddress: UInt64, size: UInt64,
                                    hostAddress: UnsafeMutableRawPointer, readOnly: Bool = false) throws(KVMError) {
        var region = kvm_userspace_memory_region(
            slot: slot, flags: readOnly ? UInt32(KVM_MEM_READONLY) : 0, guest_phys_addr: guestPhysicalAddress,
            memory_size: size, userspace_addr: UInt64(UInt(bitPattern: hostAddress)))
        let r = ckvm_ioctl(fd, CKVM_SET_USER_MEMORY_REGION, &region)
        guard r >= 0 else { throw .ioctl("KVM_SET_USER_MEMORY_REGION", -r) }
    }

    /// `KVM_SET_TSS_ADDR`: three pages of guest physical space KVM may use to run real mode on Intel
    /// processors without unrestricted guest. Must not overlap RAM or devices.
    public func setTSSAddress(_ address: UInt64) throws(KVMError) {
        let r = ckvm_ioctl_value(fd, CKVM_SET_TSS_ADDR, UInt(address))
        guard r >= 0 else { throw .ioctl("KVM_SET_TSS_ADDR", -r) }
    }

    /// `KVM_SET_IDENTITY_MAP_ADDR`: one page KVM may use for an identity-mapped page table (EPT
    /// without unrestricted guest).
    public func setIdentityMapAddress(_ address: UInt64) throws(KVMError) {
        var a = address
        let r = ckvm_ioctl(fd, CKVM_SET_IDENTITY_MAP_ADDR, &a)
        guard r >= 0 else { throw .ioctl("KVM_SET_IDENTITY_MAP_ADDR", -r) }
    }

    /// `KVM_ENABLE_CAP` with one argument (e.g. KVM_CAP_X86_USER_SPACE_MSR and the exit reasons).
    public func enable(_ capability: KVMCapability, _ argument: UInt64 = 0) throws(KVMError) {
        let r = ckvm_enable_cap(fd, UInt32(capability.rawValue), argument)
        guard r >= 0 else { throw .ioctl("KVM_ENABLE_CAP(\(capability.name))", -r) }
    }

    /// `KVM_X86_SET_MSR_FILTER`: reads and writes of `indices` (at most 16) are denied, which with
    /// KVM_MSR_EXIT_REASON_FILTER sends them to userspace; every other MSR stays KVM's.
    public func denyMSRs(_ indices: [UInt32]) throws(KVMError) {
        let r = indices.withUnsafeBufferPointer { ckvm_set_msr_filter_deny(fd, $0.baseAddress, Int32($0.count)) }
        guard r >= 0 else { throw .ioctl("KVM_X86_SET_MSR_FILTER", -r) }
    }

    /// `KVM_CREATE_VCPU` and the mapping of its `kvm_run` structure.
    public func createVCPU(id: UInt32 = 0) throws(KVMError) -> KVMVCPU {
        let r = ckvm_ioctl_value(fd, CKVM_CREATE_VCPU, UInt(id))
        guard r >= 0 else { throw .ioctl("KVM_CREATE_VCPU", -r) }
        let size = system.vcpuMapSize
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, r, 0), p != MAP_FAILED else {
            let e = errno
            close(r)
            throw .mmap("the vCPU's kvm_run structure (\(size) bytes)", e)
        }
        return KVMVCPU(fd: r, run: p, mapSize: size, vm: self)
    }
}
