/// The PC's A20 gate: address line 20 is enabled while either the 8042 keyboard controller's output
/// port bit 1 or port 92h's ALT_A20 bit is set (IBM PC/AT; Intel PIIX "Port 92 Register": the two
/// are ORed). The devices report their bits here; the machine passes changes of the combined gate to
/// the engine (`ExecutionEngine.setA20Gate(enabled:)`), which masks physical address bit 20.
public final class A20Gate {
    /// The 8042's output port A20 bit (on at power-up).
    public private(set) var keyboardController = true
    /// Port 92h ALT_A20 (off at power-up).
    public private(set) var systemControlPort = false
    /// Called when `enabled` changes.
    public var onChange: ((Bool) -> Void)?

    public init() {}

    /// Whether A20 is enabled.
    public var enabled: Bool { keyboardController || systemControlPort }

    /// The 8042's output port bit 1 changed.
    public func setKeyboardController(_ on: Bool) { update { keyboardController = on } }

    /// Port 92h bit 1 changed.
    public func setSystemControlPort(_ on: Bool) { update { systemControlPort = on } }

    private func update(_ change: () -> Void) {
        let before = enabled
        change()
        if enabled != before { onChange?(enabled) }
    }
}
