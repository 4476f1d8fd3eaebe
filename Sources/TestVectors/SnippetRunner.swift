#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import Interpreter
import MachineInterface
import X86State

/// Differential testing against another CPU emulator (Scripts/diff-unicorn.py): a snippet is a short
/// run of user-mode integer instructions with its whole starting state (registers, RFLAGS, a data
/// page); the runner executes it on the interpreter to its end address (or the first exception) and
/// reports the final state, in one text line each way so that a script can drive thousands a second.
///
/// Case line (hex numbers without 0x, fields separated by one space):
///
///     ID BITS CODE_ADDR CODE_HEX DATA_ADDR DATA_SIZE DATA_SEED END RFLAGS RAX RCX RDX RBX RSP RBP RSI RDI R8 ... R15
///
/// The data page is `DATA_SIZE` bytes at `DATA_ADDR` filled by `SnippetCase.fill(seed:)` (SplitMix64).
/// Result line:
///
///     ID STATUS RIP RFLAGS RAX ... R15 MEMORY
///
/// STATUS is `end` (RIP reached END), `exc` + vector in decimal (the first exception, RIP at the
/// faulting instruction), `budget`, `halt`, or `wild` (an access outside the code and data pages, as
/// an emulator with only those pages mapped reports it; RIP at that instruction, or the address
/// that could not be fetched). MEMORY is `-` or the bytes of the data page that differ from the initial fill, as
/// `OFFSET:HEXBYTES` runs separated by commas (offsets in hex from DATA_ADDR).
public struct SnippetCase: Sendable, Equatable {
    public var id: String
    public var bits: Int
    public var codeAddress: UInt64
    public var code: [UInt8]
    public var dataAddress: UInt64
    public var dataSize: Int
    public var dataSeed: UInt64
    public var end: UInt64
    public var rflags: UInt64
    public var gpr: [UInt64]

    public init(id: String, bits: Int, codeAddress: UInt64, code: [UInt8], dataAddress: UInt64, dataSize: Int,
                dataSeed: UInt64, end: UInt64, rflags: UInt64, gpr: [UInt64]) {
        self.id = id; self.bits = bits; self.codeAddress = codeAddress; self.code = code
        self.dataAddress = dataAddress; self.dataSize = dataSize; self.dataSeed = dataSeed
        self.end = end; self.rflags = rflags; self.gpr = gpr
    }

    /// Parses a case line; nil if malformed.
    public init?(line: Substring) {
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count == 25, let bits = Int(f[1]), bits == 32 || bits == 64,
              let codeAddress = UInt64(f[2], radix: 16), let code = hexBytes(f[3]),
              let dataAddress = UInt64(f[4], radix: 16), let dataSize = Int(f[5], radix: 16),
              let seed = UInt64(f[6], radix: 16), let end = UInt64(f[7], radix: 16),
              let rflags = UInt64(f[8], radix: 16) else { return nil }
        var regs: [UInt64] = []
        for i in 9..<25 {
            guard let v = UInt64(f[i], radix: 16) else { return nil }
            regs.append(v)
        }
        self.init(id: String(f[0]), bits: bits, codeAddress: codeAddress, code: code, dataAddress: dataAddress,
                  dataSize: dataSize, dataSeed: seed, end: end, rflags: rflags, gpr: regs)
    }

    public var line: String {
        var parts = [id, String(bits), hex(codeAddress), code.isEmpty ? "-" : hexString(code), hex(dataAddress),
                     String(dataSize, radix: 16), hex(dataSeed), hex(end), hex(rflags)]
        parts += gpr.map(hex)
        return parts.joined(separator: " ")
    }

    /// The initial data page: SplitMix64 from `seed`, little-endian (Scripts/diff-unicorn.py does the same).
    public static func fill(seed: UInt64, size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var state = seed
        var i = 0
        while i < size {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for b in 0..<8 where i + b < size { out[i + b] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(b))) }
            i += 8
        }
        return out
    }
}

/// The final state of a snippet run.
public struct SnippetResult: Sendable, Equatable {
    public var id: String
    public var status: String
    public var rip: UInt64
    public var rflags: UInt64
    public var gpr: [UInt64]
    /// Offset in the data page -> byte, for the bytes that differ from the initial fill.
    public var memory: [Int: UInt8]

    public init(id: String, status: String, rip: UInt64, rflags: UInt64, gpr: [UInt64], memory: [Int: UInt8]) {
        self.id = id; self.status = status; self.rip = rip; self.rflags = rflags; self.gpr = gpr; self.memory = memory
    }

