import DeviceModel
import Devices

/// An interrupt line that records the virtual time of each rising edge.
final class RecordingLine: InterruptLine {
    private let clock: Clock?
    private(set) var level = false
    private(set) var risingEdges: [UInt64] = []
    private(set) var fallingEdges = 0

    init(clock: Clock? = nil) { self.clock = clock }

    func setLevel(_ asserted: Bool) {
        if asserted && !level { risingEdges.append(clock?.now ?? 0) }
        if !asserted && level { fallingEdges += 1 }
        level = asserted
    }
}

extension BusDevice {
    /// A one-byte read at `offset`.
    func inb(_ offset: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: read(offset: offset, size: 1)) }
    /// A one-byte write at `offset`.
    func outb(_ offset: UInt64, _ value: UInt8) { write(offset: offset, size: 1, value: UInt64(value)) }
}
