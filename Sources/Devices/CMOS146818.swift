import DeviceModel

/// The Motorola MC146818A real-time clock with 128 bytes of CMOS RAM, as wired on the PC/AT
/// (datasheet MC146818A; PIIX4 "Real Time Clock").
///
/// Ports, relative to where the device is mapped (0x70 on the PC):
/// - offset 0 (write): the index register. D6-D0 select one of the 128 bytes; D7 is the chipset's
///   NMI mask ("NMI_EN": 1 = NMIs disabled), kept in `nmiDisabled`. Reads return 0xFF (write-only).
/// - offset 1: the selected byte.
///
/// Bytes: 0x00 seconds, 0x01 seconds alarm, 0x02 minutes, 0x03 minutes alarm, 0x04 hours,
/// 0x05 hours alarm, 0x06 day of week (1 = Sunday), 0x07 date of month, 0x08 month, 0x09 year,
/// 0x0A-0x0D registers A-D, 0x0E-0x7F general-purpose RAM (0x32 is the PC's century byte, which
/// counts with the clock).
///
/// Register A: UIP (D7, read-only), DV2-DV0 (D6-D4: 010 = 32.768 kHz time base running, 11x =
/// divider reset), RS3-RS0 (D3-D0: periodic interrupt rate). Register B: SET (D7), PIE (D6), AIE
/// (D5), UIE (D4), SQWE (D3), DM (D2: 1 = binary, 0 = BCD), 24/12 (D1: 1 = 24-hour), DSE (D0,
/// stored, no daylight-saving jumps). Register C (read-only, cleared by reading): IRQF (D7), PF
/// (D6), AF (D5), UF (D4). Register D: VRT (D7) = 1.
///
/// Time: the RTC reads `startSeconds` (seconds since 1970-01-01 00:00:00 in whatever zone the
/// machine wants it to show; PCs keep local time, Linux guests usually UTC) when the injected
/// `Clock` reads 0, and advances with virtual time; the host clock is never read.
/// Each second the update cycle runs: UIP is 1 from 244 us (t_BUC) before the second boundary until
/// the cycle ends 1984 us (t_UC) after it; the time registers show the new second from the boundary;
/// UF (and AF when the alarm matches) is set when the cycle ends. A format change in register B while
/// the clock runs takes effect at the next read (the time is kept as a count, not as the bytes).
///
/// The IRQ output (IRQ8 on the PC) is the injected `InterruptLine`, held high while IRQF is 1 (the
/// chip's IRQ# pin, inverted by the board) until register C is read. Interrupt times are scheduled
/// on the clock; flags with their interrupt disabled are computed when register C is read.
public final class CMOS146818: BusDevice {
    /// Register numbers (datasheet "Address Map").
    public enum Register {
        public static let seconds = 0x00, secondsAlarm = 0x01, minutes = 0x02, minutesAlarm = 0x03
        public static let hours = 0x04, hoursAlarm = 0x05, dayOfWeek = 0x06, dayOfMonth = 0x07
        public static let month = 0x08, year = 0x09
        public static let a = 0x0A, b = 0x0B, c = 0x0C, d = 0x0D
        /// The PC century byte (IBM AT BIOS; ACPI FADT CENTURY points here).
        public static let century = 0x32
    }

    /// Register B bits.
    public enum RegisterB {
        public static let set: UInt8 = 0x80, pie: UInt8 = 0x40, aie: UInt8 = 0x20, uie: UInt8 = 0x10
        public static let sqwe: UInt8 = 0x08, dm: UInt8 = 0x04, hour24: UInt8 = 0x02, dse: UInt8 = 0x01
    }

    /// Register C bits.
    public enum RegisterC {
        public static let irqf: UInt8 = 0x80, pf: UInt8 = 0x40, af: UInt8 = 0x20, uf: UInt8 = 0x10
    }

    /// t_BUC: UIP rises this long before the update cycle (ns).
    public static let updatePreambleNanoseconds: Int64 = 244_000
    /// t_UC: the update cycle's length with a 32.768 kHz time base (ns).
    public static let updateCycleNanoseconds: Int64 = 1_984_000

    private static let second: Int64 = 1_000_000_000

    private let clock: Clock
    private let interrupt: InterruptLine
    private var ram = [UInt8](repeating: 0, count: 128)
    /// The index register (D6-D0).
    public private(set) var index: UInt8 = 0
    /// D7 of the index port: NMIs are masked.
    public private(set) var nmiDisabled = false
    /// Guest misbehaviour ignored: bad offsets or sizes, writes to registers C and D.
    public private(set) var ignoredAccesses = 0

