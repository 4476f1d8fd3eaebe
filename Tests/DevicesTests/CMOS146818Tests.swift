import DeviceModel
import Devices
import Testing

/// MC146818A register-level tests on a manual clock (datasheet: address map, registers A-D,
/// update cycle timing, interrupts).
@Suite struct CMOS146818Tests {
    let clock = ManualClock()
    let irq8: RecordingLine
    /// 2024-02-29 13:45:56 (a Thursday), Unix time 1709214356.
    static let start: Int64 = 1_709_214_356
    let rtc: CMOS146818

    init() {
        irq8 = RecordingLine(clock: clock)
        rtc = CMOS146818(clock: clock, interrupt: irq8, startSeconds: Self.start)
    }

    func reg(_ r: UInt8) -> UInt8 {
        rtc.outb(0, r)
        return rtc.inb(1)
    }

    func set(_ r: UInt8, _ v: UInt8) {
        rtc.outb(0, r)
        rtc.outb(1, v)
    }

    func time() -> [UInt8] { [0, 2, 4, 6, 7, 8, 9, 0x32].map { reg($0) } }

    @Test func bcdTimeAfterReset() {
        #expect(reg(0x0A) & 0x7F == 0x26)  // DV = 010, RS = 0110
        #expect(reg(0x0B) == 0x02)  // 24-hour, BCD
        #expect(reg(0x0D) == 0x80)  // VRT
        // seconds, minutes, hours, day of week (Thursday = 5), date, month, year, century
        #expect(time() == [0x56, 0x45, 0x13, 0x05, 0x29, 0x02, 0x24, 0x20])
    }

    @Test func binaryAndTwelveHourFormats() {
        set(0x0B, 0x06)  // DM = 1 (binary), 24-hour
        #expect(time() == [56, 45, 13, 5, 29, 2, 24, 20])
        set(0x0B, 0x04)  // binary, 12-hour: 1 PM = 0x80 | 1
        #expect(reg(0x04) == 0x81)
        set(0x0B, 0x00)  // BCD, 12-hour
        #expect(reg(0x04) == 0x81)
    }

    @Test func timeAdvancesWithClockAcrossMidnightAndLeapDay() {
        clock.advance(by: 5_000_000_000)
        #expect(reg(0x00) == 0x01)
        #expect(reg(0x02) == 0x46)
        // 2024-02-29 13:45:56 + 10h 14m 4s = 2024-03-01 00:00:00, a Friday.
        clock.advance(to: UInt64(10 * 3600 + 14 * 60 + 4) * 1_000_000_000)
        #expect(time() == [0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x24, 0x20])
    }

    @Test func updateInProgressWindow() {
        // The second boundary T is at 1 s. UIP rises t_BUC = 244 us before T and falls t_UC = 1984 us after.
        clock.advance(to: 500_000_000)
        #expect(reg(0x0A) & 0x80 == 0)
        clock.advance(to: 1_000_000_000 - 244_001)
        #expect(reg(0x0A) & 0x80 == 0)
        #expect(reg(0x00) == 0x56)
        clock.advance(to: 1_000_000_000 - 244_000)
        #expect(reg(0x0A) & 0x80 == 0x80)
        clock.advance(to: 1_000_000_000 + 1_983_999)
        #expect(reg(0x0A) & 0x80 == 0x80)
        #expect(reg(0x00) == 0x57)
        clock.advance(to: 1_000_000_000 + 1_984_000)
        #expect(reg(0x0A) & 0x80 == 0)
    }

    /// Runs the clock to `end`, playing an interrupt handler that reads register C on each IRQ.
    func serviceInterrupts(until end: UInt64) -> [UInt8] {
        var cValues: [UInt8] = []
        while let d = clock.nextDeadline, d <= end {
            clock.advance(to: d)
            if irq8.level { cValues.append(reg(0x0C)) }
        }
        clock.advance(to: end)
        return cValues
    }

    @Test func periodicInterruptAt1024Hz() {
        set(0x0B, 0x42)  // PIE
        let c = serviceInterrupts(until: 1_000_000_000)
        // RS = 0110: 976.5625 us, 1024 per second; the first at ceil(32 / 32768 s).
        #expect(c.count == 1024)
        #expect(c.allSatisfy { $0 & 0xE0 == 0xC0 })  // IRQF | PF (UF comes and goes, no AF)
        #expect(c.prefix(2) == [0xC0, 0xC0])  // before the first update cycle ends at 1.984 ms
        #expect(irq8.risingEdges.first == 976_563)
    }