    public init?(line: Substring) {
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count == 21, let rip = UInt64(f[2], radix: 16), let rflags = UInt64(f[3], radix: 16) else { return nil }
        var regs: [UInt64] = []
        for i in 4..<20 {
            guard let v = UInt64(f[i], radix: 16) else { return nil }
            regs.append(v)
        }
        var memory: [Int: UInt8] = [:]
        if f[20] != "-" {
            for run in f[20].split(separator: ",") {
                let p = run.split(separator: ":")
                guard p.count == 2, let off = Int(p[0], radix: 16), let bytes = hexBytes(p[1]) else { return nil }
                for (i, b) in bytes.enumerated() { memory[off + i] = b }
            }
        }
        self.init(id: String(f[0]), status: String(f[1]), rip: rip, rflags: rflags, gpr: regs, memory: memory)
    }

    public var line: String {
        var parts = [id, status, hex(rip), hex(rflags)] + gpr.map(hex)
        var runs: [String] = []
        var start = -1, bytes: [UInt8] = []
        for off in memory.keys.sorted() {
            if start >= 0 && off == start + bytes.count {
                bytes.append(memory[off]!)
            } else {
                if start >= 0 { runs.append(String(start, radix: 16) + ":" + hexString(bytes)) }
                start = off
                bytes = [memory[off]!]
            }
        }
        if start >= 0 { runs.append(String(start, radix: 16) + ":" + hexString(bytes)) }
        parts.append(runs.isEmpty ? "-" : runs.joined(separator: ","))
        return parts.joined(separator: " ")
    }

    /// The differences from `expected`, comparing the GPRs (32 bits wide and the first eight in 32-bit
    /// mode), RIP, the RFLAGS bits in `flagMask`, the status and the data page. Empty when they agree.
    public func differences(from expected: SnippetResult, bits: Int, flagMask: UInt64) -> [String] {
        var out: [String] = []
        if status != expected.status { out.append("status: expected \(expected.status), got \(status)") }
        let wide: UInt64 = bits == 64 ? ~0 : 0xFFFF_FFFF
        if rip & wide != expected.rip & wide { out.append("rip: expected \(hex(expected.rip)), got \(hex(rip))") }
        // After an access outside RAM, only the place matters.
        if status == "wild" && expected.status == "wild" { return out }
        if (rflags ^ expected.rflags) & flagMask != 0 {
            out.append("rflags: expected \(hex(expected.rflags & flagMask)), got \(hex(rflags & flagMask)) (mask \(hex(flagMask)))")
        }
        for i in 0..<(bits == 64 ? 16 : 8) where (gpr[i] ^ expected.gpr[i]) & wide != 0 {
            out.append("\(SnippetResult.registerNames[i]): expected \(hex(expected.gpr[i] & wide)), got \(hex(gpr[i] & wide))")
        }
        if memory != expected.memory {
            for off in Set(memory.keys).union(expected.memory.keys).sorted() where memory[off] != expected.memory[off] {
                out.append("data+\(String(off, radix: 16)): expected \(expected.memory[off].map { hex(UInt64($0)) } ?? "unchanged"), got \(memory[off].map { hex(UInt64($0)) } ?? "unchanged")")
                if out.count > 40 { break }
            }
        }
        return out
    }

    public static let registerNames = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                       "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
}

/// A platform with nothing on it: any port or MMIO access marks the run as having gone wild.
final class SnippetPlatform: Platform {
    var wild = false
    func portRead(_ port: UInt16, size: Int) -> UInt32 { wild = true; return UInt32.max >> (32 - 8 * UInt32(size)) }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) { wild = true }
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { wild = true; return ~0 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) { wild = true }
    var interruptPending: Bool { false }
    func acknowledgeInterrupt() -> UInt8 { 0 }
    var stopRequested: Bool { false }
}

/// Errors from a snippet case that cannot be set up.
public enum SnippetError: Error, CustomStringConvertible {
    case outsideRAM(String)
    public var description: String {
        switch self { case .outsideRAM(let s): "snippet \(s) does not fit in the 64 KiB test RAM above 0x8000" }
    }
}

