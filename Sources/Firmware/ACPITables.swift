/// A minimal set of ACPI tables (ACPI 6.5 chapter 5) for a PC without a BIOS: RSDP, RSDT, XSDT,
/// FADT (with FACS), MADT and a DSDT. They let Linux find the APICs (MADT), the RTC century byte,
/// the legacy devices and the power-management registers (FADT), and turn the machine off: the
/// DSDT's `\_S5` gives the SLP_TYP value that the machine's PM1a control register turns into a
/// power-off. With `pci`, the DSDT also describes the PCI root bridge `\_SB.PCI0` (PNP0A03) with
/// its windows (`_CRS`) and INTx routing (`_PRT`): once ACPI is on, Linux finds PCI only there.
///
/// `build(at:)` places everything in one block: the RSDP at the block's start (16-byte aligned; it
/// must lie in 0xE0000-0xFFFFF for the OS to find it by scanning, or be handed over in
/// `boot_params.acpi_rsdp_addr`), the FACS 64-byte aligned, then the DSDT, FADT, MADT, RSDT, XSDT.
/// Checksums are filled in (RSDP: first 20 bytes and all 36; every other table but the FACS: all
/// its bytes).
public struct ACPITables: Equatable, Sendable {
    /// An interrupt source override (MADT type 2; ACPI 6.5, 5.2.12.5): ISA IRQ `source` is GSI
    /// `gsi` with MPS INTI `flags` (polarity bits 1:0, trigger mode bits 3:2, as in the MP table).
    public struct InterruptOverride: Equatable, Sendable {
        public var source: UInt8
        public var gsi: UInt32
        public var flags: UInt16
        public init(source: UInt8, gsi: UInt32, flags: UInt16) {
            self.source = source
            self.gsi = gsi
            self.flags = flags
        }
    }

    /// The PCI root bridge as the DSDT describes it.
    public struct PCIRoot: Equatable, Sendable {
        /// Memory window for BARs (32-bit), inclusive bounds.
        public var memory: ClosedRange<UInt32> = 0xC000_0000...0xFEBF_FFFF
        /// I/O window for BARs, inclusive bounds (0xCF8-0xCFF is always excluded).
        public var io: ClosedRange<UInt16> = 0xC000...0xFFFF
        /// `_PRT` entries: device `device` pin `pin` (0 = INTA#) is GSI `gsi` (level, active low).
        public var routes: [(device: UInt8, pin: UInt8, gsi: UInt32)] = []

        public init(memory: ClosedRange<UInt32> = 0xC000_0000...0xFEBF_FFFF, io: ClosedRange<UInt16> = 0xC000...0xFFFF,
                    routes: [(device: UInt8, pin: UInt8, gsi: UInt32)] = []) {
            self.memory = memory
            self.io = io
            self.routes = routes
        }

        /// The PIIX board swizzle: every device 1-31, pins INTA#-INTD#, to GSI
        /// `firstGSI + (device + pin - 1) mod 4` (pin 0-based), matching `PCIBus.pirq`.
        public static func swizzledRoutes(firstGSI: UInt32 = 16) -> [(device: UInt8, pin: UInt8, gsi: UInt32)] {
            var routes: [(device: UInt8, pin: UInt8, gsi: UInt32)] = []
            for d in 1..<32 {
                for p in 0..<4 {
                    let pirq = UInt32((d + p - 1) & 3)
                    routes.append((device: UInt8(d), pin: UInt8(p), gsi: firstGSI + pirq))
                }
            }
            return routes
        }

        public static func == (a: PCIRoot, b: PCIRoot) -> Bool {
            a.memory == b.memory && a.io == b.io && a.routes.elementsEqual(b.routes) { $0 == $1 }
        }
    }

    public var oemID = "POPEK"
    public var oemTableID = "POPEKVM"
    /// The local APIC IDs of the processors (the first is the BSP), ACPI processor UIDs 0...
    public var processorAPICIDs: [UInt8] = [0]
    public var localAPICAddress: UInt32 = 0xFEE0_0000
    public var ioapicID: UInt8 = 1
    public var ioapicAddress: UInt32 = 0xFEC0_0000
    /// IRQ0 -> GSI 2 (the PIT on IOAPIC pin 2) and the SCI (IRQ 9) level triggered, active high.
    public var overrides: [InterruptOverride] = [
        InterruptOverride(source: 0, gsi: 2, flags: 0),
        InterruptOverride(source: 9, gsi: 9, flags: 0x000D),
    ]
    /// The FADT's SCI_INT (an ISA IRQ).
    public var sciInterrupt: UInt16 = 9
    /// The base of the PM registers: PM1a_EVT_BLK here, PM1a_CNT_BLK at +4, PM_TMR_BLK at +8.
    public var pmBase: UInt16 = 0x600
    /// The SLP_TYP value of S5 in `\_S5` (the PM1a control register must power off on it).
    public var s5SleepType: UInt8 = 5
    /// The RTC CMOS index of the century byte (FADT CENTURY).
    public var century: UInt8 = 0x32
    /// FADT RESET_REG: a byte written to an I/O port (0xCF9, 0x06 on the PIIX), or none.
    public var resetRegister: (port: UInt16, value: UInt8)? = (0xCF9, 0x06)
    /// The PCI root bridge in the DSDT, or none (no PCI under ACPI).
    public var pci: PCIRoot? = PCIRoot(routes: PCIRoot.swizzledRoutes())

