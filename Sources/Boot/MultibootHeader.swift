/// The Multiboot header of an OS image (Multiboot Specification 0.6.96, 3.1 "OS image format"):
/// found, longword aligned, in the first 8192 bytes, where `magic + flags + checksum` is zero
/// (mod 2^32).
public struct MultibootHeader: Equatable, Sendable {
    /// `magic`: 0x1BADB002.
    public static let magic: UInt32 = 0x1BAD_B002
    /// How far into the image the header may start and must end (3.1.1 "The layout of Multiboot header").
    public static let searchLimit = 8192

    /// `flags` bit 0: boot modules must be aligned on 4 KiB page boundaries.
    public static let pageAlignModules: UInt32 = 1 << 0
    /// `flags` bit 1: `mem_*` (and `mmap_*` if the loader can) must be in the information structure.
    public static let memoryInformation: UInt32 = 1 << 1
    /// `flags` bit 2: the video mode table must be available (and the graphics fields are valid).
    public static let videoMode: UInt32 = 1 << 2
    /// `flags` bit 16: the address fields (offsets 12-28) are valid: the "a.out kludge".
    public static let addressFields: UInt32 = 1 << 16

    /// Offset of the header in the image file.
    public var offset: Int
    /// `flags`: bits 0-15 are requirements, bits 16-31 optional features.
    public var flags: UInt32
    /// The address fields (valid when `flags` bit 16 is set).
    public var headerAddress: UInt32 = 0
    public var loadAddress: UInt32 = 0
    public var loadEndAddress: UInt32 = 0
    public var bssEndAddress: UInt32 = 0
    public var entryAddress: UInt32 = 0

    public var hasAddressFields: Bool { flags & Self.addressFields != 0 }

    public init(offset: Int, flags: UInt32) {
        self.offset = offset
        self.flags = flags
    }

    /// Whether the image carries the Multiboot magic (valid or not) where a header may be: what
    /// `popek run --kernel` uses to choose this loader.
    public static func isPresent(in image: [UInt8]) -> Bool {
        stride(from: 0, to: min(image.count, searchLimit) - 3, by: 4).contains { read32(image, $0) == magic }
    }

    /// Finds and checks the header. Returns nil when the image has no magic value in its first 8192
    /// bytes; throws when the magic is there but no header is valid: a bad checksum, fields cut off
    /// by the end of the image or the 8192-byte limit, or requirements (flags bits 0-15) the
    /// loader cannot meet (3.1.2: "If the boot loader does not understand all the requirements ...
    /// it must fail").
    public static func find(in image: [UInt8]) throws(BootError) -> MultibootHeader? {
        let limit = min(image.count, searchLimit)
        var badChecksumAt: Int?
        var o = 0
        while o + 12 <= limit {
            defer { o += 4 }
            guard read32(image, o) == magic else { continue }
            let flags = read32(image, o + 4), checksum = read32(image, o + 8)
            guard magic &+ flags &+ checksum == 0 else {
                if badChecksumAt == nil { badChecksumAt = o }
                continue
            }
            var h = MultibootHeader(offset: o, flags: flags)
            let unknown = flags & 0xFFFF & ~(pageAlignModules | memoryInformation | videoMode)
            guard unknown == 0 else {
                throw .malformed("the Multiboot header (at offset 0x\(String(o, radix: 16))) requires features this loader does not know "
                    + "(flags bits \(bitList(unknown)), 0x\(String(flags, radix: 16))): the specification says to refuse such a kernel")
            }
            guard flags & videoMode == 0 else {
                throw .malformed("the Multiboot kernel requires video mode information (header flags bit 2): Popek has no display "
                    + "and no VBE, and the specification says to refuse a kernel whose requirements it cannot meet")
            }
            if h.hasAddressFields {
                guard o + 32 <= limit else {
                    throw .malformed("the Multiboot header at offset 0x\(String(o, radix: 16)) sets flags bit 16 but its address fields "
                        + "run past \(image.count < searchLimit ? "the end of the image" : "the first 8192 bytes")")
                }
                h.headerAddress = read32(image, o + 12)
                h.loadAddress = read32(image, o + 16)
                h.loadEndAddress = read32(image, o + 20)
                h.bssEndAddress = read32(image, o + 24)
                h.entryAddress = read32(image, o + 28)
            }
            return h
        }
        if let at = badChecksumAt {
            let flags = read32(image, at + 4), checksum = read32(image, at + 8)
            throw .malformed("the Multiboot header at offset 0x\(String(at, radix: 16)) has a bad checksum: magic + flags + checksum = "
                + "0x\(String(magic &+ flags &+ checksum, radix: 16)), not 0 (flags 0x\(String(flags, radix: 16)), checksum 0x\(String(checksum, radix: 16)))")
        }
        if isPresent(in: image) {
            throw .malformed("the Multiboot header magic is too close to the end of \(image.count < searchLimit ? "the image" : "the first 8192 bytes") to hold a header")
        }
        return nil
    }

    static func read32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    static func bitList(_ bits: UInt32) -> String {
        (0..<32).filter { bits & (1 << $0) != 0 }.map(String.init).joined(separator: ", ")
    }
}
