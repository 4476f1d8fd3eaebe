/// A device as a register machine behind a bus (the Firecracker / rust-vmm shape): it sees offsets
/// relative to where the machine mapped it, never its base address, and does no host I/O itself.
///
/// Guest misbehaviour (a bad offset or size, a write to a read-only register) is ignored and counted
/// by the device, never a crash.
public protocol BusDevice: AnyObject {
    /// A read of `size` bytes (1, 2, 4 or 8) at `offset` within the device's range.
    func read(offset: UInt64, size: Int) -> UInt64
    /// A write of `size` bytes at `offset`.
    func write(offset: UInt64, size: Int, value: UInt64)
}

/// An interrupt request line from a device to an interrupt controller, injected into the device.
/// Level-triggered devices hold it; edge-triggered devices raise and lower it.
public protocol InterruptLine: AnyObject {
    /// Drives the line high (asserted) or low.
    func setLevel(_ asserted: Bool)
}

extension InterruptLine {
    /// An edge: raise then lower the line.
    public func pulse() {
        setLevel(true)
        setLevel(false)
    }
}

/// An interrupt line that goes nowhere (a device not wired up, or a test).
public final class DisconnectedLine: InterruptLine {
    public private(set) var level = false
    public private(set) var risingEdges = 0
    public init() {}
    public func setLevel(_ asserted: Bool) {
        if asserted && !level { risingEdges += 1 }
        level = asserted
    }
}
