#if canImport(Glibc)
import Glibc
#endif
import DeviceModel

/// Virtual time that follows the host's monotonic clock: what devices see when a guest runs for
/// real. Callbacks run from `runDue()`, which the run loop calls between instruction batches, so
/// devices are only ever called from the machine's thread.
public final class HostClock: Clock {
    private let start: UInt64
    private var nextID: UInt64 = 1
    /// Pending callbacks, kept sorted by deadline (few at a time: one per device timer).
    private var timers: [(deadline: UInt64, id: UInt64, handler: () -> Void)] = []

    public init() {
        start = HostClock.monotonic()
    }

    static func monotonic() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    public var now: UInt64 { HostClock.monotonic() &- start }

    @discardableResult
    public func schedule(at deadline: UInt64, _ handler: @escaping () -> Void) -> TimerToken {
        let id = nextID
        nextID += 1
        let i = timers.firstIndex { $0.deadline > deadline } ?? timers.count
        timers.insert((deadline, id, handler), at: i)
        return TimerToken(id: id)
    }

    public func cancel(_ token: TimerToken) {
        timers.removeAll { $0.id == token.id }
    }

    /// The earliest pending deadline.
    public var nextDeadline: UInt64? { timers.first?.deadline }

    /// Runs every callback whose deadline has passed, in order (callbacks may schedule more).
    public func runDue() {
        guard let first = timers.first, first.deadline <= now else { return }
        let t = now
        while let f = timers.first, f.deadline <= t {
            timers.removeFirst()
            f.handler()
        }
    }
}
