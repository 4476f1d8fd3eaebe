import GuestMemory
import X86State

/// Loads a Linux bzImage by the x86 Linux boot protocol (Documentation/arch/x86/boot.rst) and
/// builds the CPU state of its 64-bit (or 32-bit) entry, as a boot loader does without a BIOS.
///
/// Layout of guest memory it uses below 1 MiB: GDT at 0x500, zero page (`boot_params`) at 0x7000,
/// page tables at 0x9000-0xDFFF, the command line at 0x20000. The kernel goes to its preferred
/// address (usually 16 MiB), the initrd as high as RAM and `initrd_addr_max` allow.
public enum LinuxBootProtocol {
    public static let gdtAddress: UInt64 = 0x500
    public static let zeroPageAddress: UInt64 = 0x7000
    public static let pageTablesAddress: UInt64 = 0x9000
    public static let commandLineAddress: UInt64 = 0x20000

    /// What the setup header says about an image.
    public struct SetupHeader: Sendable {
        /// Number of 512-byte setup sectors (after the boot sector).
        public var setupSectors: Int
        /// Boot protocol version, e.g. 0x020F for 2.15.
        public var version: UInt16
        public var loadFlags: UInt8
        public var code32Start: UInt32
        public var initrdAddressMax: UInt32
        public var kernelAlignment: UInt32
        public var relocatable: Bool
        /// XLF_* flags (bit 0: a 64-bit entry point at +0x200).
        public var extendedLoadFlags: UInt16
        public var commandLineSize: UInt32
        public var preferredAddress: UInt64
        /// Memory the kernel needs from its load address while it decompresses.
        public var initSize: UInt32
        /// Offset in the file of the protected-mode kernel.
        public var kernelOffset: Int { (setupSectors + 1) * 512 }
        /// The setup header bytes to copy into the zero page (0x1F1 up to the end of the header).
        public var headerEnd: Int
        public var supports64BitEntry: Bool { version >= 0x020C && extendedLoadFlags & 1 != 0 }
    }

    /// Parses and checks the setup header (boot.rst, "The real-mode kernel header").
    public static func parseHeader(_ image: [UInt8]) throws(BootError) -> SetupHeader {
        func u8(_ o: Int) -> UInt8 { image[o] }
        func u16(_ o: Int) -> UInt16 { UInt16(image[o]) | UInt16(image[o + 1]) << 8 }
        func u32(_ o: Int) -> UInt32 { UInt32(u16(o)) | UInt32(u16(o + 2)) << 16 }
        func u64(_ o: Int) -> UInt64 { UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 }
        guard image.count >= 0x270 else { throw .malformed("the kernel image is too small to be a bzImage (\(image.count) bytes)") }
        guard u16(0x1FE) == 0xAA55, u32(0x202) == 0x5372_6448 else {
            throw .malformed("not a Linux bzImage: no boot signature 0xAA55 and 'HdrS' magic in the setup header")
        }
        let version = u16(0x206)
        guard version >= 0x0206 else {
            throw .malformed("boot protocol \(version >> 8).\(version & 0xFF) is too old (2.06 or later needed)")
        }
        guard u8(0x211) & 1 != 0 else { throw .malformed("a zImage (loaded low) is not supported; use a bzImage") }
        var sects = Int(u8(0x1F1))
        if sects == 0 { sects = 4 }
        let header = SetupHeader(
            setupSectors: sects, version: version, loadFlags: u8(0x211), code32Start: u32(0x214),
            initrdAddressMax: u32(0x22C), kernelAlignment: u32(0x230), relocatable: u8(0x234) != 0,
            extendedLoadFlags: version >= 0x020C ? u16(0x236) : 0, commandLineSize: version >= 0x0206 ? u32(0x238) : 255,
            preferredAddress: version >= 0x020A ? u64(0x258) : 0x10_0000, initSize: version >= 0x020A ? u32(0x260) : 0,
            headerEnd: 0x202 + Int(u8(0x201)))
        guard header.kernelOffset < image.count, header.headerEnd <= 0x280, header.headerEnd <= image.count else {
            throw .malformed("the setup header is inconsistent (setup_sects \(sects), image \(image.count) bytes)")
        }
        return header
    }

