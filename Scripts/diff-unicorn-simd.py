#!/usr/bin/env python3
"""Differential testing of Popek's MMX/SSE integer instructions and x87 state instructions against Unicorn.

    Scripts/diff-unicorn-simd.py --mode 32|64 --cases N --seed S [--first I] [--popek PATH]
                                 [--length N] [--save FILE] [--save-failures FILE] [--verbose]
                                 [--only MNEMONIC,...] [--no-fail] [--reference unicorn|native]

Each case is a snippet for `popek fuzz snippets` (the line format of Sources/TestVectors/SnippetRunner.swift):

* a prologue (CPL 0) sets CR4.OSFXSR and CR4.OSXMMEXCPT, optionally plants special values (0, all ones,
  sign bits, saturation limits, repeated and null bytes for the string compares) in the data page, and
  loads XMM0-XMM15 (XMM0-7 in 32-bit mode) and MM0-MM7 from it;
* a body of 1..--length random instructions: MMX, SSE to SSE4.2 integer and data movement, AES-NI,
  PCLMULQDQ, CRC32 (encoded by iced-x86 from its opcode tables, register or memory operands, 16-byte
  aligned memory operands with a few misaligned ones, RIP-relative ones in 64-bit mode), and x87 state
  instructions (constants, FXCH, FLD/FST/FSTP ST(i), FCHS, FABS, FXAM, FTST, FCMOVcc, FINCSTP, FDECSTP,
  FFREE, FNSTSW, EMMS) kept within a valid stack depth, since Unicorn does not model x87 stack faults;
* an epilogue stores XMM/MM registers, MXCSR and the x87 control, status and tag words (FNSTENV, with
  the instruction and data pointers, and the reserved halves Unicorn leaves zero, cleared) to the data page.

The final states (status, RIP, GPRs, RFLAGS status flags, the data page) must agree. With --reference
unicorn (the default) Unicorn runs every case and the host CPU decides where it and Popek differ; with
--reference native the host CPU (Scripts/native-snippets.c, 32-bit cases in compatibility mode) runs every
case, and a case ending in an exception also compares the x87/SSE state at the fault (FCW, FSW, tags,
MXCSR, ST0-ST7, the XMM registers), which both sides write into the data page at 0xD00
(POPEK_SNIPPET_FAULT_STATE; saved files carry a `#! fault-state` line for the regression tests). A failing case is
re-run with its body cut short to find the first instruction after which they differ. --save appends
cases with Unicorn's final state in the format of Tests/InterpreterTests/Resources/unicorn-simd-regressions.txt
(`CASE | EXPECTED | FLAGMASK`); Scripts/diff-unicorn-simd-exceptions.txt lists Unicorn's own bugs (a case
whose differences are all explained there is counted apart). The last line is `N passed, M failed`.
"""
import argparse
import collections
import os
import queue
import random
import subprocess
import sys
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


from snippet_common import data_fill, ensure, find_popek, parse_result, result_line  # noqa: E402

I = ensure("iced_x86", "iced-x86")
ensure("unicorn", "unicorn")
import unicorn as U  # noqa: E402
import unicorn.x86_const as UX  # noqa: E402

CODE_ADDR, CODE_SIZE = 0x8000, 0x1000
DATA_ADDR, DATA_SIZE = 0x9000, 0x1000
XMM_IN, MM_IN = 0x800, 0x900          # initial register values in the data page
XMM_OUT, MM_OUT, ENV_OUT, MXCSR_OUT, MXCSR_IN = 0xA00, 0xB00, 0xB40, 0xB60, 0xB70
OPERANDS = 0x7F0                      # memory operands lie in [0, OPERANDS + 16)
FAULT_STATE = 0xD00                   # x87/SSE state at an exception (POPEK_SNIPPET_FAULT_STATE), 416 bytes
STATUS_FLAGS = 0x8D5
R = I.Register
MNEMONIC_NAMES = {v: k for k, v in vars(I.Mnemonic).items() if k.isupper()}
CODE_NAMES = {v: k for k, v in vars(I.Code).items() if k.isupper()}
OPK = {v: k for k, v in vars(I.OpCodeOperandKind).items() if k.isupper()}
FORMATTER = I.Formatter(I.FormatterSyntax.NASM)

