// Interpreter throughput: runs small 64-bit guest loops (Guests/bench/*.asm, embedded in
// Guests.swift) on the interpreter and prints guest MIPS for each, plus the decode-cache hit rate.
//
//     interpreter-bench [--seconds S] [--rounds R] [--only alu|memory|call|x87|sse2]...
//     interpreter-bench --linux KERNEL INITRD [--seconds S] [--console] [--append "KERNEL ARGS"]
//
// Each loop is first run at a fixed size and its registers (and, for the memory loop, its buffers)
// are checked against known values (computed by Unicorn too), so an optimisation that breaks
// semantics fails loudly. Then the
// iteration count is calibrated so one run takes about S seconds (default 1) of thread CPU time, and
// R rounds (default 3) are run; the best rate is printed (a busy machine only ever slows a run down).
// Scripts/bench-interpreter.sh builds and runs it.
//
// --linux boots a bzImage with an initramfs on the PC machine (console=ttyS0, 256 MiB) for S seconds
// of CPU time (default 1; 20 is a better measure) and prints the guest MIPS and the last console line.

#if canImport(Glibc)
import Glibc
#endif
import Boot
import GuestMemory
import Interpreter
import Machine
import MachineInterface
import X86State

/// Ports and MMIO do nothing; no interrupts; never asks to stop (the loops end with HLT, IF = 0).
final class BenchPlatform: Platform {
    func portRead(_ port: UInt16, size: Int) -> UInt32 { 0xFFFF_FFFF }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) {}
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { ~0 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
    var interruptPending: Bool { false }
    func acknowledgeInterrupt() -> UInt8 { 0 }
    var stopRequested: Bool { false }
}

/// Thread CPU time in seconds.
func cpuTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

struct Loop {
    let name: String
    let image: [UInt8]
    /// Iterations for the correctness check, and the checksum of the final state it must give.
    let checkIterations: UInt64
    let expectedChecksum: UInt64
    let what: String
    /// Floating-point operations per retired instruction, for loops that report MFLOPS.
    var flopsPerInstruction: Double? = nil
}

let loops = [
    Loop(name: "alu", image: BenchGuests.alu, checkIterations: 20_000, expectedChecksum: 0x4648_96C6_23C3_444A,
         what: "integer ALU loop (add/xor/rol/sub/and/or/shr/lea/inc/sar, dec/jnz)"),
    Loop(name: "memory", image: BenchGuests.memory, checkIterations: 8, expectedChecksum: 0xBE07_9E70_5050_5F57,
         what: "memory loop (loads, stores, RMW over 4 KiB; rep movsq 4 KiB; rep stosd 1 KiB)"),
    Loop(name: "call", image: BenchGuests.call, checkIterations: 10_000, expectedChecksum: 0x7159_57FB_3963_01DB,
         what: "call/branch loop (call/ret, indirect call, push/pop, jcc, jump table)"),
    Loop(name: "x87", image: BenchGuests.x87, checkIterations: 20_000, expectedChecksum: 0x8618_3E2F_1BC6_92A9,
         what: "x87 loop (fmul/fadd m64/fdivr m64/faddp/fsqrt/fadd m64, extended precision; 7 FLOPs per 11 instructions)",
         flopsPerInstruction: 7.0 / 11.0),
    Loop(name: "sse2", image: BenchGuests.sse2, checkIterations: 20_000, expectedChecksum: 0x5F45_4AD7_C3E0_AACF,
         what: "SSE2 loop (mulpd/addpd/divpd/sqrtpd/divsd/addsd, two lanes; 16 FLOPs per 14 instructions)",
         flopsPerInstruction: 16.0 / 14.0),
]

/// A run of one loop on a fresh guest state (the interpreter, and its caches, are reused).
final class Bench {
    let ram: GuestRAM
    let cpu: Interpreter
    let loop: Loop

    init(_ loop: Loop) throws {
        self.loop = loop
        ram = try GuestRAM(size: 64 << 20)
        cpu = Interpreter(ram: ram, platform: BenchPlatform(), model: .x86_64)
    }

    /// Runs `iterations`; returns (instructions retired, CPU seconds).
    func run(_ iterations: UInt64) throws -> (UInt64, Double) {
        var s = try FlatBinary.load(loop.image, into: ram, at: BenchGuests.loadAddress, bits: 64)
        s[gpr: 7] = iterations
        // The memory loop's buffers start zeroed.
        memset(ram.base + 0x200000, 0, 0x8000)
        cpu.state = s
        let before = cpu.instructionsRetired
        let t0 = cpuTime()
        let stop = cpu.run(budget: .max)
        let t1 = cpuTime()
        guard stop == .halted else { fatalError("\(loop.name): stopped with \(stop) at rip 0x\(String(cpu.state.rip, radix: 16))") }
        return (cpu.instructionsRetired &- before, t1 - t0)
    }

