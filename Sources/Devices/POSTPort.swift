import DeviceModel

/// Port 0x80, the POST diagnostic port: firmware writes progress codes there, and Linux writes it
/// as an I/O delay (`outb_p`, `io_delay`). Writes are swallowed and counted; reads return the last
/// value written, as a POST card's latch shows it.
public final class POSTPort: BusDevice {
    /// The last code written.
    public private(set) var lastValue: UInt8 = 0
    /// How many bytes were written.
    public private(set) var writes = 0
    /// Accesses past the port or of bad size.
    public private(set) var ignoredAccesses = 0

    public init() {}

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 1, ignore: { ignoredAccesses += 1 }) { _ in lastValue }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 1, ignore: { ignoredAccesses += 1 }) { _, v in
            lastValue = v
            writes += 1
        }
    }
}
