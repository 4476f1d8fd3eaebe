/// RCPPS/RCPSS and RSQRTPS/RSQRTSS: approximate reciprocal and reciprocal square root (relative error
/// at most 1.5 * 2^-12, SDM Vol. 2). The approximation itself is implementation-specific; see
/// Documentation/SSEFloat.md. Neither raises any exception nor reads the rounding control; denormal
/// operands read as zeros and tiny results are flushed to zero, whatever DAZ and FTZ say.

extension SSEContext {
    /// 1/x, 12 significant bits.
    @inlinable
    func reciprocalEstimate(_ x: UInt32) -> UInt64 {
        let f = BinaryFormat.single
        let bits = UInt64(x)
        let signBits = bits & f.signBit
        if f.isNaN(bits) { return bits | f.quietBit }
        if f.isInfinity(bits) { return signBits }
        if bits & f.exponentMask == 0 { return signBits | f.exponentMask }  // zero or denormal
        let biased = Int32((bits & f.exponentMask) >> 23)
        let m = Int((bits >> 11) & 0xFFF)
        let r = SSEEstimateTables.reciprocal(m)  // 1/1.m in (1/2, 1] as a 12-bit fraction of 2^12
        // 1/x = (r / 2^12) * 2^-(biased - 127): r has its leading bit at 2^11 (or r = 2^12).
        var e = 127 - (biased - 127) - 1
        var sig = UInt64(r)
        if sig == 1 << 12 {
            sig = 1 << 11
            e += 1
        }
        if e <= 0 { return signBits }  // tiny: flushed
        return signBits | UInt64(e) << 23 | (sig & 0x7FF) << 12
    }

    /// 1/sqrt(x), 12 significant bits.
    @inlinable
    func reciprocalSquareRootEstimate(_ x: UInt32) -> UInt64 {
        let f = BinaryFormat.single
        let bits = UInt64(x)
        let signBits = bits & f.signBit
        if f.isNaN(bits) { return bits | f.quietBit }
        if bits & f.exponentMask == 0 { return signBits | f.exponentMask }  // zero or denormal
        if signBits != 0 { return f.defaultNaN }
        if f.isInfinity(bits) { return 0 }
        let biased = Int32((bits & f.exponentMask) >> 23)
        let unbiased = biased - 127
        let odd = unbiased & 1 != 0
        let m = Int((bits >> 11) & 0xFFF)
        // x = 1.m * 2^(2k) or 2 * 1.m * 2^(2k): 1/sqrt(x) = t * 2^-k, t in (1/2, 1] or (1/sqrt 8, 1/sqrt 2].
        let r = SSEEstimateTables.reciprocalSquareRoot(m, odd: odd)
        let k = (unbiased - (odd ? 1 : 0)) / 2
        var e = 127 - k - 1
        var sig = UInt64(r)
        if sig == 1 << 12 {
            sig = 1 << 11
            e += 1
        }
        return UInt64(e) << 23 | (sig & 0x7FF) << 12
    }
}

/// The estimate tables, indexed by the top 12 fraction bits of the operand (and the exponent's
/// parity for the square root).
@usableFromInline
enum SSEEstimateTables {
    /// 2^12 / (1 + (m + 1/2) / 2^12), rounded: a 12-bit value in [2^11, 2^12].
    @inlinable
    static func reciprocal(_ m: Int) -> Int {
        let num = UInt64(1) << 37  // 2^12 * 2^12 * 2^13 (for the half step)
        let den = UInt64(2 * (4096 + m) + 1)  // 2^13 * (1 + (m + 1/2) / 2^12)
        return Int((num / den + 1) >> 1)
    }

    /// 2^12 / sqrt(1.m) (even exponent) or 2^12 / sqrt(2 * 1.m) (odd), rounded: 12 bits.
    @inlinable
    static func reciprocalSquareRoot(_ m: Int, odd: Bool) -> Int {
        // t = 2^12 / sqrt(v), v = (2 * (4096 + m) + 1) / 8192 * (odd ? 2 : 1). t^2 = 2^24 / v.
        let v = UInt64(2 * (4096 + m) + 1) * (odd ? 2 : 1)  // v * 8192
        let r = isqrt64((UInt64(1) << 39) / v)  // (2t)^2 = 2^39 / v; r = 2t, truncated
        return Int((r + 1) >> 1)
    }
}