    @Test func periodicRateFromRegisterA() {
        set(0x0A, 0x2F)  // RS = 1111: 500 ms
        set(0x0B, 0x42)
        #expect(serviceInterrupts(until: 2_000_000_000).count == 4)
        set(0x0A, 0x23)  // RS = 0011: 122.070 us, 8192 Hz
        let c = serviceInterrupts(until: 2_100_000_000)
        #expect(c.count == 819)  // 0.1 s * 8192 = 819.2
        #expect(CMOS146818.periodicCycles(rateSelect: 1) == 128)  // RS = 0001 is 3.90625 ms like 1000
    }

    @Test func flagsSetWithoutInterruptEnable() {
        clock.advance(to: 3_000_000_000)
        #expect(!irq8.level)
        #expect(irq8.risingEdges.isEmpty)
        #expect(reg(0x0C) == 0x50)  // PF and UF, no IRQF
        #expect(reg(0x0C) == 0x00)  // cleared by reading
    }

    @Test func updateEndedInterrupt() {
        clock.advance(to: 200_000_000)
        _ = reg(0x0C)
        set(0x0B, 0x12)  // UIE
        let c = serviceInterrupts(until: 2_500_000_000)
        #expect(irq8.risingEdges == [1_001_984_000, 2_001_984_000])
        #expect(c.allSatisfy { $0 & 0x90 == 0x90 })  // IRQF | UF
    }

    @Test func alarmInterrupt() {
        // Alarm at 13:46:00 (4 s after start); AIE.
        set(0x01, 0x00)
        set(0x03, 0x46)
        set(0x05, 0x13)
        set(0x0B, 0x22)
        let c = serviceInterrupts(until: 10_000_000_000)
        #expect(irq8.risingEdges == [4_001_984_000])
        #expect(c.count == 1 && c[0] & 0xA0 == 0xA0)  // IRQF | AF
        // "Don't care" hours and minutes (0xC0-0xFF): every minute at second 0x30.
        set(0x03, 0xFF)
        set(0x05, 0xC0)
        set(0x01, 0x30)
        _ = serviceInterrupts(until: 160_000_000_000)
        #expect(irq8.risingEdges.count == 4)  // and 13:46:30, 13:47:30, 13:48:30
        #expect(irq8.risingEdges.last == 154_001_984_000)
    }

    @Test func settingTimeWithSETBit() {
        clock.advance(to: 300_000_000)
        set(0x0B, 0x82)  // SET: updates stop
        set(0x00, 0x58)
        set(0x02, 0x59)
        set(0x04, 0x23)
        set(0x07, 0x31)
        set(0x08, 0x12)
        set(0x09, 0x99)
        set(0x32, 0x19)
        clock.advance(by: 5_000_000_000)
        #expect(reg(0x00) == 0x58)  // frozen while SET
        set(0x0B, 0x02)
        #expect(rtc.currentSeconds == 946_684_798)  // 1999-12-31 23:59:58
        // The divider kept its phase: the next update is at the next whole second of virtual time.
        clock.advance(to: 6_000_000_000)
        #expect(reg(0x00) == 0x59)
        clock.advance(to: 7_000_000_000)
        #expect(time() == [0x00, 0x00, 0x00, 0x07, 0x01, 0x01, 0x00, 0x20])  // 2000-01-01, Saturday
    }

    @Test func dividerResetDelaysFirstUpdateByHalfSecond() {
        clock.advance(to: 250_000_000)
        set(0x0A, 0x66)  // DV = 110: divider reset
        clock.advance(to: 3_000_000_000)
        #expect(reg(0x00) == 0x56)
        set(0x0A, 0x26)
        clock.advance(to: 3_499_999_999)
        #expect(reg(0x00) == 0x56)
        clock.advance(to: 3_500_000_000)
        #expect(reg(0x00) == 0x57)
    }

    @Test func nvramIndexAndNMIMask() {
        set(0x40, 0xAB)
        #expect(reg(0x40) == 0xAB)
        rtc.outb(0, 0x8F)  // D7: NMI disabled; index 0x0F
        #expect(rtc.nmiDisabled)
        #expect(rtc.index == 0x0F)
        rtc.setNVRAM(0x10, 0x44)
        #expect(reg(0x10) == 0x44)
        #expect(!rtc.nmiDisabled)
        // outw 0x70: index in the low byte, data in the high byte (ISA byte cycles).
        rtc.write(offset: 0, size: 2, value: 0x5541)
        #expect(reg(0x41) == 0x55)
    }

    @Test func readOnlyRegistersIgnoreWrites() {
        set(0x0C, 0xFF)
        set(0x0D, 0x00)
        #expect(reg(0x0D) == 0x80)
        #expect(rtc.ignoredAccesses == 2)
        #expect(rtc.read(offset: 2, size: 1) == 0xFF)
        #expect(rtc.ignoredAccesses == 3)
    }
}
