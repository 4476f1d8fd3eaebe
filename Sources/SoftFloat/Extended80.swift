/// An x87 80-bit double-extended-precision value, kept as its bit fields.
///
/// Layout (SDM Vol. 1, 4.2.2): bit 79 sign, bits 78-64 biased exponent (bias 16383), bits 63-0 the
/// significand with an explicit integer bit (bit 63). Every bit pattern is representable, including
/// the encodings the x87 rejects as operands (unnormals, pseudo-NaNs, pseudo-infinities).
/// In memory the value is `significand` (little-endian, bytes 0-7) followed by `signExponent`.
public struct Extended80: Hashable, Sendable, CustomStringConvertible {
    /// Bits 63-0: the significand, bit 63 being the explicit integer bit J.
    public var significand: UInt64
    /// Bits 79-64: sign (bit 15) and biased exponent (bits 14-0).
    public var signExponent: UInt16

    @inlinable
    public init(signExponent: UInt16, significand: UInt64) {
        self.significand = significand
        self.signExponent = signExponent
    }

    @inlinable
    public init(sign: Bool, biasedExponent: UInt16, significand: UInt64) {
        self.significand = significand
        self.signExponent = (sign ? 0x8000 : 0) | (biasedExponent & 0x7FFF)
    }

    /// The exponent bias (16383).
    public static let bias: Int32 = 16383
    /// The largest biased exponent of a finite value (0x7FFE).
    public static let maxBiasedExponent: UInt16 = 0x7FFE

    @inlinable public var sign: Bool { signExponent & 0x8000 != 0 }
    @inlinable public var biasedExponent: UInt16 { signExponent & 0x7FFF }
    /// The explicit integer bit J (bit 63).
    @inlinable public var integerBit: Bool { significand >> 63 != 0 }

    /// +0.0
    @inlinable public static var zero: Extended80 { Extended80(signExponent: 0, significand: 0) }
    /// -0.0
    @inlinable public static var negativeZero: Extended80 { Extended80(signExponent: 0x8000, significand: 0) }
    /// +1.0
    @inlinable public static var one: Extended80 { Extended80(signExponent: 0x3FFF, significand: 1 << 63) }
    /// +infinity
    @inlinable public static var infinity: Extended80 { Extended80(signExponent: 0x7FFF, significand: 1 << 63) }
    /// The "real indefinite" QNaN the x87 delivers for a masked invalid operation (negative sign, 0xC000...).
    @inlinable public static var indefinite: Extended80 { Extended80(signExponent: 0xFFFF, significand: 0xC000_0000_0000_0000) }

    @inlinable
    public static func zero(negative: Bool) -> Extended80 {
        Extended80(signExponent: negative ? 0x8000 : 0, significand: 0)
    }

    @inlinable
    public static func infinity(negative: Bool) -> Extended80 {
        Extended80(signExponent: negative ? 0xFFFF : 0x7FFF, significand: 1 << 63)
    }

    /// The operand classes of SDM Vol. 1, 8.2.2 (Table 8-3) and 4.8.3.
    public enum Class: UInt8, Sendable {
        case zero
        /// Exponent 0, J = 0, significand non-zero.
        case denormal
        /// Exponent 0, J = 1: the 80387 and later accept it as an operand, with the value of exponent 1.
        case pseudoDenormal
        case normal
        case infinity
        case quietNaN
        case signalingNaN
        /// Exponent 1-0x7FFE with J = 0: unsupported (invalid operand).
        case unnormal
        /// Exponent 0x7FFF, J = 0, fraction 0: unsupported.
        case pseudoInfinity
        /// Exponent 0x7FFF, J = 0, fraction non-zero: unsupported.
        case pseudoNaN
    }

    @inlinable
    public var classification: Class {
        let e = biasedExponent
        let j = significand >> 63 != 0
        if e == 0 {
            if significand == 0 { return .zero }
            return j ? .pseudoDenormal : .denormal
        }
        if e == 0x7FFF {
            let fraction = significand & 0x7FFF_FFFF_FFFF_FFFF
            if !j { return fraction == 0 ? .pseudoInfinity : .pseudoNaN }
            if fraction == 0 { return .infinity }
            return significand & 0x4000_0000_0000_0000 != 0 ? .quietNaN : .signalingNaN
        }
        return j ? .normal : .unnormal
    }

    /// An encoding the 80387 and later reject with an invalid-operation exception.
    @inlinable
    public var isUnsupported: Bool {
        let e = biasedExponent
        return e != 0 && significand >> 63 == 0
    }

    /// Any NaN with J = 1 (quiet or signaling).
    @inlinable
    public var isNaN: Bool { biasedExponent == 0x7FFF && significand > 0x8000_0000_0000_0000 }
    @inlinable
    public var isSignalingNaN: Bool { isNaN && significand & 0x4000_0000_0000_0000 == 0 }
    @inlinable
    public var isQuietNaN: Bool { isNaN && significand & 0x4000_0000_0000_0000 != 0 }
    @inlinable
    public var isInfinity: Bool { biasedExponent == 0x7FFF && significand == 0x8000_0000_0000_0000 }
    @inlinable
    public var isZero: Bool { biasedExponent == 0 && significand == 0 }
    /// Denormal or pseudo-denormal: the operands that raise the denormal-operand exception.
    @inlinable
    public var isDenormal: Bool { biasedExponent == 0 && significand != 0 }

    /// The value with the sign flipped (FCHS: no exceptions, any encoding).
    @inlinable public var negated: Extended80 { Extended80(signExponent: signExponent ^ 0x8000, significand: significand) }
    /// The value with the sign cleared (FABS).
    @inlinable public var magnitude: Extended80 { Extended80(signExponent: signExponent & 0x7FFF, significand: significand) }

    /// The NaN with its quiet bit set.
    @inlinable public var quieted: Extended80 {
        Extended80(signExponent: signExponent, significand: significand | 0x4000_0000_0000_0000)
    }

    /// The 10 bytes as stored in memory (FSTP m80).
    @inlinable
    public var bytes: (UInt64, UInt16) { (significand, signExponent) }

    public var description: String {
        let h = String(signExponent, radix: 16)
        let l = String(significand, radix: 16)
        return String(repeating: "0", count: 4 - h.count) + h + ":" + String(repeating: "0", count: 16 - l.count) + l
    }
}

// MARK: - Unpacked finite values

/// A finite non-zero value with a normalised significand: `sig * 2^(exp - 63)`, bit 63 of `sig` set.
@usableFromInline
struct Unpacked {
    @usableFromInline var sign: Bool
    @usableFromInline var exp: Int32
    @usableFromInline var sig: UInt64

    @inlinable
    init(sign: Bool, exp: Int32, sig: UInt64) {
        self.sign = sign
        self.exp = exp
        self.sig = sig
    }

    /// Unpacks a finite non-zero operand: normal, denormal or pseudo-denormal (never zero or special).
    @inlinable
    init(_ x: Extended80) {
        sign = x.sign
        let e = Int32(x.biasedExponent)
        if e == 0 {
            let lz = Int32(x.significand.leadingZeroBitCount)
            sig = x.significand << lz
            exp = 1 - Extended80.bias - lz
        } else {
            sig = x.significand
            exp = e - Extended80.bias
        }
    }
}