SIMD = set("""
MOVD MOVQ MOVDQA MOVDQU MOVAPS MOVUPS MOVAPD MOVUPD MOVSS MOVSD MOVLPS MOVHPS MOVLPD MOVHPD MOVLHPS MOVHLPS
MOVNTPS MOVNTPD MOVNTDQ MOVNTQ MOVNTDQA MOVNTI LDDQU MASKMOVQ MASKMOVDQU MOVQ2DQ MOVDQ2Q MOVSLDUP MOVSHDUP
MOVDDUP PAND PANDN POR PXOR ANDPS ANDPD ANDNPS ANDNPD ORPS ORPD XORPS XORPD
PADDB PADDW PADDD PADDQ PSUBB PSUBW PSUBD PSUBQ PADDSB PADDSW PADDUSB PADDUSW PSUBSB PSUBSW PSUBUSB PSUBUSW
PMULLW PMULHW PMULHUW PMULUDQ PMADDWD PMULDQ PMULLD PMULHRSW PMADDUBSW
PCMPEQB PCMPEQW PCMPEQD PCMPEQQ PCMPGTB PCMPGTW PCMPGTD PCMPGTQ
PMINUB PMAXUB PMINSW PMAXSW PMINSB PMINSD PMINUW PMINUD PMAXSB PMAXSD PMAXUW PMAXUD PAVGB PAVGW PSADBW
MPSADBW PHMINPOSUW PSRLW PSRLD PSRLQ PSRAW PSRAD PSLLW PSLLD PSLLQ PSRLDQ PSLLDQ
PACKSSWB PACKSSDW PACKUSWB PACKUSDW PUNPCKLBW PUNPCKLWD PUNPCKLDQ PUNPCKLQDQ PUNPCKHBW PUNPCKHWD PUNPCKHDQ
PUNPCKHQDQ UNPCKLPS UNPCKHPS UNPCKLPD UNPCKHPD PSHUFB PHADDW PHADDD PHADDSW PHSUBW PHSUBD PHSUBSW
PSIGNB PSIGNW PSIGND PABSB PABSW PABSD PALIGNR PSHUFW PSHUFD PSHUFHW PSHUFLW SHUFPS SHUFPD
PBLENDW BLENDPS BLENDPD PBLENDVB BLENDVPS BLENDVPD
PMOVSXBW PMOVSXBD PMOVSXBQ PMOVSXWD PMOVSXWQ PMOVSXDQ PMOVZXBW PMOVZXBD PMOVZXBQ PMOVZXWD PMOVZXWQ PMOVZXDQ
PTEST PCMPESTRI PCMPESTRI64 PCMPESTRM PCMPESTRM64 PCMPISTRI PCMPISTRM
PMOVMSKB MOVMSKPS MOVMSKPD PEXTRW PEXTRB PEXTRD PEXTRQ EXTRACTPS PINSRW PINSRB PINSRD PINSRQ INSERTPS
AESENC AESENCLAST AESDEC AESDECLAST AESIMC AESKEYGENASSIST PCLMULQDQ CRC32 EMMS STMXCSR
""".split())

# x87 state instructions: (bytes or a function of i, stack depth needed, depth change).
X87 = [
    ("fld1", b"\xd9\xe8", 0, 1), ("fldz", b"\xd9\xee", 0, 1), ("fldpi", b"\xd9\xeb", 0, 1),
    ("fldl2t", b"\xd9\xe9", 0, 1), ("fldl2e", b"\xd9\xea", 0, 1), ("fldlg2", b"\xd9\xec", 0, 1),
    ("fldln2", b"\xd9\xed", 0, 1), ("fchs", b"\xd9\xe0", 1, 0), ("fabs", b"\xd9\xe1", 1, 0),
    ("fxam", b"\xd9\xe5", 1, 0), ("ftst", b"\xd9\xe4", 1, 0), ("fnop", b"\xd9\xd0", 0, 0),
    ("fnclex", b"\xdb\xe2", 0, 0),
]
X87_STI = [  # (name, opcode, ModRM base, depth needed beyond i, depth change)
    ("fld", 0xD9, 0xC0, 1, 1), ("fxch", 0xD9, 0xC8, 1, 0), ("fst", 0xDD, 0xD0, 1, 0),
    ("fstp", 0xDD, 0xD8, 1, -1), ("fcmovb", 0xDA, 0xC0, 1, 0), ("fcmove", 0xDA, 0xC8, 1, 0),
    ("fcmovbe", 0xDA, 0xD0, 1, 0), ("fcmovu", 0xDA, 0xD8, 1, 0), ("fcmovnb", 0xDB, 0xC0, 1, 0),
    ("fcmovne", 0xDB, 0xC8, 1, 0), ("fcmovnbe", 0xDB, 0xD0, 1, 0), ("fcmovnu", 0xDB, 0xD8, 1, 0),
]

SPECIAL32 = [0, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0x00FF00FF, 0x80008000, 0x7FFF7FFF, 0x80808080,
             0x7F7F7F7F, 0x00010001, 0x01010101, 0x00000001, 0xFFFF0000, 0x12345678]
ALPHABET = [0, 0x61, 0x62, 0x63, 0x7A, 0x80, 0xFF]




def templates(bits, only):
    out = []
    for code, name in CODE_NAMES.items():
        try:
            o = I.OpCodeInfo(code)
        except Exception:
            continue
        if o.encoding != I.EncodingKind.LEGACY or not o.is_available_in_mode(bits):
            continue
        mn = MNEMONIC_NAMES.get(o.mnemonic, "")
        if mn not in SIMD or (only and mn not in only):
            continue
        kinds = [OPK[o.op_kind(i)] for i in range(o.op_count)]
        if "SEG_RSI" in kinds or "ES_RDI" in kinds:
            continue  # the string MOVSD
        out.append((code, mn, kinds))
    return sorted(out)


