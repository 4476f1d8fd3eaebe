/// Conversions between Extended80 and integers (FILD/FIST/FISTTP), IEEE single and double (FLD/FST
/// m32/m64, raw bits in and out so no host floating point is involved) and packed BCD (FBLD/FBSTP).
///
/// The stores (FIST, FISTTP, FST m32/m64, FBSTP) never raise the denormal-operand exception: a
/// denormal source simply rounds (measured on the host; the SDM lists no #D for them either).
extension X87Context {
    // MARK: Integers

    /// FIST/FISTP (`truncating == false`: rounding control) and FISTTP (`truncating == true`) to a
    /// signed integer of `bits` (16, 32 or 64) bits, returned sign-extended. NaNs, infinities,
    /// unsupported encodings and out-of-range values raise IE and give the integer indefinite
    /// (the most negative value).
    public mutating func toInteger(_ a: Extended80, bits: Int, truncating: Bool = false) -> Int64 {
        c1 = false
        let indefinite = Int64(-1) << Int64(bits - 1)
        if a.isUnsupported || a.isNaN || a.isInfinity {
            flags.insert(.invalid)
            return indefinite
        }
        if a.isZero { return 0 }
        let x = Unpacked(a)
        if x.exp >= 64 {
            flags.insert(.invalid)
            return indefinite
        }
        var ctx = self
        if truncating { ctx.rounding = .towardZero }
        let r = ctx.integerPart(x)
        let limit: UInt64 = (1 << UInt64(bits - 1)) - (x.sign ? 0 : 1)
        if r.carry || r.magnitude > limit {
            flags.insert(.invalid)
            return indefinite
        }
        if r.inexact { flags.insert(.precision) }
        c1 = r.up
        return x.sign ? Int64(truncatingIfNeeded: 0 &- r.magnitude) : Int64(r.magnitude)
    }

    // MARK: IEEE single and double

    /// FLD m32: the exact extended value of single-precision bits. An SNaN raises IE and is quieted;
    /// a denormal raises DE (and is normalised).
    public mutating func loadSingle(_ bits: UInt32) -> Extended80 {
        c1 = false
        return load(UInt64(bits), fractionBits: 23, exponentBits: 8)
    }

    /// FLD m64: the exact extended value of double-precision bits.
    public mutating func loadDouble(_ bits: UInt64) -> Extended80 {
        c1 = false
        return load(bits, fractionBits: 52, exponentBits: 11)
    }

    @inlinable
    mutating func load(_ bits: UInt64, fractionBits f: Int, exponentBits w: Int) -> Extended80 {
        let sign = bits >> UInt64(f + w) & 1 != 0
        let e = Int32(truncatingIfNeeded: bits >> UInt64(f)) & ((1 << Int32(w)) - 1)
        let frac = bits & ((1 << UInt64(f)) - 1)
        let emax: Int32 = (1 << Int32(w)) - 1
        let bias = emax >> 1
        if e == emax {
            if frac == 0 { return .infinity(negative: sign) }
            let nan = Extended80(sign: sign, biasedExponent: 0x7FFF, significand: 1 << 63 | frac << UInt64(63 - f))
            return propagateNaN(nan)
        }
        if e == 0 {
            if frac == 0 { return .zero(negative: sign) }
            if raise(.denormal) { return .zero(negative: sign) }
            let lz = frac.leadingZeroBitCount
            let exp = 1 - bias - Int32(lz - (63 - f))  // value = frac * 2^(1 - bias - f)
            return Extended80(sign: sign, biasedExponent: UInt16(exp + Extended80.bias), significand: frac << UInt64(lz))
        }
        return Extended80(sign: sign, biasedExponent: UInt16(e - bias + Extended80.bias), significand: 1 << 63 | frac << UInt64(63 - f))
    }

    /// FST m32: rounds to single precision by the rounding control. Unsupported encodings give the
    /// single indefinite (0xFFC00000); NaNs keep their top fraction bits, quieted.
    public mutating func storeSingle(_ a: Extended80) -> UInt32 {
        UInt32(truncatingIfNeeded: store(a, fractionBits: 23, exponentBits: 8, format: .single))
    }