    /// A hash of the general registers and the memory loop's buffers.
    func checksum() -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ v: UInt64) { h = (h ^ v) &* 0x100_0000_01B3; h ^= h >> 29 }
        let s = cpu.state
        for i in 0..<16 { mix(s[gpr: i]) }
        let words = (ram.base + 0x200000).assumingMemoryBound(to: UInt64.self)
        for i in 0..<(0x8000 / 8) { mix(words[i]) }
        return h
    }

    /// Decode-cache hits and misses so far, if the engine reports them.
    var cacheCounters: (UInt64, UInt64)? {
        let c = cpu.statistics.counters
        guard let h = c.first(where: { $0.name == "decode cache hits" }),
              let m = c.first(where: { $0.name == "decode cache misses" }) else { return nil }
        return (h.value, m.value)
    }
}

/// `v` with `digits` decimals.
func fixed(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let n = Int64((v * scale).rounded())
    let whole = n / Int64(scale), frac = n % Int64(scale)
    if digits == 0 { return "\(whole)" }
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return "\(whole).\(f)"
}

func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? fill + s : s + fill
}

var seconds = 1.0
var rounds = 3
var only: [String] = []
var linux: (String, String)?
var showConsole = false
var linuxAppend = ""
var ripProfile: (UInt64, UInt64)?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--seconds": seconds = Double(args.popFirst() ?? "") ?? seconds
    case "--rounds": rounds = Int(args.popFirst() ?? "") ?? rounds
    case "--only": only.append(args.popFirst() ?? "")
    case "--console": showConsole = true
    case "--append": linuxAppend = " " + (args.popFirst() ?? "")
    case "--rip-profile":
        // FROM-TO in millions of instructions: sample RIP once per batch in that window.
        let r = (args.popFirst() ?? "").split(separator: "-").compactMap { UInt64($0) }
        if r.count == 2 { ripProfile = (r[0] * 1_000_000, r[1] * 1_000_000) }
    case "--linux":
        linux = (args.popFirst() ?? "", args.popFirst() ?? "")
    case "--checksums":
        // Prints the checksums of the check runs (to update `expectedChecksum` after changing a loop).
        for l in loops {
            let b = try Bench(l)
            _ = try b.run(l.checkIterations)
            // and the first results the loop stores at 200000h (to check against host arithmetic)
            let words = (b.ram.base + 0x200000).assumingMemoryBound(to: UInt64.self)
            let stored = (0..<7).map { String(words[$0], radix: 16) }.joined(separator: " ")
            print("\(l.name): 0x\(String(b.checksum(), radix: 16, uppercase: true))   200000h: \(stored)")
        }
        exit(0)
    default:
        print("usage: interpreter-bench [--seconds S] [--rounds R] [--only alu|memory|call|x87|sse2]... [--checksums]")
        exit(64)
    }
}

