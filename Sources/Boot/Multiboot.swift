import GuestMemory
import X86State

/// Loads a Multiboot kernel (Multiboot Specification 0.6.96) and builds the machine state the
/// specification gives the OS (3.2 "Machine state"), as GRUB or QEMU's `-kernel` do:
/// - the image: an ELF32 executable's `PT_LOAD` segments at their physical addresses, BSS zeroed;
///   or, with header flags bit 16 (the "a.out kludge"), the file bytes from `load_addr` to
///   `load_end_addr` and zeros to `bss_end_addr`, entered at `entry_addr`;
/// - after the kernel's end (and at least at 1 MiB), page aligned: the modules, then the boot
///   information (`MultibootInfo`), its module list, memory map, strings and a GDT, then a 4 KiB stack;
/// - 32-bit protected mode, paging off, EFLAGS.IF and VM clear, CS a flat 32-bit code segment,
///   DS/ES/FS/GS/SS flat 32-bit data segments (from that GDT), EAX = 0x2BADB002, EBX = the
///   information structure. ESP, which the specification leaves undefined, points at the top of
///   the stack page. A20 is on (the machine does not model the gate).
public enum Multiboot {
    /// EAX at entry: "the OS image was loaded by a Multiboot-compliant boot loader".
    public static let bootloaderMagic: UInt32 = 0x2BAD_B002
    /// `boot_loader_name`.
    public static let bootLoaderName = "Popek"
    /// The entry's segment selectors (the GDT the loader leaves: null, code, data).
    public static let codeSelector: UInt16 = 0x08
    public static let dataSelector: UInt16 = 0x10

    /// A piece of the kernel image: file bytes copied to `address`, then zeros up to `end`.
    struct Piece {
        var file: Range<Int>
        var address: UInt64
        var end: UInt64
    }

