import DeviceModel

/// The Bochs/QEMU debug console, the "port 0xE9 hack": each byte written goes to the injected
/// output sink; a read returns 0xE9, which is how guests detect it.
public final class DebugConsole: BusDevice {
    private let output: (UInt8) -> Void
    /// Accesses past the port or of bad size.
    public private(set) var ignoredAccesses = 0

    /// A console sending written bytes to `output`.
    public init(output: @escaping (UInt8) -> Void) {
        self.output = output
    }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 1, ignore: { ignoredAccesses += 1 }) { _ in 0xE9 }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 1, ignore: { ignoredAccesses += 1 }) { _, v in
            output(v)
        }
    }
}
