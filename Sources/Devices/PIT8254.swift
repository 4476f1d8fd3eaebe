import DeviceModel

/// The Intel 8254 Programmable Interval Timer (datasheet 82C54, order 231244), clocked at
/// 1.193182 MHz as on the PC.
///
/// Registers, relative to where the chip is mapped (port 0x40 on the PC):
/// - offsets 0-2: Counter 0, 1 and 2 (count register writes, counter/latch/status reads).
/// - offset 3: the Control Word Register: SC1-SC0 (counter select, 11 = Read-Back Command),
///   RW1-RW0 (00 = Counter Latch Command, 01 LSB, 10 MSB, 11 LSB then MSB), M2-M0 (mode), BCD.
///
/// Counter 0's OUT drives IRQ0 through the injected `InterruptLine`; counter 2's GATE and OUT are
/// reached through `setGate(_:_:)` / `output(_:)` (the chipset's port 0x61, `SystemControlPortB`).
/// Counter 1's OUT (DRAM refresh on old PCs) goes nowhere.
///
/// Time comes from the injected `Clock`: a counter's state is a function of the clock since it was
/// loaded, so reads cost no polling, and counter 0's next OUT transition is a scheduled callback, so
/// an idle guest with a timer costs nothing between interrupts.
///
/// Modes 0-5 follow the datasheet, including "the initial count is loaded on the next CLK pulse"
/// (OUT in mode 0 goes high N + 1 clocks after the count is written), the GATE rules (Table
/// "Gate Pin Operations Summary") and NULL COUNT. Simplifications: a new count written during a
/// mode 3 cycle takes effect at the end of the current full cycle (the datasheet says half-cycle);
/// the illegal count of 1 in modes 2 and 3 behaves as 2.
public final class PIT8254: BusDevice {
    /// The input clock of every counter, in Hz (the PC's 14.31818 MHz crystal divided by 12).
    public static let frequency: UInt64 = 1_193_182

    private let clock: Clock
    private let irq0: InterruptLine
    private var counters = [Counter(gate: true), Counter(gate: true), Counter(gate: false)]
    private var irqLevel = false
    private var timer: TimerToken?
    private var timerTick: UInt64?
    private var lastTick: UInt64 = 0

    /// Guest misbehaviour ignored: bad offsets or sizes, reads of the control word register.
    public private(set) var ignoredAccesses = 0

    /// A PIT whose counter 0 drives `irq0` (ISA IRQ0). Gates of counters 0 and 1 are tied high as on
    /// the PC; counter 2's gate starts low (port 0x61 bit 0 is 0 at reset).
    public init(clock: Clock, irq0: InterruptLine) {
        self.clock = clock
        self.irq0 = irq0
        lastTick = currentTick
    }

    // MARK: Time

    /// The counter clock tick at virtual time `ns`: floor(ns * 1193182 / 10^9).
    public static func tick(atNanoseconds ns: UInt64) -> UInt64 {
        let p = ns.multipliedFullWidth(by: frequency)
        return UInt64(1_000_000_000).dividingFullWidth(p).quotient
    }

    /// The first virtual time (ns) at which tick `t` has happened: ceil(t * 10^9 / 1193182).
    public static func nanoseconds(atTick t: UInt64) -> UInt64 {
        let p = t.multipliedFullWidth(by: 1_000_000_000)
        guard p.high < frequency else { return .max }
        let (q, r) = frequency.dividingFullWidth(p)
        return r == 0 ? q : (q == .max ? q : q + 1)
    }

    private var currentTick: UInt64 { PIT8254.tick(atNanoseconds: clock.now) }

    // MARK: Gate and output

    /// Drives counter `index`'s GATE input (on the PC only counter 2's is wired, to port 0x61 bit 0).
    public func setGate(_ index: Int, _ level: Bool) {
        guard (0..<3).contains(index) else { return }
        let t = currentTick
        if index == 0 { refreshIRQ(t) }
        counters[index].setGate(level, at: t)
        if index == 0 { refreshIRQ(t) }
    }