class Gen:
    def __init__(self, bits, r):
        self.bits, self.r = bits, r
        self.nxmm = 16 if bits == 64 else 8
        self.gprs = ([R.RAX, R.RCX, R.RDX, R.RBX, R.RSP, R.RBP, R.RSI, R.RDI, R.R8, R.R9, R.R10, R.R11, R.R12,
                      R.R13, R.R14, R.R15] if bits == 64 else [R.EAX, R.ECX, R.EDX, R.EBX, R.ESP, R.EBP, R.ESI, R.EDI])
        self.gpr32 = [R.EAX, R.ECX, R.EDX, R.EBX, R.ESP, R.EBP, R.ESI, R.EDI, R.R8D, R.R9D, R.R10D, R.R11D,
                      R.R12D, R.R13D, R.R14D, R.R15D][:len(self.gprs)]

    def xmm(self):
        return getattr(R, f"XMM{self.r.randrange(self.nxmm)}")

    def mm(self):
        return getattr(R, f"MM{self.r.randrange(8)}")

    def mem(self):
        r = self.r
        off = r.randrange(0, OPERANDS // 16 + 1) * 16
        if r.random() < 0.06:
            off += r.randrange(1, 16)  # misaligned: #GP for the aligned forms
        addr = DATA_ADDR + off
        if self.bits == 64 and r.random() < 0.3:
            return I.MemoryOperand(R.RIP, displ=addr)
        return I.MemoryOperand(displ=addr, displ_size=4)

    def imm8(self, mn):
        r = self.r
        if mn.startswith("PS") and r.random() < 0.7:
            return r.choice([0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65])
        if mn == "PALIGNR" and r.random() < 0.6:
            return r.randrange(0, 34)
        if mn.startswith("PCMP") and mn.endswith(("STRI", "STRM", "STRI64", "STRM64")):
            return r.randrange(0, 128)
        return r.randrange(256)


def encode(bits, instrs):
    enc = I.Encoder(bits)
    code = bytearray()
    for ins in instrs:
        if isinstance(ins, (bytes, bytearray)):
            code += ins
            continue
        enc.encode(ins, CODE_ADDR + len(code))
        code += enc.take_buffer()
    return bytes(code)


def mov_imm(bits, reg, value):
    if bits == 64:
        return I.Instruction.create_reg_u64(I.Code.MOV_R64_IMM64, reg, value)
    return I.Instruction.create_reg_u32(I.Code.MOV_R32_IMM32, reg, value & 0xFFFF_FFFF)


def build_body(gen, temps, length):
    """The body: a list of (label, [instructions or bytes]) items; each item is one instruction under
    test with its set-up (MOV RDI for MASKMOV)."""
    r, bits = gen.r, gen.bits
    body = []
    depth = 0  # x87 registers in use (8 after an MMX instruction)
    for _ in range(length):
        if r.random() < 0.12:
            # x87 state instruction, within the valid stack depth
            if r.random() < 0.5:
                name, b, need, delta = r.choice(X87)
                if depth < need or depth + delta > 8:
                    name, b, need, delta = ("fnop", b"\xd9\xd0", 0, 0)
                body.append((name, [b]))
                depth += delta
            else:
                name, op, base, need, delta = r.choice(X87_STI)
                if depth < need + 1 or depth + delta > 8:
                    body.append(("fnop", [b"\xd9\xd0"]))
                    continue
                i = r.randrange(depth) if name != "fld" else r.randrange(depth)
                body.append((f"{name} st{i}", [bytes([op, base + i])]))
                depth += delta
            continue
        code, mn, kinds = r.choice(temps)
        ops = []
        setup = []
        for k in kinds:
            if k in ("XMM_REG", "XMM_RM"):
                ops.append(("r", gen.xmm()))
            elif k in ("MM_REG", "MM_RM"):
                ops.append(("r", gen.mm()))
            elif k in ("XMM_OR_MEM",):
                ops.append(("r", gen.xmm()) if r.random() < 0.6 else ("m", gen.mem()))
            elif k in ("MM_OR_MEM",):
                ops.append(("r", gen.mm()) if r.random() < 0.6 else ("m", gen.mem()))
            elif k in ("R32_OR_MEM", "R64_OR_MEM", "R8_OR_MEM", "R16_OR_MEM"):
                if r.random() < 0.6:
                    width = {"R8_OR_MEM": 8, "R16_OR_MEM": 16, "R32_OR_MEM": 32, "R64_OR_MEM": 64}[k]
                    n = r.randrange(len(gen.gprs))
                    reg = {64: gen.gprs, 32: gen.gpr32}.get(width)
                    if reg is None:
                        reg = ([R.AL, R.CL, R.DL, R.BL] if width == 8 else [R.AX, R.CX, R.DX, R.BX])
                        n = r.randrange(4)
                    ops.append(("r", reg[n]))
                else:
                    ops.append(("m", gen.mem()))
            elif k in ("R32_REG",):
                ops.append(("r", gen.gpr32[r.randrange(len(gen.gpr32))]))
            elif k in ("R64_REG",):
                ops.append(("r", gen.gprs[r.randrange(len(gen.gprs))]))
            elif k == "MEM":
                ops.append(("m", gen.mem()))
            elif k == "IMM8":
                ops.append(("i", gen.imm8(mn)))
            elif k == "SEG_RDI":
                ops.append(("d", None))
            else:
                raise SystemExit(f"operand kind {k} of {CODE_NAMES[code]} not handled")
        if ops and ops[0][0] == "d":
            # MASKMOVQ/MASKMOVDQU store through [rDI]
            rdi = R.RDI if bits == 64 else R.EDI
            setup.append(mov_imm(bits, rdi, DATA_ADDR + r.randrange(0, OPERANDS)))
            ins = (I.Instruction.create_maskmovq if mn == "MASKMOVQ" else I.Instruction.create_maskmovdqu)(
                bits, ops[1][1], ops[2][1], R.NONE)
        else:
            shape = "".join(o[0] for o in ops)
            args = [o[1] for o in ops]
            make = {"": I.Instruction.create, "r": I.Instruction.create_reg, "m": I.Instruction.create_mem,
                    "rr": I.Instruction.create_reg_reg, "rm": I.Instruction.create_reg_mem,
                    "mr": I.Instruction.create_mem_reg, "ri": I.Instruction.create_reg_u32,
                    "rri": I.Instruction.create_reg_reg_u32, "rmi": I.Instruction.create_reg_mem_u32,
                    "mri": I.Instruction.create_mem_reg_u32}[shape]
            ins = make(code, *args)
        if mn in ("PCMPESTRI", "PCMPESTRM", "PCMPESTRI64", "PCMPESTRM64"):
            # explicit lengths in EAX/EDX: mostly small, some negative or beyond 16. Not magnitudes of
            # 2^31 or more: Unicorn 2.1 truncates |length| to an int and crashes on the negative result.
            for reg in ((R.RAX, R.RDX) if bits == 64 else (R.EAX, R.EDX)):
                v = r.choice([r.randrange(-20, 21), r.randrange(0, 17), r.randrange(-(1 << 31) + 1, 1 << 31)])
                if mn.endswith("64"):
                    v &= (1 << 64) - 1
                else:
                    v = (v & 0xFFFF_FFFF) | (r.getrandbits(32) << 32 if bits == 64 else 0)
                setup.append(mov_imm(bits, reg, v))
        if mn not in ("EMMS",) and any(o[0] == "r" and "MM" in str(o[1]) and "XMM" not in str(o[1]) for o in ops):
            pass
        body.append((mn, setup + [ins]))
        if mn == "EMMS":
            depth = 0
        elif any(k.startswith("MM_") for k in kinds) or mn in ("MOVQ2DQ", "MOVDQ2Q", "MASKMOVQ"):
            depth = 8
    return body


def prologue(gen, r):
    bits = gen.bits
    out = []
    # CR4 = OSFXSR | OSXMMEXCPT (| PAE in long mode): Unicorn's initial CR4 differs from Popek's
    cr4 = 0x620 if bits == 64 else 0x600
    out.append(bytes.fromhex("b8") + cr4.to_bytes(4, "little") + bytes.fromhex("0f22e0"))  # mov eax,cr4val; mov cr4,rax
    out.append(b"\xdb\xe3")  # FNINIT: Unicorn starts with FCW 0
    mxcsr = 0x1F80 | (r.choice([0, 0x2000, 0x4000, 0x6000, 0x8040]) if r.random() < 0.3 else 0)
    out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, I.MemoryOperand(displ=DATA_ADDR + MXCSR_IN, displ_size=4), mxcsr))
    out.append(I.Instruction.create_mem(I.Code.LDMXCSR_M32, I.MemoryOperand(displ=DATA_ADDR + MXCSR_IN, displ_size=4)))
    # special values in the register images
    for n in range(gen.nxmm):
        if r.random() < 0.5:
            base = DATA_ADDR + XMM_IN + 16 * n
            if r.random() < 0.25:
                # a string for PCMPxSTRx: a small alphabet with nulls
                for k in range(4):
                    v = int.from_bytes(bytes(r.choice(ALPHABET[1:] if r.random() < 0.8 else ALPHABET) for _ in range(4)), "little")
                    out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, I.MemoryOperand(displ=base + 4 * k, displ_size=4), v))
            else:
                for k in r.sample(range(4), r.randrange(1, 5)):
                    out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, I.MemoryOperand(displ=base + 4 * k, displ_size=4),
                                                            r.choice(SPECIAL32)))
    if r.random() < 0.3:
        # equal lanes across registers make the compares true
        a, b = r.randrange(gen.nxmm), r.randrange(gen.nxmm)
        src = DATA_ADDR + XMM_IN + 16 * a
        acc = R.RAX if bits == 64 else R.EAX
        for k in range(0, 16, 4):
            if r.random() < 0.5:
                out.append(I.Instruction.create_reg_mem(I.Code.MOV_R32_RM32, R.EAX, I.MemoryOperand(displ=src + k, displ_size=4)))
                out.append(I.Instruction.create_mem_reg(I.Code.MOV_RM32_R32, I.MemoryOperand(displ=DATA_ADDR + XMM_IN + 16 * b + k, displ_size=4), R.EAX))
        _ = acc
    for n in range(gen.nxmm):
        out.append(I.Instruction.create_reg_mem(I.Code.MOVDQU_XMM_XMMM128, getattr(R, f"XMM{n}"),
                                                I.MemoryOperand(displ=DATA_ADDR + XMM_IN + 16 * n, displ_size=4)))
    if r.random() < 0.7:
        for n in range(8):
            out.append(I.Instruction.create_reg_mem(I.Code.MOVQ_MM_MMM64, getattr(R, f"MM{n}"),
                                                    I.MemoryOperand(displ=DATA_ADDR + MM_IN + 8 * n, displ_size=4)))
        out.append(b"\x0f\x77")  # EMMS: the x87 stack starts empty either way
    return out


