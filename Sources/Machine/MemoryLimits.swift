#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import X86State

/// The guest RAM sizes a PC machine accepts, and why a size is refused.
///
/// RAM is laid out as `GuestRAM.pc(ramSize:)` does (QEMU's i440FX layout): up to 3 GiB from 0, the
/// rest from 4 GiB, so RAM of `n` bytes above 3 GiB ends at `n + 1 GiB`. The upper bound is the lower of
///  - the physical address width the CPU model reports (CPUID leaf 80000008h: 36 bits, 64 GiB; Linux's
///    `get_cpu_address_sizes`), within which RAM must end;
///  - the host's physical memory: guest RAM is reserved lazily (`MAP_NORESERVE`), but a guest that
///    touches more than the host has would be killed by the host's OOM killer, not stopped cleanly.
public enum MemoryLimits {
    /// The smallest machine: room for the loaders' tables, a kernel and its decompression.
    public static let minimum: UInt64 = 16 << 20
    /// The guest physical address width RAM must fit in: CPUID.80000008h:EAX[7:0].
    public static let physicalAddressBits = Int(CPUIDModel.query(leaf: 0x8000_0008, subleaf: 0).0 & 0xFF)

    /// The largest RAM the guest can address: the address space less the 1 GiB hole below 4 GiB.
    public static var addressableMaximum: UInt64 {
        (1 << UInt64(physicalAddressBits)) - (GuestRAM.highMemoryStart - GuestRAM.pcHoleStart)
    }

    /// The host's physical memory in bytes (`sysconf(_SC_PHYS_PAGES)`), or nil if unknown.
    public static var hostMemory: UInt64? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return nil }
        return UInt64(pages) * UInt64(pageSize)
    }

    /// The largest RAM size accepted on this host.
    public static var maximum: UInt64 {
        let host = hostMemory.map { $0 & ~0xF_FFFF } ?? addressableMaximum  // whole MiB
        return min(addressableMaximum, host)
    }

    /// Checks `bytes` against the limits; the error says which one and what is allowed.
    public static func check(_ bytes: UInt64) throws(MemorySizeError) {
        guard bytes >= minimum else { throw .tooSmall(bytes) }
        guard bytes % 4096 == 0 else { throw .notPageMultiple(bytes) }
        guard bytes <= addressableMaximum else { throw .beyondAddressWidth(bytes) }
        if let host = hostMemory, bytes > host { throw .beyondHostMemory(bytes, host: host) }
    }
}

/// A guest RAM size the machine refuses (`MemoryLimits.check`).
public enum MemorySizeError: Error, CustomStringConvertible, Equatable {
    case tooSmall(UInt64)
    case notPageMultiple(UInt64)
    case beyondAddressWidth(UInt64)
    case beyondHostMemory(UInt64, host: UInt64)

    public var description: String {
        switch self {
        case .tooSmall(let b): "guest RAM of \(MemorySizeError.format(b)) is too small: at least \(MemorySizeError.format(MemoryLimits.minimum))"
        case .notPageMultiple(let b): "guest RAM of \(b) bytes is not a multiple of 4 KiB"
        case .beyondAddressWidth(let b):
            "guest RAM of \(MemorySizeError.format(b)) does not fit the guest's \(MemoryLimits.physicalAddressBits)-bit physical "
                + "address space (at most \(MemorySizeError.format(MemoryLimits.addressableMaximum)) beside the 1 GiB hole below 4 GiB)"
        case .beyondHostMemory(let b, let host):
            "guest RAM of \(MemorySizeError.format(b)) is more than this host's \(MemorySizeError.format(host)) of memory"
        }
    }

    /// "512 MiB", "4 GiB", "1.5 GiB", "12345 bytes".
    static func format(_ b: UInt64) -> String {
        if b >= 1 << 30 {
            let tenths = b * 10 / (1 << 30)
            return tenths % 10 == 0 ? "\(tenths / 10) GiB" : "\(tenths / 10).\(tenths % 10) GiB"
        }
        if b >= 1 << 20 { return "\(b >> 20) MiB" }
        return "\(b) bytes"
    }
}
