// kvm-bench: the KVM engine's numbers, each next to its reference in the same run.
//
//   1. Guest MIPS of a CPL3 integer loop (guests/cpl3loop.asm) under the interpreter and under KVM,
//      where it runs natively even on kvm_pvm.
//   2. Guest MIPS of a CPL0/real-mode loop under KVM (KernelCodeSpeed): what kvm_pvm emulates.
//   3. The VM-exit round trip (guests/exitloop.asm: OUT to a null port and back), Popek's KVM engine
//      beside c/exit-roundtrip.c doing the same with raw ioctls, interleaved, with KVM_CAP_SYNC_REGS
//      on and off; and the same port write under the interpreter (a function call, no exit).
//
// Run it through Scripts/bench-kvm.sh, which assembles the guests and compiles the C program:
//   kvm-bench --cpl3 cpl3loop.bin --exit exitloop.bin --c-baseline exit-roundtrip [--exits N] [--rounds R]
import Boot
import Foundation
import GuestMemory
import Interpreter
import KVM
import KVMEngine
import MachineInterface
import X86State

/// Prints a line now (standard output may be a pipe).
func print(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

let arguments: [String: String] = {
    var a = [String: String]()
    var i = 1
    let argv = CommandLine.arguments
    while i < argv.count {
        guard argv[i].hasPrefix("--"), i + 1 < argv.count else {
            FileHandle.standardError.write("kvm-bench: unexpected argument \(argv[i])\n".data(using: .utf8)!)
            exit(64)
        }
        a[String(argv[i].dropFirst(2))] = argv[i + 1]
        i += 2
    }
    return a
}()
func required(_ name: String) -> String {
    guard let v = arguments[name] else {
        FileHandle.standardError.write("kvm-bench: missing --\(name) (run Scripts/bench-kvm.sh)\n".data(using: .utf8)!)
        exit(64)
    }
    return v
}
let cpl3Image = [UInt8](try Data(contentsOf: URL(fileURLWithPath: required("cpl3"))))
let exitImage = [UInt8](try Data(contentsOf: URL(fileURLWithPath: required("exit"))))
let cBaseline = required("c-baseline")
let exitCount = Int(arguments["exits"] ?? "20000")!
let rounds = Int(arguments["rounds"] ?? "5")!

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }

/// Counts OUTs; asks to stop after `limit` of them, or when the debug-exit port is written.
final class BenchPlatform: Platform {
    var outs = 0
    var limit = Int.max
    var exited = false
    func portRead(_ port: UInt16, size: Int) -> UInt32 { ~0 }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        outs += 1
        if port == 0xF4 { exited = true }
    }
    func mmioRead(_ address: UInt64, size: Int) -> UInt64 { ~0 }
    func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {}
    var interruptPending: Bool { false }
    func acknowledgeInterrupt() -> UInt8 { 0 }
    var stopRequested: Bool { exited || outs >= limit }
}

enum Engine { case interpreter, kvm(sync: Bool) }

func makeEngine(_ kind: Engine, ram: GuestRAM, platform: Platform) throws -> any ExecutionEngine {
    switch kind {
    case .interpreter: return Interpreter(ram: ram, platform: platform, model: .x86_64)
    case .kvm(let sync):
        var o = KVMEngine.Options()
        o.syncRegisters = sync
        return try KVMEngine(ram: ram, platform: platform, options: o)
    }
}