def epilogue(gen):
    out = []
    for n in range(gen.nxmm):
        out.append(I.Instruction.create_mem_reg(I.Code.MOVDQU_XMMM128_XMM, I.MemoryOperand(displ=DATA_ADDR + XMM_OUT + 16 * n, displ_size=4),
                                                getattr(R, f"XMM{n}")))
    for n in range(8):
        out.append(I.Instruction.create_mem_reg(I.Code.MOVQ_MMM64_MM, I.MemoryOperand(displ=DATA_ADDR + MM_OUT + 8 * n, displ_size=4),
                                                getattr(R, f"MM{n}")))
    out.append(I.Instruction.create_mem(I.Code.STMXCSR_M32, I.MemoryOperand(displ=DATA_ADDR + MXCSR_OUT, displ_size=4)))
    out.append(I.Instruction.create_mem(I.Code.FNSTENV_M28BYTE, I.MemoryOperand(displ=DATA_ADDR + ENV_OUT, displ_size=4)))
    # keep FCW, FSW, FTW; clear the reserved halves and the pointers (not compared)
    for off in (2, 6, 10):
        out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM16_IMM16, I.MemoryOperand(displ=DATA_ADDR + ENV_OUT + off, displ_size=4), 0))
    for off in range(12, 28, 4):
        out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, I.MemoryOperand(displ=DATA_ADDR + ENV_OUT + off, displ_size=4), 0))
    return out


