import DeviceModel
import Devices
import Testing

/// ACPI fixed-hardware register tests (ACPI 6.5, 4.8.3): PM1 status/enable/control, PM timer.
@Suite struct PowerManagementTests {
    let clock = ManualClock()
    let sci = RecordingLine()
    final class Flag { var powerOffs = 0 }
    let flag: Flag
    let pm: PowerManagement

    init() {
        let flag = Flag()
        self.flag = flag
        pm = PowerManagement(clock: clock, sci: sci) { flag.powerOffs += 1 }
    }

    @Test func s5RequestPowersOff() {
        #expect(pm.read(offset: 4, size: 2) == 0x0001)  // SCI_EN: always in ACPI mode
        pm.write(offset: 4, size: 2, value: 5 << 10)  // SLP_TYP = 5 without SLP_EN: nothing yet
        #expect(flag.powerOffs == 0)
        #expect(pm.read(offset: 4, size: 2) == 0x1401)
        pm.write(offset: 4, size: 2, value: 5 << 10 | 1 << 13)  // SLP_EN
        #expect(flag.powerOffs == 1)
        #expect(pm.read(offset: 4, size: 2) & 0x2000 == 0)  // SLP_EN reads 0
        pm.write(offset: 4, size: 2, value: 1 << 10 | 1 << 13)  // S1: not supported
        #expect(flag.powerOffs == 1 && pm.unsupportedSleepRequests == 1)
        // Byte-wise: the high byte alone carries SLP_TYP and SLP_EN.
        pm.write(offset: 5, size: 1, value: UInt64(5 << 2 | 1 << 5))
        #expect(flag.powerOffs == 2)
    }

    @Test func pmTimerCountsAt3579545Hz() {
        #expect(pm.read(offset: 8, size: 4) == 0)
        clock.advance(to: 1_000_000_000)
        #expect(pm.read(offset: 8, size: 4) == 3_579_545)
        clock.advance(to: 1_000_000_280)  // one tick is 279.4 ns
        #expect(pm.read(offset: 8, size: 4) == 3_579_546)
        pm.write(offset: 8, size: 4, value: 0)  // read-only
        #expect(pm.read(offset: 8, size: 4) == 3_579_546)
    }

    @Test func powerButtonRaisesSCIWhenEnabled() {
        pm.pressPowerButton()
        #expect(pm.read(offset: 0, size: 2) == 0x0100)
        #expect(!sci.level)
        pm.write(offset: 2, size: 2, value: 0x0100)  // PWRBTN_EN
        #expect(sci.level)
        pm.write(offset: 0, size: 2, value: 0x0100)  // write 1 to clear
        #expect(!sci.level)
        #expect(pm.read(offset: 0, size: 4) == 0x0100_0000)  // STS 0, EN 0x100
        #expect(pm.read(offset: 6, size: 2) == 0xFFFF)
        #expect(pm.ignoredAccesses == 2)
    }
}