    /// Virtual time (ns) at which the divider chain was at a second boundary.
    private var dividerOrigin: Int64
    /// The RTC's seconds count at `dividerOrigin` (valid while the clock runs).
    private var originSeconds: Int64
    /// Flags in register C are accounted up to this virtual time.
    private var evaluatedUpTo: Int64
    private var irqLevel = false
    private var timer: TimerToken?

    /// An RTC showing `startSeconds` (+ `startNanoseconds`) since 1970-01-01 00:00:00 when `clock`
    /// reads 0, raising `interrupt` (IRQ8). Registers start as a PC BIOS leaves them: A = 0x26
    /// (32.768 kHz, 1024 Hz periodic rate), B = 0x02 (24-hour, BCD, no interrupts), D = 0x80.
    public init(clock: Clock, interrupt: InterruptLine, startSeconds: Int64, startNanoseconds: Int64 = 0) {
        self.clock = clock
        self.interrupt = interrupt
        let sub = ((startNanoseconds % Self.second) + Self.second) % Self.second
        // At virtual time 0 the RTC reads startSeconds + startNanoseconds: the last second boundary
        // of the divider chain was `sub` before it.
        dividerOrigin = -sub
        originSeconds = startSeconds + (startNanoseconds - sub) / Self.second
        evaluatedUpTo = Int64(clamping: clock.now)
        ram[Register.a] = 0x26
        ram[Register.b] = RegisterB.hour24
        ram[Register.d] = 0x80
    }

    // MARK: Host-side access

    /// A byte of CMOS RAM (0x0E-0x7F) as the machine sets it up (memory sizes, equipment, boot order).
    public func nvram(_ address: Int) -> UInt8 { ram[address & 0x7F] }

    /// Stores a byte of CMOS RAM (0x0E-0x7F) for the guest's firmware to read.
    public func setNVRAM(_ address: Int, _ value: UInt8) {
        precondition((0x0E..<0x80).contains(address) && address != Register.century, "not a general-purpose CMOS byte")
        ram[address] = value
    }

    /// The time the RTC holds now, in seconds since 1970-01-01 00:00:00.
    public var currentSeconds: Int64 {
        ticking ? secondsAt(now) : parseTimeRegisters()
    }

    // MARK: Time base

    private var now: Int64 { Int64(clamping: clock.now) }

    /// DV2-DV0 select a running time base (000, 001, 010); 011 and 1xx are test modes and divider reset.
    private var dividerRunning: Bool { (ram[Register.a] >> 4) & 7 <= 2 }

    /// The seconds count advances: divider running and SET clear.
    private var ticking: Bool { dividerRunning && ram[Register.b] & RegisterB.set == 0 }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    private func secondsAt(_ t: Int64) -> Int64 {
        originSeconds + Self.floorDiv(t - dividerOrigin, Self.second)
    }

    /// UIP (register A D7).
    private var updateInProgress: Bool {
        guard ticking else { return false }
        let phase = Self.floorMod(now - dividerOrigin, Self.second)
        return phase >= Self.second - Self.updatePreambleNanoseconds || phase < Self.updateCycleNanoseconds
    }

    /// The periodic interrupt period in 32.768 kHz cycles for RS3-RS0 (datasheet Table "Periodic
    /// Interrupt Rate and Square-Wave Output Frequency"), nil for RS = 0000.
    public static func periodicCycles(rateSelect rs: UInt8) -> Int64? {
        switch rs & 0x0F {
        case 0: nil
        case 1: 128
        case 2: 256
        default: Int64(1) << Int64((rs & 0x0F) - 1)
        }
    }

    /// 32.768 kHz cycles of the divider chain completed by virtual time `t`.
    private func cycles(at t: Int64) -> Int64 {
        let e = t - dividerOrigin
        let s = Self.floorDiv(e, Self.second)
        return s * 32768 + (e - s * Self.second) * 32768 / Self.second
    }

    /// The virtual time of divider cycle `c`.
    private func time(ofCycle c: Int64) -> Int64 {
        let s = Self.floorDiv(c, 32768)
        let r = c - s * 32768
        return dividerOrigin + s * Self.second + (r * Self.second + 32767) / 32768
    }

    /// Index of the last update cycle that ended by time `t` (cycle k ends at origin + k s + t_UC).
    private func updatesEnded(by t: Int64) -> Int64 {
        Self.floorDiv(t - dividerOrigin - Self.updateCycleNanoseconds, Self.second)
    }

