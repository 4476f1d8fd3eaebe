import SoftFloat
import Testing

/// SoftFloat's SSE instructions (`SSEContext.execute`) against the host's, bit for bit: result,
/// the six MXCSR flags, and whether the instruction raised #XM (then the host must have left the
/// destination unchanged). Operands are biased to the hard cases; each case draws a random MXCSR
/// (rounding, DAZ, FTZ, and in a quarter of the cases random exception masks).
@Suite struct SSEOracleTests {
    enum Lanes { case single, double }

    /// Builds a vector lane by lane: `gen(rng, lane)`.
    static func vector(_ lanes: Lanes, _ rng: inout RNG, _ gen: (inout RNG, Int) -> UInt64) -> SSEVector {
        switch lanes {
        case .single:
            var l: [UInt64] = []
            for i in 0..<4 { l.append(gen(&rng, i) & 0xFFFF_FFFF) }
            return SSEVector(l[0] | l[1] << 32, l[2] | l[3] << 32)
        case .double:
            return SSEVector(gen(&rng, 0), gen(&rng, 1))
        }
    }

    static func lane(_ v: SSEVector, _ lanes: Lanes, _ i: Int) -> UInt64 {
        lanes == .double ? v[i] : (v[i >> 1] >> UInt64((i & 1) * 32)) & 0xFFFF_FFFF
    }

    /// Runs `count` cases of each operation with operands from `operands`.
    static func run(_ ops: [SSEOperation], name: String, count: Int, seed: UInt64,
                    immediate: (inout RNG) -> UInt8 = { _ in 0 },
                    operands: (inout RNG, SSEOperation) -> (SSEVector, SSEVector)) {
        for op in ops {
            var rng = RNG(seed: Budget.seed ^ seed ^ UInt64(op.rawValue) &* 0x9E37_79B9)
            var t = Tally("\(op)")
            for _ in 0..<Budget.cases(count) {
                let (a, b) = operands(&rng, op)
                let imm = immediate(&rng)
                t.check(op, a, b, immediate: imm, mxcsr: rng.mxcsr())
            }
            t.finish()
        }
        _ = name
    }

    static func lanesOf(_ op: SSEOperation) -> Lanes {
        "\(op)".hasSuffix("ps") || "\(op)".hasSuffix("ss") ? .single : .double
    }

    static func binaryOperands(_ relation: OperandRelation) -> (inout RNG, SSEOperation) -> (SSEVector, SSEVector) {
        { rng, op in
            let lanes = lanesOf(op)
            let f: Fmt = lanes == .single ? .single : .double
            let a = vector(lanes, &rng) { r, _ in r.value(f) }
            let b = vector(lanes, &rng) { r, i in r.partner(f, of: lane(a, lanes, i), kind: relation) }
            return rng.chance(10) ? (b, a) : (a, b)
        }
    }

    @Test func addSubtract() {
        Self.run([.addps, .addss, .addpd, .addsd, .subps, .subss, .subpd, .subsd, .addsubps, .addsubpd],
                 name: "add", count: 20_000, seed: 1, operands: Self.binaryOperands(.additive))
    }

    @Test func horizontal() {
        Self.run([.haddps, .haddpd, .hsubps, .hsubpd], name: "hadd", count: 20_000, seed: 2) { rng, op in
            let lanes = Self.lanesOf(op)
            let f: Fmt = lanes == .single ? .single : .double
            func pairVector(_ rng: inout RNG) -> SSEVector {
                var prev: UInt64 = 0
                return Self.vector(lanes, &rng) { r, i in
                    let v = i & 1 == 0 ? r.value(f) : r.partner(f, of: prev, kind: .additive)
                    prev = v
                    return v
                }
            }
            return (pairVector(&rng), pairVector(&rng))
        }
    }

    @Test func multiplyDivide() {
        Self.run([.mulps, .mulss, .mulpd, .mulsd], name: "mul", count: 20_000, seed: 3, operands: Self.binaryOperands(.multiplicative))
        Self.run([.divps, .divss, .divpd, .divsd], name: "div", count: 20_000, seed: 4, operands: Self.binaryOperands(.divisive))
    }

    @Test func squareRoot() {
        Self.run([.sqrtps, .sqrtss, .sqrtpd, .sqrtsd], name: "sqrt", count: 20_000, seed: 5) { rng, op in
            let lanes = Self.lanesOf(op)
            let f: Fmt = lanes == .single ? .single : .double
            return (Self.vector(lanes, &rng) { r, _ in r.value(f) }, Self.vector(lanes, &rng) { r, _ in r.sqrtOperand(f) })
        }
    }

