import DeviceModel

/// Presents part of a device's register space at a bus address of its own.
///
/// A device sees offsets from where it is mapped, so a part whose registers the PC decodes at
/// scattered addresses is mapped once per address through a window: the 8042's data register
/// (chip A0 = 0) at port 0x60 and its status/command register (A0 = 1) at port 0x64, with port 0x61
/// (another part) between them:
///
/// ```swift
/// try ports.map(BusWindow(kbc, offset: 0), base: 0x60, length: 1)
/// try ports.map(BusWindow(kbc, offset: 1), base: 0x64, length: 1)
/// ```
public final class BusWindow: BusDevice {
    /// The device behind the window.
    public let device: BusDevice
    /// The device offset that the window's offset 0 reaches.
    public let offset: UInt64

    /// A window whose offset 0 is `offset` in `device`.
    public init(_ device: BusDevice, offset: UInt64) {
        self.device = device
        self.offset = offset
    }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        device.read(offset: self.offset &+ offset, size: size)
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        device.write(offset: self.offset &+ offset, size: size, value: value)
    }
}
