import DeviceModel
import Devices
import Testing

/// 8254 register-level tests on a manual clock (datasheet 82C54: control word, modes 0-5,
/// Counter Latch and Read-Back commands). Ticks are 1.193182 MHz clocks: tick t begins at
/// `PIT8254.nanoseconds(atTick: t)`.
@Suite struct PIT8254Tests {
    let clock = ManualClock()
    let irq0: RecordingLine
    let pit: PIT8254
    let portB: SystemControlPortB

    init() {
        irq0 = RecordingLine(clock: clock)
        pit = PIT8254(clock: clock, irq0: irq0)
        portB = SystemControlPortB(pit: pit, clock: clock)
    }

    func ns(_ tick: UInt64) -> UInt64 { PIT8254.nanoseconds(atTick: tick) }

    /// Control word, then a 16-bit count LSB first (RW = 11).
    func program(counter: UInt64, control: UInt8, count: UInt16) {
        pit.outb(3, control)
        pit.outb(counter, UInt8(count & 0xFF))
        pit.outb(counter, UInt8(count >> 8))
    }

    func read16(_ counter: UInt64) -> UInt16 {
        let lo = pit.inb(counter)
        let hi = pit.inb(counter)
        return UInt16(hi) << 8 | UInt16(lo)
    }

    @Test func tickConversionRoundTrips() {
        #expect(PIT8254.tick(atNanoseconds: 1_000_000_000) == 1_193_182)
        #expect(PIT8254.nanoseconds(atTick: 1194) == 1_000_686)
        for t: UInt64 in [1, 17, 1193, 65_536, 10_000_000_000] {
            #expect(PIT8254.tick(atNanoseconds: ns(t)) == t)
            #expect(PIT8254.tick(atNanoseconds: ns(t) - 1) == t - 1)
        }
    }

