/// The two BIOS data area words boot code reads from memory without calling the BIOS (IBM PC/AT
/// Technical Reference, "BIOS Data Area" at segment 40h): 40:0Eh, the extended BIOS data area's
/// segment, and 40:13h, the base memory size in KiB. Without a BIOS they would be zero, and code
/// that places itself below the EBDA from them (Xen's `trampoline_bios_setup`, Linux's
/// `reserve_bios_regions`) would compute nonsense. The values match the E820 map: RAM up to
/// 0x9FC00, the 1 KiB EBDA above it.
public struct BIOSDataArea: Equatable, Sendable {
    /// Where the BIOS data area starts.
    public static let address: UInt64 = 0x400
    /// 40:0Eh: the EBDA's segment (0x9FC0: the EBDA at 0x9FC00).
    public var ebdaSegment: UInt16 = 0x9FC0
    /// 40:13h: KiB of base memory below the EBDA.
    public var baseMemoryKiB: UInt16 = 639

    public init() {}

    /// Bytes 40:00h-40:14h (the rest zero), to write at `address`.
    public func build() -> PlacedBytes {
        var b = TableBytes()
        b.append([UInt8](repeating: 0, count: 0x0E))
        b.u16(ebdaSegment)
        b.append([0, 0, 0])
        b.u16(baseMemoryKiB)
        return PlacedBytes(address: Self.address, bytes: b.bytes)
    }
}
