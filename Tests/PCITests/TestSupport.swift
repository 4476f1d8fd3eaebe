import DeviceModel

/// An interrupt line that records its level and rising edges.
final class RecordingLine: InterruptLine {
    private(set) var level = false
    private(set) var risingEdges: [Int] = []
    func setLevel(_ asserted: Bool) {
        if asserted && !level { risingEdges.append(risingEdges.count) }
        level = asserted
    }
}
