// decoder-bench: decodes a raw code image (for example the .text section of a binary, extracted by
// Scripts/bench-decoder.sh) linearly, again and again, and prints the decode rate.
//
//     decoder-bench FILE [--mode 16|32|64] [--seconds S]
//
// An instruction that does not decode advances by one byte; unsupported (EVEX, XOP, 3DNow!) ones by
// their length. Times are the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), so that other work on a
// busy machine does not count. The output's `popek:` line is read by the script; `checksum` keeps the work alive.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import X86Decoder
import X86ISA

/// The process's CPU time in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n <= 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

func fail(_ message: String) -> Never {
    let line = message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var mode = CPUMode.bits64
var seconds = 2.0
var path: String?
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--mode":
        guard let v = args.first.flatMap({ Int($0) }).flatMap({ CPUMode(bits: $0) }) else { fail("--mode needs 16, 32 or 64") }
        mode = v; args.removeFirst()
    case "--seconds":
        guard let v = args.first.flatMap({ Double($0) }) else { fail("--seconds needs a number") }
        seconds = v; args.removeFirst()
    default:
        path = a
    }
}
guard let path, let code = readAll(path), !code.isEmpty else {
    fail("usage: decoder-bench FILE [--mode 16|32|64] [--seconds S]")
}

let decoder = Decoder(mode: mode)

/// `x` with `digits` decimals (no Foundation).
func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let v = Int((x * scale).rounded())
    let whole = v / Int(scale), frac = v % Int(scale)
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return digits == 0 ? String(whole) : "\(whole).\(f)"
}

/// One linear pass over the image: (instructions, undecodable bytes, checksum).
@inline(never)
func pass(_ buf: UnsafeBufferPointer<UInt8>) -> (Int, Int, UInt64) {
    var offset = 0
    var count = 0, bad = 0
    var sum: UInt64 = 0
    var ins = Instruction()
    let base = buf.baseAddress!
    let n = buf.count
    while offset < n {
        let status = decoder.decode(base + offset, count: n - offset, into: &ins)
        if status == .ok || status == .unsupported {
            offset += Int(ins.length)
            count += 1
            sum &+= UInt64(ins.mnemonic.rawValue) &+ UInt64(ins.operandCount)
        } else {
            offset += 1
            bad += 1
        }
    }
    return (count, bad, sum)
}

code.withUnsafeBufferPointer { buf in
    _ = pass(buf)  // warm-up (builds the opcode table)
    var passes = 0, instructions = 0, bad = 0
    var checksum: UInt64 = 0
    let start = now()
    var elapsed = 0.0
    repeat {
        let (c, b, s) = pass(buf)
        instructions += c; bad += b; checksum &+= s
        passes += 1
        elapsed = now() - start
    } while elapsed < seconds
    let perPass = instructions / passes
    let rate = Double(instructions) / elapsed
    let mbps = Double(buf.count) * Double(passes) / elapsed / 1e6
    print("input: \(buf.count) bytes, \(perPass) instructions and \(bad / passes) undecodable bytes per pass")
    print("popek: \(Int(rate)) instructions/s, \(fixed(mbps, 1)) MB/s (\(passes) passes in \(fixed(elapsed, 2)) s, checksum \(checksum))")
}
