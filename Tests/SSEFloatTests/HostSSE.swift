import CSSEOracle
import Foundation
import SoftFloat
import Testing

/// SplitMix64: small, seedable, reproducible.
struct RNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func range(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
    mutating func bool() -> Bool { next() & 1 != 0 }
    /// True with probability p percent.
    mutating func chance(_ p: Int) -> Bool { below(100) < p }
}

/// How many cases a test runs: `base * SSEFLOAT_SCALE` (default 1); `SSEFLOAT_SEED` changes the operands.
enum Budget {
    static let scale: Double = {
        if let s = ProcessInfo.processInfo.environment["SSEFLOAT_SCALE"], let v = Double(s), v > 0 { return v }
        return 1
    }()
    static let seed: UInt64 = {
        if let s = ProcessInfo.processInfo.environment["SSEFLOAT_SEED"], let v = UInt64(s) { return v }
        return 0x55E_F10A7
    }()
    static func cases(_ base: Int) -> Int { max(1, Int(Double(base) * scale)) }
    /// `SSEFLOAT_MASKED=1`: every exception masked (no #XM).
    static let maskedOnly = ProcessInfo.processInfo.environment["SSEFLOAT_MASKED"] == "1"
}

/// Where an instruction's operands live in the oracle's fixed registers.
enum Shape {
    /// XMM0 op= XMM1 (result XMM0).
    case xmm
    /// XMM0 op= MM1 (CVTPI2PS/PD).
    case fromMMX
    /// MM0 = op(XMM1) (CVTPS2PI...).
    case toMMX
    /// XMM0 op= RAX/EAX (CVTSI2SS/SD).
    case fromGPR
    /// RAX/EAX = op(XMM1) (CVTSS2SI...); `wide`: a 64-bit destination.
    case toGPR(wide: Bool)
    /// RFLAGS = compare(XMM0, XMM1).
    case flags
}

/// The host-executed encoding of each operation (register forms over XMM0/XMM1, MM0/MM1, RAX).
struct Encoding {
    var bytes: [UInt8]
    var shape: Shape
    var hasImmediate: Bool

