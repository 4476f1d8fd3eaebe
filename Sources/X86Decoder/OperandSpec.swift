import X86ISA

/// How an operand is encoded: the addressing methods of the Intel SDM Vol. 2, Appendix A.2.1
/// ("Codes for Addressing Method"), plus fixed registers and the few special forms iced and NASM list.
enum AddressingMethod: UInt8, Sendable {
    case none = 0
    /// A: direct far address `ptr16:16/32` in the instruction.
    case A
    /// B: VEX.vvvv selects a general-purpose register.
    case B
    /// C: ModRM.reg selects a control register.
    case C
    /// D: ModRM.reg selects a debug register.
    case D
    /// E: ModRM r/m, a general-purpose register or memory.
    case E
    /// G: ModRM.reg selects a general-purpose register.
    case G
    /// H: VEX.vvvv selects an XMM/YMM register.
    case H
    /// I: immediate.
    case I
    /// J: relative offset added to the instruction pointer.
    case J
    /// L: the upper 4 bits of an 8-bit immediate select an XMM/YMM register (`/is4`).
    case L
    /// M: ModRM r/m may refer only to memory.
    case M
    /// N: ModRM r/m selects an MMX register (mod = 11).
    case N
    /// O: moffs, an address-sized offset with no ModRM.
    case O
    /// P: ModRM.reg selects an MMX register.
    case P
    /// Q: ModRM r/m, an MMX register or memory.
    case Q
    /// R: ModRM r/m may refer only to a general-purpose register (the mod field is ignored for MOV CR/DR).
    case R
    /// S: ModRM.reg selects a segment register.
    case S
    /// T: ModRM.reg selects a test register (386/486 MOV TRn).
    case T
    /// U: ModRM r/m selects an XMM/YMM register (mod = 11).
    case U
    /// V: ModRM.reg selects an XMM/YMM register.
    case V
    /// W: ModRM r/m, an XMM/YMM register or memory.
    case W
    /// X: memory addressed by DS:rSI (string source).
    case X
    /// Y: memory addressed by ES:rDI (string destination).
    case Y
    /// Z (this project's name): the low 3 bits of the opcode (plus REX.B) select a general-purpose register.
    case Z
    /// A fixed register: `OperandSpec.fixed`.
    case fixedRegister
    /// A general-purpose register by number, sized by the operand type (`rAX`, `eDX` ...).
    case fixedGPR
    /// ST(i) from ModRM r/m.
    case STi
    /// The constant 1 of the shift-by-one forms (iced lists it as an 8-bit immediate).
    case one
    /// ModRM.reg selects a bound register (MPX).
    case bndReg
    /// ModRM r/m, a bound register or memory.
    case bndRM
    /// XLAT's table operand `seg:[rBX + AL]`.
    case xlat
    /// VSIB memory (SDM Vol. 2, 2.3.12): ModRM memory with a mandatory SIB whose index is a vector
    /// register (XMM or YMM, `OperandSpec.fixed` = 16 or 32 bytes); the type is the element size.
    case vsib
    /// Implicit `seg:[rDI]` (DS, overridable): MASKMOVDQU's destination.
    case segDI
}

/// Operand types, Intel SDM Vol. 2, Appendix A.2.2 ("Codes for Operand Type").
enum OperandType: UInt8, Sendable {
    case none = 0
    /// b: byte.
    case b
    /// w: word.
    case w
    /// d: doubleword.
    case d
    /// q: quadword.
    case q
    /// dq: double quadword (128 bits).
    case dq
    /// qq: quad quadword (256 bits).
    case qq
    /// v: word, doubleword or quadword by operand size.
    case v
    /// z: word for 16-bit operand size, doubleword otherwise.
    case z
    /// y: doubleword, or quadword in 64-bit operand size.
    case y
    /// x: dq or qq by VEX.L.
    case x
    /// p: 32-, 48- or 80-bit far pointer by operand size.
    case p
    /// s: 6-byte (10 in 64-bit mode) pseudo-descriptor.
    case s
    /// a: two words or two doublewords (BOUND).
    case a
    /// t: 80-bit x87 value (this project's name for m80).
    case t
    /// ps/pd: packed single/double by VEX.L (128 or 256 bits).
    case ps, pd
    /// ss/sd: scalar single/double.
    case ss, sd
    /// Register sized by operand size (v), memory a word: MOV Sreg, ARPL, SLDT, STR, LAR/LSL sources.
    case vw
    /// Register sized d (or q with REX.W), memory byte / word: PEXTRB/PEXTRW/PINSRB forms.
    case yb, yw
    /// Register a dword, memory a byte/word/dword (PMOVZX-style with a register source is x).
    case db, dw
    /// XMM register, memory 2/4/8 bytes regardless of L (PMOVSX and friends, broadcasts).
    case xw, xd, xq
    /// Memory half of a vector: 8 bytes (L=0) or 16 (L=1) (VCVTPS2PD).
    case xh
    /// Memory a quarter of a vector: 4 or 8 bytes (PMOVZXBD with VEX.L).
    case xqtr
    /// Memory an eighth of a vector: 2 or 4 bytes (PMOVZXBQ with VEX.L).
    case xe
    /// x87 environment: 14 or 28 bytes by operand size.
    case fpenv
    /// x87 state: 94 or 108 bytes by operand size.
    case fpstate
    /// FXSAVE area, 512 bytes.
    case fx
    /// XSAVE area, size not fixed.
    case xsave
    /// Size unknown or not meaningful (LEA, INVLPG, CLFLUSH).
    case unknown
    /// Bound register pair: 8 bytes (32-bit mode) or 16 (64-bit).
    case bnd
    /// Register sized d (or q with REX.W/VEX.W in 64-bit mode), memory a doubleword (VEXTRACTPS).
    case yd
    /// Immediate: the low 4 bits of the `/is4` byte already read for an `L` operand (VPERMIL2PS).
    case b4
    /// Opmask register K0-K7 (with `V`/`H`/`U`; in r/m, REX.B/VEX.B is ignored); `kb kw kd kq`: the same,
    /// or memory of 1/2/4/8 bytes (KMOV).
    case k, kb, kw, kd, kq
    /// AMX tile register TMM0-TMM7 (with `V`/`H`/`U`); the tile operands of one instruction must differ.
    case tmm
    /// Memory that must be encoded with a SIB byte (AMX `sibmem`); no size.
    case sib
    /// 16-bit register or 48/80-bit far pointer in memory (not used yet).
    case ptr
    /// A 64-byte block (MOVDIR64B, ENQCMD).
    case m512
    /// A 48-byte block (Key Locker AES-128 handle).
    case m384
    /// Immediate: 8 bits sign-extended to the operand size.
    case bs
    /// Second 8-bit immediate (ENTER, EXTRQ/INSERTQ).
    case b2
}

/// One operand's encoding: addressing method, type and (for fixed registers) which register.
struct OperandSpec: Sendable, Equatable {
    var method: AddressingMethod = .none
    var type: OperandType = .none
    /// The fixed register (`fixedRegister`) or GPR number (`fixedGPR`).
    var fixed: UInt8 = 0
}
