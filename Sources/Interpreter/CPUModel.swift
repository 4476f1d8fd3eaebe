/// Which processor the interpreter behaves as. Later models are supersets; the older ones exist so
/// that single-step vectors captured on real 8086 and 80286 chips can check the interpreter bit for bit.
public enum CPUModel: Sendable {
    /// Intel 8086: 20-bit addresses that wrap, FLAGS bits 12-15 read as 1, PUSH SP pushes the new SP,
    /// shift counts not masked, undefined opcodes alias defined ones, #DE returns past DIV.
    case i8086
    /// Intel 80286 in real mode: 24-bit addresses, FLAGS bits 12-15 clear in real mode, shift counts
    /// masked to 5 bits, #UD on undefined opcodes.
    case i80286
    /// A 64-bit processor (the Linux target): all modes, CPUID model in `CPUIDModel`.
    case x86_64
}