    /// Whether an alarm byte matches a value ("don't care" codes 11xxxxxx match every value).
    private func alarmField(_ r: Int, matches value: Int) -> Bool {
        let alarm = ram[r]
        if alarm & 0xC0 == 0xC0 { return true }
        return (r == Register.hoursAlarm ? decodeHours(alarm) : decode(alarm)) == value
    }

    /// The first seconds count at or after `s` whose time of day the alarm bytes match.
    private func nextAlarm(from s: Int64) -> Int64? {
        let midnight = s - Self.floorMod(s, 86_400)
        let now = Int(s - midnight)
        let (h0, m0, s0) = (now / 3600, now / 60 % 60, now % 60)
        for day in 0...1 {
            let today = day == 0
            for h in (today ? h0 : 0)..<24 where alarmField(Register.hoursAlarm, matches: h) {
                let sameHour = today && h == h0
                for m in (sameHour ? m0 : 0)..<60 where alarmField(Register.minutesAlarm, matches: m) {
                    let sameMinute = sameHour && m == m0
                    for sec in (sameMinute ? s0 : 0)..<60 where alarmField(Register.secondsAlarm, matches: sec) {
                        return midnight + Int64(day) * 86_400 + Int64(h * 3600 + m * 60 + sec)
                    }
                }
            }
        }
        return nil
    }

    /// Sets PF, UF and AF for the events between the last look and now.
    private func catchUp() {
        let a = evaluatedUpTo
        let b = now
        guard b > a else { return }
        evaluatedUpTo = b
        if dividerRunning, let p = Self.periodicCycles(rateSelect: ram[Register.a]),
           Self.floorDiv(cycles(at: b), p) > Self.floorDiv(cycles(at: a), p) {
            ram[Register.c] |= RegisterC.pf
        }
        guard ticking else { return }
        let first = updatesEnded(by: a) + 1
        let last = updatesEnded(by: b)
        guard last >= first else { return }
        ram[Register.c] |= RegisterC.uf
        if let t = nextAlarm(from: originSeconds + first), t <= originSeconds + last {
            ram[Register.c] |= RegisterC.af
        }
    }

    /// The next virtual time at which an enabled interrupt source sets its flag.
    private func nextInterruptTime() -> Int64? {
        let b = ram[Register.b]
        var next: Int64?
        func consider(_ t: Int64) { next = min(next ?? t, t) }
        let t = now
        if b & RegisterB.pie != 0, dividerRunning, let p = Self.periodicCycles(rateSelect: ram[Register.a]) {
            consider(time(ofCycle: (Self.floorDiv(cycles(at: t), p) + 1) * p))
        }
        if ticking {
            let k = updatesEnded(by: t) + 1
            let end = dividerOrigin + k * Self.second + Self.updateCycleNanoseconds
            if b & RegisterB.uie != 0 { consider(end) }
            if b & RegisterB.aie != 0, let s = nextAlarm(from: originSeconds + k) {
                consider(end + (s - originSeconds - k) * Self.second)
            }
        }
        return next
    }

