/// The x87 rounding control (FCW bits 11-10), in its encoding.
public enum RoundingMode: UInt8, Sendable, CaseIterable {
    case nearestEven = 0
    /// Toward negative infinity.
    case down = 1
    /// Toward positive infinity.
    case up = 2
    case towardZero = 3
}

/// The x87 precision control (FCW bits 9-8): the significand width of FADD/FSUB/FMUL/FDIV/FSQRT
/// results (and their integer-operand forms). The exponent range stays the extended one.
public enum PrecisionControl: UInt8, Sendable, CaseIterable {
    case single = 0
    /// The reserved encoding 01b: measured to behave as 64-bit precision (AMD EPYC host).
    case reserved = 1
    case double = 2
    case extended = 3

    /// Significand bits kept: 24, 53 or 64.
    @inlinable
    public var bits: Int {
        switch self {
        case .single: return 24
        case .double: return 53
        case .reserved, .extended: return 64
        }
    }
}

/// The six x87 exception flags, at their FSW/FCW bit positions (bits 0-5).
public struct ExceptionFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x3F }

    /// IE: invalid operation.
    public static let invalid = ExceptionFlags(rawValue: 0x01)
    /// DE: denormal operand.
    public static let denormal = ExceptionFlags(rawValue: 0x02)
    /// ZE: divide by zero.
    public static let zeroDivide = ExceptionFlags(rawValue: 0x04)
    /// OE: numeric overflow.
    public static let overflow = ExceptionFlags(rawValue: 0x08)
    /// UE: numeric underflow.
    public static let underflow = ExceptionFlags(rawValue: 0x10)
    /// PE: inexact result (precision).
    public static let precision = ExceptionFlags(rawValue: 0x20)
    public static let all = ExceptionFlags(rawValue: 0x3F)
}

/// The environment of one x87 operation: the control word's rounding, precision and exception masks
/// going in; the raised exception flags and the C1 "rounded up" indication coming out.
///
/// Create one per instruction (it is a few bytes: `X87Context(controlWord: fcw)`), run the
/// operation, then merge `flags` into the FSW and set C1 from `c1` (operations that define C0-C3
/// otherwise return them). Masked responses follow SDM Vol. 1, 4.9.1 and 8.5.
///
/// Unmasked responses: when `flags` contains an unmasked IE, DE or ZE, the x87 does not write the
/// register destination (`suppressesRegisterResult`). When an unmasked OE or UE occurs with a register
/// destination, the result returned is already bias-adjusted (exponent -/+ 24576), as the x87 stores
/// it. For memory destinations (FST m32/m64, FIST, FISTTP, FBSTP) any unmasked IE, OE or UE means no
/// store (`suppressesMemoryResult`). In every unmasked case the caller also sets FSW.ES (and B).
public struct X87Context: Sendable {
    public var rounding: RoundingMode
    public var precision: PrecisionControl
    /// Masked exceptions (FCW bits 0-5: a set bit masks the exception).
    public var masks: ExceptionFlags
    /// The exception flags raised so far (sticky within this context).
    public var flags: ExceptionFlags
    /// C1 after the operation: true when the last rounding increased the significand's magnitude.
    public var c1: Bool

    @inlinable
    public init(rounding: RoundingMode = .nearestEven, precision: PrecisionControl = .extended,
                masks: ExceptionFlags = .all) {
        self.rounding = rounding
        self.precision = precision
        self.masks = masks
        self.flags = []
        self.c1 = false
    }

    /// From an x87 control word (FCW): masks bits 0-5, PC bits 9-8, RC bits 11-10.
    @inlinable
    public init(controlWord: UInt16) {
        rounding = RoundingMode(rawValue: UInt8((controlWord >> 10) & 3))!
        precision = PrecisionControl(rawValue: UInt8((controlWord >> 8) & 3))!
        masks = ExceptionFlags(rawValue: UInt8(controlWord & 0x3F))
        flags = []
        c1 = false
    }

    /// The control word these settings correspond to (bit 6 set, as FNSTCW reports it).
    @inlinable
    public var controlWord: UInt16 {
        UInt16(masks.rawValue) | 0x40 | UInt16(precision.rawValue) << 8 | UInt16(rounding.rawValue) << 10
    }

    /// Raised exceptions whose masks are clear.
    @inlinable
    public var unmaskedFlags: ExceptionFlags { flags.subtracting(masks) }

    /// True when the x87 would leave a register destination unchanged: an unmasked IE, DE or ZE.
    @inlinable
    public var suppressesRegisterResult: Bool {
        !unmaskedFlags.intersection([.invalid, .denormal, .zeroDivide]).isEmpty
    }

    /// True when the x87 would not write a memory destination: an unmasked IE, OE or UE (or DE).
    @inlinable
    public var suppressesMemoryResult: Bool {
        !unmaskedFlags.intersection([.invalid, .denormal, .overflow, .underflow]).isEmpty
    }

    /// Raises `f`; returns true when any of them is unmasked.
    @inlinable @discardableResult
    mutating func raise(_ f: ExceptionFlags) -> Bool {
        flags.formUnion(f)
        return !f.isSubset(of: masks)
    }

    /// Masked or unmasked invalid operation: raises IE and returns the real indefinite.
    @inlinable
    mutating func invalid() -> Extended80 {
        flags.insert(.invalid)
        c1 = false
        return .indefinite
    }
}

/// The result of a comparison (FCOM, FUCOM, FCOMI, FUCOMI, FTST), with its condition-code encodings.
public enum CompareResult: UInt8, Sendable {
    case greater, less, equal, unordered

    /// FSW C3, C2, C0 (bits 14, 10, 8) as FCOM/FUCOM/FTST set them; C1 is cleared.
    @inlinable
    public var statusWordBits: UInt16 {
        switch self {
        case .greater: return 0
        case .less: return 0x0100
        case .equal: return 0x4000
        case .unordered: return 0x4500
        }
    }

    /// EFLAGS ZF, PF, CF (bits 6, 2, 0) as FCOMI/FUCOMI (and COMISS/UCOMISS) set them.
    @inlinable
    public var eflagsBits: UInt32 {
        switch self {
        case .greater: return 0
        case .less: return 0x01
        case .equal: return 0x40
        case .unordered: return 0x45
        }
    }
}

/// Partial-remainder condition codes of FPREM/FPREM1.
public struct RemainderResult: Sendable {
    public var value: Extended80
    /// The three low quotient bits Q2 Q1 Q0 (reported in C0, C3, C1) when the reduction is complete.
    public var quotientBits: UInt8
    /// C2: the reduction is incomplete (exponent difference >= 64); run the instruction again.
    public var incomplete: Bool

    @inlinable
    public init(value: Extended80, quotientBits: UInt8, incomplete: Bool) {
        self.value = value
        self.quotientBits = quotientBits
        self.incomplete = incomplete
    }

    /// FSW C3, C2, C1, C0 bits: C0 = Q2, C3 = Q1, C1 = Q0, C2 = incomplete.
    @inlinable
    public var statusWordBits: UInt16 {
        var w: UInt16 = 0
        if quotientBits & 4 != 0 { w |= 0x0100 }
        if quotientBits & 2 != 0 { w |= 0x4000 }
        if quotientBits & 1 != 0 { w |= 0x0200 }
        if incomplete { w |= 0x0400 }
        return w
    }
}