    /// Counter `index`'s GATE input level.
    public func gate(_ index: Int) -> Bool { counters[index].gate }

    /// The level of counter `index`'s OUT pin now.
    public func output(_ index: Int) -> Bool {
        let t = currentTick
        counters[index].normalize(t)
        return counters[index].out(at: t)
    }

    /// The value counter `index`'s counting element holds now (binary; BCD counters count 0-9999).
    public func countingElement(_ index: Int) -> Int {
        let t = currentTick
        counters[index].normalize(t)
        return counters[index].ce(at: t)
    }

    /// Counter `index`'s mode (0-5) as programmed.
    public func mode(_ index: Int) -> Int { Int(counters[index].mode) }

    /// Keeps IRQ0 equal to counter 0's OUT and schedules the next transition. Edges that happened
    /// since the last look (a late callback) are still delivered as a rising edge.
    private func refreshIRQ(_ t: UInt64) {
        let edge = counters[0].risingEdge(after: lastTick, through: t)
        counters[0].normalize(t)
        let level = counters[0].out(at: t)
        lastTick = max(lastTick, t)
        if edge {
            if irqLevel { irq0.setLevel(false) }
            irq0.setLevel(true)
            irqLevel = true
        }
        if level != irqLevel {
            irqLevel = level
            irq0.setLevel(level)
        }
        let next = counters[0].nextTransition(after: t)
        if timer != nil && next == timerTick { return }  // already scheduled
        if let token = timer {
            clock.cancel(token)
            timer = nil
        }
        timerTick = next
        if let next {
            timer = clock.schedule(at: PIT8254.nanoseconds(atTick: next)) { [weak self] in
                guard let self else { return }
                self.timer = nil
                self.refreshIRQ(self.currentTick)
            }
        }
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 4, ignore: { ignoredAccesses += 1 }) { o in
            guard o < 3 else {
                ignoredAccesses += 1  // the control word register is write-only
                return 0xFF
            }
            let t = currentTick
            counters[o].normalize(t)
            return counters[o].readByte(at: t)
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 4, ignore: { ignoredAccesses += 1 }) { o, v in
            let t = currentTick
            // Only counter 0 drives a line; catch its edges up before the write changes it.
            let touchesCounter0 = o == 0 || (o == 3 && v >> 6 == 0)
            if touchesCounter0 { refreshIRQ(t) }
            if o < 3 {
                counters[o].normalize(t)
                counters[o].writeByte(v, at: t)
            } else {
                writeControlWord(v, at: t)
            }
            if touchesCounter0 { refreshIRQ(t) }
        }
    }

    /// The Control Word Register.
    private func writeControlWord(_ value: UInt8, at t: UInt64) {
        let select = Int(value >> 6)
        if select == 3 {
            // Read-Back Command: D5 = /COUNT, D4 = /STATUS, D3-D1 = CNT2-CNT0.
            for i in 0..<3 where value & (2 << UInt8(i)) != 0 {
                counters[i].normalize(t)
                if value & 0x20 == 0 { counters[i].latchCount(at: t) }
                if value & 0x10 == 0 { counters[i].latchStatus(at: t) }
            }
            return
        }
        counters[select].normalize(t)
        let rw = (value >> 4) & 3
        if rw == 0 {
            counters[select].latchCount(at: t)  // Counter Latch Command
        } else {
            counters[select].program(mode: (value >> 1) & 7, access: rw, bcd: value & 1 != 0, at: t)
        }
    }
}

/// One counter of the 8254: its control state, count register (CR), counting element (CE) and
/// output latch (OL), with the CE and OUT expressed as functions of the clock tick.
struct Counter {
    /// M2-M0 as written (modes 6 and 7 read back as written but act as 2 and 3).
    var modeBits: UInt8 = 0
    /// RW1-RW0: 1 = LSB only, 2 = MSB only, 3 = LSB then MSB.
    var access: UInt8 = 3
    /// BCD: count in decimal, 0000-9999.
    var bcd = false
    /// The GATE input.
    var gate: Bool

