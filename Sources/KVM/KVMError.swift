#if canImport(Glibc)
import Glibc
#endif

/// A host failure of the KVM layer: which operation failed and the `errno` it failed with, with a
/// message that says what to do about it. Guest behaviour never produces one of these (a guest's
/// faults are delivered to the guest; its exits are handled by the engine).
public enum KVMError: Error, Equatable, CustomStringConvertible {
    /// Opening the KVM device failed.
    case open(path: String, errno: Int32)
    /// An ioctl failed: its name as in <linux/kvm.h> (e.g. "KVM_SET_SREGS") and the errno.
    case ioctl(String, Int32)
    /// Mapping a vCPU's `kvm_run` structure failed.
    case mmap(String, Int32)
    /// The kernel speaks another KVM API version than 12 (the stable API since Linux 2.6.22).
    case apiVersion(Int32)
    /// A capability the engine needs is missing (`KVM_CHECK_EXTENSION` returned 0).
    case missingCapability(String)
    /// Something else the host cannot do (a failed signal or timer set-up), with errno.
    case host(String, Int32)

    /// The errno, if the failure carries one.
    public var errno: Int32? {
        switch self {
        case .open(_, let e), .ioctl(_, let e), .mmap(_, let e), .host(_, let e): e
        case .apiVersion, .missingCapability: nil
        }
    }

    public var description: String {
        switch self {
        case .open(let path, let e):
            switch e {
            case ENOENT, ENXIO, ENODEV:
                return "\(path) does not exist (\(KVMError.name(e))): this kernel has no KVM. Load kvm_intel or kvm_amd "
                    + "(on a virtual machine, enable nested virtualization), or use --engine interpreter"
            case EACCES, EPERM:
                return "permission denied opening \(path) (\(KVMError.name(e))): run as root, or add your user to the "
                    + "group that owns it (ls -l \(path); usually 'kvm'), or use --engine interpreter"
            default:
                return "cannot open \(path): \(KVMError.name(e))"
            }
        case .ioctl(let op, let e):
            var s = "\(op) failed: \(KVMError.name(e))"
            switch (op, e) {
            case ("KVM_GET_API_VERSION", ENOTTY), ("KVM_GET_API_VERSION", EINVAL):
                s += " (the device opened is not a KVM device)"
            case ("KVM_CREATE_VM", EBUSY):
                s += " (another hypervisor holds the virtualization extensions, e.g. VirtualBox)"
            case ("KVM_CREATE_VM", ENOMEM), ("KVM_SET_USER_MEMORY_REGION", ENOMEM):
                s += " (the host is out of memory, or a memory limit applies to this process)"
            case ("KVM_SET_USER_MEMORY_REGION", EINVAL), ("KVM_SET_USER_MEMORY_REGION", EEXIST):
                s += " (the guest RAM region is misaligned or overlaps another slot)"
            case ("KVM_SET_SREGS", EINVAL), ("KVM_SET_REGS", EINVAL):
                s += " (the CPU state has a combination KVM refuses, e.g. long mode without paging, or reserved bits in a control register)"
            case ("KVM_SET_CPUID2", E2BIG):
                s += " (too many CPUID entries)"
            case ("KVM_SET_CPUID2", EINVAL):
                s += " (KVM refuses the CPUID model, e.g. an inconsistent XSAVE leaf)"
            case ("KVM_SET_MSRS", _), ("KVM_GET_MSRS", _):
                s += " (an MSR the engine models is not supported by this KVM)"
            default:
                break
            }
            return s
        case .mmap(let what, let e):
            return "cannot map \(what): \(KVMError.name(e))"
        case .apiVersion(let v):
            return "/dev/kvm speaks KVM API version \(v), not 12: this kernel's KVM is too old or not Linux's; use --engine interpreter"
        case .missingCapability(let cap):
            return "this KVM lacks \(cap), which the KVM engine needs; use --engine interpreter"
        case .host(let what, let e):
            return "\(what) failed: \(KVMError.name(e))"
        }
    }

    /// "Invalid argument (EINVAL)" for an errno.
    static func name(_ e: Int32) -> String {
        let symbolic: String = switch e {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case ENXIO: "ENXIO"
        case E2BIG: "E2BIG"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EFAULT: "EFAULT"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case EINVAL: "EINVAL"
        case ENOTTY: "ENOTTY"
        case ENOSPC: "ENOSPC"
        case ERANGE: "ERANGE"
        case ENOSYS: "ENOSYS"
        case EOPNOTSUPP: "EOPNOTSUPP"
        default: "errno \(e)"
        }
        return "\(String(cString: strerror(e))) (\(symbolic))"
    }
}
