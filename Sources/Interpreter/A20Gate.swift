/// The A20 gate (the PC's address line 20 mask): while the platform holds it off, physical address
/// bit 20 is forced to 0, so that real-mode addresses from 1 MiB up wrap to 0 as on the 8086 (IBM
/// PC/AT technical reference; SDM Vol. 3, 22.33.2 "A20M#"). The machine combines the 8042's output
/// port bit 1 and port 92h bit 1 and tells the engine through `ExecutionEngine.setA20Gate(enabled:)`:
/// the interpreter sees no device.
///
/// The mask applies to every physical access the CPU makes (instruction fetches, data, page-table
/// walks): `readPhysical`/`writePhysical` mask with `physicalMask`, and TLB entries are made from
/// masked physical pages. Decoded code is keyed by the (masked) physical address, so it stays valid;
/// cached translations and jump-cache entries do not, and are dropped when the gate changes.
extension Interpreter {
    /// The physical address mask in force: the model's width, without bit 20 while A20 is off.
    @inline(__always) var physicalMask: UInt64 { core.pointee.physicalMask }

    /// Whether physical address bit 20 passes through (the A20 gate is on).
    public var a20Enabled: Bool { core.pointee.physicalMask & (1 << 20) != 0 }

    /// Opens or closes the A20 gate. Takes effect from the next memory access; the running block
    /// ends after the current instruction (the OUT that moved the gate).
    public func setA20Gate(enabled: Bool) {
        let mask = enabled ? modelPhysicalMask : modelPhysicalMask & ~(1 << 20)
        guard mask != core.pointee.physicalMask else { return }
        core.pointee.physicalMask = mask
        // TLB entries hold host addresses of masked physical pages; jump-cache entries map linear
        // code addresses to blocks at physical addresses (`flushTranslations` moves the epoch).
        flushTranslations(global: true)
        core.pointee.codeInvalidated = true
        core.pointee.pollPlatform = true
    }
}