    // Write side.
    var writeMSBNext = false
    var lowByte: UInt8 = 0
    /// The count register (CR), binary; 0 means the full count (65536, or 10000 in BCD).
    var countRegister = 0
    /// A count has been written since the control word.
    var countWritten = false

    // The counting element over time.
    /// The CE is counting; otherwise it holds `frozenCE` and OUT is `frozenOut`.
    var running = false
    var referenceTick: UInt64 = 0
    /// Modes 0, 1, 4, 5: the CE at `referenceTick` (0 = full count).
    var ceAtReference = 0
    /// Modes 0, 1: OUT already high at `referenceTick`.
    var outAtReference = false
    /// Modes 4, 5: the one-clock low strobe has not happened yet.
    var strobeArmed = false
    /// Modes 2, 3: the period N in clocks.
    var period = 2
    /// Modes 2, 3: a new count that takes over at the end of the current cycle.
    var pendingPeriod: (count: Int, at: UInt64)?
    var frozenCE = 0
    var frozenOut = false
    /// NULL COUNT (status bit 6): the CR has not yet been transferred to the CE.
    var nullCount = true
    var nullCountClearsAt: UInt64?

    // Read side.
    var latchedCount: UInt16?
    var latchedMSBNext = false
    var readMSBNext = false
    var latchedStatus: UInt8?

    init(gate: Bool) { self.gate = gate }

    /// The mode as it behaves (X10 = mode 2, X11 = mode 3).
    var mode: UInt8 { modeBits & 2 != 0 ? modeBits & 3 : modeBits }

    var modulus: Int { bcd ? 10_000 : 65_536 }

    /// Clocks from a CE value to terminal count (0 is the full count).
    func toTerminal(_ ce: Int) -> Int { ce == 0 ? modulus : ce }

    private func elapsed(_ t: UInt64) -> Int { t > referenceTick ? Int(t - referenceTick) : 0 }

    /// Applies what time alone changes: a pending mode 2/3 count, NULL COUNT clearing.
    mutating func normalize(_ t: UInt64) {
        if let p = pendingPeriod, t >= p.at {
            referenceTick = p.at
            period = p.count
            pendingPeriod = nil
        }
        if let c = nullCountClearsAt, t >= c {
            nullCount = false
            nullCountClearsAt = nil
        }
    }

    /// The CE at tick `t` (0 ..< modulus).
    func ce(at t: UInt64) -> Int {
        guard running else { return frozenCE }
        let d = elapsed(t)
        switch mode {
        case 2:
            return (period - d % period) % modulus
        case 3:
            // Decrement by two; odd counts lose one in the first clock of the high half and three
            // in the first clock of the low half (datasheet, Mode 3).
            let p = d % period
            let high = (period + 1) / 2
            let odd = period & 1
            let value: Int
            if p < high {
                value = p == 0 ? period : period + odd - 2 * p
            } else {
                let q = p - high
                value = q == 0 ? period : period - odd - 2 * q
            }
            return max(value, 0) % modulus
        default:
            let m = modulus
            return ((ceAtReference - d) % m + m) % m
        }
    }

    /// OUT at tick `t`.
    func out(at t: UInt64) -> Bool {
        guard running else { return frozenOut }
        let d = elapsed(t)
        switch mode {
        case 0, 1: return outAtReference || d >= toTerminal(ceAtReference)
        case 2: return d % period != period - 1
        case 3: return d % period < (period + 1) / 2
        default: return !(strobeArmed && d == toTerminal(ceAtReference))
        }
    }

