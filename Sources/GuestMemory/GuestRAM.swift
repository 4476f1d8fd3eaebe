#if canImport(Glibc)
import Glibc
#endif

/// Errors creating guest memory.
public enum GuestMemoryError: Error, CustomStringConvertible {
    case badSize(UInt64)
    case mapFailed(size: UInt64, errno: Int32)

    public var description: String {
        switch self {
        case .badSize(let s): "guest memory size \(s) bytes is not a positive multiple of 4 KiB below 1 TiB"
        case .mapFailed(let size, let e): "could not reserve \(size) bytes of guest memory: \(String(cString: strerror(e)))"
        }
    }
}

/// Guest RAM: one anonymous `mmap(MAP_NORESERVE)` region, so host pages are committed only when the
/// guest touches them. Guest physical address A is host address `base + A`.
///
/// RAM is either contiguous from address 0 (`init(size:)`), or laid out as a PC lays it out
/// (`pc(ramSize:)`): up to 3 GiB from address 0, the rest from 4 GiB, leaving the 32-bit hole
/// [`holeStart`, `holeEnd`) to the LAPIC, IOAPIC and PCI windows. The hole is part of the host
/// mapping (so address arithmetic stays `base + A`) but not RAM: it is `PROT_NONE`, costs nothing,
/// and `contains` excludes it, so every access there goes to MMIO.
///
/// A `final class` because the mapping has one owner and is unmapped once; engines take `base` once
/// and do their own bounds-checked arithmetic on the hot path.
public final class GuestRAM: @unchecked Sendable {
    /// Where a PC's RAM below 4 GiB ends when there is more (QEMU's i440FX "pc" machine: 3 GiB).
    public static let pcHoleStart: UInt64 = 0xC000_0000
    /// Where RAM resumes above the 32-bit hole.
    public static let highMemoryStart: UInt64 = 0x1_0000_0000

    /// Host address of guest physical address 0. Valid for `size` bytes until deinit.
    public let base: UnsafeMutableRawPointer
    /// The extent of the mapping: one past the highest RAM address (a multiple of 4 KiB). Without
    /// a hole this is the RAM size.
    public let size: UInt64
    /// The hole inside the mapping that is not RAM: [holeStart, holeEnd). Empty (both equal to
    /// `size`) when RAM is contiguous.
    public let holeStart: UInt64
    public let holeEnd: UInt64

    /// Bytes of RAM (the mapping less the hole).
    public var ramSize: UInt64 { size - (holeEnd - holeStart) }

    /// The RAM ranges in address order: [0, holeStart) and, with a hole, [holeEnd, size).
    public var ranges: [Range<UInt64>] {
        holeStart == size ? [0..<size] : [0..<holeStart, holeEnd..<size]
    }

    /// Contiguous RAM of `size` bytes from guest physical address 0.
    public convenience init(size: UInt64) throws(GuestMemoryError) {
        guard size > 0, size % 4096 == 0, size < (1 << 40) else { throw .badSize(size) }
        try self.init(span: size, holeStart: size, holeEnd: size)
    }

    /// `ramSize` bytes of RAM laid out as a PC: all of it from address 0 if it fits below
    /// `pcHoleStart` (3 GiB), otherwise 3 GiB there and the rest from `highMemoryStart` (4 GiB).
    public static func pc(ramSize: UInt64) throws(GuestMemoryError) -> GuestRAM {
        guard ramSize > 0, ramSize % 4096 == 0, ramSize < (1 << 40) else { throw .badSize(ramSize) }
        if ramSize <= pcHoleStart { return try GuestRAM(size: ramSize) }
        return try GuestRAM(span: highMemoryStart + (ramSize - pcHoleStart), holeStart: pcHoleStart, holeEnd: highMemoryStart)
    }

    private init(span: UInt64, holeStart: UInt64, holeEnd: UInt64) throws(GuestMemoryError) {
        let p = mmap(nil, Int(span), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .mapFailed(size: span, errno: errno) }
        if holeEnd > holeStart {
            // The hole is address space only: no access through it is ever valid.
            mprotect(p + Int(holeStart), Int(holeEnd - holeStart), PROT_NONE)
        }
        base = p
        size = span
        self.holeStart = holeStart
        self.holeEnd = holeEnd
    }

    deinit {
        munmap(base, Int(size))
    }

    /// Whether `[address, address + count)` lies inside RAM (not in the hole, not beyond the end).
    @inlinable public func contains(_ address: UInt64, count: UInt64) -> Bool {
        guard address < size, count <= size - address else { return false }
        let end = address + count
        return end <= holeStart || address >= holeEnd
    }

    /// Copies bytes into guest RAM. Returns false (and copies nothing) if the range is outside RAM.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>, at address: UInt64) -> Bool {
        guard contains(address, count: UInt64(bytes.count)) else { return false }
        // SAFETY: the range was checked against the RAM ranges above.
        let dst = (base + Int(address)).assumingMemoryBound(to: UInt8.self)
        var i = 0
        for b in bytes { dst[i] = b; i += 1 }
        return true
    }

    /// Copies `count` bytes out of guest RAM, or nil if the range is outside RAM.
    public func read(at address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, contains(address, count: UInt64(count)) else { return nil }
        // SAFETY: the range was checked against the RAM ranges above.
        return Array(UnsafeRawBufferPointer(start: base + Int(address), count: count))
    }

    /// One byte, or nil outside RAM.
    public func byte(at address: UInt64) -> UInt8? {
        guard contains(address, count: 1) else { return nil }
        // SAFETY: address is in RAM (checked above).
        return base.load(fromByteOffset: Int(address), as: UInt8.self)
    }

    /// Stores one byte; false outside RAM.
    @discardableResult
    public func setByte(_ value: UInt8, at address: UInt64) -> Bool {
        guard contains(address, count: 1) else { return false }
        // SAFETY: address is in RAM (checked above).
        base.storeBytes(of: value, toByteOffset: Int(address), as: UInt8.self)
        return true
    }
}