    @Test func mode2RateGeneratorInterruptsEveryPeriod() {
        // Linux's periodic setup: 0x34 = counter 0, LSB/MSB, mode 2, binary; LATCH = 1193 for HZ=1000.
        program(counter: 0, control: 0x34, count: 1193)
        let before = irq0.risingEdges.count  // the control word sets OUT high
        #expect(irq0.level)
        // Loaded at tick 1; OUT low for one clock at CE = 1 (tick 1193), high again at tick 1194.
        clock.advance(to: ns(1193) - 1)
        #expect(irq0.level)
        #expect(irq0.risingEdges.count == before)
        clock.advance(to: ns(1193))
        #expect(!irq0.level)
        clock.advance(to: ns(1194))
        #expect(irq0.level)
        #expect(irq0.risingEdges.last == ns(1194))
        // 100 ms = tick 119318: edges at 1 + 1193k for k = 1...100.
        clock.advance(to: 100_000_000)
        #expect(irq0.risingEdges.count - before == 100)
        #expect(irq0.risingEdges.last == ns(1 + 100 * 1193))
        let gaps = zip(irq0.risingEdges.dropFirst(before + 1), irq0.risingEdges.dropFirst(before)).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 == 999_847 || $0 == 999_848 })  // 1193 / 1.193182 MHz
    }

    @Test func mode2CountReadsDownAndReloads() {
        program(counter: 0, control: 0x34, count: 1000)
        clock.advance(to: ns(1 + 300))
        #expect(read16(0) == 700)
        clock.advance(to: ns(1 + 1000 + 10))
        #expect(read16(0) == 990)  // reloaded with 1000 at tick 1001
        #expect(pit.mode(0) == 2)
    }

    @Test func newMode2CountTakesEffectAtEndOfPeriod() {
        program(counter: 0, control: 0x34, count: 1000)
        clock.advance(to: ns(500))
        pit.outb(0, 0xF4)
        pit.outb(0, 0x01)  // 500
        let before = irq0.risingEdges.count
        clock.advance(to: ns(1001 + 500 + 500))
        #expect(irq0.risingEdges.count - before == 3)
        #expect(irq0.risingEdges.suffix(3) == [ns(1001), ns(1501), ns(2001)])
    }

    @Test func mode0InterruptOnTerminalCountIsOneShot() {
        // Mode 0: OUT low after the control word, high N + 1 clocks after the count is written.
        clock.advance(to: ns(10))
        program(counter: 0, control: 0x30, count: 100)
        #expect(!irq0.level)
        clock.advance(to: ns(110))
        #expect(!irq0.level)
        clock.advance(to: ns(111))
        #expect(irq0.level)
        // The counter wraps and keeps counting after terminal count: 0, 0xFFFF, 0xFFFE...
        clock.advance(to: ns(113))
        #expect(read16(0) == 0xFFFE)
        clock.advance(by: 1_000_000_000)
        #expect(irq0.risingEdges == [ns(111)])
    }

    @Test func mode4SoftwareStrobeAsLinuxOneshot() {
        // Linux's clockevent one-shot: 0x38 = counter 0, LSB/MSB, mode 4; then each event writes a count.
        pit.outb(3, 0x38)
        #expect(irq0.level)  // mode 4 OUT starts high
        pit.outb(0, 50)
        pit.outb(0, 0)
        let before = irq0.risingEdges.count
        // CE loaded at tick 1, reaches 0 at tick 51: OUT low for that clock, high at 52.
        clock.advance(to: ns(51))
        #expect(!irq0.level)
        clock.advance(to: ns(52))
        #expect(irq0.level)
        clock.advance(by: 100_000_000)
        #expect(irq0.risingEdges.count - before == 1)
        #expect(irq0.risingEdges.last == ns(52))
    }

    @Test func counterLatchHoldsValueUntilRead() {
        program(counter: 0, control: 0x34, count: 1000)
        clock.advance(to: ns(1 + 300))
        pit.outb(3, 0x00)  // Counter Latch Command, counter 0
        clock.advance(to: ns(1 + 600))
        pit.outb(3, 0x00)  // a second latch before reading is ignored
        #expect(read16(0) == 700)
        #expect(read16(0) == 400)  // live again
    }

    @Test func readBackLatchesStatusThenCount() {
        pit.outb(3, 0x34)
        // Read-Back: D5 = 0 (count), D4 = 0 (status), CNT0. Status right after the control word:
        // OUTPUT = 1 (mode 2), NULL COUNT = 1, RW = 11, mode 010, binary = 0xF4.
        pit.outb(3, 0xE2)
        #expect(pit.inb(0) == 0xF4)
        pit.outb(0, 0xE8)
        pit.outb(0, 0x03)  // 1000
        clock.advance(to: ns(1 + 250))
        pit.outb(3, 0xC2)
        #expect(pit.inb(0) == 0xB4)  // NULL COUNT now 0: the count reached the CE at tick 1
        #expect(read16(0) == 750)
    }

    @Test func bcdCounting() {
        // 0x31: counter 0, LSB/MSB, mode 0, BCD; count 0x1000 is 1000 decimal.
        program(counter: 0, control: 0x31, count: 0x1000)
        clock.advance(to: ns(1 + 250))
        #expect(read16(0) == 0x0750)
        clock.advance(to: ns(1 + 1000))
        #expect(irq0.level)
        clock.advance(to: ns(1 + 1001))
        #expect(read16(0) == 0x9999)  // BCD wraps at 10000
    }

    @Test func lsbOnlyAndMsbOnlyAccess() {
        pit.outb(3, 0x14)  // counter 0, LSB only, mode 2
        pit.outb(0, 200)
        clock.advance(to: ns(1 + 50))
        #expect(pit.inb(0) == 150)
        pit.outb(3, 0x24)  // MSB only, mode 2: count 0x0200 = 512
        pit.outb(0, 0x02)
        clock.advance(by: 0)
        #expect(pit.inb(0) == 0x02)
    }

    @Test func port61GatesCounter2AndShowsItsOutput() {
        // Linux pit_calibrate_tsc: gate high, speaker off; counter 2 mode 0 (0xB0); poll port 0x61 bit 5.
        portB.outb(0, (portB.inb(0) & ~0x02) | 0x01)
        #expect(pit.gate(2))
        clock.advance(to: ns(20))
        program(counter: 2, control: 0xB0, count: 1000)
        #expect(portB.inb(0) & 0x20 == 0)
        clock.advance(to: ns(20 + 1000))
        #expect(portB.inb(0) & 0x20 == 0)
        clock.advance(to: ns(20 + 1001))
        #expect(portB.inb(0) & 0x20 == 0x20)  // TMR2_OUT_STS
        #expect(portB.inb(0) & 0x0F == 0x01)
        #expect(irq0.risingEdges.isEmpty)  // counter 2 has no interrupt
    }

    @Test func quickPITCalibrationSeesMSBDecrease() {
        // Linux quick_pit_calibrate: counter 2, mode 0, count 0xFFFF; reads LSB then MSB.
        portB.outb(0, 0x01)
        program(counter: 2, control: 0xB0, count: 0xFFFF)
        _ = read16(2)
        clock.advance(to: ns(1 + 256 * 3 + 5))
        let value = read16(2)
        #expect(value >> 8 == 0xFC)
        #expect(value == 0xFFFF - (256 * 3 + 5))
    }

    @Test func gateLowSuspendsMode0Counting() {
        portB.outb(0, 0x01)
        program(counter: 2, control: 0xB0, count: 1000)
        clock.advance(to: ns(1 + 100))
        portB.outb(0, 0x00)  // GATE low: counting stops
        clock.advance(to: ns(5000))
        #expect(read16(2) == 900)
        #expect(portB.inb(0) & 0x20 == 0)
        portB.outb(0, 0x01)
        clock.advance(to: ns(5000 + 900))
        #expect(portB.inb(0) & 0x20 == 0x20)
    }

    @Test func mode3SquareWaveOnCounter2() {
        portB.outb(0, 0x03)
        program(counter: 2, control: 0xB6, count: 10)  // mode 3
        // Loaded at tick 1: high for 5 clocks, low for 5.
        var levels: [Bool] = []
        for t: UInt64 in 1...21 {
            clock.advance(to: ns(t))
            levels.append(portB.inb(0) & 0x20 != 0)
        }
        let expected = (1...21).map { t in (t - 1) % 10 < 5 }
        #expect(levels == expected)
        #expect(portB.speakerEnabled)
    }

    @Test func mode1TriggeredByGateRisingEdge() {
        program(counter: 2, control: 0xB2, count: 30)  // mode 1: waits for a trigger
        #expect(portB.inb(0) & 0x20 == 0x20)  // OUT high
        clock.advance(to: ns(10))
        portB.outb(0, 0x01)  // rising GATE: loaded at tick 11, OUT low
        clock.advance(to: ns(11))
        #expect(portB.inb(0) & 0x20 == 0)
        clock.advance(to: ns(11 + 29))
        #expect(portB.inb(0) & 0x20 == 0)
        clock.advance(to: ns(11 + 30))
        #expect(portB.inb(0) & 0x20 == 0x20)
    }

    @Test func refreshToggleBitFollowsClock() {
        // REF_TOGGLE flips every 18 PIT clocks (15.085 us).
        #expect(portB.inb(0) & 0x10 == 0)
        clock.advance(to: ns(18))
        #expect(portB.inb(0) & 0x10 == 0x10)
        clock.advance(to: ns(36))
        #expect(portB.inb(0) & 0x10 == 0)
    }

    @Test func idleTimerNeedsNoPolling() {
        program(counter: 0, control: 0x34, count: 11932)  // 100 Hz
        // Exactly one callback pending: the next OUT transition.
        #expect(clock.nextDeadline == ns(11932))
        pit.outb(3, 0x30)  // mode 0 with no count: nothing to schedule
        #expect(clock.nextDeadline == nil)
    }

    @Test func badAccessesAreIgnoredAndCounted() {
        #expect(pit.read(offset: 3, size: 1) == 0xFF)  // control word register is write-only
        pit.write(offset: 4, size: 1, value: 0)
        #expect(pit.read(offset: 9, size: 1) == 0xFF)
        #expect(pit.ignoredAccesses == 3)
    }
}