class Case:
    __slots__ = ("id", "bits", "code", "seed", "regs", "flags", "end", "body", "pro", "epi", "gen")

    def line(self):
        regs = " ".join(f"{v:x}" for v in self.regs)
        return (f"{self.id} {self.bits} {CODE_ADDR:x} {self.code.hex()} {DATA_ADDR:x} {DATA_SIZE:x} "
                f"{self.seed:x} {self.end:x} {self.flags:x} {regs}")

    def cut(self, k):
        """The case with only the first k body instructions."""
        c = Case()
        c.id, c.bits, c.seed, c.regs, c.flags, c.pro, c.epi, c.gen = self.id, self.bits, self.seed, self.regs, self.flags, self.pro, self.epi, self.gen
        c.body = self.body[:k]
        c.code = encode(c.bits, c.pro + [x for _, xs in c.body for x in xs] + c.epi)
        c.end = CODE_ADDR + len(c.code)
        return c


def make_case(bits, temps, r, index, length, prefix):
    gen = Gen(bits, r)
    c = Case()
    c.id, c.bits, c.gen = f"{prefix}{index}", bits, gen
    c.seed = r.randrange(1 << 16)
    width = 64 if bits == 64 else 32
    c.regs = [r.getrandbits(width) if r.random() < 0.7 else r.choice([0, 1, 0x80, (1 << width) - 1, 16, 7]) for _ in range(16)]
    if bits == 32:
        c.regs[8:] = [0] * 8
    c.flags = 2 | (r.getrandbits(12) & STATUS_FLAGS)
    c.pro = prologue(gen, r)
    c.body = build_body(gen, temps, r.randrange(1, length + 1))
    c.epi = epilogue(gen)
    c.code = encode(bits, c.pro + [x for _, xs in c.body for x in xs] + c.epi)
    c.end = CODE_ADDR + len(c.code)
    return c


UC_REGS64 = [UX.UC_X86_REG_RAX, UX.UC_X86_REG_RCX, UX.UC_X86_REG_RDX, UX.UC_X86_REG_RBX, UX.UC_X86_REG_RSP,
             UX.UC_X86_REG_RBP, UX.UC_X86_REG_RSI, UX.UC_X86_REG_RDI, UX.UC_X86_REG_R8, UX.UC_X86_REG_R9,
             UX.UC_X86_REG_R10, UX.UC_X86_REG_R11, UX.UC_X86_REG_R12, UX.UC_X86_REG_R13, UX.UC_X86_REG_R14,
             UX.UC_X86_REG_R15]
UC_REGS32 = [UX.UC_X86_REG_EAX, UX.UC_X86_REG_ECX, UX.UC_X86_REG_EDX, UX.UC_X86_REG_EBX, UX.UC_X86_REG_ESP,
             UX.UC_X86_REG_EBP, UX.UC_X86_REG_ESI, UX.UC_X86_REG_EDI]


class UnicornRunner:
    def __init__(self, bits):
        self.bits = bits
        self.regs = UC_REGS64 if bits == 64 else UC_REGS32
        self.rip = UX.UC_X86_REG_RIP if bits == 64 else UX.UC_X86_REG_EIP
        self.fresh()

    def fresh(self):
        # A new engine per case: the x87/SSE state must start at reset values, and Unicorn keeps
        # exception state across emu_start calls.
        self.uc = U.Uc(U.UC_ARCH_X86, U.UC_MODE_64 if self.bits == 64 else U.UC_MODE_32)
        self.uc.ctl_set_cpu_model(UX.UC_CPU_X86_OPTERON_G4)
        self.uc.mem_map(CODE_ADDR, CODE_SIZE + DATA_SIZE)
        self.uc.hook_add(U.UC_HOOK_INTR, self._intr)
        self.uc.hook_add(U.UC_HOOK_CODE, self._code)

    def _code(self, uc, address, size, _):
        pass

    def _intr(self, uc, intno, _):
        self.vector = intno
        uc.emu_stop()

    def run(self, case):
        self.fresh()
        uc = self.uc
        uc.mem_write(CODE_ADDR, case.code + bytes(CODE_SIZE - len(case.code)))
        initial = data_fill(case.seed)
        uc.mem_write(DATA_ADDR, initial)
        for reg, v in zip(self.regs, case.regs):
            uc.reg_write(reg, v)
        uc.reg_write(UX.UC_X86_REG_EFLAGS, case.flags)
        self.vector = None
        status = "end"
        try:
            uc.emu_start(CODE_ADDR, case.end, timeout=5_000_000)
        except U.UcError as e:
            status = "wild"
            if e.errno == U.UC_ERR_INSN_INVALID:
                status = "exc6"
            elif e.errno not in (U.UC_ERR_READ_UNMAPPED, U.UC_ERR_WRITE_UNMAPPED, U.UC_ERR_FETCH_UNMAPPED):
                status = f"ucerr{e.errno}"
        rip = uc.reg_read(self.rip)
        if self.vector is not None:
            status = f"exc{self.vector}"
        elif status == "end" and rip != case.end:
            status = "budget"
        regs = [uc.reg_read(reg) for reg in self.regs] + ([0] * 8 if self.bits == 32 else [])
        flags = uc.reg_read(UX.UC_X86_REG_EFLAGS)
        final = bytes(uc.mem_read(DATA_ADDR, DATA_SIZE))
        mem = {i: final[i] for i in range(DATA_SIZE) if final[i] != initial[i]}
        return {"status": status, "rip": rip, "flags": flags, "regs": regs, "mem": mem}


