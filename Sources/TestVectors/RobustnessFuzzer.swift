#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import Interpreter
import MachineInterface
import X86State

/// Robustness fuzzing: random byte programs run with an instruction budget from 16-, 32- and 64-bit
/// starting states. Whatever the bytes do (load garbage into GDTR or CR0, far-jump anywhere, fault
/// inside a fault handler), the monitor must deliver every exception to the guest or stop cleanly
/// (triple fault, halt, budget): never crash, never hang. `popek fuzz robustness` runs it.
///
/// Each case is reproducible alone from (seed, bits, index). The guest (256 KiB of RAM):
/// - 0x0000: real-mode IVT (16-bit cases), handlers pointing into the random code;
/// - 0x1000: GDT (flat ring-0 and ring-3 code/data, 32- and 64-bit code, a TSS);
/// - 0x2000-0x4FFF: page tables identity-mapping 2 MiB (user, writable) for 64-bit cases;
/// - 0x6000: IDT, every gate pointing to a random offset in the code; 0x7000: TSS;
/// - 0x10000: 4 KiB of random code; 0x20000: 4 KiB of random data; stacks at 0x9000 (ring 0), 0x30000.
/// Ports read as random values; an external interrupt is pending now and then.
public final class RobustnessFuzzer {
    public static let ramSize: UInt64 = 0x4_0000
    public static let codeAddress: UInt64 = 0x1_0000
    let ram: GuestRAM
    let platform = FuzzPlatform()
    let cpu: Interpreter
    var pristine: [UInt8]
    public let budget: UInt64

    /// What the runs ended with, and the exceptions raised, over all cases run.
    public private(set) var stops: [String: Int] = [:]
    public private(set) var exceptions: [UInt8: Int] = [:]
    public private(set) var instructions: UInt64 = 0
    public private(set) var cases = 0

    public init(budget: UInt64 = 1000) throws {
        ram = try GuestRAM(size: Self.ramSize)
        cpu = Interpreter(ram: ram, platform: platform, model: .x86_64)
        self.budget = budget
        // GDT: null, code32 0x08, data 0x10, code64 0x18, user code32 0x23, user data 0x2B, user code64 0x33,
        // 16-bit code 0x38, 16-bit data 0x40, TSS 0x48 (16 bytes).
        let gdt: [UInt64] = [0, 0x00CF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF, 0x00AF_9B00_0000_FFFF,
                             0x00CF_FB00_0000_FFFF, 0x00CF_F300_0000_FFFF, 0x00AF_FB00_0000_FFFF,
                             0x0000_9B00_0000_FFFF, 0x0000_9300_0000_FFFF,
                             0x0000_8900_7000_0067, 0]
        for (i, d) in gdt.enumerated() { Self.write(ram, 0x1000 + UInt64(i) * 8, d, 8) }
        Self.write(ram, 0x2000, 0x3000 | 7, 8)
        Self.write(ram, 0x3000, 0x4000 | 7, 8)
        Self.write(ram, 0x4000, 0x87, 8)
        // TSS: ESP0/SS0 (32-bit layout) and RSP0 (64-bit layout) both usable: 0x7004 = RSP0 low.
        Self.write(ram, 0x7004, 0x9000, 4)
        Self.write(ram, 0x7008, 0x10, 4)
        Self.write(ram, 0x7066, 0x68, 2)  // I/O bitmap base beyond the limit: no port allowed at CPL 3
        pristine = [UInt8](UnsafeRawBufferPointer(start: ram.base, count: Int(Self.ramSize)))
    }

    static func write(_ ram: GuestRAM, _ address: UInt64, _ value: UInt64, _ size: Int) {
        ram.write((0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }, at: address)
    }

