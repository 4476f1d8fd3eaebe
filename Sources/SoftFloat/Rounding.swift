/// Rounding and packing: the one place results are rounded, for every destination format.
///
/// Input: an exact (or sticky-jammed) magnitude `sig * 2^(exp - 127)` with bit 127 of `sig` set.
/// The rules, all measured against the host x87 (see Documentation/SoftFloat.md):
/// - the significand is rounded to `bits` bits (precision control or the destination format);
/// - tininess is detected after rounding with an unbounded exponent (SDM Vol. 1, 4.9.1.5);
/// - a tiny result with UE masked is denormalised: its last bit sits at `max(e, emin) - (bits - 1)`,
///   and UE is raised only together with PE (inexact);
/// - UE unmasked: UE is raised for every tiny result. Register destination: the exponent is
///   bias-adjusted by +24576 and the result rounded normally. Memory destination: only UE is
///   raised (no PE, no C1): the caller does not store;
/// - overflow with OE masked gives infinity or the largest finite value (of `bits` bits) by rounding
///   direction, with OE and PE; OE unmasked: register destination bias-adjusted by -24576 (PE and C1
///   as usual), memory destination raises OE only;
/// - a result still out of range after the bias adjust (only FSCALE gets there) becomes an infinity
///   (OE, PE, C1 set) or a zero (UE, PE), whatever the rounding direction.
@usableFromInline
struct RoundedValue {
    /// Finite: `sig * 2^(exp - 63)`; bit 63 clear only for a denormal (then exp == emin) or zero.
    @usableFromInline var exp: Int32
    @usableFromInline var sig: UInt64
    @usableFromInline var infinite: Bool

    @inlinable
    init(exp: Int32, sig: UInt64, infinite: Bool) {
        self.exp = exp
        self.sig = sig
        self.infinite = infinite
    }
}

/// Shifts right, OR-ing any bits shifted out into bit 0.
@inlinable @inline(__always)
func shiftRightJamming(_ x: UInt128, _ n: Int) -> UInt128 {
    if n <= 0 { return x }
    if n >= 128 { return x != 0 ? 1 : 0 }
    let lost = x << (128 - n)
    return (x >> n) | (lost != 0 ? 1 : 0)
}

/// Exponent range and bias adjust of a destination format.
@usableFromInline
struct DestinationFormat {
    @usableFromInline var emin: Int32
    @usableFromInline var emax: Int32
    /// 24576 for an x87 register; 0 for a memory destination (unmasked OE/UE suppress the store).
    @usableFromInline var biasAdjust: Int32

    @inlinable
    init(emin: Int32, emax: Int32, biasAdjust: Int32) {
        self.emin = emin
        self.emax = emax
        self.biasAdjust = biasAdjust
    }

    @inlinable static var register: DestinationFormat { DestinationFormat(emin: -16382, emax: 16383, biasAdjust: 24576) }
    @inlinable static var memory80: DestinationFormat { DestinationFormat(emin: -16382, emax: 16383, biasAdjust: 0) }
    @inlinable static var double: DestinationFormat { DestinationFormat(emin: -1022, emax: 1023, biasAdjust: 0) }
    @inlinable static var single: DestinationFormat { DestinationFormat(emin: -126, emax: 127, biasAdjust: 0) }
}

extension X87Context {
    /// Rounds the 128-bit magnitude to `bits` (1...64) significant bits at the top of a `UInt64`.
    /// Returns the rounded high part (low bits below the rounding point cleared), whether the
    /// rounding carried out of bit 63 (the result is then 2^64, returned as 0), and inexact/up.
    @inlinable @inline(__always)
    func roundBits(sign: Bool, _ sig: UInt128, bits: Int) -> (hi: UInt64, carry: Bool, inexact: Bool, up: Bool) {
        var hi = UInt64(truncatingIfNeeded: sig >> 64)
        let lo = UInt64(truncatingIfNeeded: sig)
        let k = 64 - bits
        // `frac`: the discarded part as a 64-bit fraction of one unit in the last place (sticky in bit 0).
        let frac: UInt64
        if k == 0 {
            frac = lo
        } else {
            frac = (hi << (64 - k)) | (lo != 0 ? 1 : 0)
            hi &= ~((1 << k) - 1)
        }
        if frac == 0 { return (hi, false, false, false) }
        let up: Bool
        switch rounding {
        case .nearestEven:
            up = frac > 0x8000_0000_0000_0000 || (frac == 0x8000_0000_0000_0000 && (hi >> k) & 1 != 0)
        case .down: up = sign
        case .up: up = !sign
        case .towardZero: up = false
        }
        if up {
            let (s, o) = hi.addingReportingOverflow(1 << k)
            return (s, o, true, true)
        }
        return (hi, false, true, false)
    }