    /// Loads kernel, initrd and command line into `ram` and returns the CPU state at the kernel's
    /// 64-bit entry (or 32-bit entry for kernels without one).
    public static func load(kernel image: [UInt8], initrd: [UInt8]?, commandLine: String,
                            into ram: GuestRAM, memoryMap: [E820Entry]) throws(BootError) -> CPUState {
        let h = try parseHeader(image)
        let kernelBytes = image[h.kernelOffset...]
        let loadAddress: UInt64 = h.supports64BitEntry || h.relocatable ? max(h.preferredAddress, 0x10_0000) : UInt64(h.code32Start)
        let footprint = max(UInt64(kernelBytes.count), UInt64(h.initSize))
        guard ram.contains(loadAddress, count: footprint) else {
            throw .doesNotFit(what: "the kernel (with the \(h.initSize >> 20) MiB it decompresses into)",
                              address: loadAddress, size: Int(footprint), ram: ram.ramSize)
        }
        let cmdline = Array(commandLine.utf8)
        guard cmdline.count < Int(h.commandLineSize) else {
            throw .malformed("the kernel command line is \(cmdline.count) bytes; this kernel accepts at most \(h.commandLineSize - 1)")
        }
        ram.write(kernelBytes, at: loadAddress)

        // Zero page: the setup header copied from the image, then the loader's fields.
        var zp = [UInt8](repeating: 0, count: 4096)
        for o in 0x1F1..<h.headerEnd { zp[o] = image[o] }
        func put8(_ o: Int, _ v: UInt8) { zp[o] = v }
        func put32(_ o: Int, _ v: UInt32) { for i in 0..<4 { zp[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
        func put64(_ o: Int, _ v: UInt64) { put32(o, UInt32(truncatingIfNeeded: v)); put32(o + 4, UInt32(truncatingIfNeeded: v >> 32)) }
        put8(0x210, 0xFF)  // type_of_loader: undefined
        put8(0x211, h.loadFlags | 0x01 | 0x80)  // LOADED_HIGH, CAN_USE_HEAP
        zp[0x224] = 0x00; zp[0x225] = 0xFE  // heap_end_ptr = 0xFE00
        put32(0x228, UInt32(commandLineAddress))
        put32(0x0C8, 0)  // ext_cmd_line_ptr
        ram.write(cmdline + [0], at: commandLineAddress)
        if let initrd, !initrd.isEmpty {
            // As high as possible below initrd_addr_max, the end of RAM below 4 GiB, page aligned.
            let limit = min(UInt64(h.initrdAddressMax) + 1, 0x1_0000_0000, lowRAMEnd(memoryMap))
            guard limit > UInt64(initrd.count) else {
                throw .doesNotFit(what: "the initrd", address: 0, size: initrd.count, ram: ram.ramSize)
            }
            let address = (limit - UInt64(initrd.count)) & ~0xFFF
            guard address >= loadAddress + footprint else {
                throw .doesNotFit(what: "the initrd above the kernel", address: address, size: initrd.count, ram: ram.ramSize)
            }
            ram.write(initrd, at: address)
            put32(0x218, UInt32(truncatingIfNeeded: address))
            put32(0x21C, UInt32(truncatingIfNeeded: initrd.count))
            put32(0x0C0, UInt32(truncatingIfNeeded: address >> 32))
            put32(0x0C4, UInt32(truncatingIfNeeded: UInt64(initrd.count) >> 32))
        }
        let entries = memoryMap.prefix(128)
        put8(0x1E8, UInt8(entries.count))
        for (i, e) in entries.enumerated() {
            let o = 0x2D0 + i * 20
            put64(o, e.address)
            put64(o + 8, e.size)
            put32(o + 16, e.kind.rawValue)
        }
        ram.write(zp, at: zeroPageAddress)

        // GDT: 0x10 __BOOT_CS (64-bit, or 32-bit), 0x18 __BOOT_DS (boot.rst, "64-bit boot protocol").
        var s = CPUState()
        let code: UInt64 = h.supports64BitEntry ? 0x00AF_9B00_0000_FFFF : 0x00CF_9B00_0000_FFFF
        let gdt: [UInt64] = [0, 0, code, 0x00CF_9300_0000_FFFF]
        for (i, d) in gdt.enumerated() { FlatBinary.write64(ram, gdtAddress + UInt64(i) * 8, d) }
        s.gdtr = DescriptorTableRegister(base: gdtAddress, limit: UInt16(gdt.count * 8 - 1))
        s.idtr = DescriptorTableRegister(base: 0, limit: 0)
        let data = SegmentRegister(selector: 0x18, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
        for i in [0, 2, 3, 4, 5] { s[segment: i] = data }
        s.rflags = 2  // interrupts off
        s[gpr: 6] = zeroPageAddress  // RSI / ESI: boot_params
        if h.supports64BitEntry {
            // Identity-map the first 4 GiB with 2 MiB pages.
            let pml4 = pageTablesAddress, pdpt = pageTablesAddress + 0x1000, pd = pageTablesAddress + 0x2000
            FlatBinary.write64(ram, pml4, pdpt | 3)
            for g in 0..<4 {
                FlatBinary.write64(ram, pdpt + UInt64(g) * 8, (pd + UInt64(g) * 0x1000) | 3)
                for e in 0..<512 {
                    FlatBinary.write64(ram, pd + UInt64(g) * 0x1000 + UInt64(e) * 8, (UInt64(g) << 30) | (UInt64(e) << 21) | 0x83)
                }
            }
            s.segments.1 = SegmentRegister(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xA9B)
            s.cr3 = pml4
            s.cr4 = 0x20
            s.msr.efer = 0x500
            s.cr0 = 0x8000_0011
            s.rip = loadAddress + 0x200
        } else {
            s.segments.1 = SegmentRegister(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC9B)
            s.cr0 = 0x11
            s.rip = loadAddress
        }
        return s
    }

    /// The end of the RAM entry that contains 1 MiB (the kernel's region), capped below 4 GiB.
    static func lowRAMEnd(_ map: [E820Entry]) -> UInt64 {
        for e in map where e.kind == .ram && e.address <= 0x10_0000 && e.address + e.size > 0x10_0000 {
            return min(e.address + e.size, 0x1_0000_0000)
        }
        return 0x1_0000_0000
    }

    /// The PC memory map for `size` bytes of RAM: conventional memory, the legacy hole (VGA, BIOS),
    /// high memory up to 3 GiB, the 32-bit PCI/APIC hole, and the rest above 4 GiB.
    public static func standardMemoryMap(ramSize size: UInt64) -> [E820Entry] {
        var map = [E820Entry(address: 0, size: 0x9_FC00, kind: .ram),
                   E820Entry(address: 0x9_FC00, size: 0x400, kind: .reserved),
                   E820Entry(address: 0xF_0000, size: 0x1_0000, kind: .reserved)]
        let lowTop = min(size, 0xC000_0000)
        if lowTop > 0x10_0000 { map.append(E820Entry(address: 0x10_0000, size: lowTop - 0x10_0000, kind: .ram)) }
        if size > 0xC000_0000 { map.append(E820Entry(address: 0x1_0000_0000, size: size - 0xC000_0000, kind: .ram)) }
        return map
    }
}
