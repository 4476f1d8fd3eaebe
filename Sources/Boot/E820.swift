/// One entry of the BIOS E820 memory map the kernel reads from the zero page
/// (Linux Documentation/arch/x86/zero-page.rst: `e820_table`, 20 bytes each).
public struct E820Entry: Equatable, Sendable {
    /// Address range type: 1 usable RAM, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS.
    public enum Kind: UInt32, Sendable {
        case ram = 1
        case reserved = 2
        case acpiReclaimable = 3
        case acpiNVS = 4
    }

    public var address: UInt64
    public var size: UInt64
    public var kind: Kind

    public init(address: UInt64, size: UInt64, kind: Kind) {
        self.address = address
        self.size = size
        self.kind = kind
    }
}