    /// FST m64: rounds to double precision by the rounding control.
    public mutating func storeDouble(_ a: Extended80) -> UInt64 {
        store(a, fractionBits: 52, exponentBits: 11, format: .double)
    }

    @inlinable
    mutating func store(_ a: Extended80, fractionBits f: Int, exponentBits w: Int, format: DestinationFormat) -> UInt64 {
        c1 = false
        let signBit: UInt64 = a.sign ? 1 << UInt64(f + w) : 0
        let expAll: UInt64 = ((1 << UInt64(w)) - 1) << UInt64(f)
        let quietBit: UInt64 = 1 << UInt64(f - 1)
        if a.isUnsupported {
            flags.insert(.invalid)
            return 1 << UInt64(f + w) | expAll | quietBit
        }
        if a.isNaN {
            if a.isSignalingNaN { flags.insert(.invalid) }
            return signBit | expAll | quietBit | (a.significand >> UInt64(63 - f)) & ((1 << UInt64(f)) - 1)
        }
        if a.isInfinity { return signBit | expAll }
        if a.isZero { return signBit }
        let x = Unpacked(a)
        let r = roundCore(sign: x.sign, exp: x.exp, sig: UInt128(x.sig) << 64, bits: f + 1, format: format)
        if r.infinite { return signBit | expAll }
        if r.sig >> 63 == 0 { return signBit | r.sig >> UInt64(63 - f) }
        let bias = Int32((1 << Int32(w - 1)) - 1)
        return signBit | UInt64(r.exp + bias) << UInt64(f) | (r.sig >> UInt64(63 - f)) & ((1 << UInt64(f)) - 1)
    }

    // MARK: Packed BCD

    /// FBSTP: rounds by the rounding control to an integer and stores 18 BCD digits and the sign
    /// byte (0x80 when negative). |value| >= 10^18, NaNs, infinities and unsupported encodings raise
    /// IE and give the BCD indefinite (bytes 9-7 FF FF C0, the rest 0).
    public mutating func toPackedBCD(_ a: Extended80) -> (low: UInt64, high: UInt16) {
        c1 = false
        let indefinite: (low: UInt64, high: UInt16) = (0xC000_0000_0000_0000, 0xFFFF)
        if a.isUnsupported || a.isNaN || a.isInfinity {
            flags.insert(.invalid)
            return indefinite
        }
        let signHigh: UInt16 = a.sign ? 0x8000 : 0
        if a.isZero { return (0, signHigh) }
        let x = Unpacked(a)
        if x.exp >= 60 {
            flags.insert(.invalid)
            return indefinite
        }
        let r = integerPart(x)
        if r.magnitude > 999_999_999_999_999_999 {
            flags.insert(.invalid)
            return indefinite
        }
        if r.inexact { flags.insert(.precision) }
        c1 = r.up
        var m = r.magnitude
        var low: UInt64 = 0
        for i in 0..<16 {
            low |= (m % 10) << UInt64(4 * i)
            m /= 10
        }
        let high = UInt16(m % 10) | UInt16(m / 10) << 4
        return (low, signHigh | high)
    }
}

extension Extended80 {
    /// FBLD: the exact value of 18 packed BCD digits (`low` = bytes 0-7, `high` = bytes 8-9: digits
    /// 17-16 and the sign in bit 15). Digits above 9 are undefined on the x87; they are weighted as is.
    @inlinable
    public init(packedBCDLow low: UInt64, high: UInt16) {
        var m: UInt64 = 0
        m = m &* 10 &+ UInt64(high >> 4 & 0xF)
        m = m &* 10 &+ UInt64(high & 0xF)
        for i in stride(from: 15, through: 0, by: -1) {
            m = m &* 10 &+ (low >> UInt64(4 * i) & 0xF)
        }
        self.init(integerMagnitude: m, sign: high & 0x8000 != 0)
    }
}
