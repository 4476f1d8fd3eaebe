/// Helpers over `Register`: selection by class and index, and NASM names.
extension Register {
    /// A general-purpose register by index (0-15, REX-extended) and size in bytes (1, 2, 4, 8).
    /// For size 1, `rex` selects SPL/BPL/SIL/DIL for indices 4-7 instead of AH/CH/DH/BH
    /// (SDM Vol. 2, 2.2.1.2 "More on REX Prefix Fields").
    @inlinable
    public static func gpr(_ index: UInt8, size: UInt8, rex: Bool = false) -> Register {
        let i = index & 15
        let raw: UInt8
        switch size {
        case 1:
            if i < 4 || (i < 8 && !rex) { raw = first_gpr8 &+ i } else { raw = first_gpr8Rex &+ (i &- 4) }
        case 2: raw = first_gpr16 &+ i
        case 4: raw = first_gpr32 &+ i
        default: raw = first_gpr64 &+ i
        }
        return Register(rawValue: raw)!
    }

    /// A register of a contiguous class, by index. Returns `.none` past the class.
    @inlinable
    public static func of(_ first: UInt8, _ index: UInt8, count: UInt8) -> Register {
        index < count ? Register(rawValue: first &+ index)! : .none
    }

    /// Segment register by its encoding (ES=0 CS=1 SS=2 DS=3 FS=4 GS=5); `.none` for 6 and 7.
    @inlinable public static func segment(_ i: UInt8) -> Register { of(first_segment, i, count: 6) }
    /// XMM register 0-15.
    @inlinable public static func xmm(_ i: UInt8) -> Register { of(first_xmm, i & 15, count: 16) }
    /// YMM register 0-15.
    @inlinable public static func ymm(_ i: UInt8) -> Register { of(first_ymm, i & 15, count: 16) }
    /// MMX register 0-7.
    @inlinable public static func mm(_ i: UInt8) -> Register { of(first_mm, i & 7, count: 8) }
    /// x87 stack register ST(i).
    @inlinable public static func st(_ i: UInt8) -> Register { of(first_st, i & 7, count: 8) }
    /// Control register CR0-CR15.
    @inlinable public static func cr(_ i: UInt8) -> Register { of(first_cr, i & 15, count: 16) }
    /// Debug register DR0-DR15.
    @inlinable public static func dr(_ i: UInt8) -> Register { of(first_dr, i & 15, count: 16) }
    /// Test register TR0-TR7 (386/486).
    @inlinable public static func tr(_ i: UInt8) -> Register { of(first_tr, i & 7, count: 8) }
    /// MPX bound register BND0-BND3.
    @inlinable public static func bnd(_ i: UInt8) -> Register { of(first_bnd, i, count: 4) }
    /// AVX-512 opmask register K0-K7 (VEX-encoded KMOV/KAND...); `.none` past 7.
    @inlinable public static func k(_ i: UInt8) -> Register { of(first_k, i, count: 8) }
    /// AMX tile register TMM0-TMM7; `.none` past 7.
    @inlinable public static func tmm(_ i: UInt8) -> Register { of(first_tmm, i, count: 8) }

    /// True for the 8/16/32/64-bit general-purpose registers.
    @inlinable public var isGPR: Bool { rawValue >= Register.first_gpr8 && rawValue < Register.first_segment }
    /// True for ES, CS, SS, DS, FS, GS.
    @inlinable public var isSegment: Bool { rawValue >= Register.first_segment && rawValue < Register.first_instructionPointer }

    /// The register's number within its class (RAX=0 ... R15=15; AH=4 in the legacy byte class).
    @inlinable public var number: UInt8 {
        let r = rawValue
        switch r {
        case Register.first_gpr8..<Register.first_gpr8Rex: return r - Register.first_gpr8
        case Register.first_gpr8Rex..<Register.first_gpr16: return r - Register.first_gpr8Rex + 4
        case Register.first_gpr16..<Register.first_gpr32: return r - Register.first_gpr16
        case Register.first_gpr32..<Register.first_gpr64: return r - Register.first_gpr32
        case Register.first_gpr64..<Register.first_segment: return r - Register.first_gpr64
        case Register.first_segment..<Register.first_instructionPointer: return r - Register.first_segment
        case Register.first_st..<Register.first_mm: return r - Register.first_st
        case Register.first_mm..<Register.first_xmm: return r - Register.first_mm
        case Register.first_xmm..<Register.first_ymm: return r - Register.first_xmm
        case Register.first_ymm..<Register.first_cr: return r - Register.first_ymm
        case Register.first_cr..<Register.first_dr: return r - Register.first_cr
        case Register.first_dr..<Register.first_tr: return r - Register.first_dr
        case Register.first_tr..<Register.first_bnd: return r - Register.first_tr
        case Register.first_bnd..<Register.first_k: return r - Register.first_bnd
        case Register.first_k..<Register.first_tmm: return r - Register.first_k
        case Register.first_tmm..<Register.first_end: return r - Register.first_tmm
        default: return 0
        }
    }

    /// Width in bytes of a general-purpose, segment or vector register (0 for others).
    @inlinable public var size: UInt8 {
        let r = rawValue
        switch r {
        case Register.first_gpr8..<Register.first_gpr16: return 1
        case Register.first_gpr16..<Register.first_gpr32: return 2
        case Register.first_gpr32..<Register.first_gpr64: return 4
        case Register.first_gpr64..<Register.first_segment: return 8
        case Register.first_segment..<Register.first_instructionPointer: return 2
        case Register.first_st..<Register.first_mm: return 10
        case Register.first_mm..<Register.first_xmm: return 8
        case Register.first_xmm..<Register.first_ymm: return 16
        case Register.first_ymm..<Register.first_cr: return 32
        case Register.first_k..<Register.first_tmm: return 8
        default: return 0
        }
    }

    /// The name NASM prints, lower case (`r8b` for the low byte of R8; iced calls it `r8l`).
    public var nasmName: String {
        let n = String(describing: self)
        if rawValue >= Register.first_gpr8Rex + 4 && rawValue < Register.first_gpr16 {
            return String(n.dropLast()) + "b"
        }
        if rawValue >= Register.first_st && rawValue < Register.first_mm { return n }
        return n
    }

    /// Looks a register up by the name iced or NASM uses (`r8l` and `r8b` both work).
    public init?(name: String) {
        let lower = name.lowercased()
        if let r = Register.byName[lower] { self = r; return }
        if lower.hasPrefix("r"), lower.hasSuffix("b"), let r = Register.byName[String(lower.dropLast()) + "l"] {
            self = r; return
        }
        return nil
    }

    private static let byName: [String: Register] = {
        var d: [String: Register] = [:]
        for r in Register.allCases { d[String(describing: r)] = r }
        return d
    }()
}
