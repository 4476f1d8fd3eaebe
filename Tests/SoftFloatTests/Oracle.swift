import CX87Oracle
import Foundation
import SoftFloat
import Testing

/// One instruction executed by the host x87 (CX87Oracle), and what it left behind.
struct HostResult {
    var st0: Extended80
    var st1: Extended80
    var status: UInt16
    var tag: UInt16
    var zf: Bool, pf: Bool, cf: Bool
    var mem: UInt64
    var memHi: UInt16

    var flags: ExceptionFlags { ExceptionFlags(rawValue: UInt8(status & 0x3F)) }
    var c0: Bool { status & 0x0100 != 0 }
    var c1: Bool { status & 0x0200 != 0 }
    var c2: Bool { status & 0x0400 != 0 }
    var c3: Bool { status & 0x4000 != 0 }
    /// C3 C2 C1 C0 as in the FSW.
    var conditionCodes: UInt16 { status & 0x4700 }
}

enum Host {
    static let sentinel: UInt64 = 0xDEAD_BEEF_DEAD_BEEF

    static func run(_ op: X87Op, cw: UInt16, _ a: Extended80 = .zero, _ b: Extended80 = .zero,
                    mem: UInt64 = 0, memHi: UInt16 = 0) -> HostResult {
        var out = X87Result()
        x87_run(op, cw, X87Value(significand: a.significand, sign_exponent: a.signExponent),
                X87Value(significand: b.significand, sign_exponent: b.signExponent), mem, memHi, sentinel, &out)
        return HostResult(
            st0: Extended80(signExponent: out.st0.sign_exponent, significand: out.st0.significand),
            st1: Extended80(signExponent: out.st1.sign_exponent, significand: out.st1.significand),
            status: out.status, tag: out.tag, zf: out.zf != 0, pf: out.pf != 0, cf: out.cf != 0,
            mem: out.mem_out, memHi: out.mem_out_hi)
    }
}

/// How many cases a differential test runs: `base * SOFTFLOAT_SCALE` (default scale 1).
/// `SOFTFLOAT_SCALE=20 swift test -c release --filter SoftFloat` is the long run.
enum Budget {
    static let scale: Double = {
        if let s = ProcessInfo.processInfo.environment["SOFTFLOAT_SCALE"], let v = Double(s), v > 0 { return v }
        return 1
    }()
    static let seed: UInt64 = {
        if let s = ProcessInfo.processInfo.environment["SOFTFLOAT_SEED"], let v = UInt64(s) { return v }
        return 0x5EED_F00D
    }()
    static func cases(_ base: Int) -> Int { max(1, Int(Double(base) * scale)) }
}

/// Counts cases and mismatches per mode; records the first few mismatches as test issues.
struct Tally {
    var name: String
    var cases = 0
    var mismatches = 0
    var perMode: [String: (Int, Int)] = [:]
    var samples: [String] = []
    /// Mismatches within an accepted tolerance (transcendentals), by size.
    var notes: [String: Int] = [:]

    init(_ name: String) { self.name = name }

    mutating func record(mode: String, ok: Bool, _ detail: @autoclosure () -> String) {
        cases += 1
        var m = perMode[mode] ?? (0, 0)
        m.0 += 1
        if !ok {
            mismatches += 1
            m.1 += 1
            if samples.count < 12 { samples.append("[\(mode)] " + detail()) }
        }
        perMode[mode] = m
    }

    mutating func note(_ key: String) { notes[key, default: 0] += 1 }

    /// Counts the exceptions the host raised, to show which cases a run covered.
    mutating func noteFlags(_ f: ExceptionFlags) {
        if f.contains(.invalid) { note("IE") }
        if f.contains(.denormal) { note("DE") }
        if f.contains(.zeroDivide) { note("ZE") }
        if f.contains(.overflow) { note("OE") }
        if f.contains(.underflow) { note("UE") }
        if f.contains(.precision) { note("PE") }
    }

    /// Prints the summary line and fails the test on any mismatch.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        let modes = perMode.keys.sorted().map { k in
            let v = perMode[k]!
            return "\(k):\(v.0 - v.1)/\(v.0)"
        }.joined(separator: " ")
        var line = "SoftFloat \(name): \(cases - mismatches)/\(cases) agree [\(modes)]"
        if !notes.isEmpty {
            line += " notes: " + notes.keys.sorted().map { "\($0)=\(notes[$0]!)" }.joined(separator: " ")
        }
        print(line)
        for s in samples { Issue.record(Comment(rawValue: "\(name) mismatch: \(s)"), sourceLocation: sourceLocation) }
        #expect(mismatches == 0, "\(name): \(mismatches) of \(cases) cases disagree with the host x87", sourceLocation: sourceLocation)
        if let compared = notes["c1-compared"], compared > 0 {
            let differs = notes["c1-differs"] ?? 0
            #expect(Double(differs) <= 0.05 * Double(compared),
                    "\(name): C1 differs in \(differs) of \(compared) identical results", sourceLocation: sourceLocation)
        }
    }
}

extension X87Context {
    /// Mode label used in the tallies: rounding and precision, "*" when some exception is unmasked.
    var modeLabel: String {
        let r = ["RN", "RD", "RU", "RZ"][Int(rounding.rawValue)]
        let p = ["P24", "Pres", "P53", "P64"][Int(precision.rawValue)]
        return r + p + (masks == .all ? "" : "*")
    }
}

func hex(_ v: UInt64) -> String { String(v, radix: 16) }
func hex(_ v: UInt16) -> String { String(v, radix: 16) }