class PopekRunner:
    """One `popek fuzz snippets` process; batches end with a `sync` line."""

    def __init__(self, popek):
        argv = [popek] if popek.endswith(f"native-snippets-{os.getuid()}") else [popek, "fuzz", "snippets"]
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
        self.q = queue.Queue()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line.rstrip("\n"))
        self.q.put(None)

    def send(self, lines):
        self.p.stdin.write("\n".join(lines) + "\nsync\n")
        self.p.stdin.flush()

    def receive(self):
        out = []
        while True:
            line = self.q.get()
            if line is None:
                raise RuntimeError("popek fuzz snippets exited early (crash?)")
            if line == "sync":
                return out
            out.append(line)

    def run(self, case):
        self.send([case.line()])
        return parse_result(self.receive()[0])

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class NativeRunner(PopekRunner):
    """Scripts/native-snippets.c: the host CPU runs the cases (32-bit ones in compatibility mode), the
    prologue's MOV to CR4 made a NOP."""

    def __init__(self):
        exe = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"popek-native-snippets-{os.getuid()}")
        src = os.path.join(ROOT, "Scripts", "native-snippets.c")
        if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
            subprocess.check_call(["cc", "-O1", "-o", exe, src])
        super().__init__(exe)

    @staticmethod
    def native_case(case):
        c = Case()
        for k in Case.__slots__:
            setattr(c, k, getattr(case, k))
        code = bytearray(case.code)
        assert len(code) <= 0xF00, "the code page's last 256 bytes are the harness's"
        assert code[5:8] == b"\x0f\x22\xe0", "prologue layout"
        code[5:8] = b"\x0f\x1f\x00"
        c.code = bytes(code)
        return c

    def run(self, case):
        return super().run(self.native_case(case))

    def run_many(self, cases):
        self.send([self.native_case(c).line() for c in cases])
        return [parse_result(line) for line in self.receive()]