print("kvm-bench: \(KVMSystem.vendorModule ?? "unknown KVM module"), \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
do {
    _ = try KVMSystem()
} catch {
    print("KVM is not usable here: \(error)")
    exit(1)
}

// MARK: 1. CPL3 loop

func cpl3(_ kind: Engine, iterations: UInt64) throws -> (mips: Double, seconds: Double) {
    var image = cpl3Image
    withUnsafeBytes(of: iterations.littleEndian) { for i in 0..<8 { image[8 + i] = $0[i] } }
    let ram = try GuestRAM(size: 16 << 20)
    let platform = BenchPlatform()
    let engine = try makeEngine(kind, ram: ram, platform: platform)
    engine.state = try FlatBinary.load(image, into: ram, at: 0x8000, bits: 64)
    let t0 = now()
    var stop: StopReason
    repeat { stop = engine.run(RunBudget(instructions: .max, nanoseconds: 100_000_000)) } while stop == .budgetExhausted
    let t = now() - t0
    guard platform.exited else { throw NSError(domain: "kvm-bench: cpl3 loop stopped with \(stop)", code: 1) }
    let instructions = engine.statistics.instructionsRetired ?? iterations * 7
    return (Double(instructions) / t / 1e6, t)
}

print("\n1. CPL3 integer loop (guests/cpl3loop.asm, 7 instructions per iteration), guest MIPS, best of \(rounds)")
var interpreterMIPS: [Double] = [], kvmMIPS: [Double] = []
for _ in 0..<rounds {
    interpreterMIPS.append(try cpl3(.interpreter, iterations: 1_000_000).mips)
    kvmMIPS.append(try cpl3(.kvm(sync: true), iterations: 300_000_000).mips)
}
let bestInterpreter = interpreterMIPS.max()!, bestKVM = kvmMIPS.max()!
print("   interpreter     \(f(bestInterpreter)) MIPS  (7 M instructions)")
print("   kvm             \(f(bestKVM)) MIPS  (2.1 G instructions, natively at CPL3)  = \(f(bestKVM / bestInterpreter, 0))x the interpreter")

// MARK: 2. CPL0 loop under KVM

print("\n2. Real-mode (CPL0-class) dec/jnz loop under KVM, guest MIPS, median of \(rounds)")
var cpl0: [Double] = []
for _ in 0..<rounds { cpl0.append(try KernelCodeSpeed.measure(iterations: 20_000).mips) }
print("   kvm             \(f(median(cpl0), 2)) MIPS  (\(KVMSystem.isPVM ? "kvm_pvm emulates each instruction in the host kernel" : "hardware"))")

// MARK: 3. Exit round trip

func popekExits(sync: Bool) throws -> Double {
    let ram = try GuestRAM(size: 1 << 20)
    let platform = BenchPlatform()
    let engine = try makeEngine(.kvm(sync: sync), ram: ram, platform: platform)
    engine.state = try FlatBinary.load(exitImage, into: ram, at: 0x8000, bits: 16)
    platform.limit = 100  // warm-up, as the C program does
    _ = engine.run(RunBudget(instructions: .max))
    platform.outs = 0
    platform.limit = exitCount
    let t0 = now()
    let stop = engine.run(RunBudget(instructions: .max))
    let t = now() - t0
    guard stop == .platformRequest, platform.outs == exitCount else { throw NSError(domain: "kvm-bench: exit loop stopped with \(stop)", code: 1) }
    return t * 1e9 / Double(exitCount)
}

func cExits(sync: Bool) throws -> Double {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: cBaseline)
    p.arguments = [required("exit"), String(exitCount), sync ? "1" : "0"]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    p.waitUntilExit()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard p.terminationStatus == 0, let v = out.split(separator: " ").last.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
        throw NSError(domain: "kvm-bench: \(cBaseline) failed: \(out)", code: 1)
    }
    return v
}

func interpreterPortWrite() throws -> Double {
    let ram = try GuestRAM(size: 1 << 20)
    let platform = BenchPlatform()
    let engine = Interpreter(ram: ram, platform: platform, model: .x86_64)
    engine.state = try FlatBinary.load(exitImage, into: ram, at: 0x8000, bits: 16)
    platform.limit = exitCount * 10
    let t0 = now()
    _ = engine.run(RunBudget(instructions: .max))
    return (now() - t0) * 1e9 / Double(exitCount * 10)
}

print("\n3. VM-exit round trip: real-mode OUT to port 0x80 and back (guests/exitloop.asm), \(exitCount) exits per run,")
print("   \(rounds) rounds interleaved (C, Popek, C, Popek, ...), median ns per exit")
var samples: [String: [Double]] = [:]
for _ in 0..<rounds {
    for sync in [false, true] {
        samples["c\(sync)", default: []].append(try cExits(sync: sync))
        samples["popek\(sync)", default: []].append(try popekExits(sync: sync))
    }
}
for sync in [false, true] {
    let c = median(samples["c\(sync)"]!), p = median(samples["popek\(sync)"]!)
    let label = sync ? "sync regs on " : "sync regs off"
    print("   \(label)   raw ioctls (C) \(f(c)) ns   Popek KVM engine \(f(p)) ns   ratio \(f(p / c, 2))")
}
let io = try interpreterPortWrite()
print("   interpreter: the same OUT and JMP, no exit: \(f(io)) ns per iteration")

// MARK: 4. State transfer

/// Microseconds to read the whole CPUState out of KVM after an exit, and to load one in.
func stateTransfer(sync: Bool) throws -> (save: Double, load: Double) {
    let ram = try GuestRAM(size: 1 << 20)
    let platform = BenchPlatform()
    let engine = try makeEngine(.kvm(sync: sync), ram: ram, platform: platform) as! KVMEngine
    let initial = try FlatBinary.load(exitImage, into: ram, at: 0x8000, bits: 16)
    try engine.loadState(initial)
    var save: [Double] = [], load: [Double] = []
    for _ in 0..<200 {
        platform.outs = 0
        platform.limit = 1
        _ = engine.run(RunBudget(instructions: .max))  // one exit: the cached state is dropped
        var t0 = now()
        let s = try engine.saveState()
        save.append((now() - t0) * 1e6)
        t0 = now()
        try engine.loadState(s)
        load.append((now() - t0) * 1e6)
    }
    return (median(save), median(load))
}

print("\n4. Moving the CPU state between Popek and KVM (after an I/O exit), median of 200, microseconds")
for sync in [false, true] {
    let t = try stateTransfer(sync: sync)
    print("   sync regs \(sync ? "on " : "off")   save (read from KVM) \(f(t.save)) us   load (write into KVM) \(f(t.load)) us")
}
