import Boot
import GuestMemory
import Testing
import X86State

/// Synthetic Multiboot images for the loader's unit tests.
enum SyntheticKernel {
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(v >> 8)] }

    /// A Multiboot header; `checksum` nil means the right one.
    static func header(flags: UInt32, checksum: UInt32? = nil, fields: [UInt32] = []) -> [UInt8] {
        le32(MultibootHeader.magic) + le32(flags) + le32(checksum ?? (0 &- MultibootHeader.magic &- flags)) + fields.flatMap(le32)
    }

    /// An a.out-kludge kernel loaded at `load`: header at file offset 0 (address `load`), `code`
    /// after it, `bss` bytes of BSS, entered at the code. Address fields may be overridden.
    static func aout(load: UInt32 = 0x10_0000, code: [UInt8] = [0xF4], bss: UInt32 = 0x1000, flags: UInt32 = 0x1_0003,
                     headerAddress: UInt32? = nil, loadEnd: UInt32? = nil, bssEnd: UInt32? = nil, entry: UInt32? = nil,
                     trailer: [UInt8] = []) -> [UInt8] {
        let size = UInt32(32 + code.count)
        let end = loadEnd ?? load + size
        return header(flags: flags, fields: [headerAddress ?? load, load, end, bssEnd ?? end + bss, entry ?? load + 32]) + code + trailer
    }

    struct Segment { var type: UInt32 = 1; var offset: UInt32; var vaddr: UInt32; var paddr: UInt32; var filesz: UInt32; var memsz: UInt32 }

    /// An ELF32 i386 executable: ELF header, program headers at 52, then `body` at 0x100 (where the
    /// segments' offsets point), with a Multiboot header (flags 3) at the start of `body` unless given.
    static func elf(entry: UInt32, segments: [Segment], body: [UInt8], classByte: UInt8 = 1, machine: UInt16 = 3) -> [UInt8] {
        var b: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, classByte, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        b += le16(2) + le16(machine) + le32(1) + le32(entry) + le32(52) + le32(0) + le32(0)
        b += le16(52) + le16(32) + le16(UInt16(segments.count)) + le16(40) + le16(0) + le16(0)
        for s in segments {
            b += [s.type, s.offset, s.vaddr, s.paddr, s.filesz, s.memsz, 7, 0x1000].flatMap(le32)
        }
        b += [UInt8](repeating: 0, count: 0x100 - b.count)
        return b + body
    }

    /// A well-formed ELF kernel: one segment at 1 MiB (64 bytes of file, 0x2000 in memory),
    /// entered at its byte 12 (after the Multiboot header).
    static func goodELF() -> [UInt8] {
        let body = header(flags: 3) + [UInt8](repeating: 0x90, count: 52)
        return elf(entry: 0x10_000C, segments: [Segment(offset: 0x100, vaddr: 0x10_0000, paddr: 0x10_0000, filesz: 64, memsz: 0x2000)], body: body)
    }
}

/// Header parsing, loading and refusal of malformed Multiboot images (Boot/Multiboot*.swift).
@Suite struct MultibootLoaderTests {
    static let memory: UInt64 = 64 << 20
    static var map: [E820Entry] { LinuxBootProtocol.standardMemoryMap(ramSize: memory) }

    func load(_ image: [UInt8], modules: [MultibootModule] = [], commandLine: String = "k", ram: GuestRAM? = nil) throws -> (CPUState, GuestRAM) {
        let ram = try ram ?? GuestRAM(size: Self.memory)
        let map = LinuxBootProtocol.standardMemoryMap(ramSize: ram.ramSize)
        return (try Multiboot.load(kernel: image, modules: modules, commandLine: commandLine, into: ram, memoryMap: map), ram)
    }

    /// The message of the BootError `body` throws.
    func failure(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as BootError { return e.description } catch { return "unexpected \(error)" }
        return "no error"
    }