    static func of(_ op: SSEOperation) -> Encoding {
        func e(_ b: [UInt8], _ shape: Shape = .xmm, imm: Bool = false) -> Encoding {
            Encoding(bytes: b, shape: shape, hasImmediate: imm)
        }
        let ps: [UInt8] = [0x0F], ss: [UInt8] = [0xF3, 0x0F], pd: [UInt8] = [0x66, 0x0F], sd: [UInt8] = [0xF2, 0x0F]
        switch op {
        case .addps: return e(ps + [0x58, 0xC1])
        case .addss: return e(ss + [0x58, 0xC1])
        case .addpd: return e(pd + [0x58, 0xC1])
        case .addsd: return e(sd + [0x58, 0xC1])
        case .mulps: return e(ps + [0x59, 0xC1])
        case .mulss: return e(ss + [0x59, 0xC1])
        case .mulpd: return e(pd + [0x59, 0xC1])
        case .mulsd: return e(sd + [0x59, 0xC1])
        case .subps: return e(ps + [0x5C, 0xC1])
        case .subss: return e(ss + [0x5C, 0xC1])
        case .subpd: return e(pd + [0x5C, 0xC1])
        case .subsd: return e(sd + [0x5C, 0xC1])
        case .minps: return e(ps + [0x5D, 0xC1])
        case .minss: return e(ss + [0x5D, 0xC1])
        case .minpd: return e(pd + [0x5D, 0xC1])
        case .minsd: return e(sd + [0x5D, 0xC1])
        case .divps: return e(ps + [0x5E, 0xC1])
        case .divss: return e(ss + [0x5E, 0xC1])
        case .divpd: return e(pd + [0x5E, 0xC1])
        case .divsd: return e(sd + [0x5E, 0xC1])
        case .maxps: return e(ps + [0x5F, 0xC1])
        case .maxss: return e(ss + [0x5F, 0xC1])
        case .maxpd: return e(pd + [0x5F, 0xC1])
        case .maxsd: return e(sd + [0x5F, 0xC1])
        case .sqrtps: return e(ps + [0x51, 0xC1])
        case .sqrtss: return e(ss + [0x51, 0xC1])
        case .sqrtpd: return e(pd + [0x51, 0xC1])
        case .sqrtsd: return e(sd + [0x51, 0xC1])
        case .cmpps: return e(ps + [0xC2, 0xC1], imm: true)
        case .cmpss: return e(ss + [0xC2, 0xC1], imm: true)
        case .cmppd: return e(pd + [0xC2, 0xC1], imm: true)
        case .cmpsd: return e(sd + [0xC2, 0xC1], imm: true)
        case .comiss: return e(ps + [0x2F, 0xC1], .flags)
        case .ucomiss: return e(ps + [0x2E, 0xC1], .flags)
        case .comisd: return e(pd + [0x2F, 0xC1], .flags)
        case .ucomisd: return e(pd + [0x2E, 0xC1], .flags)
        case .haddps: return e(sd + [0x7C, 0xC1])
        case .haddpd: return e(pd + [0x7C, 0xC1])
        case .hsubps: return e(sd + [0x7D, 0xC1])
        case .hsubpd: return e(pd + [0x7D, 0xC1])
        case .addsubps: return e(sd + [0xD0, 0xC1])
        case .addsubpd: return e(pd + [0xD0, 0xC1])
        case .dpps: return e([0x66, 0x0F, 0x3A, 0x40, 0xC1], imm: true)
        case .dppd: return e([0x66, 0x0F, 0x3A, 0x41, 0xC1], imm: true)
        case .roundps: return e([0x66, 0x0F, 0x3A, 0x08, 0xC1], imm: true)
        case .roundpd: return e([0x66, 0x0F, 0x3A, 0x09, 0xC1], imm: true)
        case .roundss: return e([0x66, 0x0F, 0x3A, 0x0A, 0xC1], imm: true)
        case .roundsd: return e([0x66, 0x0F, 0x3A, 0x0B, 0xC1], imm: true)
        case .rcpps: return e(ps + [0x53, 0xC1])
        case .rcpss: return e(ss + [0x53, 0xC1])
        case .rsqrtps: return e(ps + [0x52, 0xC1])
        case .rsqrtss: return e(ss + [0x52, 0xC1])
        case .cvtps2pd: return e(ps + [0x5A, 0xC1])
        case .cvtpd2ps: return e(pd + [0x5A, 0xC1])
        case .cvtss2sd: return e(ss + [0x5A, 0xC1])
        case .cvtsd2ss: return e(sd + [0x5A, 0xC1])
        case .cvtdq2ps: return e(ps + [0x5B, 0xC1])
        case .cvtps2dq: return e(pd + [0x5B, 0xC1])
        case .cvttps2dq: return e(ss + [0x5B, 0xC1])
        case .cvtdq2pd: return e(ss + [0xE6, 0xC1])
        case .cvtpd2dq: return e(sd + [0xE6, 0xC1])
        case .cvttpd2dq: return e(pd + [0xE6, 0xC1])
        case .cvtpi2ps: return e(ps + [0x2A, 0xC1], .fromMMX)
        case .cvtpi2pd: return e(pd + [0x2A, 0xC1], .fromMMX)
        case .cvtps2pi: return e(ps + [0x2D, 0xC1], .toMMX)
        case .cvttps2pi: return e(ps + [0x2C, 0xC1], .toMMX)
        case .cvtpd2pi: return e(pd + [0x2D, 0xC1], .toMMX)
        case .cvttpd2pi: return e(pd + [0x2C, 0xC1], .toMMX)
        case .cvtsi2ss32: return e([0xF3, 0x0F, 0x2A, 0xC0], .fromGPR)
        case .cvtsi2ss64: return e([0xF3, 0x48, 0x0F, 0x2A, 0xC0], .fromGPR)
        case .cvtsi2sd32: return e([0xF2, 0x0F, 0x2A, 0xC0], .fromGPR)
        case .cvtsi2sd64: return e([0xF2, 0x48, 0x0F, 0x2A, 0xC0], .fromGPR)
        case .cvtss2si32: return e([0xF3, 0x0F, 0x2D, 0xC1], .toGPR(wide: false))
        case .cvtss2si64: return e([0xF3, 0x48, 0x0F, 0x2D, 0xC1], .toGPR(wide: true))
        case .cvttss2si32: return e([0xF3, 0x0F, 0x2C, 0xC1], .toGPR(wide: false))
        case .cvttss2si64: return e([0xF3, 0x48, 0x0F, 0x2C, 0xC1], .toGPR(wide: true))
        case .cvtsd2si32: return e([0xF2, 0x0F, 0x2D, 0xC1], .toGPR(wide: false))
        case .cvtsd2si64: return e([0xF2, 0x48, 0x0F, 0x2D, 0xC1], .toGPR(wide: true))
        case .cvttsd2si32: return e([0xF2, 0x0F, 0x2C, 0xC1], .toGPR(wide: false))
        case .cvttsd2si64: return e([0xF2, 0x48, 0x0F, 0x2C, 0xC1], .toGPR(wide: true))
        }
    }
}

/// What the host did: the instruction's result (in SSEContext.execute's convention), the flags it
/// raised, and whether it trapped (#XM).
struct HostOutcome: Equatable {
    var result: SSEVector
    var flags: UInt8
    var trapped: Bool
    /// The destination register after the instruction: unchanged when it trapped.
    var destinationKept: Bool
}

enum HostSSE {
    /// RFLAGS going in: every status flag set, so that COMIS must clear OF, SF, AF.
    static let flagsIn: UInt64 = 0x8D5