/// Boots Linux for `seconds` of CPU time; prints MIPS and how far the console got.
func bootLinux(kernel: String, initrd: String, seconds: Double, console: Bool, append: String,
               ripProfile: (UInt64, UInt64)?) throws {
    func load(_ path: String) -> [UInt8] {
        guard let f = fopen(path, "rb") else { print("cannot open \(path)"); exit(2) }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        return bytes
    }
    var output: [UInt8] = []
    let vm = try VirtualMachine(memory: 256 << 20, serialOutput: { output.append($0) }, console: { _ in })
    vm.cpu.state = try LinuxBootProtocol.load(kernel: load(kernel), initrd: load(initrd), commandLine: "console=ttyS0 reboot=k panic=1" + append,
                                              into: vm.machine.ram, memoryMap: LinuxBootProtocol.standardMemoryMap(ramSize: 256 << 20))
    let t0 = cpuTime()
    var stop = StopReason.budgetExhausted
    var firstOutput: UInt64?  // instructions retired before the kernel's first console byte
    var stamps: [UInt64] = []
    var ripSamples: [UInt64: Int] = [:]
    var scanned = 0
    while cpuTime() - t0 < seconds {
        vm.clock.runDue()
        stop = vm.cpu.run(RunBudget(instructions: vm.batch))
        if firstOutput == nil && !output.isEmpty { firstOutput = vm.cpu.statistics.instructionsRetired }
        if let (from, to) = ripProfile, let n = vm.cpu.statistics.instructionsRetired, n >= from && n < to {
            ripSamples[vm.cpu.state.rip, default: 0] += 1
        }
        if console {
            // The instruction count at which each console line was complete (to the batch).
            let n = vm.cpu.statistics.instructionsRetired ?? 0
            while scanned < output.count {
                if output[scanned] == 10 { stamps.append(n) }
                scanned += 1
            }
        }
        if stop == .halted {
            // Idle until the next timer (sleeping costs no CPU time); halted for good ends the run.
            guard vm.cpu.interruptsEnabled, let d = vm.clock.nextDeadline else { break }
            let now = vm.clock.now
            if d > now { usleep(UInt32(min((d - now) / 1000 + 1, 100_000))) }
        } else if stop != .budgetExhausted {
            break
        }
    }
    let t = cpuTime() - t0
    let n = vm.cpu.statistics.instructionsRetired ?? 0
    let lines = output.split(separator: 10).map { String(decoding: $0.filter { $0 != 13 }, as: UTF8.self) }
    print("linux   \(pad(fixed(Double(n) / t / 1e6, 2), 9, left: true)) MIPS   \(n) instructions in \(fixed(t, 2)) s CPU, \(lines.count) console lines, stop \(stop)")
    print("        last line: \(lines.last ?? "")")
    if !ripSamples.isEmpty {
        let total = ripSamples.values.reduce(0, +)
        print("        RIP samples (one per \(vm.batch) instructions): \(total); most frequent:")
        for (rip, k) in ripSamples.sorted(by: { $0.value > $1.value }).prefix(25) {
            // With nokaslr the kernel text at 0xffffffff81000000 is at physical 0x1000000.
            let pa = rip &- 0xFFFF_FFFF_8000_0000
            let bytes = vm.machine.ram.read(at: pa, count: 12).map { $0.map { String($0, radix: 16) }.joined(separator: " ") } ?? "?"
            print("          0x\(String(rip, radix: 16)) \(k)  \(bytes)")
        }
        // The hottest range as hex, for `popek disasm --hex --mode 64 --origin`.
        let hot = ripSamples.sorted(by: { $0.value > $1.value }).prefix(25).map(\.key)
        if let lo = hot.min(), let hi = hot.max(), hi - lo < 4096 {
            let bytes = vm.machine.ram.read(at: lo &- 0xFFFF_FFFF_8000_0000, count: Int(hi - lo) + 16) ?? []
            print("        hot range 0x\(String(lo, radix: 16)): \(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())")
        }
    }
    if let f = firstOutput { print("        first console output after \(f) instructions (the bzImage decompressor runs before it)") }
    if console {
        for (k, l) in lines.enumerated() {
            let m = k < stamps.count ? fixed(Double(stamps[k]) / 1e6, 1) + "M" : "-"
            print("        | \(pad(m, 8, left: true)) \(l)")
        }
    }
    if stop != .budgetExhausted && stop != .halted {
        let st = vm.cpu.state
        let e = (vm.cpu as? Interpreter)?.lastException
        print("        stopped at rip 0x\(String(st.rip, radix: 16)) cs \(String(st.segments.1.selector, radix: 16)) rsp 0x\(String(st[gpr: 4], radix: 16)) cr2 0x\(String(st.cr2, radix: 16)) cr3 0x\(String(st.cr3, radix: 16)); last exception \(e.map { "\($0.vector) code \($0.errorCode.map { String($0, radix: 16) } ?? "-")" } ?? "none")")
    }
    for c in vm.cpu.statistics.counters { print("        \(c.name): \(c.value)") }
}

if let (kernel, initrd) = linux {
    try bootLinux(kernel: kernel, initrd: initrd, seconds: seconds, console: showConsole, append: linuxAppend, ripProfile: ripProfile)
    exit(0)
}

var failed = false
for l in loops where only.isEmpty || only.contains(l.name) {
    let b = try Bench(l)
    // Correctness first.
    _ = try b.run(l.checkIterations)
    let sum = b.checksum()
    if sum != l.expectedChecksum {
        print("\(l.name): WRONG RESULT: checksum 0x\(String(sum, radix: 16, uppercase: true)), expected 0x\(String(l.expectedChecksum, radix: 16, uppercase: true))")
        failed = true
        continue
    }
    // Calibrate: scale the check run to about `seconds` of CPU time.
    let (n0, t0) = try b.run(l.checkIterations)
    let perIteration = max(t0, 1e-6) / Double(l.checkIterations)
    let iterations = max(UInt64(seconds / perIteration), l.checkIterations)
    var best = 0.0
    var instructions: UInt64 = 0
    let cacheBefore = b.cacheCounters
    for _ in 0..<rounds {
        let (n, t) = try b.run(iterations)
        instructions = n
        best = max(best, Double(n) / t / 1e6)
    }
    let rate: String
    if let (h0, m0) = cacheBefore, let (h1, m1) = b.cacheCounters, h1 &+ m1 > h0 &+ m0 {
        let h = Double(h1 - h0), m = Double(m1 - m0)
        rate = "\(fixed(100 * h / (h + m), 4))% (\(UInt64(m)) misses)"
    } else {
        rate = "n/a"
    }
    _ = n0
    print("\(pad(l.name, 7)) \(pad(fixed(best, 2), 9, left: true)) MIPS   \(instructions) instructions/run, decode-cache hit rate \(rate)")
    if let f = l.flopsPerInstruction { print("        \(fixed(best * f, 2)) MFLOPS") }
    print("        \(l.what)")
}
if failed { exit(1) }
