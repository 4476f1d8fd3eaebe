import DeviceModel

/// The chipset's port 0x61, "NMI Status and Control Register" (NMISC in the PIIX4 datasheet;
/// "port B" of the IBM PC/AT): the speaker and timer 2 controls and status bits.
///
/// Bits (one register at offset 0):
/// - D0 TIM2EN (R/W): drives the 8254 counter 2 GATE.
/// - D1 SPKR_DAT_EN (R/W): speaker data enable (counter 2 OUT to the speaker); stored, no sound.
/// - D2 SERR#_NMI_EN, D3 IOCHK_NMI_EN (R/W, 0 = enabled): stored.
/// - D4 REF_TOGGLE (RO): toggles with every DRAM refresh request, every 15.085 us (18 PIT clocks,
///   the AT BIOS programs counter 1 to 18). Derived from the clock; Linux's and the BIOS's delay
///   loops watch it.
/// - D5 TMR2_OUT_STS (RO): counter 2 OUT, which Linux's TSC calibration polls.
/// - D6 IOCHK# and D7 SERR# NMI source status (RO): always 0 here.
public final class SystemControlPortB: BusDevice {
    private let pit: PIT8254
    private let clock: Clock
    /// D3-D0 as last written.
    public private(set) var control: UInt8 = 0
    /// Accesses past the register or of bad size.
    public private(set) var ignoredAccesses = 0

    /// The port wired to `pit`'s counter 2, with the refresh toggle timed by `clock`.
    public init(pit: PIT8254, clock: Clock) {
        self.pit = pit
        self.clock = clock
        pit.setGate(2, false)
    }

    /// D1 SPKR_DAT_EN: the speaker is enabled.
    public var speakerEnabled: Bool { control & 0x02 != 0 }

    /// D2/D3: NMIs from SERR# and IOCHK# are enabled (bits are active low).
    public var serrNMIEnabled: Bool { control & 0x04 == 0 }
    public var iochkNMIEnabled: Bool { control & 0x08 == 0 }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 1, ignore: { ignoredAccesses += 1 }) { _ in
            let refresh = (PIT8254.tick(atNanoseconds: clock.now) / 18) & 1 != 0
            return control | (refresh ? 0x10 : 0) | (pit.output(2) ? 0x20 : 0)
        }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 1, ignore: { ignoredAccesses += 1 }) { _, v in
            control = v & 0x0F
            pit.setGate(2, v & 0x01 != 0)
        }
    }
}