    @Test func minMaxCompare() {
        let ops: [SSEOperation] = [.minps, .minss, .minpd, .minsd, .maxps, .maxss, .maxpd, .maxsd,
                                   .cmpps, .cmpss, .cmppd, .cmpsd, .comiss, .ucomiss, .comisd, .ucomisd]
        Self.run(ops, name: "cmp", count: 20_000, seed: 6, immediate: { UInt8($0.below(256)) }) { rng, op in
            let lanes = Self.lanesOf(op)
            let f: Fmt = lanes == .single ? .single : .double
            let a = Self.vector(lanes, &rng) { r, _ in r.value(f) }
            let b = Self.vector(lanes, &rng) { r, i in
                let x = Self.lane(a, lanes, i)
                switch r.below(4) {
                case 0: return x  // equal
                case 1: return x ^ f.signBit  // opposite sign (zeros compare equal)
                default: return r.partner(f, of: x, kind: .additive)
                }
            }
            return (a, b)
        }
    }

    @Test func dotProduct() {
        Self.run([.dpps, .dppd], name: "dp", count: 30_000, seed: 7, immediate: { UInt8($0.below(256)) },
                 operands: Self.binaryOperands(.multiplicative))
    }

    @Test func roundToIntegral() {
        Self.run([.roundps, .roundpd, .roundss, .roundsd], name: "round", count: 20_000, seed: 8,
                 immediate: { UInt8($0.below(16)) }) { rng, op in
            let lanes = Self.lanesOf(op)
            let f: Fmt = lanes == .single ? .single : .double
            return (Self.vector(lanes, &rng) { r, _ in r.value(f) },
                    Self.vector(lanes, &rng) { r, _ in r.chance(50) ? r.integerish(f, bits: r.range(2...f.fractionBits + 2)) : r.value(f) })
        }
    }

    @Test func floatConversions() {
        Self.run([.cvtps2pd, .cvtss2sd], name: "cvt s->d", count: 20_000, seed: 9) { rng, _ in
            (Self.vector(.double, &rng) { r, _ in r.next() }, Self.vector(.single, &rng) { r, _ in r.value(.single) })
        }
        Self.run([.cvtpd2ps, .cvtsd2ss], name: "cvt d->s", count: 20_000, seed: 10) { rng, _ in
            let b = Self.vector(.double, &rng) { r, _ in
                // Often within or just outside binary32's range.
                r.chance(50) ? Fmt.double.make(sign: r.bool(), biased: 1023 + r.range(-155...130), fraction: r.fraction(.double)) : r.value(.double)
            }
            return (Self.vector(.double, &rng) { r, _ in r.next() }, b)
        }
    }

    @Test func integerToFloat() {
        Self.run([.cvtdq2ps, .cvtdq2pd, .cvtpi2ps, .cvtpi2pd, .cvtsi2ss32, .cvtsi2sd32], name: "cvt i32", count: 20_000, seed: 11) { rng, _ in
            (Self.vector(.double, &rng) { r, _ in r.next() }, Self.vector(.single, &rng) { r, _ in r.integer(bits: 32) })
        }
        Self.run([.cvtsi2ss64, .cvtsi2sd64], name: "cvt i64", count: 20_000, seed: 12) { rng, _ in
            (Self.vector(.double, &rng) { r, _ in r.next() }, Self.vector(.double, &rng) { r, _ in r.integer(bits: 64) })
        }
    }

    @Test func floatToInteger() {
        let single32: [SSEOperation] = [.cvtps2dq, .cvttps2dq, .cvtps2pi, .cvttps2pi, .cvtss2si32, .cvttss2si32]
        let double32: [SSEOperation] = [.cvtpd2dq, .cvttpd2dq, .cvtpd2pi, .cvttpd2pi, .cvtsd2si32, .cvttsd2si32]
        for (ops, f, bits) in [(single32, Fmt.single, 32), (double32, Fmt.double, 32),
                               ([SSEOperation.cvtss2si64, .cvttss2si64], Fmt.single, 64),
                               ([SSEOperation.cvtsd2si64, .cvttsd2si64], Fmt.double, 64)] {
            Self.run(ops, name: "cvt to int", count: 20_000, seed: 13) { rng, _ in
                let lanes: Lanes = f.fractionBits == 23 ? .single : .double
                return (Self.vector(.double, &rng) { r, _ in r.next() }, Self.vector(lanes, &rng) { r, _ in r.integerish(f, bits: bits) })
            }
        }
    }

    @Test func reciprocalEstimates() {
        Self.run([.rcpps, .rcpss, .rsqrtps, .rsqrtss], name: "rcp", count: 20_000, seed: 14) { rng, _ in
            (Self.vector(.single, &rng) { r, _ in r.value(.single) },
             Self.vector(.single, &rng) { r, _ in r.chance(30) ? UInt64(UInt32(truncatingIfNeeded: r.next())) : r.value(.single) })
        }
    }
}
