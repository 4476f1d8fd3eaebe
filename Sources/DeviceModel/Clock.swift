/// Virtual time, one clock for all devices (the TSC derives from it too). Devices read it and
/// ask to be called back at a deadline; they never read the host clock themselves, so tests drive
/// them with `ManualClock`.
public protocol Clock: AnyObject {
    /// Nanoseconds of virtual time since the machine started.
    var now: UInt64 { get }
    /// Calls `handler` once virtual time reaches `deadline` (ns). Returns a token to cancel it.
    @discardableResult
    func schedule(at deadline: UInt64, _ handler: @escaping () -> Void) -> TimerToken
    /// Cancels a scheduled callback (no effect if it already ran).
    func cancel(_ token: TimerToken)
}

/// Identifies a scheduled callback.
public struct TimerToken: Hashable, Sendable {
    public let id: UInt64
    public init(id: UInt64) { self.id = id }
}

/// A clock that advances only when told to: for device tests and for deterministic runs.
/// Callbacks run in deadline order as `advance` passes their deadlines.
public final class ManualClock: Clock {
    public private(set) var now: UInt64 = 0
    private var nextID: UInt64 = 1
    private var timers: [(deadline: UInt64, id: UInt64, handler: () -> Void)] = []

    public init(start: UInt64 = 0) { now = start }

    @discardableResult
    public func schedule(at deadline: UInt64, _ handler: @escaping () -> Void) -> TimerToken {
        let id = nextID
        nextID += 1
        timers.append((deadline, id, handler))
        return TimerToken(id: id)
    }

    public func cancel(_ token: TimerToken) {
        timers.removeAll { $0.id == token.id }
    }

    /// The earliest pending deadline, if any.
    public var nextDeadline: UInt64? { timers.map(\.deadline).min() }

    /// Advances time by `nanoseconds`, running every callback whose deadline is reached, in order.
    public func advance(by nanoseconds: UInt64) {
        advance(to: now &+ nanoseconds)
    }

    /// Advances time to `target`, running due callbacks in deadline order (a callback may schedule more).
    public func advance(to target: UInt64) {
        while let i = timers.indices.filter({ timers[$0].deadline <= target }).min(by: { timers[$0].deadline < timers[$1].deadline }) {
            let t = timers.remove(at: i)
            now = max(now, t.deadline)
            t.handler()
        }
        now = max(now, target)
    }
}