    /// The first tick after `t` at which OUT changes, if any will without a guest action.
    func nextTransition(after t: UInt64) -> UInt64? {
        guard running else { return nil }
        let r = referenceTick
        switch mode {
        case 0, 1:
            guard !outAtReference else { return nil }
            let e = r + UInt64(toTerminal(ceAtReference))
            return e > t ? e : nil
        case 2, 3:
            let n = UInt64(period)
            let d = t >= r ? t - r : 0
            let start = r + (d / n) * n
            let fall = start + (mode == 2 ? n - 1 : (n + 1) / 2)
            let next = fall > t ? fall : start + n
            if let p = pendingPeriod, p.at < next { return p.at }
            return next
        default:
            guard strobeArmed else { return nil }
            let fall = r + UInt64(toTerminal(ceAtReference))
            if fall > t { return fall }
            return fall + 1 > t ? fall + 1 : nil
        }
    }

    /// Whether OUT had a rising edge in the ticks (`a`, `b`].
    func risingEdge(after a: UInt64, through b: UInt64) -> Bool {
        guard running, b > a else { return false }
        let r = referenceTick
        switch mode {
        case 0, 1:
            guard !outAtReference else { return false }
            let e = r + UInt64(toTerminal(ceAtReference))
            return e > a && e <= b
        case 2, 3:
            if let p = pendingPeriod, p.at <= b {
                if p.at > a { return true }
                return Self.periodicEdge(reference: p.at, period: UInt64(p.count), after: a, through: b)
            }
            return Self.periodicEdge(reference: r, period: UInt64(period), after: a, through: b)
        default:
            guard strobeArmed else { return false }
            let e = r + UInt64(toTerminal(ceAtReference)) + 1
            return e > a && e <= b
        }
    }

    /// Whether some reference + k * period (k >= 1) lies in (`a`, `b`].
    private static func periodicEdge(reference r: UInt64, period n: UInt64, after a: UInt64, through b: UInt64) -> Bool {
        guard b >= r + n else { return false }
        let last = r + ((b - r) / n) * n
        return last > a
    }

    // MARK: Programming

    /// A control word for this counter: "all control logic is immediately reset and OUT goes to a
    /// known initial state" (low in mode 0, high otherwise); the CE keeps its value, frozen.
    mutating func program(mode newMode: UInt8, access newAccess: UInt8, bcd newBCD: Bool, at t: UInt64) {
        frozenCE = ce(at: t)
        running = false
        modeBits = newMode
        access = newAccess
        bcd = newBCD
        writeMSBNext = false
        readMSBNext = false
        latchedMSBNext = false
        latchedCount = nil
        latchedStatus = nil
        countWritten = false
        pendingPeriod = nil
        strobeArmed = false
        nullCount = true
        nullCountClearsAt = nil
        frozenOut = mode != 0
    }

    /// A byte written to the counter's port.
    mutating func writeByte(_ value: UInt8, at t: UInt64) {
        switch access {
        case 1: load(UInt16(value), at: t)
        case 2: load(UInt16(value) << 8, at: t)
        default:
            if !writeMSBNext {
                lowByte = value
                writeMSBNext = true
                if mode == 0 {
                    // Mode 0: "writing the first byte disables counting; OUT is set low immediately".
                    frozenCE = ce(at: t)
                    frozenOut = false
                    running = false
                }
            } else {
                writeMSBNext = false
                load(UInt16(lowByte) | UInt16(value) << 8, at: t)
            }
        }
    }

    /// A complete count written to the CR.
    mutating func load(_ raw: UInt16, at t: UInt64) {
        let n = bcd ? (BCD.decode(UInt8(raw >> 8)) * 100 + BCD.decode(UInt8(raw & 0xFF))) % 10_000 : Int(raw)
        countRegister = n
        countWritten = true
        nullCount = true
        switch mode {
        case 0, 4:
            // Loaded into the CE on the next CLK pulse; counting while GATE is high.
            referenceTick = t + 1
            ceAtReference = n
            outAtReference = false
            strobeArmed = mode == 4
            nullCountClearsAt = t + 1
            running = gate
            frozenCE = n
            frozenOut = mode == 4
        case 2, 3:
            if running {
                // The current cycle finishes with the old count.
                let p = UInt64(period)
                let d = t >= referenceTick ? t - referenceTick : 0
                let at = referenceTick + (d / p + 1) * p
                pendingPeriod = (max(toTerminal(n), 2), at)
                nullCountClearsAt = at
            } else if gate {
                start(at: t + 1)
            }
        default:
            break  // modes 1 and 5 wait for a GATE trigger
        }
    }

