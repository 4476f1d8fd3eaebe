import DeviceModel

/// QEMU's `isa-debug-exit` device (port 0xF4 by default): a write of value v ends the machine with
/// process exit status (v << 1) | 1, so a test guest's status can never be mistaken for 0 (success
/// of the emulator itself). Accesses of 1, 2 or 4 bytes at offset 0 are taken whole, as QEMU does;
/// reads return 0.
public final class DebugExitPort: BusDevice {
    private let exitHandler: (UInt32) -> Void
    /// The last value written, if any.
    public private(set) var lastValue: UInt32?
    /// Accesses at other offsets or of other sizes.
    public private(set) var ignoredAccesses = 0

    /// A port calling `exit` with the value the guest wrote (the machine ends the run with
    /// `DebugExitPort.exitStatus(forValue:)`).
    public init(exit: @escaping (UInt32) -> Void) {
        self.exitHandler = exit
    }

    /// The process exit status for a written value: v * 2 + 1.
    public static func exitStatus(forValue v: UInt32) -> Int32 {
        Int32(truncatingIfNeeded: (v << 1) | 1)
    }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        guard offset == 0, size == 1 || size == 2 || size == 4 else {
            ignoredAccesses += 1
            return size >= 8 ? ~0 : (1 << UInt64(max(size, 0) * 8)) &- 1
        }
        return 0
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        guard offset == 0, size == 1 || size == 2 || size == 4 else {
            ignoredAccesses += 1
            return
        }
        let v = UInt32(truncatingIfNeeded: value & ((1 << UInt64(size * 8)) - 1))
        lastValue = v
        exitHandler(v)
    }
}
