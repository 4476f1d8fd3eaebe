/// The Multiboot information structure a boot loader leaves for the OS, its address in EBX
/// (Multiboot 0.6.96, 3.3 "Boot information format"). Popek fills `mem_*`, `cmdline`, `mods_*`,
/// `mmap_*` and `boot_loader_name`; the other fields stay zero with their flag bits clear (there
/// is no boot disk, BIOS, APM or display).
public struct MultibootInfo: Equatable, Sendable {
    /// `flags` bits: which fields are valid.
    public static let hasMemory: UInt32 = 1 << 0
    public static let hasCommandLine: UInt32 = 1 << 2
    public static let hasModules: UInt32 = 1 << 3
    public static let hasMemoryMap: UInt32 = 1 << 6
    public static let hasBootLoaderName: UInt32 = 1 << 9

    /// Size of the structure up to and including the framebuffer fields (offset 115).
    public static let size = 116
    /// One module structure: `mod_start`, `mod_end`, `string`, reserved.
    public static let moduleEntrySize = 16
    /// One memory map entry: `size` (20, the bytes after it), `base_addr`, `length`, `type`.
    public static let memoryMapEntrySize = 24

    public var flags: UInt32 = 0
    /// `mem_lower`, `mem_upper`: KiB of memory from 0 (at most 640) and from 1 MiB up to the first hole.
    public var memoryLower: UInt32 = 0
    public var memoryUpper: UInt32 = 0
    /// `cmdline`: address of a zero-terminated string.
    public var commandLine: UInt32 = 0
    /// `mods_count`, `mods_addr`: the module structures.
    public var moduleCount: UInt32 = 0
    public var modulesAddress: UInt32 = 0
    /// `mmap_length` (bytes of the buffer), `mmap_addr` (its first entry's `size` field).
    public var memoryMapLength: UInt32 = 0
    public var memoryMapAddress: UInt32 = 0
    /// `boot_loader_name`: address of a zero-terminated string.
    public var bootLoaderName: UInt32 = 0

    public init() {}

    /// The structure's bytes, little-endian at the specification's offsets.
    public var bytes: [UInt8] {
        var b = [UInt8](repeating: 0, count: Self.size)
        func put(_ o: Int, _ v: UInt32) { for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
        put(0, flags)
        put(4, memoryLower)
        put(8, memoryUpper)
        put(16, commandLine)
        put(20, moduleCount)
        put(24, modulesAddress)
        put(44, memoryMapLength)
        put(48, memoryMapAddress)
        put(64, bootLoaderName)
        return b
    }

    /// `mem_lower` and `mem_upper` from an E820 map: the RAM entry at 0 (capped at 640 KiB) and the
    /// RAM entry holding 1 MiB, up to its end ("maximally the address of the first upper memory
    /// hole minus 1 megabyte"), in KiB.
    public static func memorySizes(_ map: [E820Entry]) -> (lower: UInt32, upper: UInt32) {
        var lower: UInt64 = 0, upper: UInt64 = 0
        for e in map where e.kind == .ram {
            if e.address == 0 { lower = min(e.size, 640 << 10) >> 10 }
            if e.address <= 0x10_0000 && e.address + e.size > 0x10_0000 { upper = (min(e.address + e.size, 1 << 32) - 0x10_0000) >> 10 }
        }
        return (UInt32(lower), UInt32(upper))
    }

    /// The memory map buffer for an E820 map: entry types carry over (1 available RAM, 3 ACPI
    /// reclaimable, 4 ACPI NVS, anything else reserved).
    public static func memoryMap(_ map: [E820Entry]) -> [UInt8] {
        var b: [UInt8] = []
        func put32(_ v: UInt32) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
        func put64(_ v: UInt64) { put32(UInt32(truncatingIfNeeded: v)); put32(UInt32(truncatingIfNeeded: v >> 32)) }
        for e in map {
            put32(20)
            put64(e.address)
            put64(e.size)
            put32(e.kind.rawValue)
        }
        return b
    }
}
