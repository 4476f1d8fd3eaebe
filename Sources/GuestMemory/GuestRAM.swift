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
/// guest touches them. Guest physical address 0 is host offset 0.
///
/// A `final class` because the mapping has one owner and is unmapped once; engines take `base` once
/// and do their own bounds-checked arithmetic on the hot path.
public final class GuestRAM: @unchecked Sendable {
    /// Host address of guest physical address 0. Valid for `size` bytes until deinit.
    public let base: UnsafeMutableRawPointer
    /// Size in bytes (a multiple of 4 KiB).
    public let size: UInt64

    public init(size: UInt64) throws(GuestMemoryError) {
        guard size > 0, size % 4096 == 0, size < (1 << 40) else { throw .badSize(size) }
        let p = mmap(nil, Int(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .mapFailed(size: size, errno: errno) }
        base = p
        self.size = size
    }

    deinit {
        munmap(base, Int(size))
    }

    /// Whether `[address, address + count)` lies inside RAM.
    @inlinable public func contains(_ address: UInt64, count: UInt64) -> Bool {
        address < size && count <= size - address
    }

    /// Copies bytes into guest RAM. Returns false (and copies nothing) if the range is outside RAM.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>, at address: UInt64) -> Bool {
        guard contains(address, count: UInt64(bytes.count)) else { return false }
        // SAFETY: the range was checked against `size` above.
        let dst = (base + Int(address)).assumingMemoryBound(to: UInt8.self)
        var i = 0
        for b in bytes { dst[i] = b; i += 1 }
        return true
    }

    /// Copies `count` bytes out of guest RAM, or nil if the range is outside RAM.
    public func read(at address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, contains(address, count: UInt64(count)) else { return nil }
        // SAFETY: the range was checked against `size` above.
        return Array(UnsafeRawBufferPointer(start: base + Int(address), count: count))
    }

    /// One byte, or nil outside RAM.
    public func byte(at address: UInt64) -> UInt8? {
        guard address < size else { return nil }
        // SAFETY: address < size.
        return base.load(fromByteOffset: Int(address), as: UInt8.self)
    }

    /// Stores one byte; false outside RAM.
    @discardableResult
    public func setByte(_ value: UInt8, at address: UInt64) -> Bool {
        guard address < size else { return false }
        // SAFETY: address < size.
        base.storeBytes(of: value, toByteOffset: Int(address), as: UInt8.self)
        return true
    }
}
