import DeviceModel

/// ACPI fixed-hardware power-management registers (ACPI 6.5, 4.8 "ACPI Hardware Model" fixed
/// registers): the PM1a event block, the PM1a control block and the power-management timer, in
/// one 12-byte I/O range (the machine maps it at 0x600, the FADT's PM1a_EVT_BLK; QEMU's PIIX4 uses
/// the same layout).
///
/// | offset | register | width |
/// |---|---|---|
/// | 0 | PM1_STS: TMR_STS 0, GBL_STS 5, PWRBTN_STS 8, SLPBTN_STS 9, RTC_STS 10, WAK_STS 15 (write 1 to clear) | 16 |
/// | 2 | PM1_EN: the matching enables (TMR_EN 0, GBL_EN 5, PWRBTN_EN 8, SLPBTN_EN 9, RTC_EN 10) | 16 |
/// | 4 | PM1_CNT: SCI_EN 0 (reads 1: the machine is always in ACPI mode, the FADT has no SMI_CMD), BM_RLD 1, SLP_TYP 12:10, SLP_EN 13 (write-only) | 16 |
/// | 8 | PM_TMR: 3.579545 MHz, 32 bits (FADT TMR_VAL_EXT) | 32 |
///
/// Accesses of any size are taken byte by byte within the range; offsets 6-7 and bytes past the end
/// read 0xFF and are counted. A write of PM1_CNT with SLP_EN = 1 and SLP_TYP equal to
/// `s5SleepType` (the value the DSDT's `\_S5` package gives) calls the injected `powerOff`
/// handler: that is how Linux's `poweroff` ends the run. Other sleep types are not supported and
/// are counted in `unsupportedSleepRequests` (the guest carries on). The SCI output (ISA IRQ 9,
/// level, active high) is asserted while any enabled status bit is set; `pressPowerButton()` sets
/// PWRBTN_STS (an ACPI guest then shuts down in an orderly way). The timer's TMR_STS (bit 31
/// toggling) is not modelled: Linux only reads the counter.
public final class PowerManagement: BusDevice {
    /// The PM timer's rate: 3.579545 MHz (ACPI 4.8.3.3).
    public static let timerFrequency: UInt64 = 3_579_545
    /// The size of the I/O range.
    public static let length: UInt64 = 12

    /// PM1_STS / PM1_EN bits.
    public enum PM1 {
        public static let timer: UInt16 = 1 << 0
        public static let globalLock: UInt16 = 1 << 5
        public static let powerButton: UInt16 = 1 << 8
        public static let sleepButton: UInt16 = 1 << 9
        public static let rtc: UInt16 = 1 << 10
        public static let wake: UInt16 = 1 << 15
    }

    private let clock: Clock
    private let sci: InterruptLine
    private let powerOff: () -> Void
    /// The SLP_TYP value that means S5 (soft off); the DSDT's \_S5 must give the same.
    public let s5SleepType: UInt8

    /// PM1_STS.
    public private(set) var status: UInt16 = 0
    /// PM1_EN.
    public private(set) var enable: UInt16 = 0
    /// PM1_CNT bits 12:1 as last written (SLP_EN is write-only; SCI_EN reads 1).
    public private(set) var control: UInt16 = 0
    private var sciLevel = false

    /// Sleep requests (SLP_EN) for states other than S5.
    public private(set) var unsupportedSleepRequests = 0
    /// Guest misbehaviour ignored: accesses outside the registers, bad sizes, writes to the timer.
    public private(set) var ignoredAccesses = 0

    /// A PM block whose SCI drives `sci` and whose S5 request calls `powerOff`.
    public init(clock: Clock, sci: InterruptLine, s5SleepType: UInt8 = 5, powerOff: @escaping () -> Void) {
        self.clock = clock
        self.sci = sci
        self.s5SleepType = s5SleepType & 7
        self.powerOff = powerOff
    }

    /// The PM timer now: floor(ns * 3579545 / 10^9), modulo 2^32.
    public var timerValue: UInt32 {
        let p = clock.now.multipliedFullWidth(by: PowerManagement.timerFrequency)
        return UInt32(truncatingIfNeeded: UInt64(1_000_000_000).dividingFullWidth(p).quotient)
    }

    /// A press of the power button: sets PWRBTN_STS (SCI if PWRBTN_EN).
    public func pressPowerButton() {
        status |= PM1.powerButton
        updateSCI()
    }

    private func updateSCI() {
        let level = status & enable & (PM1.timer | PM1.globalLock | PM1.powerButton | PM1.sleepButton | PM1.rtc) != 0
        if level != sciLevel {
            sciLevel = level
            sci.setLevel(level)
        }
    }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        guard size >= 1 && size <= 8 else {
            ignoredAccesses += 1
            return ~0
        }
        let timer = UInt64(timerValue)
        let registers: UInt64 = UInt64(status) | UInt64(enable) << 16 | UInt64(control | 1) << 32 | 0xFFFF << 48
        var value: UInt64 = 0
        for i in 0..<size {
            let o = offset &+ UInt64(i)
            let b: UInt64
            switch o {
            case 0..<6: b = (registers >> (o * 8)) & 0xFF
            case 8..<12: b = (timer >> ((o - 8) * 8)) & 0xFF
            default:
                ignoredAccesses += 1
                b = 0xFF
            }
            value |= b << UInt64(8 * i)
        }
        return value
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        guard size >= 1 && size <= 8 else {
            ignoredAccesses += 1
            return
        }
        // Gather the bytes per 16-bit register, then apply each register once.
        var bits: [UInt16] = [0, 0, 0]
        var masks: [UInt16] = [0, 0, 0]
        for i in 0..<size {
            let o = offset &+ UInt64(i)
            let b = UInt16(truncatingIfNeeded: value >> UInt64(8 * i))
            guard o < 6 else {
                ignoredAccesses += 1
                continue
            }
            let r = Int(o / 2), shift = UInt16(o % 2) * 8
            bits[r] |= b << shift
            masks[r] |= 0xFF << shift
        }
        if masks[0] != 0 {
            status &= ~(bits[0] & masks[0])  // write 1 to clear
        }
        if masks[1] != 0 {
            let writable = PM1.timer | PM1.globalLock | PM1.powerButton | PM1.sleepButton | PM1.rtc
            enable = (enable & ~masks[1]) | (bits[1] & masks[1] & writable)
        }
        if masks[2] != 0 {
            let v = (control & ~masks[2]) | (bits[2] & masks[2])
            control = v & 0x1C02  // BM_RLD and SLP_TYP are kept; SCI_EN is fixed at 1, SLP_EN write-only
            if v & masks[2] & 0x2000 != 0 {
                let type = UInt8((v >> 10) & 7)
                if type == s5SleepType { powerOff() } else { unsupportedSleepRequests += 1 }
            }
        }
        updateSCI()
    }
}