    func u32(_ ram: GuestRAM, _ a: UInt64) -> UInt32 {
        ram.read(at: a, count: 4).map { $0.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) } } ?? 0xDEAD
    }

    func string(_ ram: GuestRAM, _ a: UInt64) -> String {
        var bytes: [UInt8] = []
        var p = a
        while let b = ram.byte(at: p), b != 0, bytes.count < 4096 { bytes.append(b); p += 1 }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func headerIsFoundLongwordAlignedInTheFirst8192Bytes() throws {
        var image = [UInt8](repeating: 0, count: 8192 + 64)
        let h = SyntheticKernel.header(flags: 0x3)
        image.replaceSubrange(0x1000..<0x1000 + 12, with: h)
        #expect(try MultibootHeader.find(in: image) == MultibootHeader(offset: 0x1000, flags: 3))
        // Not aligned: not a header.
        var unaligned = [UInt8](repeating: 0, count: 64)
        unaligned.replaceSubrange(2..<14, with: h)
        #expect(try MultibootHeader.find(in: unaligned) == nil)
        // Beyond 8192 bytes: not searched.
        var late = [UInt8](repeating: 0, count: 8192 + 64)
        late.replaceSubrange(8192..<8204, with: h)
        #expect(try MultibootHeader.find(in: late) == nil)
        #expect(KernelFormat.detect(late) == nil)
        // Ending past byte 8192: refused with a message.
        var straddling = [UInt8](repeating: 0, count: 8192 + 64)
        straddling.replaceSubrange(8188..<8200, with: h)
        #expect(failure { _ = try MultibootHeader.find(in: straddling) }.contains("too close to the end"))
    }

    @Test func addressFieldsAreReadWithFlagBit16() throws {
        let image = SyntheticKernel.aout(load: 0x20_0000, code: [0xF4, 0xF4])
        let h = try #require(try MultibootHeader.find(in: image))
        #expect(h.hasAddressFields)
        #expect(h.headerAddress == 0x20_0000 && h.loadAddress == 0x20_0000 && h.loadEndAddress == 0x20_0022)
        #expect(h.bssEndAddress == 0x20_1022 && h.entryAddress == 0x20_0020)
    }

    @Test func badHeadersAreRefusedWithAReason() {
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 3, checksum: 0x1234)) }.contains("bad checksum"))
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 1 << 3)) }.contains("bits 3"))
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 0x8003 | 1 << 5)) }.contains("bits 5, 15"))
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 1 << 2)) }.contains("video mode"))
        // Optional unknown bits (17-31) are fine.
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 1 << 20)) } == "no error")
        // Flag bit 16 without room for the fields.
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.header(flags: 1 << 16) + [0, 0, 0, 0]) }.contains("address fields"))
        // The magic with fewer than 12 bytes after it.
        #expect(failure { _ = try MultibootHeader.find(in: SyntheticKernel.le32(MultibootHeader.magic) + [0, 0, 0, 0]) }.contains("too close"))
        #expect(failure { _ = try load([UInt8](repeating: 0x90, count: 100)) }.contains("no Multiboot header"))
    }

    @Test func kernelFormatsAreToldApartAsQEMUDoes() {
        var linux = [UInt8](repeating: 0, count: 0x400)
        linux.replaceSubrange(0x202..<0x206, with: Array("HdrS".utf8))
        #expect(KernelFormat.detect(linux) == .linux)
        // Both headers: Linux first, as QEMU.
        linux.replaceSubrange(0x100..<0x10C, with: SyntheticKernel.header(flags: 0))
        #expect(KernelFormat.detect(linux) == .linux)
        #expect(KernelFormat.detect(SyntheticKernel.goodELF()) == .multiboot)
        // A bad checksum is still a Multiboot kernel (the loader then says what is wrong).
        #expect(KernelFormat.detect(SyntheticKernel.header(flags: 0, checksum: 1)) == .multiboot)
        #expect(KernelFormat.detect([]) == nil)
        #expect(KernelFormat.detect([UInt8](repeating: 0xCC, count: 5000)) == nil)
        #expect(KernelFormat.unrecognized(size: 5000).description.contains("neither a Linux bzImage"))
        #expect(KernelFormat.unrecognized(size: 0).description.contains("empty"))
    }

    @Test func elfKernelIsLoadedWithZeroedBSSAndTheSpecsMachineState() throws {
        let ram = try GuestRAM(size: Self.memory)
        ram.write([UInt8](repeating: 0xFF, count: 0x3000), at: 0x10_0000)  // the BSS must be zeroed, not assumed zero
        let modules = [MultibootModule(bytes: [1, 2, 3], commandLine: "/m1 a b"), MultibootModule(bytes: [], commandLine: "/m2")]
        let (s, _) = try load(SyntheticKernel.goodELF(), modules: modules, commandLine: "/kernel x=1", ram: ram)
        #expect(ram.read(at: 0x10_0000, count: 4) == SyntheticKernel.le32(MultibootHeader.magic))
        #expect(ram.read(at: 0x10_0040, count: 0x2000 - 0x40)!.allSatisfy { $0 == 0 })
        #expect(ram.read(at: 0x10_2000, count: 3) == [1, 2, 3])  // the first module, on the first page after p_memsz
        #expect(s.rip == 0x10_000C)
        #expect(s[gpr: 0] == 0x2BAD_B002)
        #expect(s.cr0 & 0x8000_0001 == 1 && s.rflags & 0x2_0200 == 0)
        #expect(s.segments.1.selector == Multiboot.codeSelector && s.segments.1.base == 0 && s.segments.1.limit == 0xFFFF_FFFF)
        #expect(s[segment: 3].selector == Multiboot.dataSelector && s[segment: 3].limit == 0xFFFF_FFFF)
        let info = s[gpr: 3]
        #expect(info >= 0x10_2000 && info & 0xFFF == 0)
        #expect(u32(ram, info) == 0x24D)  // mem, cmdline, mods, mmap, boot_loader_name
        #expect(u32(ram, info + 4) == 639 && u32(ram, info + 8) == 63 * 1024)
        #expect(string(ram, UInt64(u32(ram, info + 16))) == "/kernel x=1")
        #expect(u32(ram, info + 20) == 2)
        let mods = UInt64(u32(ram, info + 24))
        let m1 = UInt64(u32(ram, mods)), m1End = UInt64(u32(ram, mods + 4))
        #expect(m1 >= 0x10_2000 && m1 & 0xFFF == 0 && m1End == m1 + 3)
        #expect(ram.read(at: m1, count: 3) == [1, 2, 3])
        #expect(string(ram, UInt64(u32(ram, mods + 8))) == "/m1 a b")
        #expect(u32(ram, mods + 20) == u32(ram, mods + 16))  // the empty module
        #expect(string(ram, UInt64(u32(ram, mods + 24))) == "/m2")
        #expect(string(ram, UInt64(u32(ram, info + 64))) == "Popek")
        // The memory map: the E820 map, 24 bytes an entry.
        #expect(u32(ram, info + 44) == UInt32(Self.map.count * 24))
        let mmap = UInt64(u32(ram, info + 48))
        for (i, e) in Self.map.enumerated() {
            let o = mmap + UInt64(i * 24)
            #expect(u32(ram, o) == 20 && u32(ram, o + 4) == UInt32(e.address) && u32(ram, o + 12) == UInt32(e.size) && u32(ram, o + 20) == e.kind.rawValue)
        }
        // The GDT the segments come from, and a stack above everything.
        #expect(ram.read(at: s.gdtr.base + 8, count: 8) == [0xFF, 0xFF, 0, 0, 0, 0x9B, 0xCF, 0])
        #expect(s[gpr: 4] > info && s[gpr: 4] & 0xFFF == 0)
    }

    @Test func aoutKludgeLoadsOnlyToLoadEndAndZeroesTheBSS() throws {
        let image = SyntheticKernel.aout(code: [0xF4, 0xEB, 0xFD], bss: 0x800, trailer: [UInt8](repeating: 0xCC, count: 0x800))
        let (s, ram) = try load(image)
        #expect(s.rip == 0x10_0020)
        #expect(ram.read(at: 0x10_0020, count: 3) == [0xF4, 0xEB, 0xFD])
        #expect(ram.read(at: 0x10_0023, count: 0x800)!.allSatisfy { $0 == 0 })
        // load_end_addr 0: the whole rest of the file.
        let whole = SyntheticKernel.aout(code: [0xF4], loadEnd: 0, bssEnd: 0, trailer: [0xAB])
        let (_, ram2) = try load(whole)
        #expect(ram2.read(at: 0x10_0020, count: 2) == [0xF4, 0xAB])
        // The header later in the file than the load address says: the file offset follows header_addr - load_addr.
        let late = [UInt8](repeating: 0xF4, count: 16) + SyntheticKernel.header(flags: 0x1_0000, fields: [0x10_0010, 0x10_0000, 0x10_0040, 0, 0x10_0000])
            + [UInt8](repeating: 0x90, count: 16)
        let (s3, ram3) = try load(late)
        #expect(s3.rip == 0x10_0000 && ram3.read(at: 0x10_0000, count: 2) == [0xF4, 0xF4])
        #expect(u32(ram3, 0x10_0010) == MultibootHeader.magic)
    }

    @Test func malformedAoutKernelsAreRefused() {
        #expect(failure { _ = try load(SyntheticKernel.aout(headerAddress: 0xF_0000)) }.contains("above header_addr"))
        #expect(failure { _ = try load(SyntheticKernel.aout(headerAddress: 0x10_1000)) }.contains("before the file"))
        #expect(failure { _ = try load(SyntheticKernel.aout(loadEnd: 0x10_4000)) }.contains("truncated"))
        #expect(failure { _ = try load(SyntheticKernel.aout(loadEnd: 0xF_0000)) }.contains("below load_addr"))
        #expect(failure { _ = try load(SyntheticKernel.aout(bssEnd: 0x10_0010)) }.contains("bss_end_addr"))
        #expect(failure { _ = try load(SyntheticKernel.aout(entry: 0x30_0000)) }.contains("entry point"))
        // Outside RAM: beyond 64 MiB, in the VGA hole, in the 32-bit MMIO hole.
        #expect(failure { _ = try load(SyntheticKernel.aout(load: 0x800_0000)) }.contains("outside guest RAM"))
        #expect(failure { _ = try load(SyntheticKernel.aout(load: 0xA_0000)) }.contains("outside guest RAM"))
        #expect(failure { _ = try load(SyntheticKernel.aout(load: 0xFFFF_E000)) }.contains("outside guest RAM"))
        // Not ELF and no address fields.
        #expect(failure { _ = try load(SyntheticKernel.header(flags: 3) + [0xF4]) }.contains("not an ELF file"))
    }

    @Test func malformedELFKernelsAreRefused() {
        let good = SyntheticKernel.goodELF()
        #expect(failure { _ = try load(Array(good.prefix(0x100 + 32))) }.contains("truncated"))  // segment bytes cut off
        #expect(failure { _ = try load(Array(good.prefix(40)) + SyntheticKernel.header(flags: 3)) }.contains("truncated"))  // ELF header cut off
        let body = SyntheticKernel.header(flags: 3) + [0xF4]
        func elf(_ s: SyntheticKernel.Segment, entry: UInt32 = 0x10_000C, classByte: UInt8 = 1, machine: UInt16 = 3) -> [UInt8] {
            SyntheticKernel.elf(entry: entry, segments: [s], body: body, classByte: classByte, machine: machine)
        }
        let seg = SyntheticKernel.Segment(offset: 0x100, vaddr: 0x10_0000, paddr: 0x10_0000, filesz: 13, memsz: 0x100)
        #expect(failure { _ = try load(elf(seg)) } == "no error")
        #expect(failure { _ = try load(elf(seg, classByte: 2)) }.contains("64-bit ELF"))
        #expect(failure { _ = try load(elf(seg, machine: 62)) }.contains("EM_386"))
        #expect(failure { _ = try load(elf(seg, entry: 0x50_0000)) }.contains("entry point"))
        var s = seg; s.filesz = 0x200
        #expect(failure { _ = try load(elf(s)) }.contains("larger than p_memsz"))
        s = seg; s.offset = 0x1000
        #expect(failure { _ = try load(elf(s)) }.contains("truncated"))
        s = seg; s.paddr = 0x3F0_0000; s.memsz = 0x20_0000  // runs past 64 MiB
        #expect(failure { _ = try load(elf(s, entry: 0x10_000C)) }.contains("outside guest RAM"))
        s = seg; s.type = 4  // PT_NOTE only
        #expect(failure { _ = try load(elf(s)) }.contains("no loadable"))
        s = seg; s.paddr = 0xFFFF_FF00; s.memsz = 0x200
        #expect(failure { _ = try load(elf(s)) }.contains("wraps past 4 GiB"))
        // Program headers past the end of the file.
        var cut = elf(seg)
        cut.replaceSubrange(28..<32, with: SyntheticKernel.le32(0xFFFF_0000))
        #expect(failure { _ = try load(cut) }.contains("program headers"))
    }

    @Test func entryIsTranslatedFromVirtualToPhysical() throws {
        // Linked at 0xC0100000, loaded at 1 MiB: e_entry is virtual.
        let body = SyntheticKernel.header(flags: 3) + [0xF4]
        let image = SyntheticKernel.elf(entry: 0xC010_000C, segments: [.init(offset: 0x100, vaddr: 0xC010_0000, paddr: 0x10_0000, filesz: 13, memsz: 13)], body: body)
        #expect(try load(image).0.rip == 0x10_000C)
    }

    @Test func whatDoesNotFitIsRefusedBeforeAnythingIsWritten() throws {
        let ram = try GuestRAM(size: Self.memory)
        let big = MultibootModule(bytes: [UInt8](repeating: 1, count: 70 << 20), commandLine: "big")
        #expect(failure { _ = try load(SyntheticKernel.goodELF(), modules: [big], ram: ram) }.contains("does not fit"))
        #expect(ram.read(at: 0x10_0000, count: 16)!.allSatisfy { $0 == 0 })
    }

    @Test func memoryInformationWithRAMAbove4GiB() throws {
        let ram = try GuestRAM.pc(ramSize: 5 << 30)
        let (s, _) = try load(SyntheticKernel.goodELF(), ram: ram)
        let info = s[gpr: 3]
        #expect(u32(ram, info + 8) == UInt32(((3 << 30) - (1 << 20)) >> 10))  // mem_upper: up to the hole
        let mmap = UInt64(u32(ram, info + 48)), length = UInt64(u32(ram, info + 44))
        let last = mmap + length - 24
        #expect(u32(ram, last + 4) == 0 && u32(ram, last + 8) == 1)  // base_addr 4 GiB
        #expect(u32(ram, last + 12) == 0x8000_0000 && u32(ram, last + 20) == 1)  // 2 GiB of RAM
    }

    @Test func moduleListsAreParsedAsQEMUDoes() {
        typealias Spec = MultibootModule.Specification
        #expect(MultibootModule.parseList("a") == [Spec(path: "a", commandLine: "a")])
        #expect(MultibootModule.parseList("/m1 x y,/m2  second,,arg ") == [Spec(path: "/m1", commandLine: "/m1 x y"),
                                                                         Spec(path: "/m2", commandLine: "/m2  second,arg")])
        #expect(MultibootModule.parseList("") == [])
        #expect(MultibootModule.parseList("a,,b") == [Spec(path: "a,b", commandLine: "a,b")])
        #expect(MultibootModule.parseList(" a , b,") == [Spec(path: "a", commandLine: "a"), Spec(path: "b", commandLine: "b")])
    }
}
