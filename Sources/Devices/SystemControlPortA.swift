import DeviceModel

/// Port 0x92, "System Control Port A" (IBM PS/2; PIIX4 "Port 92 Register"): the fast A20 gate
/// and fast reset.
///
/// Bits (one register at offset 0):
/// - D0 ALT_RST: writing 1 when it reads 0 pulses the CPU reset (INIT) line; the injected `reset`
///   handler is called.
/// - D1 ALT_A20: the A20 gate (1 = A20 enabled); changes go to the injected `a20` handler, which the
///   machine ORs with the 8042's output port A20.
/// - D3 security lock, D6-D7 fixed-disk activity lights: stored.
public final class SystemControlPortA: BusDevice {
    private let resetHandler: () -> Void
    private let a20Handler: (Bool) -> Void
    /// The register as last written.
    public private(set) var value: UInt8 = 0
    /// How many times the guest pulsed ALT_RST.
    public private(set) var resetPulses = 0
    /// Accesses past the register or of bad size.
    public private(set) var ignoredAccesses = 0

    /// A port calling `reset` on a fast reset and `a20` when ALT_A20 changes (it starts at 0).
    public init(reset: @escaping () -> Void, a20: @escaping (Bool) -> Void = { _ in }) {
        self.resetHandler = reset
        self.a20Handler = a20
    }

    /// D1 ALT_A20.
    public var a20Enabled: Bool { value & 0x02 != 0 }

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 1, ignore: { ignoredAccesses += 1 }) { _ in value }
    }

    public func write(offset: UInt64, size: Int, value newValue: UInt64) {
        ISABus.write(offset: offset, size: size, value: newValue, registers: 1, ignore: { ignoredAccesses += 1 }) { _, v in
            let old = value
            value = v
            if (old ^ v) & 0x02 != 0 { a20Handler(v & 0x02 != 0) }
            if old & 0x01 == 0 && v & 0x01 != 0 {
                resetPulses += 1
                resetHandler()
            }
        }
    }
}
