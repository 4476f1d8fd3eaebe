/// Whole SSE floating-point instructions on 128-bit values: the lane structure of each instruction
/// (packed, scalar with merge, horizontal, dot products, conversions between lane widths) over the
/// element operations, and the SIMD exception reporting rule (`finishInstruction`).
///
/// `SSEVector` is an XMM value as two quadwords, element 0 in the low bits of `[0]`.
public typealias SSEVector = SIMD2<UInt64>

/// The SSE/SSE2/SSE3/SSE4.1 floating-point instructions (legacy encodings), as `SSEContext.execute`
/// computes them. Operand conventions: `a` is the destination's old value (the first source), `b`
/// the second source (an XMM register or memory; for a scalar memory operand only its low element
/// matters). MMX operands (CVTPI2PS, CVTPS2PI...) and general registers (CVTSI2SS, CVTSS2SI...) are
/// the low quadword of `a` or `b` and of the result.
public enum SSEOperation: UInt8, CaseIterable, Sendable {
    case addps, addss, addpd, addsd
    case subps, subss, subpd, subsd
    case mulps, mulss, mulpd, mulsd
    case divps, divss, divpd, divsd
    case sqrtps, sqrtss, sqrtpd, sqrtsd
    case minps, minss, minpd, minsd
    case maxps, maxss, maxpd, maxsd
    /// Predicate in the immediate (bits 2-0).
    case cmpps, cmpss, cmppd, cmpsd
    /// Result: ZF (0x40), PF (0x04), CF (0x01) in the low quadword; OF, SF, AF are cleared.
    case comiss, ucomiss, comisd, ucomisd
    case haddps, haddpd, hsubps, hsubpd, addsubps, addsubpd
    /// Immediate: product mask in bits 7-4 (DPPD: 5-4), result mask in bits 3-0 (DPPD: 1-0).
    case dpps, dppd
    /// Immediate: rounding mode in bits 1-0, MXCSR.RC if bit 2, no PE if bit 3.
    case roundps, roundpd, roundss, roundsd
    case rcpps, rcpss, rsqrtps, rsqrtss
    case cvtps2pd, cvtpd2ps, cvtss2sd, cvtsd2ss
    case cvtdq2ps, cvtps2dq, cvttps2dq, cvtdq2pd, cvtpd2dq, cvttpd2dq
    /// MMX source (low quadword of `b`).
    case cvtpi2ps, cvtpi2pd
    /// MMX destination (low quadword of the result).
    case cvtps2pi, cvttps2pi, cvtpd2pi, cvttpd2pi
    /// Integer source in the low quadword of `b` (32 or 64 bits).
    case cvtsi2ss32, cvtsi2ss64, cvtsi2sd32, cvtsi2sd64
    /// Integer result in the low quadword (32-bit results zero-extended).
    case cvtss2si32, cvtss2si64, cvttss2si32, cvttss2si64
    case cvtsd2si32, cvtsd2si64, cvttsd2si32, cvttsd2si64
}

@inlinable @inline(__always)
func lane32(_ v: SSEVector, _ i: Int) -> UInt64 { (v[i >> 1] >> UInt64((i & 1) * 32)) & 0xFFFF_FFFF }

@inlinable @inline(__always)
func lanes32(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) -> SSEVector {
    SSEVector((l0 & 0xFFFF_FFFF) | l1 << 32, (l2 & 0xFFFF_FFFF) | l3 << 32)
}

@inlinable @inline(__always)
func withLane0(_ v: SSEVector, _ x: UInt64) -> SSEVector {
    SSEVector((v[0] & 0xFFFF_FFFF_0000_0000) | (x & 0xFFFF_FFFF), v[1])
}

extension SSEContext {
    /// Runs one instruction: returns its result and leaves in `flags` the exceptions to report
    /// (`finishInstruction` applied). If `raisesException`, the result must not be written.
    @inlinable
    public mutating func execute(_ op: SSEOperation, _ a: SSEVector, _ b: SSEVector, immediate: UInt8 = 0) -> SSEVector {
        let r = compute(op, a, b, immediate)
        if op != .dpps && op != .dppd { finishInstruction() }
        return r
    }

