/// The Intel MultiProcessor Specification 1.4 tables (order 242016-006): the MP floating pointer
/// structure and the MP configuration table, which tell an operating system without ACPI where
/// the local APICs and IOAPICs are and how interrupts are wired (Linux `arch/x86/kernel/mpparse.c`).
///
/// `build(at:)` lays out the 16-byte floating pointer at `address` (16-byte aligned, inside a
/// region the OS scans: the BIOS area 0xF0000-0xFFFFF) and the configuration table right after it.
/// Entries are written in the order the spec requires (by entry type: processors, buses, IOAPICs,
/// I/O interrupt assignments, local interrupt assignments).
public struct MPTable: Equatable, Sendable {
    /// A processor entry (type 0, 20 bytes; MP spec 4.3.1).
    public struct Processor: Equatable, Sendable {
        public var apicID: UInt8
        /// The local APIC's version register bits 7:0.
        public var apicVersion: UInt8 = 0x14
        public var enabled = true
        public var bootstrap: Bool
        /// CPUID.1:EAX (stepping 3:0, model 7:4, family 11:8). Informational: Linux reads only the
        /// APIC ID and the flags of a processor entry.
        public var signature: UInt32
        /// CPUID.1:EDX (informational; the default says TSC and APIC).
        public var features: UInt32
        public init(apicID: UInt8, bootstrap: Bool, signature: UInt32 = 0x0000_0600, features: UInt32 = 0x0000_0210) {
            self.apicID = apicID
            self.bootstrap = bootstrap
            self.signature = signature
            self.features = features
        }
    }

    /// A bus entry (type 1, 8 bytes; MP spec 4.3.2): "ISA", "PCI", ... (Table 4-8).
    public struct Bus: Equatable, Sendable {
        public var id: UInt8
        public var type: String
        public init(id: UInt8, type: String) {
            self.id = id
            self.type = type
        }
    }

    /// An I/O APIC entry (type 2, 8 bytes; MP spec 4.3.3).
    public struct IOAPIC: Equatable, Sendable {
        public var id: UInt8
        public var version: UInt8 = 0x11
        public var enabled = true
        public var address: UInt32 = 0xFEC0_0000
        public init(id: UInt8, version: UInt8 = 0x11, address: UInt32 = 0xFEC0_0000) {
            self.id = id
            self.version = version
            self.address = address
        }
    }

    /// Interrupt types (MP spec Table 4-11).
    public enum InterruptType: UInt8, Sendable {
        case int = 0, nmi = 1, smi = 2, extINT = 3
    }

    /// Interrupt flags (MP spec Table 4-10): PO bits 1:0 (0 conforms to the bus, 1 active high,
    /// 3 active low), EL bits 3:2 (0 conforms, 1 edge, 3 level).
    public enum Flags {
        public static let conforms: UInt16 = 0
        public static let activeHighEdge: UInt16 = 0x1 | 0x1 << 2
        public static let activeLowLevel: UInt16 = 0x3 | 0x3 << 2
    }

    /// An I/O (type 3) or local (type 4) interrupt assignment entry, 8 bytes (MP spec 4.3.4-4.3.5).
    /// For a local entry `destinationID` is a local APIC ID (0xFF: all) and `destinationPin` its LINTIN#.
    public struct Interrupt: Equatable, Sendable {
        public var type: InterruptType
        public var flags: UInt16
        public var sourceBus: UInt8
        /// ISA: the IRQ; PCI: device << 2 | pin (0 = INTA#) (MP spec D.3).
        public var sourceIRQ: UInt8
        public var destinationID: UInt8
        public var destinationPin: UInt8
        public init(type: InterruptType, flags: UInt16 = Flags.conforms, sourceBus: UInt8, sourceIRQ: UInt8,
                    destinationID: UInt8, destinationPin: UInt8) {
            self.type = type
            self.flags = flags
            self.sourceBus = sourceBus
            self.sourceIRQ = sourceIRQ
            self.destinationID = destinationID
            self.destinationPin = destinationPin
        }
    }

    /// A PCI function's interrupt routing: device `device` pin `pin` (0 = INTA#) to IOAPIC input `ioapicPin`.
    public struct PCIInterrupt: Equatable, Sendable {
        public var device: UInt8
        public var pin: UInt8
        public var ioapicPin: UInt8
        public init(device: UInt8, pin: UInt8, ioapicPin: UInt8) {
            self.device = device
            self.pin = pin
            self.ioapicPin = ioapicPin
        }
    }

    public var oemID = "POPEK"
    public var productID = "POPEK VM"
    public var localAPICAddress: UInt32 = 0xFEE0_0000
    /// IMCRP (feature byte 2, bit 7) clear: virtual wire mode, no IMCR (MP spec 3.6.2.2, 4.1).
    public var imcrPresent = false
    public var processors: [Processor] = []
    public var buses: [Bus] = []
    public var ioapics: [IOAPIC] = []
    public var ioInterrupts: [Interrupt] = []
    public var localInterrupts: [Interrupt] = []