    /// SplitMix64: one generator per case, seeded from (seed, bits, index).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    /// Runs case `index` of mode `bits` (16, 32 or 64) and records how it ended.
    @discardableResult
    public func run(bits: Int, seed: UInt64, index: Int) -> StopReason {
        var r = Random(state: seed &* 0x100_0000_01B3 ^ UInt64(bits) << 56 ^ UInt64(index))
        _ = r.next()
        pristine.withUnsafeBytes { ram.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        // Random code and data.
        var code = [UInt8](repeating: 0, count: 4096)
        for i in stride(from: 0, to: 4096, by: 8) {
            let v = r.next()
            for b in 0..<8 { code[i + b] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(b))) }
        }
        ram.write(code, at: Self.codeAddress)
        var data = [UInt8](repeating: 0, count: 4096)
        for i in stride(from: 0, to: 4096, by: 8) {
            let v = r.next()
            for b in 0..<8 { data[i + b] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(b))) }
        }
        ram.write(data, at: 0x2_0000)
        let handler = { (r: inout Random) -> UInt64 in Self.codeAddress + r.below(4096) }
        let validIDT = r.below(8) != 0

        var s = CPUState()
        let user = bits != 16 && r.below(3) == 0
        switch bits {
        case 16:
            // Real mode, CS:IP = 1000:0000; IVT entries into the code segment.
            for v in 0..<256 {
                let entry = (0x1000 << 16) | (handler(&r) - Self.codeAddress)
                Self.write(ram, UInt64(v) * 4, entry, 4)
            }
            s.cr0 = 0x10
            for i in 0..<6 { s[segment: i] = .real(0x1000) }
            s.segments.1 = SegmentRegister(selector: 0x1000, base: 0x1_0000, limit: 0xFFFF, attributes: 0x9B)
            s.segments.2 = .real(0x3000)
            s.idtr = DescriptorTableRegister(base: 0, limit: validIDT ? 0x3FF : 0)
            s.rip = 0
            s.gdtr = DescriptorTableRegister(base: 0x1000, limit: 0x57)
        default:
            let long = bits == 64
            for v in 0..<256 {
                let target = handler(&r)
                let dpl: UInt64 = r.below(4) == 0 ? 0 : 3
                let type: UInt64 = r.below(2) == 0 ? 0xE : 0xF
                let selector: UInt64 = long ? 0x18 : 0x08
                let low = (target & 0xFFFF) | (selector << 16) | ((0x80 | dpl << 5 | type) << 40) | ((target >> 16) << 48)
                if long {
                    Self.write(ram, 0x6000 + UInt64(v) * 16, low, 8)
                    Self.write(ram, 0x6008 + UInt64(v) * 16, 0, 8)
                } else {
                    Self.write(ram, 0x6000 + UInt64(v) * 8, low, 8)
                }
            }
            s.gdtr = DescriptorTableRegister(base: 0x1000, limit: 0x57)
            s.idtr = DescriptorTableRegister(base: 0x6000, limit: validIDT ? (long ? 0xFFF : 0x7FF) : 0)
            s.tr = SegmentRegister(selector: 0x48, base: 0x7000, limit: 0x67, attributes: long ? 0x8B : 0x8B)
            let dataSel: UInt16 = user ? 0x2B : 0x10
            let data = SegmentRegister(selector: dataSel, base: 0, limit: 0xFFFF_FFFF, attributes: user ? 0xCF3 : 0xC93)
            for i in [0, 2, 3, 4, 5] { s[segment: i] = data }
            s.cr0 = 0x11
            if long {
                s.segments.1 = SegmentRegister(selector: user ? 0x33 : 0x18, base: 0, limit: 0xFFFF_FFFF, attributes: user ? 0xAFB : 0xA9B)
                s.cr3 = 0x2000
                s.cr4 = 0x20
                s.msr.efer = 0x501 | (r.below(2) << 11)  // SCE, LME, LMA, sometimes NXE
                s.cr0 = 0x8000_0011
            } else {
                s.segments.1 = SegmentRegister(selector: user ? 0x23 : 0x08, base: 0, limit: 0xFFFF_FFFF, attributes: user ? 0xCFB : 0xC9B)
            }
            s.rip = Self.codeAddress
        }
        // Registers: small, pointers into RAM, or anything.
        for i in 0..<16 {
            switch r.below(4) {
            case 0: s[gpr: i] = r.below(256)
            case 1: s[gpr: i] = 0x2_0000 + r.below(0x1000)
            case 2: s[gpr: i] = bits == 64 ? r.next() : r.next() & 0xFFFF_FFFF
            default: s[gpr: i] = r.next() & 0xFFFF
            }
        }
        s[gpr: 4] = bits == 16 ? 0xFFF0 : 0x3_0000
        s.rflags = 2 | (r.next() & 0x8D5) | (r.below(4) == 0 ? 0x200 : 0)
        cpu.state = s
        cpu.lastException = nil
        platform.seed = r.next() | 1

        let before = cpu.instructionsRetired
        let stop = cpu.run(budget: budget)
        instructions &+= cpu.instructionsRetired &- before
        cases += 1
        stops["\(stop)", default: 0] += 1
        if let e = cpu.lastException { exceptions[e.vector, default: 0] += 1 }
        return stop
    }
}

/// The robustness fuzzer's platform: ports read random values, MMIO reads all ones, and an external
/// interrupt is pending about once in 200 instructions.
final class FuzzPlatform: Platform {
    var seed: UInt64 = 1
    func nextRandom() -> UInt64 {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        return seed
    }
    func portRead(_ port: UInt16, size: Int) -> UInt32 { UInt32(truncatingIfNeeded: nextRandom()) >> (32 - 8 * UInt32(size)) }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) {}
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { size >= 8 ? ~0 : (1 << (8 * UInt64(size))) - 1 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
    var interruptPending: Bool { nextRandom() % 200 == 0 }
    func acknowledgeInterrupt() -> UInt8 { UInt8(32 + nextRandom() % 224) }
    var stopRequested: Bool { false }
}