    /// IRQF = PF·PIE + AF·AIE + UF·UIE drives the line; the next flag-setting event is scheduled.
    private func updateInterrupt() {
        let irqf = ram[Register.c] & ram[Register.b] & 0x70 != 0
        if irqf != irqLevel {
            irqLevel = irqf
            interrupt.setLevel(irqf)
        }
        if let token = timer {
            clock.cancel(token)
            timer = nil
        }
        guard !irqf, let t = nextInterruptTime() else { return }
        timer = clock.schedule(at: UInt64(max(t, now + 1))) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.catchUp()
            self.updateInterrupt()
        }
    }

    // MARK: Time registers

    private var binary: Bool { ram[Register.b] & RegisterB.dm != 0 }
    private var hour24: Bool { ram[Register.b] & RegisterB.hour24 != 0 }

    private func encode(_ v: Int) -> UInt8 { binary ? UInt8(truncatingIfNeeded: v) : BCD.encode(v) }
    private func decode(_ b: UInt8) -> Int { binary ? Int(b) : BCD.decode(b) }

    /// Hours in the current format: 0-23, or 1-12 with D7 = PM in 12-hour mode.
    private func encodeHours(_ h: Int) -> UInt8 {
        if hour24 { return encode(h) }
        let h12 = h % 12 == 0 ? 12 : h % 12
        return encode(h12) | (h >= 12 ? 0x80 : 0)
    }

    private func decodeHours(_ b: UInt8) -> Int {
        if hour24 { return decode(b) }
        return decode(b & 0x7F) % 12 + (b & 0x80 != 0 ? 12 : 0)
    }

    /// The register image of `seconds` since 1970 (Howard Hinnant's civil-from-days).
    private func timeRegister(_ r: Int, _ seconds: Int64) -> UInt8 {
        let days = Self.floorDiv(seconds, 86_400)
        let sod = Int(seconds - days * 86_400)
        switch r {
        case Register.seconds: return encode(sod % 60)
        case Register.minutes: return encode(sod / 60 % 60)
        case Register.hours: return encodeHours(sod / 3600)
        case Register.dayOfWeek: return encode(Int(Self.floorMod(days + 4, 7)) + 1)  // 1970-01-01 was a Thursday
        default:
            let (y, m, d) = Self.civil(fromDays: days)
            switch r {
            case Register.dayOfMonth: return encode(d)
            case Register.month: return encode(m)
            case Register.year: return encode(Int(Self.floorMod(y, 100)))
            default: return encode(Int(Self.floorDiv(y, 100)))
            }
        }
    }

    private static let timeRegisters = [Register.seconds, Register.minutes, Register.hours, Register.dayOfWeek,
                                        Register.dayOfMonth, Register.month, Register.year, Register.century]

    private static func isTimeRegister(_ r: Int) -> Bool { timeRegisters.contains(r) }

    /// Copies the running time into the bytes (the clock stops: SET, or divider reset).
    private func storeTime() {
        let s = secondsAt(now)
        for r in Self.timeRegisters { ram[r] = timeRegister(r, s) }
    }

    /// The time the bytes hold. Out-of-range fields are clamped, never a trap.
    private func parseTimeRegisters() -> Int64 {
        let sec = Int64(min(decode(ram[Register.seconds]), 59))
        let minute = Int64(min(decode(ram[Register.minutes]), 59))
        let hour = Int64(min(decodeHours(ram[Register.hours]), 23))
        let day = max(1, min(decode(ram[Register.dayOfMonth]), 31))
        let month = max(1, min(decode(ram[Register.month]), 12))
        let year = Int64(decode(ram[Register.century])) * 100 + Int64(decode(ram[Register.year]) % 100)
        let days = Self.days(fromCivil: year, month, day)
        return days * 86_400 + hour * 3600 + minute * 60 + sec
    }

    /// Restarts counting from the bytes, keeping the divider's phase.
    private func loadTime() {
        originSeconds = parseTimeRegisters() - Self.floorDiv(now - dividerOrigin, Self.second)
    }

    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), Int(d))
    }

    static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mm = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mm + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 2, ignore: { ignoredAccesses += 1 }) { o in
            o == 0 ? 0xFF : readData()
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 2, ignore: { ignoredAccesses += 1 }) { o, v in
            if o == 0 {
                index = v & 0x7F
                nmiDisabled = v & 0x80 != 0
            } else {
                writeData(v)
            }
        }
    }

    private func readData() -> UInt8 {
        catchUp()
        let r = Int(index)
        switch r {
        case Register.a:
            return ram[r] & 0x7F | (updateInProgress ? 0x80 : 0)
        case Register.c:
            let irqf = ram[r] & ram[Register.b] & 0x70 != 0
            let value = ram[r] & 0x70 | (irqf ? RegisterC.irqf : 0)
            ram[r] = 0
            updateInterrupt()
            return value
        case Register.d:
            return 0x80  // VRT
        default:
            if ticking && Self.isTimeRegister(r) { return timeRegister(r, secondsAt(now)) }
            return ram[r]
        }
    }

    private func writeData(_ value: UInt8) {
        catchUp()
        let r = Int(index)
        let wasTicking = ticking
        let wasRunning = dividerRunning
        switch r {
        case Register.a:
            ram[r] = value & 0x7F  // UIP is read-only
        case Register.b:
            // "UIE is cleared when SET is set"; SET also ends any update in progress (UIP reads 0).
            ram[r] = value & RegisterB.set != 0 ? value & ~RegisterB.uie : value
        case Register.c, Register.d:
            ignoredAccesses += 1  // read-only
        default:
            if wasTicking && Self.isTimeRegister(r) {
                // Writing a time byte while the clock runs: the count continues from the new value.
                storeTime()
                ram[r] = value
                loadTime()
            } else {
                ram[r] = value
            }
        }
        if !wasRunning && dividerRunning {
            // Leaving divider reset: "the first update cycle begins one-half second later".
            dividerOrigin = now - Self.second / 2
            evaluatedUpTo = now
        }
        if wasTicking && !ticking {
            // The clock stops; the bytes now hold the time. (SET with the divider still running keeps
            // its phase, so counting resumes at the next divider second.)
            storeTime()
        } else if !wasTicking && ticking {
            loadTime()
        }
        updateInterrupt()
    }
}