    public init() {}

    public static func == (a: ACPITables, b: ACPITables) -> Bool {
        a.oemID == b.oemID && a.oemTableID == b.oemTableID && a.processorAPICIDs == b.processorAPICIDs
            && a.localAPICAddress == b.localAPICAddress && a.ioapicID == b.ioapicID && a.ioapicAddress == b.ioapicAddress
            && a.overrides == b.overrides && a.sciInterrupt == b.sciInterrupt && a.pmBase == b.pmBase
            && a.s5SleepType == b.s5SleepType && a.century == b.century
            && a.resetRegister?.port == b.resetRegister?.port && a.resetRegister?.value == b.resetRegister?.value
            && a.pci == b.pci
    }

    /// Table offsets within the block `build(at:)` returns, and the tables' addresses.
    public struct Layout: Equatable, Sendable {
        public var rsdp: UInt64, facs: UInt64, dsdt: UInt64, fadt: UInt64, madt: UInt64, rsdt: UInt64, xsdt: UInt64
    }

    /// All tables, laid out from `address` (16-byte aligned), and where each one is.
    public func build(at address: UInt64) -> (placed: PlacedBytes, layout: Layout) {
        precondition(address % 16 == 0, "the RSDP must be 16-byte aligned")
        var block = TableBytes()
        block.append([UInt8](repeating: 0, count: 36))  // RSDP, filled in last
        func place(_ bytes: [UInt8], alignment: Int) -> UInt64 {
            while (address + UInt64(block.count)) % UInt64(alignment) != 0 { block.u8(0) }
            let at = address + UInt64(block.count)
            block.append(bytes)
            return at
        }
        let facs = place(buildFACS(), alignment: 64)
        let dsdt = place(buildDSDT(), alignment: 16)
        let fadt = place(buildFADT(facs: facs, dsdt: dsdt), alignment: 16)
        let madt = place(buildMADT(), alignment: 16)
        let rsdt = place(buildRSDT([fadt, madt]), alignment: 16)
        let xsdt = place(buildXSDT([fadt, madt]), alignment: 16)
        var rsdp = TableBytes()
        rsdp.ascii("RSD PTR ", length: 8)
        rsdp.u8(0)  // checksum of the first 20 bytes
        rsdp.ascii(oemID, length: 6)
        rsdp.u8(2)  // revision: ACPI 2.0+ (XSDT present)
        rsdp.u32(UInt32(rsdt))
        rsdp.u32(36)
        rsdp.u64(xsdt)
        rsdp.u8(0)  // extended checksum
        rsdp.append([0, 0, 0])
        rsdp.fixChecksum(at: 8, over: 0..<20)
        rsdp.fixChecksum(at: 32, over: 0..<36)
        var bytes = block.bytes
        bytes.replaceSubrange(0..<36, with: rsdp.bytes)
        return (PlacedBytes(address: address, bytes: bytes),
                Layout(rsdp: address, facs: facs, dsdt: dsdt, fadt: fadt, madt: madt, rsdt: rsdt, xsdt: xsdt))
    }

    // MARK: Tables

    /// The 36-byte system description header (ACPI 6.5, 5.2.6), length and checksum patched by `finish`.
    private func header(_ signature: String, revision: UInt8) -> TableBytes {
        var t = TableBytes()
        t.ascii(signature, length: 4)
        t.u32(0)  // length
        t.u8(revision)
        t.u8(0)  // checksum
        t.ascii(oemID, length: 6)
        t.ascii(oemTableID, length: 8)
        t.u32(1)  // OEM revision
        t.ascii("POPK", length: 4)  // creator ID
        t.u32(1)  // creator revision
        return t
    }

    private func finish(_ t: inout TableBytes) -> [UInt8] {
        t.patch32(4, UInt32(t.count))
        t.fixChecksum(at: 9, over: 0..<t.count)
        return t.bytes
    }

