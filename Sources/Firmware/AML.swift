/// A small ACPI Machine Language encoder (ACPI 6.5, chapter 20 "ACPI Machine Language
/// Specification"): just the terms a static DSDT needs — names, integers, strings, packages,
/// buffers, scopes and devices — and the resource descriptors of a PCI root bridge's `_CRS`
/// (ACPI 6.5, 6.4 "Resource Data Types for ACPI"). Each value is the encoded bytes.
public enum AML {
    // MARK: Names and data

    /// A NameString (20.2.2): `\` root prefix, `^` parent prefixes, then dot-separated 4-character
    /// segments (shorter segments are padded with `_`): `"\\_SB.PCI0"`, `"_S5"`.
    public static func name(_ path: String) -> [UInt8] {
        var s = Substring(path)
        var out: [UInt8] = []
        while let c = s.first, c == "\\" || c == "^" {
            out.append(c == "\\" ? 0x5C : 0x5E)
            s = s.dropFirst()
        }
        let segments = s.split(separator: ".").map { seg -> [UInt8] in
            var b = Array(seg.utf8.prefix(4))
            while b.count < 4 { b.append(0x5F) }
            return b
        }
        switch segments.count {
        case 0: out.append(0x00)  // NullName
        case 1: out += segments[0]
        case 2: out += [0x2E] + segments[0] + segments[1]  // DualNamePrefix
        default: out += [0x2F, UInt8(segments.count)] + segments.flatMap { $0 }  // MultiNamePrefix
        }
        return out
    }

    /// An integer with the shortest encoding (20.2.3): ZeroOp, OneOp, or Byte/Word/DWord/QWordConst.
    public static func integer(_ v: UInt64) -> [UInt8] {
        switch v {
        case 0: [0x00]
        case 1: [0x01]
        case 2...0xFF: [0x0A, UInt8(v)]
        case 0x100...0xFFFF: [0x0B] + le(v, 2)
        case 0x1_0000...0xFFFF_FFFF: [0x0C] + le(v, 4)
        default: [0x0E] + le(v, 8)
        }
    }

    /// A DWordConst even for small values (as iasl encodes EISAID).
    public static func dword(_ v: UInt32) -> [UInt8] { [0x0C] + le(UInt64(v), 4) }

    /// A String (StringPrefix, ASCII, NUL).
    public static func string(_ s: String) -> [UInt8] { [0x0D] + Array(s.utf8) + [0x00] }

    /// EISAID("PNP0A03"): three letters compressed to 5 bits each, then four hex digits, big-endian
    /// bytes (ACPI 6.5, 6.1.5 _HID), as a DWordConst.
    public static func eisaID(_ id: String) -> [UInt8] {
        let c = Array(id.utf8)
        precondition(c.count == 7, "an EISA ID is 3 letters and 4 hex digits")
        let vendor = UInt16(c[0] - 0x40) << 10 | UInt16(c[1] - 0x40) << 5 | UInt16(c[2] - 0x40)
        let product = UInt16(String(decoding: c[3...], as: UTF8.self), radix: 16) ?? 0
        let bytes = [UInt8(vendor >> 8), UInt8(vendor & 0xFF), UInt8(product >> 8), UInt8(product & 0xFF)]
        return [0x0C] + bytes
    }

    // MARK: Terms

    /// PkgLength (20.2.4): the length of what follows the PackageOp/ScopeOp/..., counting the
    /// PkgLength bytes themselves, in 1 to 4 bytes.
    public static func pkgLength(_ contentLength: Int) -> [UInt8] {
        if contentLength + 1 < 0x40 { return [UInt8(contentLength + 1)] }
        for n in 2...4 {
            let total = contentLength + n
            if total < 1 << (4 + 8 * (n - 1)) {
                var out = [UInt8(n - 1) << 6 | UInt8(total & 0xF)]
                for i in 0..<(n - 1) { out.append(UInt8((total >> (4 + 8 * i)) & 0xFF)) }
                return out
            }
        }
        preconditionFailure("AML package too long")
    }

    /// Name(name, value): DefName.
    public static func defineName(_ n: String, _ value: [UInt8]) -> [UInt8] { [0x08] + name(n) + value }

    /// Package(){elements}: DefPackage with NumElements = elements.count.
    public static func package(_ elements: [[UInt8]]) -> [UInt8] {
        let body = [UInt8(elements.count)] + elements.flatMap { $0 }
        return [0x12] + pkgLength(body.count) + body
    }

    /// Buffer(){bytes}: DefBuffer.
    public static func buffer(_ bytes: [UInt8]) -> [UInt8] {
        let body = integer(UInt64(bytes.count)) + bytes
        return [0x11] + pkgLength(body.count) + body
    }

    /// Scope(name){terms}.
    public static func scope(_ n: String, _ terms: [[UInt8]]) -> [UInt8] {
        let body = name(n) + terms.flatMap { $0 }
        return [0x10] + pkgLength(body.count) + body
    }

    /// Device(name){terms}.
    public static func device(_ n: String, _ terms: [[UInt8]]) -> [UInt8] {
        let body = name(n) + terms.flatMap { $0 }
        return [0x5B, 0x82] + pkgLength(body.count) + body
    }

    // MARK: Resource descriptors (ACPI 6.5, 6.4)

    /// ResourceTemplate(){descriptors}: a buffer ending with the End Tag (checksum 0: "correct").
    public static func resourceTemplate(_ descriptors: [[UInt8]]) -> [UInt8] {
        buffer(descriptors.flatMap { $0 } + [0x79, 0x00])
    }

    /// IO(Decode16, min, max, alignment, length): I/O Port Descriptor (6.4.2.5).
    public static func ioPort(min: UInt16, max: UInt16, alignment: UInt8, length: UInt8) -> [UInt8] {
        [0x47, 0x01] + le(UInt64(min), 2) + le(UInt64(max), 2) + [alignment, length]
    }

    /// WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, ...): Word Address Space
    /// Descriptor with resource type 2 (6.4.3.5.3).
    public static func wordBusNumber(min: UInt16, max: UInt16) -> [UInt8] {
        wordAddressSpace(type: 2, typeFlags: 0, min: min, max: max)
    }

    /// WordIO(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, ...).
    public static func wordIO(min: UInt16, max: UInt16) -> [UInt8] {
        wordAddressSpace(type: 1, typeFlags: 3, min: min, max: max)
    }

    private static func wordAddressSpace(type: UInt8, typeFlags: UInt8, min: UInt16, max: UInt16) -> [UInt8] {
        // General flags 0x0C: MaxFixed, MinFixed, PosDecode, producer.
        [0x88, 0x0D, 0x00, type, 0x0C, typeFlags] + le(0, 2) + le(UInt64(min), 2) + le(UInt64(max), 2)
            + le(0, 2) + le(UInt64(max) - UInt64(min) + 1, 2)
    }

    /// DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, ...):
    /// DWord Address Space Descriptor, resource type 0 (6.4.3.5.2).
    public static func dwordMemory(min: UInt32, max: UInt32) -> [UInt8] {
        [0x87, 0x17, 0x00, 0x00, 0x0C, 0x03] + le(0, 4) + le(UInt64(min), 4) + le(UInt64(max), 4)
            + le(0, 4) + le(UInt64(max) - UInt64(min) + 1, 4)
    }

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * $0)) } }
}