    /// Ends one stage of a multi-stage instruction (DPPS, DPPD): the reporting rule applies to the
    /// stage's own flags, which join those of the earlier stages (`before`). Returns true when an
    /// unmasked exception stops the instruction there (measured on the host: the later stages then
    /// raise nothing).
    @inlinable
    mutating func endStage(_ before: ExceptionFlags) -> Bool {
        finishInstruction()
        flags.formUnion(before)
        return raisesException
    }

    @usableFromInline
    mutating func compute(_ op: SSEOperation, _ a: SSEVector, _ b: SSEVector, _ imm: UInt8) -> SSEVector {
        let s = BinaryFormat.single, d = BinaryFormat.double
        switch op {
        case .addps: return packed32(a, b) { $0.add($1, $2, s, subtract: false) }
        case .subps: return packed32(a, b) { $0.add($1, $2, s, subtract: true) }
        case .mulps: return packed32(a, b) { $0.multiply($1, $2, s) }
        case .divps: return packed32(a, b) { $0.divide($1, $2, s) }
        case .minps: return packed32(a, b) { $0.minMax($1, $2, s, maximum: false) }
        case .maxps: return packed32(a, b) { $0.minMax($1, $2, s, maximum: true) }
        case .cmpps: return packed32(a, b) { $0.comparePredicate($1, $2, s, imm) }
        case .sqrtps: return packed32(b, b) { ctx, x, _ in ctx.squareRoot(x, s) }
        case .addss: return withLane0(a, add(lane32(a, 0), lane32(b, 0), s, subtract: false))
        case .subss: return withLane0(a, add(lane32(a, 0), lane32(b, 0), s, subtract: true))
        case .mulss: return withLane0(a, multiply(lane32(a, 0), lane32(b, 0), s))
        case .divss: return withLane0(a, divide(lane32(a, 0), lane32(b, 0), s))
        case .minss: return withLane0(a, minMax(lane32(a, 0), lane32(b, 0), s, maximum: false))
        case .maxss: return withLane0(a, minMax(lane32(a, 0), lane32(b, 0), s, maximum: true))
        case .cmpss: return withLane0(a, comparePredicate(lane32(a, 0), lane32(b, 0), s, imm))
        case .sqrtss: return withLane0(a, squareRoot(lane32(b, 0), s))

        case .addpd: return packed64(a, b) { $0.add($1, $2, d, subtract: false) }
        case .subpd: return packed64(a, b) { $0.add($1, $2, d, subtract: true) }
        case .mulpd: return packed64(a, b) { $0.multiply($1, $2, d) }
        case .divpd: return packed64(a, b) { $0.divide($1, $2, d) }
        case .minpd: return packed64(a, b) { $0.minMax($1, $2, d, maximum: false) }
        case .maxpd: return packed64(a, b) { $0.minMax($1, $2, d, maximum: true) }
        case .cmppd: return packed64(a, b) { $0.comparePredicate($1, $2, d, imm) }
        case .sqrtpd: return packed64(b, b) { ctx, x, _ in ctx.squareRoot(x, d) }
        case .addsd: return SSEVector(add(a[0], b[0], d, subtract: false), a[1])
        case .subsd: return SSEVector(add(a[0], b[0], d, subtract: true), a[1])
        case .mulsd: return SSEVector(multiply(a[0], b[0], d), a[1])
        case .divsd: return SSEVector(divide(a[0], b[0], d), a[1])
        case .minsd: return SSEVector(minMax(a[0], b[0], d, maximum: false), a[1])
        case .maxsd: return SSEVector(minMax(a[0], b[0], d, maximum: true), a[1])
        case .cmpsd: return SSEVector(comparePredicate(a[0], b[0], d, imm), a[1])
        case .sqrtsd: return SSEVector(squareRoot(b[0], d), a[1])

        case .comiss, .ucomiss:
            let r = compare(lane32(a, 0), lane32(b, 0), s, signaling: op == .comiss)
            return SSEVector(UInt64(r.eflagsBits), 0)
        case .comisd, .ucomisd:
            let r = compare(a[0], b[0], d, signaling: op == .comisd)
            return SSEVector(UInt64(r.eflagsBits), 0)

        case .haddps, .hsubps:
            let sub = op == .hsubps
            let r0 = add(lane32(a, 0), lane32(a, 1), s, subtract: sub)
            let r1 = add(lane32(a, 2), lane32(a, 3), s, subtract: sub)
            let r2 = add(lane32(b, 0), lane32(b, 1), s, subtract: sub)
            let r3 = add(lane32(b, 2), lane32(b, 3), s, subtract: sub)
            return lanes32(r0, r1, r2, r3)
        case .haddpd, .hsubpd:
            let sub = op == .hsubpd
            return SSEVector(add(a[0], a[1], d, subtract: sub), add(b[0], b[1], d, subtract: sub))
        case .addsubps:
            return lanes32(add(lane32(a, 0), lane32(b, 0), s, subtract: true), add(lane32(a, 1), lane32(b, 1), s, subtract: false),
                           add(lane32(a, 2), lane32(b, 2), s, subtract: true), add(lane32(a, 3), lane32(b, 3), s, subtract: false))
        case .addsubpd:
            return SSEVector(add(a[0], b[0], d, subtract: true), add(a[1], b[1], d, subtract: false))

        case .dpps:
            // Three stages: the selected products (unselected ones are +0 and raise nothing), the
            // pairwise sums, the total.
            var before = flags
            flags = []
            var p: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            if imm & 0x10 != 0 { p.0 = multiply(lane32(a, 0), lane32(b, 0), s) }
            if imm & 0x20 != 0 { p.1 = multiply(lane32(a, 1), lane32(b, 1), s) }
            if imm & 0x40 != 0 { p.2 = multiply(lane32(a, 2), lane32(b, 2), s) }
            if imm & 0x80 != 0 { p.3 = multiply(lane32(a, 3), lane32(b, 3), s) }
            if endStage(before) { return a }
            before = flags
            flags = []
            let t0 = add(p.0, p.1, s, subtract: false)
            let t1 = add(p.2, p.3, s, subtract: false)
            if endStage(before) { return a }
            before = flags
            flags = []
            let sum = add(t0, t1, s, subtract: false)
            if endStage(before) { return a }
            return lanes32(imm & 1 != 0 ? sum : 0, imm & 2 != 0 ? sum : 0, imm & 4 != 0 ? sum : 0, imm & 8 != 0 ? sum : 0)
        case .dppd:
            let before = flags
            flags = []
            let p0 = imm & 0x10 != 0 ? multiply(a[0], b[0], d) : 0
            let p1 = imm & 0x20 != 0 ? multiply(a[1], b[1], d) : 0
            if endStage(before) { return a }
            let products = flags
            flags = []
            let sum = add(p0, p1, d, subtract: false)
            if endStage(products) { return a }
            return SSEVector(imm & 1 != 0 ? sum : 0, imm & 2 != 0 ? sum : 0)

        case .roundps, .roundpd, .roundss, .roundsd:
            let mode = imm & 4 != 0 ? rounding : RoundingMode(rawValue: imm & 3)!
            let quiet = imm & 8 != 0
            switch op {
            case .roundps: return packed32(b, b) { ctx, x, _ in ctx.roundToIntegral(x, s, mode: mode, suppressInexact: quiet) }
            case .roundpd: return packed64(b, b) { ctx, x, _ in ctx.roundToIntegral(x, d, mode: mode, suppressInexact: quiet) }
            case .roundss: return withLane0(a, roundToIntegral(lane32(b, 0), s, mode: mode, suppressInexact: quiet))
            default: return SSEVector(roundToIntegral(b[0], d, mode: mode, suppressInexact: quiet), a[1])
            }

        case .rcpps: return packed32(b, b) { ctx, x, _ in ctx.reciprocalEstimateBits(UInt32(truncatingIfNeeded: x)) }
        case .rcpss: return withLane0(a, reciprocalEstimateBits(UInt32(truncatingIfNeeded: lane32(b, 0))))
        case .rsqrtps: return packed32(b, b) { ctx, x, _ in ctx.reciprocalSquareRootEstimateBits(UInt32(truncatingIfNeeded: x)) }
        case .rsqrtss: return withLane0(a, reciprocalSquareRootEstimateBits(UInt32(truncatingIfNeeded: lane32(b, 0))))

        case .cvtps2pd:
            return SSEVector(convert(lane32(b, 0), from: s, to: d), convert(lane32(b, 1), from: s, to: d))
        case .cvtpd2ps:
            return lanes32(convert(b[0], from: d, to: s), convert(b[1], from: d, to: s), 0, 0)
        case .cvtss2sd: return SSEVector(convert(lane32(b, 0), from: s, to: d), a[1])
        case .cvtsd2ss: return withLane0(a, convert(b[0], from: d, to: s))
        case .cvtdq2ps:
            return packed32(b, b) { ctx, x, _ in ctx.fromInteger(Int64(Int32(truncatingIfNeeded: x)), s) }
        case .cvtps2dq, .cvttps2dq:
            let t = op == .cvttps2dq
            return packed32(b, b) { ctx, x, _ in ctx.toInteger(x, s, bits: 32, truncating: t) }
        case .cvtdq2pd, .cvtpi2pd:
            return SSEVector(fromInteger(Int64(Int32(truncatingIfNeeded: b[0])), d), fromInteger(Int64(Int32(truncatingIfNeeded: b[0] >> 32)), d))
        case .cvtpd2dq, .cvttpd2dq, .cvtpd2pi, .cvttpd2pi:
            let t = op == .cvttpd2dq || op == .cvttpd2pi
            let lo = toInteger(b[0], d, bits: 32, truncating: t)
            let hi = toInteger(b[1], d, bits: 32, truncating: t)
            return SSEVector(lo | hi << 32, 0)
        case .cvtpi2ps:
            let lo = fromInteger(Int64(Int32(truncatingIfNeeded: b[0])), s)
            let hi = fromInteger(Int64(Int32(truncatingIfNeeded: b[0] >> 32)), s)
            return SSEVector(lo | hi << 32, a[1])
        case .cvtps2pi, .cvttps2pi:
            let t = op == .cvttps2pi
            let lo = toInteger(lane32(b, 0), s, bits: 32, truncating: t)
            let hi = toInteger(lane32(b, 1), s, bits: 32, truncating: t)
            return SSEVector(lo | hi << 32, 0)
        case .cvtsi2ss32: return withLane0(a, fromInteger(Int64(Int32(truncatingIfNeeded: b[0])), s))
        case .cvtsi2ss64: return withLane0(a, fromInteger(Int64(bitPattern: b[0]), s))
        case .cvtsi2sd32: return SSEVector(fromInteger(Int64(Int32(truncatingIfNeeded: b[0])), d), a[1])
        case .cvtsi2sd64: return SSEVector(fromInteger(Int64(bitPattern: b[0]), d), a[1])
        case .cvtss2si32, .cvttss2si32:
            return SSEVector(toInteger(lane32(b, 0), s, bits: 32, truncating: op == .cvttss2si32), 0)
        case .cvtss2si64, .cvttss2si64:
            return SSEVector(toInteger(lane32(b, 0), s, bits: 64, truncating: op == .cvttss2si64), 0)
        case .cvtsd2si32, .cvttsd2si32:
            return SSEVector(toInteger(b[0], d, bits: 32, truncating: op == .cvttsd2si32), 0)
        case .cvtsd2si64, .cvttsd2si64:
            return SSEVector(toInteger(b[0], d, bits: 64, truncating: op == .cvttsd2si64), 0)
        }
    }

    @inlinable @inline(__always)
    mutating func packed32(_ a: SSEVector, _ b: SSEVector, _ op: (inout SSEContext, UInt64, UInt64) -> UInt64) -> SSEVector {
        let r0 = op(&self, lane32(a, 0), lane32(b, 0))
        let r1 = op(&self, lane32(a, 1), lane32(b, 1))
        let r2 = op(&self, lane32(a, 2), lane32(b, 2))
        let r3 = op(&self, lane32(a, 3), lane32(b, 3))
        return lanes32(r0, r1, r2, r3)
    }

    @inlinable @inline(__always)
    mutating func packed64(_ a: SSEVector, _ b: SSEVector, _ op: (inout SSEContext, UInt64, UInt64) -> UInt64) -> SSEVector {
        let r0 = op(&self, a[0], b[0])
        let r1 = op(&self, a[1], b[1])
        return SSEVector(r0, r1)
    }
}