    /// RSDT (5.2.7): 32-bit pointers.
    func buildRSDT(_ tables: [UInt64]) -> [UInt8] {
        var t = header("RSDT", revision: 1)
        for a in tables { t.u32(UInt32(a)) }
        return finish(&t)
    }

    /// XSDT (5.2.8): 64-bit pointers.
    func buildXSDT(_ tables: [UInt64]) -> [UInt8] {
        var t = header("XSDT", revision: 1)
        for a in tables { t.u64(a) }
        return finish(&t)
    }

    /// FACS (5.2.10): 64 bytes, no checksum; the OS uses its global lock field.
    func buildFACS() -> [UInt8] {
        var t = TableBytes()
        t.ascii("FACS", length: 4)
        t.u32(64)
        t.u32(0)  // hardware signature
        t.u32(0)  // firmware waking vector
        t.u32(0)  // global lock
        t.u32(0)  // flags
        t.u64(0)  // X firmware waking vector
        t.u8(2)  // version
        t.append([UInt8](repeating: 0, count: 3 + 4 + 24))
        return t.bytes
    }

    /// Generic Address Structure (5.2.3.2): address space (1 = system I/O), bit width, offset, access size.
    private func gas(_ t: inout TableBytes, io port: UInt16, bits: UInt8, access: UInt8 = 0) {
        t.u8(port == 0 ? 0 : 1)
        t.u8(port == 0 ? 0 : bits)
        t.u8(0)
        t.u8(port == 0 ? 0 : access)
        t.u64(UInt64(port))
    }

    /// FADT (5.2.9), revision 6 (276 bytes).
    func buildFADT(facs: UInt64, dsdt: UInt64) -> [UInt8] {
        var t = header("FACP", revision: 6)
        let pm1aEvent = pmBase, pm1aControl = pmBase + 4, pmTimer = pmBase + 8
        t.u32(UInt32(facs))  // FIRMWARE_CTRL
        t.u32(UInt32(dsdt))  // DSDT
        t.u8(0)  // reserved (INT_MODEL in ACPI 1.0)
        t.u8(0)  // Preferred_PM_Profile: unspecified
        t.u16(sciInterrupt)
        t.u32(0)  // SMI_CMD: none, the machine is always in ACPI mode
        t.u8(0)  // ACPI_ENABLE
        t.u8(0)  // ACPI_DISABLE
        t.u8(0)  // S4BIOS_REQ
        t.u8(0)  // PSTATE_CNT
        t.u32(UInt32(pm1aEvent))  // PM1a_EVT_BLK
        t.u32(0)  // PM1b_EVT_BLK
        t.u32(UInt32(pm1aControl))  // PM1a_CNT_BLK
        t.u32(0)  // PM1b_CNT_BLK
        t.u32(0)  // PM2_CNT_BLK
        t.u32(UInt32(pmTimer))  // PM_TMR_BLK
        t.u32(0)  // GPE0_BLK
        t.u32(0)  // GPE1_BLK
        t.u8(4)  // PM1_EVT_LEN
        t.u8(2)  // PM1_CNT_LEN
        t.u8(0)  // PM2_CNT_LEN
        t.u8(4)  // PM_TMR_LEN
        t.u8(0)  // GPE0_BLK_LEN
        t.u8(0)  // GPE1_BLK_LEN
        t.u8(0)  // GPE1_BASE
        t.u8(0)  // CST_CNT
        t.u16(0x0FFF)  // P_LVL2_LAT: > 100, C2 not supported
        t.u16(0x0FFF)  // P_LVL3_LAT: > 1000, C3 not supported
        t.u16(0)  // FLUSH_SIZE
        t.u16(0)  // FLUSH_STRIDE
        t.u8(0)  // DUTY_OFFSET
        t.u8(0)  // DUTY_WIDTH
        t.u8(0)  // DAY_ALRM
        t.u8(0)  // MON_ALRM
        t.u8(century)  // CENTURY
        t.u16(0x0007)  // IAPC_BOOT_ARCH: LEGACY_DEVICES, 8042, VGA Not Present
        t.u8(0)
        // Flags: WBINVD (0), PROC_C1 (2), SLP_BUTTON (5: no fixed sleep button), TMR_VAL_EXT (8),
        // RESET_REG_SUP (10). PWR_BUTTON (4) clear: the power button is the fixed-feature one.
        t.u32(1 << 0 | 1 << 2 | 1 << 5 | 1 << 8 | (resetRegister != nil ? 1 << 10 : 0))
        gas(&t, io: resetRegister?.port ?? 0, bits: 8, access: 1)  // RESET_REG
        t.u8(resetRegister?.value ?? 0)  // RESET_VALUE
        t.u16(0)  // ARM_BOOT_ARCH
        t.u8(0)  // FADT minor version
        t.u64(0)  // X_FIRMWARE_CTRL (FIRMWARE_CTRL is used)
        t.u64(dsdt)  // X_DSDT
        gas(&t, io: pm1aEvent, bits: 32)  // X_PM1a_EVT_BLK
        gas(&t, io: 0, bits: 0)  // X_PM1b_EVT_BLK
        gas(&t, io: pm1aControl, bits: 16)  // X_PM1a_CNT_BLK
        gas(&t, io: 0, bits: 0)  // X_PM1b_CNT_BLK
        gas(&t, io: 0, bits: 0)  // X_PM2_CNT_BLK
        gas(&t, io: pmTimer, bits: 32)  // X_PM_TMR_BLK
        gas(&t, io: 0, bits: 0)  // X_GPE0_BLK
        gas(&t, io: 0, bits: 0)  // X_GPE1_BLK
        gas(&t, io: 0, bits: 0)  // SLEEP_CONTROL_REG
        gas(&t, io: 0, bits: 0)  // SLEEP_STATUS_REG
        t.ascii("", length: 8, pad: 0)  // hypervisor vendor identity
        return finish(&t)
    }