    /// The common rounding step. `sig` must be normalised (bit 127 set).
    @inlinable
    mutating func roundCore(sign: Bool, exp: Int32, sig: UInt128, bits: Int, format: DestinationFormat) -> RoundedValue {
        var e = exp
        if e < format.emin {
            var tiny = true
            if e == format.emin - 1 {
                // Tininess after rounding: only a carry into 2^emin makes it not tiny.
                tiny = !roundBits(sign: sign, sig, bits: bits).carry
            }
            if tiny {
                let unmasked = !masks.contains(.underflow)
                if unmasked && format.biasAdjust == 0 {
                    // Memory destination, UE unmasked: nothing is stored; only UE is reported.
                    flags.insert(.underflow)
                    c1 = false
                    return RoundedValue(exp: format.emin, sig: 0, infinite: false)
                }
                if unmasked {
                    if e + format.biasAdjust < format.emin {
                        // Too tiny even for the bias adjust (only FSCALE gets here): a zero.
                        flags.formUnion([.underflow, .precision])
                        c1 = false
                        return RoundedValue(exp: format.emin, sig: 0, infinite: false)
                    }
                    flags.insert(.underflow)
                    e += format.biasAdjust
                } else {
                    let s = shiftRightJamming(sig, Int(format.emin - e))
                    let r = roundBits(sign: sign, s, bits: bits)
                    // No carry is possible: the shift cleared bit 127.
                    if r.inexact { flags.formUnion([.underflow, .precision]) }
                    c1 = r.up
                    return RoundedValue(exp: format.emin, sig: r.hi, infinite: false)
                }
            }
        }
        let r = roundBits(sign: sign, sig, bits: bits)
        var hi = r.hi
        if r.carry {
            hi = 0x8000_0000_0000_0000
            e += 1
        }
        if e > format.emax {
            if !masks.contains(.overflow) {
                if format.biasAdjust == 0 {
                    flags.insert(.overflow)
                    c1 = false
                    return RoundedValue(exp: format.emax, sig: 0, infinite: true)
                }
                if e - format.biasAdjust > format.emax {
                    // Too large even for the bias adjust (only FSCALE gets here): an infinity.
                    flags.formUnion([.overflow, .precision])
                    c1 = true
                    return RoundedValue(exp: format.emax + 1, sig: 0x8000_0000_0000_0000, infinite: true)
                }
                flags.insert(.overflow)
                e -= format.biasAdjust
            } else {
                flags.formUnion([.overflow, .precision])
                let toInfinity: Bool
                switch rounding {
                case .nearestEven: toInfinity = true
                case .down: toInfinity = sign
                case .up: toInfinity = !sign
                case .towardZero: toInfinity = false
                }
                c1 = toInfinity
                if toInfinity { return RoundedValue(exp: format.emax + 1, sig: 0x8000_0000_0000_0000, infinite: true) }
                return RoundedValue(exp: format.emax, sig: ~0 << UInt64(64 - bits), infinite: false)
            }
        }
        if r.inexact { flags.insert(.precision) }
        c1 = r.up
        return RoundedValue(exp: e, sig: hi, infinite: false)
    }

    /// Rounds to an x87 register value (bias-adjusting on unmasked OE/UE).
    @inlinable
    mutating func roundToExtended(sign: Bool, exp: Int32, sig: UInt128, bits: Int) -> Extended80 {
        let r = roundCore(sign: sign, exp: exp, sig: sig, bits: bits, format: .register)
        return Extended80.pack(sign: sign, r)
    }

    /// Rounds an exact 64-bit significand (`sig * 2^(exp - 63)`, bit 63 set) to a register value.
    @inlinable
    mutating func roundToExtended(_ u: Unpacked, bits: Int) -> Extended80 {
        roundToExtended(sign: u.sign, exp: u.exp, sig: UInt128(u.sig) << 64, bits: bits)
    }
}

extension Extended80 {
    @inlinable
    static func pack(sign: Bool, _ r: RoundedValue) -> Extended80 {
        if r.infinite { return .infinity(negative: sign) }
        if r.sig >> 63 == 0 {
            // Zero or denormal (exp == emin): biased exponent 0.
            return Extended80(sign: sign, biasedExponent: 0, significand: r.sig)
        }
        return Extended80(sign: sign, biasedExponent: UInt16(truncatingIfNeeded: r.exp + Extended80.bias), significand: r.sig)
    }
}