/// Runs snippets on the interpreter in a 64 KiB guest: a GDT at 0x1000, page tables at 0x2000-0x7FFF;
/// code and data anywhere in 0x8000-0xFFFF. The segments are flat (base 0, limit 4 GiB), CPL 0, the
/// IDT empty (limit 0) so that the first exception ends the run as a triple fault with the state at
/// the faulting instruction. Paging (4-level in 64-bit mode, 32-bit paging in 32-bit mode, invisible
/// to the snippets) identity-maps only the pages holding the code and the data, so that any other
/// access is a page fault, reported as `wild`.
public final class SnippetRunner {
    public static let ramSize: UInt64 = 0x1_0000
    let ram: GuestRAM
    let platform = SnippetPlatform()
    let cpu: Interpreter
    /// RAM as it is before every case (tables in place, everything else zero).
    var pristine: [UInt8]
    let states: (CPUState, CPUState)
    /// The instruction budget per case (a REP string counts as one per slice of 4096 elements).
    public var budget: Int
    /// Run each case whole (`run` to a HLT planted at its end) instead of instruction by instruction:
    /// set by the environment variable POPEK_SNIPPET_WHOLE.
    public var wholeRuns = getenv("POPEK_SNIPPET_WHOLE") != nil
    /// At an exception, write the x87/SSE state into the data page at this offset (FXSAVE's layout with
    /// FIP/FDP/FOP and MXCSR_MASK zero: FCW, FSW, abridged FTW, MXCSR, ST0-ST7, XMM0-7 or XMM0-15), as
    /// Scripts/native-snippets.c does from the signal frame: set by POPEK_SNIPPET_FAULT_STATE (hex).
    /// "OFFSET/N" writes N XMM registers (default: 16 in 64-bit cases, 8 in 32-bit ones).
    public var faultStateOffset: Int?
    public var faultStateRegisters: Int?

    public init(budget: Int = 10_000) throws {
        ram = try GuestRAM(size: Self.ramSize)
        cpu = Interpreter(ram: ram, platform: platform, model: .x86_64)
        self.budget = budget
        if let v = getenv("POPEK_SNIPPET_FAULT_STATE") {
            let parts = String(cString: v).split(separator: "/")
            faultStateOffset = parts.first.flatMap { Int($0, radix: 16) }
            faultStateRegisters = parts.count > 1 ? Int(parts[1]).map { min(max($0, 0), 16) } : nil
        }
        // GDT: null, 32-bit code 0x08, data 0x10, 64-bit code 0x18 (as Boot.FlatBinary builds it).
        let gdt: [UInt64] = [0, 0x00CF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF, 0x00AF_9B00_0000_FFFF]
        for (i, d) in gdt.enumerated() { Self.write64(ram, 0x1000 + UInt64(i) * 8, d) }
        Self.write64(ram, 0x2000, 0x3000 | 7)  // PML4[0] -> PDPT
        Self.write64(ram, 0x3000, 0x4000 | 7)  // PDPT[0] -> PD
        Self.write64(ram, 0x4000, 0x5000 | 7)  // PD[0] -> PT at 0x5000 (entries per case)
        ram.write([0x07, 0x70, 0, 0], at: 0x6000)  // 32-bit PD[0] -> PT at 0x7000 (entries per case)
        pristine = [UInt8](UnsafeRawBufferPointer(start: ram.base, count: Int(Self.ramSize)))

        var s = CPUState()
        s.gdtr = DescriptorTableRegister(base: 0x1000, limit: UInt16(gdt.count * 8 - 1))
        s.idtr = DescriptorTableRegister(base: 0, limit: 0)
        let data = SegmentRegister(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC93)
        for i in [0, 2, 3, 4, 5] { s[segment: i] = data }
        s.cr0 = 0x8000_0011
        var s32 = s
        s32.segments.1 = SegmentRegister(selector: 0x08, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC9B)
        s32.cr3 = 0x6000
        var s64 = s
        s64.segments.1 = SegmentRegister(selector: 0x18, base: 0, limit: 0xFFFF_FFFF, attributes: 0xA9B)
        s64.cr3 = 0x2000
        s64.cr4 = 0x20
        s64.msr.efer = 0x500
        s64.cr0 = 0x8000_0011
        states = (s32, s64)
    }

    static func write64(_ ram: GuestRAM, _ address: UInt64, _ value: UInt64) {
        ram.write((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }, at: address)
    }