    /// Loads `image` (which must carry a Multiboot header), its modules and command line into `ram`,
    /// describing memory by `memoryMap` (the same E820 map a Linux guest gets), and returns the CPU
    /// state at the kernel's entry. Throws a `BootError` saying what is wrong with the image or why
    /// it does not fit; never loads part of a bad image.
    public static func load(kernel image: [UInt8], modules: [MultibootModule], commandLine: String,
                            into ram: GuestRAM, memoryMap: [E820Entry]) throws(BootError) -> CPUState {
        guard let header = try MultibootHeader.find(in: image) else {
            throw .malformed("not a Multiboot kernel: no Multiboot header (magic 0x1BADB002) in the first 8192 bytes")
        }
        let (pieces, entry) = header.hasAddressFields ? try addressFieldPieces(header, image) : try elfPieces(image)
        for p in pieces where !isRAM(p.address, p.end - p.address, ram, memoryMap) {
            throw .malformed("the Multiboot kernel's \(header.hasAddressFields ? "image" : "segment") at 0x\(String(p.address, radix: 16))-0x"
                + "\(String(p.end, radix: 16)) is outside guest RAM (\(ram.ramSize >> 20) MiB: \(ramDescription(memoryMap)))")
        }
        guard pieces.contains(where: { UInt64(entry) >= $0.address && UInt64(entry) < $0.address + UInt64($0.file.count) }) else {
            throw .malformed("the Multiboot kernel's entry point 0x\(String(entry, radix: 16)) is not in its loaded code")
        }
        let kernelEnd = pieces.map(\.end).max() ?? 0x10_0000

        // Everything the loader adds goes after the kernel, in the RAM range that holds that point.
        var cursor = align(max(kernelEnd, 0x10_0000), 4096)
        guard let region = memoryMap.first(where: { $0.kind == .ram && $0.address <= cursor && cursor < $0.address + $0.size }) else {
            throw .doesNotFit(what: "the Multiboot information after the kernel", address: cursor, size: 0, ram: ram.ramSize)
        }
        // Below 4 GiB less a page: every address and end the structures hold fits in 32 bits.
        let regionEnd = min(region.address + region.size, 0xFFFF_F000)
        func allocate(_ size: Int, _ what: @autoclosure () -> String) throws(BootError) -> UInt64 {
            let address = cursor
            guard UInt64(size) <= regionEnd - min(address, regionEnd), ram.contains(address, count: UInt64(size)) else {
                throw .doesNotFit(what: what(), address: address, size: size, ram: ram.ramSize)
            }
            cursor = align(address + UInt64(size), 4096)
            return address
        }

        // Modules, each on a page boundary (header flags bit 0 asks for it; Popek always does it).
        var moduleAddresses: [UInt64] = []
        for (i, m) in modules.enumerated() {
            moduleAddresses.append(try allocate(m.bytes.count, "Multiboot module \(i + 1) ('\(m.commandLine)')"))
        }

        // The information area: structure, module list, memory map, GDT, strings; then the stack.
        var area: [UInt8] = []
        func place(_ bytes: [UInt8], alignment: Int = 8) -> Int {
            while area.count % alignment != 0 { area.append(0) }
            let at = area.count
            area += bytes
            return at
        }
        var info = MultibootInfo()
        _ = place([UInt8](repeating: 0, count: MultibootInfo.size))
        let moduleList = place([UInt8](repeating: 0, count: modules.count * MultibootInfo.moduleEntrySize))
        let mmapBytes = MultibootInfo.memoryMap(memoryMap)
        let mmap = place(mmapBytes)
        let gdtEntries: [UInt64] = [0, 0x00CF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF]  // SDM Vol. 3, 3.4.5
        let gdt = place(gdtEntries.flatMap { d in (0..<8).map { UInt8(truncatingIfNeeded: d >> (8 * $0)) } })
        let cmdline = place(Array(commandLine.utf8) + [0], alignment: 1)
        let moduleStrings = modules.map { place(Array($0.commandLine.utf8) + [0], alignment: 1) }
        let name = place(Array(bootLoaderName.utf8) + [0], alignment: 1)
        let areaAddress = try allocate(area.count, "the Multiboot information structure")
        let stackBase = try allocate(4096, "the Multiboot entry stack")
        func at(_ offset: Int) -> UInt32 { UInt32(areaAddress) + UInt32(offset) }

        let mem = MultibootInfo.memorySizes(memoryMap)
        info.flags = MultibootInfo.hasMemory | MultibootInfo.hasCommandLine | MultibootInfo.hasModules
            | MultibootInfo.hasMemoryMap | MultibootInfo.hasBootLoaderName
        info.memoryLower = mem.lower
        info.memoryUpper = mem.upper
        info.commandLine = at(cmdline)
        info.moduleCount = UInt32(modules.count)
        info.modulesAddress = at(moduleList)
        info.memoryMapAddress = at(mmap)
        info.memoryMapLength = UInt32(mmapBytes.count)
        info.bootLoaderName = at(name)
        area.replaceSubrange(0..<MultibootInfo.size, with: info.bytes)
        for (i, address) in moduleAddresses.enumerated() {
            let fields = [UInt32(address), UInt32(address) + UInt32(modules[i].bytes.count), at(moduleStrings[i]), 0]
            let o = moduleList + i * MultibootInfo.moduleEntrySize
            area.replaceSubrange(o..<o + 16, with: fields.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } })
        }

        // Nothing has been written until everything was checked.
        for p in pieces {
            ram.write(image[p.file], at: p.address)
            zero(ram, from: p.address + UInt64(p.file.count), to: p.end)
        }
        for (i, m) in modules.enumerated() { ram.write(m.bytes, at: moduleAddresses[i]) }
        ram.write(area, at: areaAddress)

        var s = CPUState()
        s.gdtr = DescriptorTableRegister(base: UInt64(at(gdt)), limit: UInt16(gdtEntries.count * 8 - 1))
        s.idtr = DescriptorTableRegister(base: 0, limit: 0)  // "the IDTR may be invalid"
        let data = SegmentRegister(selector: dataSelector, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
        for i in [0, 2, 3, 4, 5] { s[segment: i] = data }
        s.segments.1 = SegmentRegister(selector: codeSelector, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC9B)
        s.cr0 = 0x11  // PE, ET; PG clear
        s.rflags = 2  // IF and VM clear
        s.rip = UInt64(entry)
        s[gpr: 0] = UInt64(bootloaderMagic)  // EAX
        s[gpr: 3] = UInt64(areaAddress)  // EBX
        s[gpr: 4] = stackBase + 4096  // ESP
        return s
    }

    /// The a.out kludge (3.1.3, flags bit 16): the file bytes from `header offset - (header_addr -
    /// load_addr)` for `load_end_addr - load_addr` bytes (to the end of the file if zero), loaded at
    /// `load_addr`, then zeros to `bss_end_addr` (none if zero).
    static func addressFieldPieces(_ h: MultibootHeader, _ image: [UInt8]) throws(BootError) -> ([Piece], UInt32) {
        func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
        guard h.loadAddress <= h.headerAddress else {
            throw .malformed("bad Multiboot address fields: load_addr \(hex(h.loadAddress)) is above header_addr \(hex(h.headerAddress))")
        }
        let before = Int(h.headerAddress - h.loadAddress)
        guard before <= h.offset else {
            throw .malformed("bad Multiboot address fields: header_addr - load_addr = \(hex(UInt32(before))) but the header is at file offset "
                + "\(hex(UInt32(h.offset))), so loading would start before the file")
        }
        let start = h.offset - before
        let size: Int
        if h.loadEndAddress == 0 {
            size = image.count - start
        } else {
            guard h.loadEndAddress >= h.loadAddress else {
                throw .malformed("bad Multiboot address fields: load_end_addr \(hex(h.loadEndAddress)) is below load_addr \(hex(h.loadAddress))")
            }
            size = Int(h.loadEndAddress - h.loadAddress)
            guard size <= image.count - start else {
                throw .malformed("the Multiboot kernel is truncated: load_addr..load_end_addr asks for \(size) bytes from file offset "
                    + "\(hex(UInt32(start))), but the file has \(image.count - start)")
            }
        }
        let loadEnd = UInt64(h.loadAddress) + UInt64(size)
        var end = loadEnd
        if h.bssEndAddress != 0 {
            guard UInt64(h.bssEndAddress) >= loadEnd else {
                throw .malformed("bad Multiboot address fields: bss_end_addr \(hex(h.bssEndAddress)) is below the end of the loaded image 0x\(String(loadEnd, radix: 16))")
            }
            end = UInt64(h.bssEndAddress)
        }
        return ([Piece(file: start..<start + size, address: UInt64(h.loadAddress), end: end)], h.entryAddress)
    }

    /// An ELF32 kernel: its `PT_LOAD` segments at `p_paddr`, entered at `e_entry` (translated to
    /// physical through its segment).
    static func elfPieces(_ image: [UInt8]) throws(BootError) -> ([Piece], UInt32) {
        guard ELF32Image.hasMagic(image) else {
            throw .malformed("the Multiboot kernel is not an ELF file and its header has no address fields (flags bit 16), so Popek cannot tell where to load it")
        }
        let elf = try ELF32Image(image)
        guard let entry = elf.physicalEntry else {
            throw .malformed("the ELF kernel's entry point 0x\(String(elf.entry, radix: 16)) is not in any loadable segment")
        }
        let pieces = elf.segments.map { s in
            Piece(file: s.fileOffset..<s.fileOffset + Int(s.fileSize), address: UInt64(s.physicalAddress), end: s.physicalEnd)
        }
        return (pieces, entry)
    }

    /// Whether [address, address + size) is inside one RAM entry of the map and inside `ram`.
    static func isRAM(_ address: UInt64, _ size: UInt64, _ ram: GuestRAM, _ map: [E820Entry]) -> Bool {
        ram.contains(address, count: size)
            && map.contains { $0.kind == .ram && $0.address <= address && address + size <= $0.address + $0.size }
    }

    static func ramDescription(_ map: [E820Entry]) -> String {
        map.filter { $0.kind == .ram }.map { "0x\(String($0.address, radix: 16))-0x\(String($0.address + $0.size, radix: 16))" }
            .joined(separator: ", ")
    }

    static func align(_ v: UInt64, _ a: UInt64) -> UInt64 { (v + a - 1) & ~(a - 1) }

    static func zero(_ ram: GuestRAM, from: UInt64, to end: UInt64) {
        var a = from
        let chunk = [UInt8](repeating: 0, count: 4096)
        while a < end {
            let n = Int(min(end - a, 4096))
            ram.write(chunk[0..<n], at: a)
            a += UInt64(n)
        }
    }
}
