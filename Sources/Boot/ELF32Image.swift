/// The loadable parts of an ELF32 executable for the i386 (System V ABI, "ELF Header" and
/// "Program Header"; Intel386 supplement): the entry point and the `PT_LOAD` segments. What a
/// Multiboot loader needs from an ELF kernel (Multiboot 0.6.96, 3.1.3: "the boot loader must be
/// able to load images that ... are in ELF format").
public struct ELF32Image: Sendable {
    /// One `PT_LOAD` program header.
    public struct Segment: Equatable, Sendable {
        /// `p_offset`: where the segment's bytes start in the file.
        public var fileOffset: Int
        /// `p_vaddr` and `p_paddr`.
        public var virtualAddress: UInt32
        public var physicalAddress: UInt32
        /// `p_filesz` bytes come from the file; the rest of `p_memsz` is zero (the BSS).
        public var fileSize: UInt32
        public var memorySize: UInt32

        /// One past the last byte, in physical memory.
        public var physicalEnd: UInt64 { UInt64(physicalAddress) + UInt64(memorySize) }
    }

    /// `e_entry`.
    public var entry: UInt32
    /// The `PT_LOAD` segments with a non-zero `p_memsz`, in file order.
    public var segments: [Segment]

    /// `\x7FELF`.
    public static func hasMagic(_ image: [UInt8]) -> Bool {
        image.count >= 4 && image[0] == 0x7F && image[1] == 0x45 && image[2] == 0x4C && image[3] == 0x46
    }

    /// Parses the ELF header and program headers, checking that each loadable segment lies inside
    /// the file. Throws `BootError.malformed` saying what is wrong.
    public init(_ image: [UInt8]) throws(BootError) {
        guard Self.hasMagic(image) else { throw .malformed("not an ELF file (no \\x7FELF magic)") }
        guard image.count >= 52 else { throw .malformed("the ELF file is truncated: \(image.count) bytes, shorter than an ELF32 header (52)") }
        func u16(_ o: Int) -> UInt16 { UInt16(image[o]) | UInt16(image[o + 1]) << 8 }
        func u32(_ o: Int) -> UInt32 { MultibootHeader.read32(image, o) }
        guard image[4] == 1 else {
            throw .malformed(image[4] == 2 ? "a 64-bit ELF kernel: Multiboot loads ELF32 only (an ELF64 kernel needs the a.out kludge, header flags bit 16)"
                                          : "bad ELF class \(image[4]) (EI_CLASS must be 1, ELFCLASS32)")
        }
        guard image[5] == 1 else { throw .malformed("the ELF file is not little-endian (EI_DATA \(image[5]))") }
        guard u16(16) == 2 else { throw .malformed("the ELF file is not an executable (e_type \(u16(16)), ET_EXEC is 2)") }
        guard u16(18) == 3 else { throw .malformed("the ELF file is not for the i386 (e_machine \(u16(18)), EM_386 is 3)") }
        entry = u32(24)
        let phoff = Int(u32(28)), phentsize = Int(u16(42)), phnum = Int(u16(44))
        guard phnum > 0, phnum != 0xFFFF else { throw .malformed("the ELF file has no program headers (e_phnum \(phnum))") }
        guard phentsize >= 32 else { throw .malformed("bad ELF program header size \(phentsize) (e_phentsize must be at least 32)") }
        guard phoff <= image.count, phnum * phentsize <= image.count - phoff else {
            throw .malformed("the ELF file is truncated: its \(phnum) program headers at offset \(phoff) run past the end (\(image.count) bytes)")
        }
        segments = []
        for i in 0..<phnum {
            let o = phoff + i * phentsize
            guard u32(o) == 1 else { continue }  // PT_LOAD
            let s = Segment(fileOffset: Int(u32(o + 4)), virtualAddress: u32(o + 8), physicalAddress: u32(o + 12),
                            fileSize: u32(o + 16), memorySize: u32(o + 20))
            guard s.memorySize > 0 else { continue }
            guard s.fileSize <= s.memorySize else {
                throw .malformed("ELF segment \(i) is bad: p_filesz \(s.fileSize) is larger than p_memsz \(s.memorySize)")
            }
            guard s.fileOffset <= image.count, Int(s.fileSize) <= image.count - s.fileOffset else {
                throw .malformed("the ELF file is truncated: segment \(i) needs bytes 0x\(String(s.fileOffset, radix: 16))-0x"
                    + "\(String(s.fileOffset + Int(s.fileSize), radix: 16)) but the file has \(image.count) bytes")
            }
            guard s.physicalEnd <= 1 << 32 else {
                throw .malformed("ELF segment \(i) (p_paddr 0x\(String(s.physicalAddress, radix: 16)), p_memsz 0x\(String(s.memorySize, radix: 16))) wraps past 4 GiB")
            }
            segments.append(s)
        }
        guard !segments.isEmpty else { throw .malformed("the ELF file has no loadable (PT_LOAD) segment") }
    }

    /// The physical entry address: `e_entry` translated through the segment whose virtual range
    /// holds it (p_paddr + e_entry - p_vaddr), as GRUB does for kernels linked at a virtual address
    /// other than their load address; failing that, `e_entry` itself if it is a physical address
    /// inside a segment's file bytes; nil if neither.
    public var physicalEntry: UInt32? {
        for s in segments where entry >= s.virtualAddress && UInt64(entry) < UInt64(s.virtualAddress) + UInt64(s.fileSize) {
            return s.physicalAddress &+ (entry &- s.virtualAddress)
        }
        for s in segments where entry >= s.physicalAddress && UInt64(entry) < UInt64(s.physicalAddress) + UInt64(s.fileSize) {
            return entry
        }
        return nil
    }
}