    /// MADT (5.2.12), revision 3: local APIC address, PCAT_COMPAT (an 8259A pair is present), one
    /// Processor Local APIC entry per processor, the IOAPIC (GSI base 0), the interrupt source
    /// overrides, and a Local APIC NMI entry (all processors, LINT1).
    func buildMADT() -> [UInt8] {
        var t = header("APIC", revision: 3)
        t.u32(localAPICAddress)
        t.u32(1)  // PCAT_COMPAT
        for (uid, id) in processorAPICIDs.enumerated() {
            t.append([0, 8, UInt8(uid), id])
            t.u32(1)  // enabled
        }
        t.append([1, 12, ioapicID, 0])
        t.u32(ioapicAddress)
        t.u32(0)  // GSI base
        for o in overrides {
            t.append([2, 10, 0, o.source])  // bus 0 (ISA)
            t.u32(o.gsi)
            t.u16(o.flags)
        }
        t.append([4, 6, 0xFF])  // Local APIC NMI: all processors
        t.u16(0)  // flags: conforms to the bus
        t.u8(1)  // LINT1
        return finish(&t)
    }

    /// DSDT (5.2.11.1), revision 2 (64-bit integers): `\_S5` and, with `pci`, `\_SB.PCI0`.
    func buildDSDT() -> [UInt8] {
        var t = header("DSDT", revision: 2)
        // Name (_S5, Package (4) { SLP_TYPa, SLP_TYPb, 0, 0 }) (ACPI 6.5, 7.4.2).
        let s5 = UInt64(s5SleepType)
        t.append(AML.defineName("\\_S5", AML.package([AML.integer(s5), AML.integer(s5), AML.integer(0), AML.integer(0)])))
        if let pci {
            var crs: [[UInt8]] = [
                AML.wordBusNumber(min: 0, max: 0xFF),
                AML.ioPort(min: 0xCF8, max: 0xCF8, alignment: 1, length: 8),
                AML.wordIO(min: 0x0000, max: 0x0CF7),
            ]
            if pci.io.lowerBound > 0xCFF {
                crs.append(AML.wordIO(min: pci.io.lowerBound, max: pci.io.upperBound))
            }
            crs.append(AML.dwordMemory(min: 0x000A_0000, max: 0x000B_FFFF))  // legacy VGA window
            crs.append(AML.dwordMemory(min: pci.memory.lowerBound, max: pci.memory.upperBound))
            let prt = pci.routes.map { r in
                AML.package([AML.integer(UInt64(r.device) << 16 | 0xFFFF), AML.integer(UInt64(r.pin)),
                             AML.integer(0), AML.integer(UInt64(r.gsi))])
            }
            let root = AML.device("PCI0", [
                AML.defineName("_HID", AML.eisaID("PNP0A03")),
                AML.defineName("_ADR", AML.integer(0)),
                AML.defineName("_UID", AML.integer(0)),
                AML.defineName("_BBN", AML.integer(0)),
                AML.defineName("_CRS", AML.resourceTemplate(crs)),
                AML.defineName("_PRT", AML.package(prt)),
            ])
            t.append(AML.scope("\\_SB", [root]))
        }
        return finish(&t)
    }
}
