/// A bus that maps address ranges to devices: the port-I/O space (16-bit addresses) or the MMIO
/// space. Accesses nobody decodes read as all ones and are counted; writes to them are dropped and counted.
public final class IOBus {
    struct Mapping {
        var base: UInt64
        var length: UInt64
        var device: BusDevice
    }

    private var mappings: [Mapping] = []
    /// Accesses to addresses with no device (guest misbehaviour or probing), counted.
    public private(set) var unclaimedReads = 0
    public private(set) var unclaimedWrites = 0

    public init() {}

    /// Errors inserting a device.
    public enum MapError: Error, CustomStringConvertible {
        case overlap(base: UInt64, length: UInt64)
        case empty
        public var description: String {
            switch self {
            case .overlap(let b, let l): "bus range 0x\(String(b, radix: 16))+0x\(String(l, radix: 16)) overlaps a device already mapped"
            case .empty: "bus range of length 0"
            }
        }
    }

    /// Maps `device` at `[base, base + length)`.
    public func map(_ device: BusDevice, base: UInt64, length: UInt64) throws(MapError) {
        guard length > 0 else { throw .empty }
        for m in mappings where base < m.base &+ m.length && m.base < base &+ length {
            throw .overlap(base: base, length: length)
        }
        mappings.append(Mapping(base: base, length: length, device: device))
        mappings.sort { $0.base < $1.base }
    }

    /// The device and offset for an address.
    @inline(__always) func find(_ address: UInt64) -> (BusDevice, UInt64)? {
        for m in mappings where address >= m.base && address &- m.base < m.length {
            return (m.device, address &- m.base)
        }
        return nil
    }

    public func read(_ address: UInt64, size: Int) -> UInt64 {
        guard let (d, off) = find(address) else {
            unclaimedReads += 1
            return size >= 8 ? ~0 : (1 << UInt64(size * 8)) - 1
        }
        return d.read(offset: off, size: size)
    }

    public func write(_ address: UInt64, size: Int, value: UInt64) {
        guard let (d, off) = find(address) else {
            unclaimedWrites += 1
            return
        }
        d.write(offset: off, size: size, value: value)
    }
}