def region(off):
    if FAULT_STATE <= off < FAULT_STATE + 416:
        k = off - FAULT_STATE
        if k >= 160:
            return f"fault-xmm{(k - 160) // 16}"
        if k >= 32:
            return f"fault-st{(k - 32) // 16}"
        return {0: "fault-fcw", 1: "fault-fcw", 2: "fault-fsw", 3: "fault-fsw", 4: "fault-ftw"}.get(k, "fault-mxcsr")
    if XMM_OUT <= off < XMM_OUT + 256:
        return f"xmm{(off - XMM_OUT) // 16}"
    if MM_OUT <= off < MM_OUT + 64:
        return f"mm{(off - MM_OUT) // 8}"
    if ENV_OUT <= off < ENV_OUT + 28:
        return ["fcw", "fcw", "fsw", "fsw", "ftw", "ftw"][min((off - ENV_OUT) // 2, 5)] if off - ENV_OUT < 12 else "env"
    if MXCSR_OUT <= off < MXCSR_OUT + 4:
        return "mxcsr"
    return "data"


def differences(case, want, got, names=("unicorn", "popek")):
    a, b = names
    out = []
    wide = (1 << 64) - 1 if case.bits == 64 else 0xFFFF_FFFF
    if want["status"] != got["status"]:
        out.append(f"status: {a} {want['status']}, {b} {got['status']}")
    if want["rip"] & wide != got["rip"] & wide:
        out.append(f"rip: {a} {want['rip']:#x}, {b} {got['rip']:#x}")
    if (want["flags"] ^ got["flags"]) & STATUS_FLAGS:
        out.append(f"rflags: {a} {want['flags'] & STATUS_FLAGS:#x}, {b} {got['flags'] & STATUS_FLAGS:#x}")
    regnames = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"] + [f"r{i}" for i in range(8, 16)]
    for n in range(16 if case.bits == 64 else 8):
        if (want["regs"][n] ^ got["regs"][n]) & wide:
            out.append(f"{regnames[n]}: {a} {want['regs'][n] & wide:#x}, {b} {got['regs'][n] & wide:#x}")
    if want["mem"] != got["mem"]:
        offs = sorted(set(want["mem"]) | set(got["mem"]))
        bad = [o for o in offs if want["mem"].get(o) != got["mem"].get(o)]
        seen = []
        for o in bad:
            name = region(o)
            if name not in seen:
                seen.append(name)
        for name in seen[:4]:
            o = next(x for x in bad if region(x) == name)
            init = data_fill(case.seed)
            if name.startswith(("xmm", "mm")):
                size = 16 if name.startswith("xmm") else 8
                base = (XMM_OUT + 16 * int(name[3:])) if name.startswith("xmm") else (MM_OUT + 8 * int(name[2:]))
                def val(mem):
                    return bytes(mem.get(base + k, init[base + k]) for k in range(size))[::-1].hex()
                out.append(f"{name}: {a} {val(want['mem'])}, {b} {val(got['mem'])}")
            else:
                out.append(f"{name}+{o:#x}: {a} {want['mem'].get(o, init[o]):#04x}, {b} {got['mem'].get(o, init[o]):#04x}")
    return out


def listing(case):
    code = encode(case.bits, [x for _, xs in case.body for x in xs])
    dec = I.Decoder(case.bits, code, ip=0)
    return "\n".join(f"    {FORMATTER.format(i)}" for i in dec)


def culprit(case, uni, popek):
    """The first body instruction after which they differ: (name, differences, k, Unicorn's and Popek's results)."""
    for k in range(1, len(case.body) + 1):
        c = case.cut(k)
        want, got = uni.run(c), popek.run(c)
        d = differences(c, want, got)
        if d:
            return case.body[k - 1][0], d, k, want, got
    return None, [], 0, None, None


def load_exceptions(path):
    """Lines `MNEMONIC | FIELD[,FIELD] | reason`: a failure attributed to MNEMONIC whose differing fields
    are all among FIELD (xmm/mm/fsw/fcw/ftw/mxcsr/data/status/rflags/a register name) is excused."""
    out = []
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                p = [x.strip() for x in line.split("|")]
                out.append((p[0].upper(), set(p[1].split(",")), p[2] if len(p) > 2 else ""))
    return out


HORIZONTAL = {"PHADDW", "PHADDD", "PHADDSW", "PHSUBW", "PHSUBD", "PHSUBSW"}


def unicorn_limitation(case, k, diffs, want, got):
    """Unicorn (QEMU 5) behaviour that the hardware contradicts, for cases no CPU can check (32-bit
    mode); each rule is confirmed in 64-bit mode by Scripts/native-snippets.c and documented in
    Scripts/diff-unicorn-simd-exceptions.txt. `k`: the body length after which the states differ."""
    fields = {field_of(x) for x in diffs}
    items = case.body[:k]
    has_mmx = any(any(isinstance(x, I.Instruction) and any(
        R.MM0 <= x.op_register(j) <= R.MM7 for j in range(x.op_count) if x.op_kind(j) == I.OpKind.REGISTER)
        for x in xs) for _, xs in items)
    # 1. MMX writes do not set the register's exponent to all ones: FNSTENV tags, FXAM and FTST differ.
    if fields <= {"ftw", "fsw"} and has_mmx:
        return "MMX exponent"
    decoded = [x for x in items[-1][1] if isinstance(x, I.Instruction)] if items else []
    last = decoded[-1] if decoded else None
    # 2. No #GP for a misaligned 16-byte operand of a legacy SSE instruction.
    if last is not None and got["status"] == "exc13" and want["status"] == "end":
        for j in range(last.op_count):
            if last.op_kind(j) == I.OpKind.MEMORY and last.memory_displacement % 16 and I.MemorySizeInfo(last.memory_size).size == 16:
                return "alignment"
    # 3. EMMS keeps TOP (QEMU 5); processors set it to 0, as every MMX instruction does (SDM Vol. 3,
    #    Table 12-2): a later x87 push lands in another physical register.
    if fields <= {"mm", "ftw", "fsw"} and any(n == "EMMS" for n, _ in items[:-1]):
        return "EMMS TOP"
    # 4. Horizontal add/subtract with the same register as both operands: computed in place.
    if last is not None and MNEMONIC_NAMES.get(last.mnemonic) in HORIZONTAL and last.op_count == 2 \
            and last.op_kind(1) == I.OpKind.REGISTER and last.op0_register == last.op1_register:
        return "horizontal in place"
    return None


def field_of(d):
    name = d.split(":")[0].split("+")[0]
    return "xmm" if name.startswith("xmm") else "mm" if name.startswith("mm") else name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", type=int, choices=(32, 64), required=True)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--length", type=int, default=4, help="most instructions per body")
    ap.add_argument("--only", default="", help="comma-separated mnemonics to draw from")
    ap.add_argument("--popek")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--save", metavar="FILE", help="append every case with Unicorn's final state")
    ap.add_argument("--save-failures", metavar="FILE", help="append failing cases with Unicorn's final state")
    ap.add_argument("--note", default="", help="comment line written before saved cases")
    ap.add_argument("--id-prefix", default="s")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--no-fail", action="store_true")
    ap.add_argument("--no-native", action="store_true", help="do not ask the host CPU when Unicorn and Popek differ")
    ap.add_argument("--reference", choices=("unicorn", "native"), default="unicorn",
                    help="unicorn (the host CPU decides where they differ) or native (the host CPU runs every case, "
                         "32-bit ones in compatibility mode, and the x87/SSE state is compared at exceptions too)")
    args = ap.parse_args()
    bits = args.mode
    if args.reference == "native":
        os.environ["POPEK_SNIPPET_FAULT_STATE"] = f"{FAULT_STATE:x}"
        args.no_native = False
    only = {m.strip().upper() for m in args.only.split(",") if m.strip()}
    temps = templates(bits, only)
    if not temps:
        sys.exit("no instructions to test")
    popek = PopekRunner(find_popek(args))
    uni = UnicornRunner(bits) if args.reference == "unicorn" else None
    exceptions = load_exceptions(os.path.join(ROOT, "Scripts", "diff-unicorn-simd-exceptions.txt"))
    save = open(args.save, "a") if args.save else None
    save_failures = open(args.save_failures, "a") if args.save_failures else None
    for f in (save, save_failures):
        if f and args.note:
            f.write(f"# {args.note}\n")
        if f and os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
            # the x87/SSE state at exceptions is in the saved results: replayed the same way
            f.write(f"#! fault-state {os.environ['POPEK_SNIPPET_FAULT_STATE']}\n")
    passed = failed = excused_n = 0
    groups = collections.defaultdict(list)
    hardware = collections.defaultdict(list)  # Unicorn wrong, the CPU agrees with Popek
    known = collections.Counter()  # Unicorn limitations (unicorn_limitation), without a CPU to ask
    native = None
    if not args.no_native:
        try:
            native = NativeRunner()
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"no native reference: {e}", file=sys.stderr)
    statuses = collections.Counter()
    start = time.time()
    index, last = args.first, args.first + args.cases
    while index < last:
        batch = []
        while index < last and len(batch) < args.batch:
            r = random.Random(f"simd-{args.seed}-{bits}-{index}")
            c = make_case(bits, temps, r, index, args.length, args.id_prefix)
            batch.append((c, uni.run(c) if uni else None))
            index += 1
        popek.send([c.line() for c, _ in batch])
        if not uni:
            batch = [(c, want) for (c, _), want in zip(batch, native.run_many([c for c, _ in batch]))]
        results = popek.receive()
        for (c, want), line in zip(batch, results):
            got = parse_result(line)
            statuses[want["status"]] += 1
            d = differences(c, want, got, ("unicorn", "popek") if uni else ("cpu", "popek"))
            if not d:
                passed += 1
                if save:
                    save.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
                continue
            if not uni:
                name, d1, k, _, _ = culprit(c, native, popek)
                failed += 1
                groups[name].append((c, d1 or d))
                if save_failures:
                    save_failures.write(f"# {bits}-bit seed {args.seed} case {c.id}: {name}: {'; '.join(d1 or d)[:300]}\n")
                    save_failures.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
                if args.verbose:
                    print(f"FAIL {c.id} ({name}): " + "; ".join(d1 or d))
                    print(listing(c))
                continue
            name, d1, k, want1, got1 = culprit(c, uni, popek)
            if not native and k and unicorn_limitation(c, k, d1, want1, got1):
                known[unicorn_limitation(c, k, d1, want1, got1)] += 1
                continue
            if native:
                # The host CPU decides: if it agrees with Popek, Unicorn is wrong.
                cpu = native.run(c)
                if not differences(c, cpu, got, ("cpu", "popek")):
                    hardware[name].append((c, d1 or d))
                    if save or save_failures:
                        f = save or save_failures
                        f.write(f"# {bits}-bit seed {args.seed} case {c.id}: Unicorn wrong (the CPU agrees with Popek) "
                                f"after {name}: {'; '.join(d1 or d)[:240]}\n")
                        f.write(f"{c.line()} | {result_line(c.id, cpu)} | {STATUS_FLAGS:x}\n")
                    continue
                d1 = (d1 or d) + ["cpu: " + "; ".join(differences(c, cpu, got, ("cpu", "popek")))[:300]]
            fields = {field_of(x) for x in (d1 or d)}
            if any((m == "*" or m == (name or "").upper().split()[0]) and fields <= fs for m, fs, _ in exceptions):
                excused_n += 1
                continue
            failed += 1
            groups[name].append((c, d1 or d))
            if save_failures:
                save_failures.write(f"# {bits}-bit seed {args.seed} case {c.id}: {name}: {'; '.join(d1 or d)[:300]}\n")
                save_failures.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
            if args.verbose:
                print(f"FAIL {c.id} ({name}): " + "; ".join(d1 or d))
                print(listing(c))
    popek.close()
    if native:
        native.close()
    for f in (save, save_failures):
        if f:
            if os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
                f.write("#! fault-state off\n")
            f.close()
    for name, items in sorted(hardware.items(), key=lambda kv: -len(kv[1])):
        print(f"{name}: {len(items)} cases where Unicorn is wrong (the CPU agrees with Popek)")
        for c, d in items[:1]:
            print(f"  case {c.id}: " + "; ".join(d)[:300])
    for name, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"{name}: {len(items)} failing")
        for c, d in items[:args.examples]:
            print(f"  case {c.id}: " + "; ".join(d)[:400])
            print(listing(c))
    took = time.time() - start
    unicorn_wrong = sum(len(v) for v in hardware.values()) + sum(known.values())
    excused_n += unicorn_wrong
    if known:
        print("known Unicorn limitations: " + ", ".join(f"{k} {v}" for k, v in known.most_common()))
    print(f"{bits}-bit: {passed + failed + excused_n} cases in {took:.0f} s ({unicorn_wrong} where the CPU agrees with "
          f"Popek against Unicorn, {excused_n - unicorn_wrong} excused by the exceptions file); "
          f"{'unicorn' if uni else 'cpu'} stops: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}")
    print(f"{passed + excused_n} passed, {failed} failed")
    sys.exit(0 if failed == 0 or args.no_fail else 1)


if __name__ == "__main__":
    main()
