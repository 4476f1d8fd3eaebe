import GuestMemory
import X86State

/// Errors loading a guest image.
public enum BootError: Error, CustomStringConvertible {
    case doesNotFit(what: String, address: UInt64, size: Int, ram: UInt64)
    case empty(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .doesNotFit(let what, let a, let s, let r):
            "\(what) (\(s) bytes at 0x\(String(a, radix: 16))) does not fit in \(r / 1024 / 1024) MiB of guest RAM"
        case .empty(let what): "\(what) is empty"
        case .malformed(let why): why
        }
    }
}

/// Loads a flat binary and builds the CPU state to start it in the requested mode, as a boot
/// loader would leave it:
/// - 16: real mode, CS:IP = load address (segment = address >> 4), SS:SP just below it.
/// - 32: flat protected mode (CS 0x08, data 0x10, base 0, limit 4 GiB), paging off, EIP = load address.
/// - 64: long mode with the first 4 GiB identity-mapped by 2 MiB pages, CS 0x18 (L=1), RIP = load address.
/// The GDT and page tables are placed in RAM at `tablesAddress` (default: 0x1000-0x7FFF), and
/// are real, so the guest may reload segments or take interrupts through its own IDT.
public enum FlatBinary {
    /// Where the GDT and page tables go.
    public static let tablesAddress: UInt64 = 0x1000

    public static func load(_ image: [UInt8], into ram: GuestRAM, at address: UInt64, bits: Int) throws(BootError) -> CPUState {
        guard !image.isEmpty else { throw .empty("the flat binary") }
        guard ram.contains(address, count: UInt64(image.count)) else {
            throw .doesNotFit(what: "the flat binary", address: address, size: image.count, ram: ram.ramSize)
        }
        var s = CPUState()
        switch bits {
        case 16:
            guard address < 0x10_0000, address & 0xF == 0 || address < 0x1_0000 else {
                throw .malformed("a 16-bit image must load below 1 MiB, at a multiple of 16 bytes (or below 64 KiB)")
            }
            let segment = UInt16(address < 0x1_0000 ? 0 : address >> 4)
            let ip = address - (UInt64(segment) << 4)
            for i in 0..<6 { s[segment: i] = .real(segment) }
            s.segments.1 = SegmentRegister(selector: segment, base: UInt64(segment) << 4, limit: 0xFFFF, attributes: 0x9B)
            s.rip = ip
            s[gpr: 4] = ip == 0 ? 0xFFFE : ip
            s.idtr = DescriptorTableRegister(base: 0, limit: 0x3FF)
        case 32, 64:
            guard address >= 0x8000 else {
                throw .malformed("a 32/64-bit flat image must load at or above 0x8000 (0x1000-0x7FFF holds the GDT and page tables)")
            }
            // GDT: null, 32-bit code 0x08, data 0x10, 64-bit code 0x18 (SDM Vol. 3, 3.4.5).
            let gdt: [UInt64] = [0, 0x00CF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF, 0x00AF_9B00_0000_FFFF]
            for (i, d) in gdt.enumerated() { write64(ram, tablesAddress + UInt64(i) * 8, d) }
            s.gdtr = DescriptorTableRegister(base: tablesAddress, limit: UInt16(gdt.count * 8 - 1))
            s.idtr = DescriptorTableRegister(base: 0, limit: 0)
            let data = SegmentRegister(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
            for i in [0, 2, 3, 4, 5] { s[segment: i] = data }
            s.cr0 = 0x11  // PE, ET
            s.rip = address
            s[gpr: 4] = address  // the stack grows down from the image
            if bits == 32 {
                s.segments.1 = SegmentRegister(selector: 0x08, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC9B)
            } else {
                // PML4 at +0x1000, PDPT at +0x2000, four page directories at +0x3000..+0x6FFF.
                let pml4 = tablesAddress + 0x1000, pdpt = tablesAddress + 0x2000, pd = tablesAddress + 0x3000
                write64(ram, pml4, pdpt | 3)
                for g in 0..<4 {
                    write64(ram, pdpt + UInt64(g) * 8, (pd + UInt64(g) * 0x1000) | 3)
                    for e in 0..<512 {
                        let phys = (UInt64(g) << 30) | (UInt64(e) << 21)
                        write64(ram, pd + UInt64(g) * 0x1000 + UInt64(e) * 8, phys | 0x83)  // P, RW, PS
                    }
                }
                s.segments.1 = SegmentRegister(selector: 0x18, base: 0, limit: 0xFFFF_FFFF, attributes: 0xA9B)
                s.cr3 = pml4
                s.cr4 = 0x20  // PAE
                s.msr.efer = 0x500  // LME, LMA
                s.cr0 = 0x8000_0011  // PG, PE, ET
            }
        default:
            throw .malformed("--mode must be 16, 32 or 64")
        }
        ram.write(image, at: address)
        return s
    }

    static func write64(_ ram: GuestRAM, _ address: UInt64, _ value: UInt64) {
        ram.write((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }, at: address)
    }
}