    static func run(_ op: SSEOperation, _ a: SSEVector, _ b: SSEVector, immediate: UInt8, mxcsr: UInt32) -> HostOutcome {
        let enc = Encoding.of(op)
        var code = enc.bytes
        if enc.hasImmediate { code.append(immediate) }
        var s = SSEOracleState()
        s.xmm0 = (a[0], a[1])
        s.xmm1 = (b[0], b[1])
        s.mxcsr = mxcsr & ~0x3F
        s.rflags = flagsIn
        switch enc.shape {
        case .fromMMX: s.mm1 = b[0]; s.uses_mmx = 1
        case .toMMX: s.mm0 = a[0]; s.uses_mmx = 1
        case .fromGPR: s.rax = b[0]
        case .toGPR: s.rax = a[0]
        default: break
        }
        let rc = code.withUnsafeBufferPointer { sse_oracle_run($0.baseAddress, $0.count, &s) }
        precondition(rc == 0, "SSE oracle unavailable")
        precondition(s.trap == 0 || s.trap == 19, "host raised vector \(s.trap) for \(op)")
        let trapped = s.trap == 19
        let result: SSEVector
        let kept: Bool
        switch enc.shape {
        case .xmm, .fromMMX, .fromGPR:
            result = SSEVector(s.xmm0.0, s.xmm0.1)
            kept = result == a
        case .toMMX:
            result = SSEVector(s.mm0, 0)
            kept = s.mm0 == a[0]
        case .toGPR:
            result = SSEVector(s.rax, 0)
            kept = s.rax == a[0]
        case .flags:
            result = SSEVector(s.rflags & 0x8D5, 0)
            kept = s.rflags & 0x8D5 == flagsIn
        }
        return HostOutcome(result: result, flags: UInt8(s.mxcsr & 0x3F), trapped: trapped, destinationKept: kept)
    }

    /// SoftFloat's answer in the same form.
    static func model(_ op: SSEOperation, _ a: SSEVector, _ b: SSEVector, immediate: UInt8, mxcsr: UInt32) -> HostOutcome {
        var ctx = SSEContext(mxcsr: mxcsr)
        let r = ctx.execute(op, a, b, immediate: immediate)
        let trapped = ctx.raisesException
        var result = r
        if case .toGPR(let wide) = Encoding.of(op).shape, !wide { result[0] &= 0xFFFF_FFFF }
        if trapped {
            switch Encoding.of(op).shape {
            case .flags: result = SSEVector(flagsIn, 0)
            case .toMMX, .toGPR: result = SSEVector(a[0], 0)
            default: result = a
            }
        }
        return HostOutcome(result: result, flags: ctx.flags.rawValue, trapped: trapped, destinationKept: true)
    }
}

/// Counts cases and mismatches; records the first few mismatches as test issues.
struct Tally {
    var name: String
    var cases = 0
    var mismatches = 0
    var samples: [String] = []
    var raised: [String: Int] = [:]

    init(_ name: String) { self.name = name }

    mutating func check(_ op: SSEOperation, _ a: SSEVector, _ b: SSEVector, immediate: UInt8, mxcsr: UInt32) {
        let host = HostSSE.run(op, a, b, immediate: immediate, mxcsr: mxcsr)
        let model = HostSSE.model(op, a, b, immediate: immediate, mxcsr: mxcsr)
        cases += 1
        let f = ExceptionFlags(rawValue: host.flags)
        for (flag, label) in [(ExceptionFlags.invalid, "IE"), (.denormal, "DE"), (.zeroDivide, "ZE"), (.overflow, "OE"),
                              (.underflow, "UE"), (.precision, "PE")] where f.contains(flag) {
            raised[label, default: 0] += 1
        }
        if host.trapped { raised["#XM", default: 0] += 1 }
        let same = host.result == model.result && host.flags == model.flags && host.trapped == model.trapped
        if !same || (host.trapped && !host.destinationKept) {
            mismatches += 1
            if samples.count < 10 {
                samples.append("\(op) imm=\(hex(UInt64(immediate))) mxcsr=\(hex(UInt64(mxcsr))) a=\(vhex(a)) b=\(vhex(b)): "
                               + "host \(vhex(host.result)) flags \(hex(UInt64(host.flags))) trap \(host.trapped); "
                               + "softfloat \(vhex(model.result)) flags \(hex(UInt64(model.flags))) trap \(model.trapped)")
            }
        }
    }

    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        let notes = raised.keys.sorted().map { "\($0)=\(raised[$0]!)" }.joined(separator: " ")
        print("SSE \(name): \(cases - mismatches)/\(cases) agree; host raised \(notes)")
        for s in samples { Issue.record(Comment(rawValue: "\(name) mismatch: \(s)"), sourceLocation: sourceLocation) }
        #expect(mismatches == 0, "\(name): \(mismatches) of \(cases) cases disagree with the host", sourceLocation: sourceLocation)
    }
}

func hex(_ v: UInt64) -> String { String(v, radix: 16) }
func vhex(_ v: SSEVector) -> String {
    let h = String(v[1], radix: 16), l = String(v[0], radix: 16)
    return String(repeating: "0", count: 16 - h.count) + h + "_" + String(repeating: "0", count: 16 - l.count) + l
}