    /// Runs one case to its end address, the first exception, an access outside RAM or the budget.
    public func run(_ c: SnippetCase) throws(SnippetError) -> SnippetResult {
        guard c.codeAddress >= 0x8000, c.codeAddress + UInt64(c.code.count) <= Self.ramSize else { throw .outsideRAM("code") }
        guard c.dataAddress >= 0x8000, c.dataAddress + UInt64(c.dataSize) <= Self.ramSize else { throw .outsideRAM("data") }
        pristine.withUnsafeBytes { ram.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let initial = SnippetCase.fill(seed: c.dataSeed, size: c.dataSize)
        ram.write(initial, at: c.dataAddress)
        ram.write(c.code, at: c.codeAddress)
        // Map the code's page and the data's pages only.
        var pages = Set<UInt64>([c.codeAddress >> 12])
        for p in (c.dataAddress >> 12)...((c.dataAddress + UInt64(max(c.dataSize, 1)) - 1) >> 12) { pages.insert(p) }
        for p in pages {
            if c.bits == 64 { Self.write64(ram, 0x5000 + p * 8, p << 12 | 7) }
            else { ram.write((0..<4).map { UInt8(truncatingIfNeeded: (p << 12 | 7) >> (8 * UInt64($0))) }, at: 0x7000 + p * 4) }
        }
        var s = c.bits == 64 ? states.1 : states.0
        for i in 0..<16 { s[gpr: i] = c.bits == 64 || i < 8 ? c.gpr[i] : 0 }
        s.rip = c.codeAddress
        s.rflags = c.rflags | 2
        cpu.state = s
        cpu.lastException = nil
        platform.wild = false

        var status = "budget"
        var stopRIP: UInt64? = nil
        var steps = 0
        if wholeRuns && c.end >= c.codeAddress + UInt64(c.code.count) && c.end >> 12 == c.codeAddress >> 12 {
            // POPEK_SNIPPET_WHOLE=1: a HLT at the end address and one `run`, so that the decode cache's
            // multi-instruction blocks run as in a guest (`step` runs one instruction at a time).
            ram.write([0xF4], at: c.end)
            cpu.invalidateCode(physicalAddress: c.end, count: 1)
            let stop = cpu.run(budget: UInt64(budget))
            let rip = cpu.state.rip
            if platform.wild {
                status = "wild"
            } else if stop == .tripleFault, let e = cpu.lastException {
                status = e.vector == 14 ? "wild" : "exc\(e.vector)"
            } else if stop == .halted {
                status = rip == c.end &+ 1 ? "end" : "halt"
                if status == "end" { stopRIP = c.end }
            } else {
                status = stop == .budgetExhausted ? "budget" : "\(stop)"
            }
            steps = budget
        }
        while steps < budget {
            let rip = cpu.state.rip
            if rip == c.end { status = "end"; break }
            let stop = cpu.step()
            steps += 1
            if platform.wild { status = "wild"; stopRIP = rip; break }
            if let stop {
                if stop == .tripleFault, let e = cpu.lastException {
                    status = e.vector == 14 ? "wild" : "exc\(e.vector)"
                } else {
                    status = "\(stop)"
                }
                break
            }
            if cpu.state.halted { status = "halt"; break }
        }
        let final = cpu.state
        if status.hasPrefix("exc"), let off = faultStateOffset {
            let image = Self.faultStateImage(final.fpu, registers: faultStateRegisters ?? (c.bits == 64 ? 16 : 8))
            if off >= 0 && off + image.count <= c.dataSize { ram.write(image, at: c.dataAddress + UInt64(off)) }
        }
        var memory: [Int: UInt8] = [:]
        let p = ram.base.assumingMemoryBound(to: UInt8.self) + Int(c.dataAddress)
        for i in 0..<c.dataSize where p[i] != initial[i] { memory[i] = p[i] }
        var regs: [UInt64] = []
        for i in 0..<16 { regs.append(final[gpr: i]) }
        return SnippetResult(id: c.id, status: status, rip: stopRIP ?? final.rip, rflags: final.rflags,
                             gpr: regs, memory: memory)
    }
}

extension SnippetRunner {
    /// The x87/SSE state as FXSAVE lays it out (ST(i) in stack order, abridged tags), without the
    /// instruction and data pointers, the opcode and MXCSR_MASK; `registers` XMM registers.
    static func faultStateImage(_ f: FPUState, registers: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 160 + 16 * registers)
        func put16(_ v: UInt16, _ at: Int) { out[at] = UInt8(v & 0xFF); out[at + 1] = UInt8(v >> 8) }
        put16(f.controlWord, 0)
        put16(f.statusWord, 2)
        var abridged: UInt8 = 0
        for r in 0..<8 where (f.tagWord >> (2 * r)) & 3 != 3 { abridged |= 1 << r }
        out[4] = abridged
        for k in 0..<4 { out[24 + k] = UInt8(truncatingIfNeeded: f.mxcsr >> (8 * k)) }
        let top = Int((f.statusWord >> 11) & 7)
        withUnsafeBytes(of: f.st) { st in
            for i in 0..<8 {
                let phys = (top + i) & 7
                for k in 0..<10 { out[32 + 16 * i + k] = st[16 * phys + k] }
            }
        }
        withUnsafeBytes(of: f.xmm) { x in
            for k in 0..<(16 * registers) { out[160 + k] = x[k] }
        }
        return out
    }
}

@inline(__always) func hex(_ v: UInt64) -> String { String(v, radix: 16) }

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

func hexBytes(_ s: Substring) -> [UInt8]? {
    if s == "-" { return [] }
    let u = Array(s.utf8)
    guard u.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
        guard let h = nibble(u[i]), let l = nibble(u[i + 1]) else { return nil }
        out.append(h << 4 | l)
        i += 2
    }
    return out
}
