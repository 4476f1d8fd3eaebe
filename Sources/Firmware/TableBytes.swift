/// Bytes of a firmware table with the little-endian field writers the Intel MP and ACPI
/// specifications' layouts need, and their checksum (every byte of the checksummed range sums to 0
/// modulo 256: MP spec 1.4, 4.1 and 4.2; ACPI 6.5, 5.2.5.3 and 5.2.6).
public struct TableBytes: Equatable, Sendable {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The number of bytes so far (the offset of the next field).
    public var count: Int { bytes.count }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt16(8 * i))) } }
    public mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * i))) } }
    public mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) } }
    public mutating func append(_ b: [UInt8]) { bytes += b }

    /// An ASCII field of exactly `length` bytes, padded with `pad` (spaces in MP and ACPI IDs).
    public mutating func ascii(_ s: String, length: Int, pad: UInt8 = 0x20) {
        var b = Array(s.utf8.prefix(length))
        while b.count < length { b.append(pad) }
        bytes += b
    }

    /// Zero bytes up to a multiple of `alignment`.
    public mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Overwrites a little-endian field at `offset`.
    public mutating func patch16(_ offset: Int, _ v: UInt16) {
        for i in 0..<2 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> UInt16(8 * i)) }
    }
    public mutating func patch32(_ offset: Int, _ v: UInt32) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) }
    }

    /// Sets the byte at `checksumOffset` so that `range` sums to 0 (the checksum byte lies in it).
    public mutating func fixChecksum(at checksumOffset: Int, over range: Range<Int>) {
        bytes[checksumOffset] = 0
        bytes[checksumOffset] = TableBytes.checksum(bytes[range])
    }

    /// The byte that makes `bytes` sum to 0 modulo 256.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        0 &- bytes.reduce(0, &+)
    }

    /// Whether `bytes` sum to 0 modulo 256.
    public static func sumsToZero<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.reduce(0, &+) == 0
    }
}

/// Bytes to be copied into guest physical memory at `address` (ROM area tables).
public struct PlacedBytes: Equatable, Sendable {
    public var address: UInt64
    public var bytes: [UInt8]
    public init(address: UInt64, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }
}

/// Where the machine puts its firmware tables: the BIOS area 0xF0000-0xFFFFF, which the Linux
/// boot protocol's E820 map marks reserved and which Linux scans for the MP floating pointer and
/// the ACPI RSDP (MP spec 1.4, 4; ACPI 6.5, 5.2.5.1).
public enum FirmwareLayout {
    /// The MP floating pointer structure, followed by the MP configuration table.
    public static let mpTable: UInt64 = 0xF_0000
    /// The ACPI RSDP, followed by the FACS, DSDT, FADT, MADT, RSDT and XSDT.
    public static let acpi: UInt64 = 0xF_1000
}