    /// Modes 2, 3: the CE is loaded from the CR at tick `s` and the cycle begins.
    private mutating func start(at s: UInt64) {
        running = true
        referenceTick = s
        period = max(toTerminal(countRegister), 2)
        pendingPeriod = nil
        nullCountClearsAt = s
    }

    /// GATE changes (datasheet, "Gate Pin Operations Summary").
    mutating func setGate(_ level: Bool, at t: UInt64) {
        guard level != gate else { return }
        normalize(t)
        gate = level
        switch (mode, level) {
        case (0, true), (4, true):
            // Counting resumes.
            if countWritten && !running {
                referenceTick = max(t, referenceTick)
                ceAtReference = frozenCE
                outAtReference = frozenOut && mode == 0
                running = true
            }
        case (0, false), (4, false):
            // Counting is suspended; OUT holds.
            if running {
                let d = elapsed(t)
                frozenCE = ce(at: t)
                frozenOut = out(at: t)
                if mode == 4 { strobeArmed = strobeArmed && d < toTerminal(ceAtReference) }
                running = false
            }
        case (1, true), (5, true):
            // Trigger: the CE is loaded on the next CLK; mode 1 OUT goes low.
            if countWritten {
                running = true
                referenceTick = t + 1
                ceAtReference = countRegister
                outAtReference = false
                strobeArmed = mode == 5
                nullCountClearsAt = t + 1
            }
        case (2, true), (3, true):
            if countWritten { start(at: t + 1) }
        case (2, false), (3, false):
            // Counting stops and OUT goes high immediately.
            if running { frozenCE = ce(at: t) }
            frozenOut = true
            running = false
            pendingPeriod = nil
        default:
            break  // modes 1 and 5 ignore a falling GATE
        }
    }

    // MARK: Reading

    /// The CE as the counter presents it (BCD digits in BCD mode).
    func presented(_ value: Int) -> UInt16 {
        guard bcd else { return UInt16(truncatingIfNeeded: value) }
        let v = value % 10_000
        return UInt16(BCD.encode(v / 100)) << 8 | UInt16(BCD.encode(v % 100))
    }

    /// Counter Latch Command: the OL holds the CE until read; a second latch before the read is ignored.
    mutating func latchCount(at t: UInt64) {
        guard latchedCount == nil else { return }
        latchedCount = presented(ce(at: t))
        latchedMSBNext = false
    }

    /// Read-Back status byte: OUTPUT (D7), NULL COUNT (D6), RW1-RW0, M2-M0, BCD.
    func status(at t: UInt64) -> UInt8 {
        (out(at: t) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | access << 4 | modeBits << 1 | (bcd ? 1 : 0)
    }

    mutating func latchStatus(at t: UInt64) {
        guard latchedStatus == nil else { return }
        latchedStatus = status(at: t)
    }

    /// A read of the counter's port: latched status first, then a latched count, else the live CE.
    mutating func readByte(at t: UInt64) -> UInt8 {
        if let s = latchedStatus {
            latchedStatus = nil
            return s
        }
        if let l = latchedCount {
            switch access {
            case 1:
                latchedCount = nil
                return UInt8(l & 0xFF)
            case 2:
                latchedCount = nil
                return UInt8(l >> 8)
            default:
                if !latchedMSBNext {
                    latchedMSBNext = true
                    return UInt8(l & 0xFF)
                }
                latchedMSBNext = false
                latchedCount = nil
                return UInt8(l >> 8)
            }
        }
        let v = presented(ce(at: t))
        switch access {
        case 1: return UInt8(v & 0xFF)
        case 2: return UInt8(v >> 8)
        default:
            readMSBNext.toggle()
            return readMSBNext ? UInt8(v & 0xFF) : UInt8(v >> 8)
        }
    }
}