    public init() {}

    /// The PC platform: `cpus` processors (APIC IDs 0..., the first the BSP), PCI bus 0 (when
    /// `pci`) and an ISA bus, one IOAPIC, ISA IRQs 0-15 to IOAPIC pins 0-15 except that IRQ0 goes
    /// to pin 2 and IRQ2 (the 8259A cascade) has no entry (as SeaBIOS's table for QEMU), PCI
    /// interrupts level triggered active low, and ExtINT on LINT0 and NMI on LINT1 of every local APIC.
    public static func pc(cpus: Int = 1, ioapicID: UInt8 = 1, ioapicAddress: UInt32 = 0xFEC0_0000,
                          pci: Bool = true, pciInterrupts: [PCIInterrupt] = []) -> MPTable {
        var t = MPTable()
        t.processors = (0..<cpus).map { Processor(apicID: UInt8($0), bootstrap: $0 == 0) }
        let isaBus: UInt8 = pci ? 1 : 0
        if pci { t.buses.append(Bus(id: 0, type: "PCI")) }
        t.buses.append(Bus(id: isaBus, type: "ISA"))
        t.ioapics = [IOAPIC(id: ioapicID, address: ioapicAddress)]
        for irq in UInt8(0)..<16 where irq != 2 {
            t.ioInterrupts.append(Interrupt(type: .int, sourceBus: isaBus, sourceIRQ: irq,
                                            destinationID: ioapicID, destinationPin: irq == 0 ? 2 : irq))
        }
        for p in pciInterrupts where pci {
            t.ioInterrupts.append(Interrupt(type: .int, flags: Flags.activeLowLevel, sourceBus: 0,
                                            sourceIRQ: p.device << 2 | p.pin, destinationID: ioapicID,
                                            destinationPin: p.ioapicPin))
        }
        t.localInterrupts = [
            Interrupt(type: .extINT, sourceBus: isaBus, sourceIRQ: 0, destinationID: 0xFF, destinationPin: 0),
            Interrupt(type: .nmi, sourceBus: isaBus, sourceIRQ: 0, destinationID: 0xFF, destinationPin: 1),
        ]
        return t
    }

    /// The floating pointer at `address` and the configuration table at `address + 16`.
    public func build(at address: UInt32) -> PlacedBytes {
        var t = TableBytes()
        // MP floating pointer structure (MP spec 4.1, Table 4-1).
        t.ascii("_MP_", length: 4)
        t.u32(address + 16)  // physical address pointer
        t.u8(1)  // length in 16-byte units
        t.u8(4)  // spec revision 1.4
        t.u8(0)  // checksum
        t.u8(0)  // feature byte 1: 0 = a configuration table is present
        t.u8(imcrPresent ? 0x80 : 0)
        t.append([0, 0, 0])
        t.fixChecksum(at: 10, over: 0..<16)

        // MP configuration table header (MP spec 4.2, Table 4-2).
        let base = t.count
        t.ascii("PCMP", length: 4)
        t.u16(0)  // base table length, patched
        t.u8(4)  // spec revision
        t.u8(0)  // checksum
        t.ascii(oemID, length: 8)
        t.ascii(productID, length: 12)
        t.u32(0)  // OEM table pointer
        t.u16(0)  // OEM table size
        t.u16(UInt16(processors.count + buses.count + ioapics.count + ioInterrupts.count + localInterrupts.count))
        t.u32(localAPICAddress)
        t.u16(0)  // extended table length
        t.u8(0)  // extended table checksum
        t.u8(0)
        for p in processors {
            t.u8(0)
            t.u8(p.apicID)
            t.u8(p.apicVersion)
            t.u8((p.enabled ? 1 : 0) | (p.bootstrap ? 2 : 0))
            t.u32(p.signature)
            t.u32(p.features)
            t.u32(0)
            t.u32(0)
        }
        for b in buses {
            t.u8(1)
            t.u8(b.id)
            t.ascii(b.type, length: 6)
        }
        for a in ioapics {
            t.u8(2)
            t.u8(a.id)
            t.u8(a.version)
            t.u8(a.enabled ? 1 : 0)
            t.u32(a.address)
        }
        for (type, list) in [(UInt8(3), ioInterrupts), (UInt8(4), localInterrupts)] {
            for i in list {
                t.u8(type)
                t.u8(i.type.rawValue)
                t.u16(i.flags)
                t.u8(i.sourceBus)
                t.u8(i.sourceIRQ)
                t.u8(i.destinationID)
                t.u8(i.destinationPin)
            }
        }
        t.patch16(base + 4, UInt16(t.count - base))
        t.fixChecksum(at: base + 7, over: base..<t.count)
        return PlacedBytes(address: UInt64(address), bytes: t.bytes)
    }
}
