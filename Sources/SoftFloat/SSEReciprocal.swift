/// RCPPS/RCPSS and RSQRTPS/RSQRTSS: approximate reciprocal and reciprocal square root (relative error
/// at most 1.5 * 2^-12, SDM Vol. 2). The approximation is implementation-specific: these reproduce
/// the AMD EPYC host bit for bit (12-bit results from 4096/8192-entry tables, SSEEstimateTables);
/// see Documentation/SSEFloat.md. Neither raises any exception nor reads the rounding control;
/// denormal operands read as zeros and tiny results are flushed to zero, whatever DAZ and FTZ say.

extension SSEContext {
    /// RCPSS: 1/x with 12 significant bits (binary32 bits in and out).
    @inlinable
    public func reciprocalEstimate(_ x: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: reciprocalEstimateBits(x))
    }

    /// RSQRTSS: 1/sqrt(x) with 12 significant bits (binary32 bits in and out).
    @inlinable
    public func reciprocalSquareRootEstimate(_ x: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: reciprocalSquareRootEstimateBits(x))
    }

    @inlinable
    func reciprocalEstimateBits(_ x: UInt32) -> UInt64 {
        let f = BinaryFormat.single
        let bits = UInt64(x)
        let signBits = bits & f.signBit
        if f.isNaN(bits) { return bits | f.quietBit }
        if f.isInfinity(bits) { return signBits }
        if bits & f.exponentMask == 0 { return signBits | f.exponentMask }  // zero or denormal
        let biased = Int((bits & f.exponentMask) >> 23)
        // x = 1.m * 2^(biased - 127); 1/x = (v / 8192) * 2^(127 - biased), v in [4096, 8192).
        let v = SSEEstimateTables.reciprocal(Int((bits >> 11) & 0xFFF))
        let e = 253 - biased
        if e <= 0 { return signBits }  // tiny: flushed
        return signBits | UInt64(e) << 23 | UInt64(v - 4096) << 11
    }

    @inlinable
    func reciprocalSquareRootEstimateBits(_ x: UInt32) -> UInt64 {
        let f = BinaryFormat.single
        let bits = UInt64(x)
        let signBits = bits & f.signBit
        if f.isNaN(bits) { return bits | f.quietBit }
        if bits & f.exponentMask == 0 { return signBits | f.exponentMask }  // zero or denormal
        if signBits != 0 { return f.defaultNaN }
        if f.isInfinity(bits) { return 0 }
        let unbiased = Int((bits & f.exponentMask) >> 23) - 127
        let odd = unbiased & 1 != 0
        // x = 1.m * 2^(2k) or 2 * 1.m * 2^(2k): 1/sqrt(x) = (v / 8192) * 2^-k, v in [4096, 8192).
        let v = SSEEstimateTables.reciprocalSquareRoot(Int((bits >> 11) & 0xFFF), odd: odd)
        let k = (unbiased - (odd ? 1 : 0)) / 2
        return UInt64(126 - k) << 23 | UInt64(v - 4096) << 11
    }
}
