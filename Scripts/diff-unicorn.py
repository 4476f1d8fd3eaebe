#!/usr/bin/env python3
"""Differential testing of Popek's interpreter against Unicorn (QEMU's CPU emulation).

    Scripts/diff-unicorn.py --mode 32|64 --cases N --seed S [--first I] [--popek PATH]
                            [--save-failures FILE] [--verbose] [--no-fail] [--weights GROUP=W,...]
                            [--native] [--save-host FILE]

Generates N random sequences of 1-20 user-mode general-purpose integer instructions (encoded by
iced-x86 from its opcode tables, plus hand-built control flow), runs each on Unicorn and on Popek
(`popek fuzz snippets`) from the same state, and compares the final state:

* status: reached the end, or stopped by an exception (vector and RIP of the faulting instruction);
* RAX..R15 (EAX..EDI in 32-bit mode) and RIP;
* RFLAGS: the status flags that are defined at that point (iced-x86's per-instruction
  flags-undefined info, accumulated along every path through the sequence), and DF, IF, TF, IOPL,
  NT, RF, AC, ID;
* the 4 KiB data page (which also holds the stack).

The guest: code at 0x8000, data page at 0x9000 (RSP inside it), flat segments at CPL 0, Unicorn
CPU model EPYC, whose CPUID integer features are Popek's (POPCNT, LZCNT, CMPXCHG16B, LAHF in
64-bit mode, BMI1 (so F3 0F BC is TZCNT), BMI2, ADX).

How sequences stay well defined:
* every memory operand is preceded by MOVs that load its base/index registers so that the access
  lands in the data page (LEA and NOP r/m take whatever the registers hold); RSP is never written
  except by stack instructions or to point into the stack area;
* branches go forward only (Jcc, JMP, LOOPcc, JrCXZ, CALL blocks with a RET, CALL $+5/POP, JMP/CALL
  through a register), so every sequence ends;
* an instruction that reads a flag left undefined on some path gets a CMP inserted before it;
* shift counts, REP counts, string pointers and bit offsets are set up to stay in the page.

Mismatches are grouped by the mnemonic of the first instruction where the final states can
diverge (the reported state is the end state; use --verbose on one case to see it). Cases that
match an entry of Scripts/diff-unicorn-exceptions.txt (Unicorn's own bugs, each with its evidence)
are counted apart. --save-failures appends failing cases with Unicorn's final state in the format
of Tests/InterpreterTests/Resources/unicorn-regressions.txt. The last line is `N passed, M failed`;
the exit status is 1 if any case failed.

Instruction groups (GROUPS) include BMI1/BMI2/ADX (`bmi`, VEX-encoded); --weights bmi=60 makes
BMI-heavy sequences. --native runs every failing or excused case on the host CPU too
(Scripts/native-snippets.c) and reports whether it agrees with Popek; --save-host writes cases with
the host CPU's final state for the regression file (its initial RFLAGS: the status flags only).
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
DATA_END = DATA_ADDR + DATA_SIZE
STACK_LO, STACK_HI = DATA_ADDR + 0xA00, DATA_ADDR + 0xE00   # where RSP may point
R = I.Register
C = I.Code
F = I.RflagsBits

# RFLAGS bits compared: CF PF AF ZF SF TF IF DF OF IOPL NT RF AC ID.
COMPARE_MASK = 0x0027_7FD5
STATUS_FLAGS = 0x8D5
ICED_FLAGS = ((F.OF, 0x800), (F.SF, 0x80), (F.ZF, 0x40), (F.AF, 0x10), (F.CF, 0x1), (F.PF, 0x4),
              (F.DF, 0x400), (F.IF, 0x200), (F.AC, 0x40000))


def x86_flags(iced_bits):
    out = 0
    for b, v in ICED_FLAGS:
        if iced_bits & b:
            out |= v
    return out


def enum_names(cls):
    return {v: k for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)}


CODE_NAMES = enum_names(I.Code)
MNEMONIC_NAMES = enum_names(I.Mnemonic)
OPK_NAMES = enum_names(I.OpCodeOperandKind)
FORMATTER = I.Formatter(I.FormatterSyntax.NASM)
INFO = I.InstructionInfoFactory()
WRITE_ACCESS = {I.OpAccess.WRITE, I.OpAccess.COND_WRITE, I.OpAccess.READ_WRITE, I.OpAccess.READ_COND_WRITE}

GPR64 = [R.RAX, R.RCX, R.RDX, R.RBX, R.RSP, R.RBP, R.RSI, R.RDI, R.R8, R.R9, R.R10, R.R11, R.R12, R.R13, R.R14, R.R15]
GPR32 = [R.EAX, R.ECX, R.EDX, R.EBX, R.ESP, R.EBP, R.ESI, R.EDI, R.R8D, R.R9D, R.R10D, R.R11D, R.R12D, R.R13D, R.R14D, R.R15D]
GPR16 = [R.AX, R.CX, R.DX, R.BX, R.SP, R.BP, R.SI, R.DI, R.R8W, R.R9W, R.R10W, R.R11W, R.R12W, R.R13W, R.R14W, R.R15W]
GPR8 = [R.AL, R.CL, R.DL, R.BL, R.SPL, R.BPL, R.SIL, R.DIL, R.R8L, R.R9L, R.R10L, R.R11L, R.R12L, R.R13L, R.R14L, R.R15L]
HIGH8 = [R.AH, R.CH, R.DH, R.BH]
REG_NUMBER = {}
for table in (GPR64, GPR32, GPR16, GPR8):
    for n, reg in enumerate(table):
        REG_NUMBER[reg] = n
for n, reg in enumerate(HIGH8):
    REG_NUMBER[reg] = n
RSP_FAMILY = {R.RSP, R.ESP, R.SP, R.SPL}
BY_WIDTH = {8: GPR8, 16: GPR16, 32: GPR32, 64: GPR64}

# ---------------------------------------------------------------------------------------------
# Instruction templates from iced's opcode tables.

GROUPS = {
    "alu": ("ADD OR ADC SBB AND SUB XOR CMP TEST INC DEC NEG NOT", 22),
    "shift": ("ROL ROR RCL RCR SHL SAL SHR SAR", 12),
    "shiftd": ("SHLD SHRD", 4),
    "muldiv": ("MUL IMUL DIV IDIV", 8),
    "bittest": ("BT BTS BTR BTC", 5),
    "bitscan": ("BSF BSR POPCNT LZCNT TZCNT", 4),
    "move": ("MOV MOVZX MOVSX MOVSXD LEA", 10),
    "cond": ("SETO SETNO SETB SETAE SETE SETNE SETBE SETA SETS SETNS SETP SETNP SETL SETGE SETLE SETG "
             "CMOVO CMOVNO CMOVB CMOVAE CMOVE CMOVNE CMOVBE CMOVA CMOVS CMOVNS CMOVP CMOVNP CMOVL CMOVGE CMOVLE CMOVG", 6),
    "exchange": ("XCHG XADD CMPXCHG CMPXCHG8B CMPXCHG16B", 6),
    "misc": ("BSWAP CBW CWDE CDQE CWD CDQ CQO LAHF SAHF CLC STC CMC CLD STD NOP", 5),
    "decimal": ("DAA DAS AAA AAS AAM AAD SALC", 2),
    "bound": ("BOUND", 0.5),
    # BMI1, BMI2 (VEX-encoded) and ADX.
    "bmi": ("ANDN BEXTR BLSI BLSMSK BLSR BZHI MULX PDEP PEXT RORX SARX SHLX SHRX ADCX ADOX", 5),
}
# --save-host: the flags analysis leaves out its Unicorn workarounds (the host CPU is the reference).
HOST_REFERENCE = False
# --weights GROUP=W,...: weights replacing those above and the special families' (pushpop, flagstack,
# strings, xlat, pusha, ud) for a run focused on some instructions.
WEIGHTS = {}
# Groups whose VEX encodings are generated (every other group: legacy encodings only).
VEX_GROUPS = {"bmi"}
OPERAND_KINDS = {
    "R8_OR_MEM", "R16_OR_MEM", "R32_OR_MEM", "R64_OR_MEM", "R8_REG", "R16_REG", "R32_REG", "R64_REG",
    "R32_RM", "R64_RM", "R8_OPCODE", "R16_OPCODE", "R32_OPCODE", "R64_OPCODE", "AL", "CL", "AX", "EAX", "RAX",
    "IMM8", "IMM16", "IMM32", "IMM64", "IMM8SEX16", "IMM8SEX32", "IMM8SEX64", "IMM32SEX64", "IMM8_CONST_1",
    "MEM", "MEM_OFFS", "R32_VVVV", "R64_VVVV",
}


# Encodings real processors execute that Unicorn raises #UD for (documented in
# Scripts/diff-unicorn-exceptions.txt): not generated.
UNICORN_UNSUPPORTED = {"TEST_RM8_IMM8_F6R1", "TEST_RM16_IMM16_F7R1", "TEST_RM32_IMM32_F7R1", "TEST_RM64_IMM32_F7R1"}


# Encodings Unicorn executes wrongly in 64-bit mode (Scripts/diff-unicorn-exceptions.txt): not
# generated; Tests/InterpreterTests/Resources/unicorn-regressions.txt has hardware-derived cases.
UNICORN_WRONG_64 = {"CMPXCHG_RM32_R32"}


def build_templates(bits):
    by_group = collections.defaultdict(list)
    for code, name in CODE_NAMES.items():
        if code == C.INVALID:
            continue
        try:
            o = I.OpCodeInfo(code)
        except Exception:
            continue
        if not o.is_instruction or o.decoder_option != 0 or o.encoding not in (I.EncodingKind.LEGACY, I.EncodingKind.VEX):
            continue
        if not (o.mode64 if bits == 64 else o.mode32):
            continue
        kinds = tuple(OPK_NAMES.get(k, "?") for k in o.op_kinds())
        if any(k not in OPERAND_KINDS for k in kinds):
            continue
        mn = MNEMONIC_NAMES[o.mnemonic]
        if name in UNICORN_UNSUPPORTED or (bits == 64 and name in UNICORN_WRONG_64):
            continue
        for g, (names, _) in GROUPS.items():
            if mn in names.split() and (o.encoding == I.EncodingKind.LEGACY or g in VEX_GROUPS):
                by_group[g].append((code, name, mn, kinds, o.can_use_lock_prefix))
    return by_group


# ---------------------------------------------------------------------------------------------
# Sequences: items of instructions with labels, laid out and encoded.

class Ins:
    """One instruction: an iced Instruction, a deferred one (needs label addresses), or a branch."""
    __slots__ = ("instr", "make", "branch", "label", "data")

    def __init__(self, instr=None, make=None, branch=None, label=None):
        self.instr, self.make, self.branch, self.label = instr, make, branch, label
        self.data = None


class Retry(Exception):
    pass


def biased_value(r, width):
    mask = (1 << width) - 1
    k = r.random()
    if k < 0.25:
        return r.getrandbits(width)
    if k < 0.45:
        return r.choice((0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000,
                         0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
                         mask, mask - 1)) & mask
    if k < 0.6:
        return r.randint(0, 64)
    if k < 0.7:
        return (-r.randint(1, 64)) & mask
    if k < 0.8:
        return (r.getrandbits(64) >> r.randint(0, 63)) & mask
    if k < 0.9:
        return (DATA_ADDR + r.randrange(DATA_SIZE)) & mask
    return (r.getrandbits(width) & ~r.getrandbits(width)) & mask


class Generator:
    def __init__(self, bits, templates, r):
        self.bits, self.t, self.r = bits, templates, r
        self.nregs = 16 if bits == 64 else 8
        self.hot = [r.randrange(DATA_SIZE - 16) for _ in range(6)]
        # Inside a CALL's or ENTER's body, memory operands keep clear of the stack area, so that the
        # return address and saved frame pointer survive (a RET to garbage ends nowhere useful).
        self.avoid_stack = False

    # -- registers ------------------------------------------------------------------------------
    def reg(self, width, forbid=(), allow_high=True):
        r = self.r
        while True:
            if width == 8 and allow_high and r.random() < 0.25:
                reg = r.choice(HIGH8)
            else:
                reg = BY_WIDTH[width][r.randrange(self.nregs)]
                if width == 8 and self.bits == 32 and REG_NUMBER[reg] >= 4:
                    reg = HIGH8[REG_NUMBER[reg] - 4]
            n = REG_NUMBER[reg] if reg not in HIGH8 else REG_NUMBER[reg]
            if n in forbid:
                continue
            return reg

    def mov_imm(self, n, value, width=None):
        """MOV of a full register number n (64 or 32 bits)."""
        if self.bits == 64 and (width == 64 or (width is None and value >> 32)):
            return Ins(I.Instruction.create_reg_u64(C.MOV_R64_IMM64, GPR64[n], value & (2**64 - 1)))
        if width == 16:
            return Ins(I.Instruction.create_reg_u32(C.MOV_R16_IMM16, GPR16[n], value & 0xFFFF))
        return Ins(I.Instruction.create_reg_u32(C.MOV_R32_IMM32, GPR32[n], value & 0xFFFF_FFFF))

    def target(self, size, margin=0, align=1):
        r = self.r
        if r.random() < 0.5:
            off = r.choice(self.hot) + r.randint(-8, 8)
        else:
            off = r.randrange(DATA_SIZE)
        off = max(margin, min(off, DATA_SIZE - size - margin))
        if self.avoid_stack and STACK_LO - 0x200 - size <= DATA_ADDR + off < STACK_HI + 0x100:
            off = r.randrange(margin, STACK_LO - 0x200 - size - margin - DATA_ADDR)
        return DATA_ADDR + (off & ~(align - 1))

    # -- memory operands --------------------------------------------------------------------------
    def memory(self, size, setup, forbid, noaccess=False, seg=True, align=1, rip=True):
        """A MemoryOperand whose address lands in the data page (after `setup`, which gets MOVs)."""
        r = self.r
        asize = self.bits
        if r.random() < 0.12:
            asize = 32 if self.bits == 64 else 16
        segreg = R.NONE
        if seg and r.random() < 0.1:
            segreg = r.choice((R.ES, R.SS, R.DS, R.FS, R.GS) + ((R.CS,) if self.bits == 64 else ()))
        if noaccess:
            return self.random_memory(asize, segreg)
        t = self.target(max(size, 1), align=align)
        if asize == 16:
            return self.memory16(t, setup, forbid, segreg)
        amask = (1 << asize) - 1
        table = GPR64 if asize == 64 else GPR32
        form = r.random()
        if self.bits == 64 and asize == 64 and form < 0.12 and rip:
            return I.MemoryOperand(R.RIP, displ=t, displ_size=8, seg=segreg)
        if form < 0.2:
            return I.MemoryOperand(displ=t, displ_size=4 if asize != 64 else 8, seg=segreg)
        use_base = form >= 0.35
        use_index = form < 0.35 or r.random() < 0.4
        base = index = None
        if use_base:
            base = r.randrange(self.nregs)
            if base in forbid:
                raise Retry()
        if use_index:
            index = r.randrange(self.nregs)
            if index == 4 or index in forbid:
                index = None
        if base is None and index is None:
            return I.MemoryOperand(displ=t, displ_size=4 if asize != 64 else 8, seg=segreg)
        scale = r.choice((1, 2, 4, 8)) if index is not None else 1
        dk = r.random()
        disp = 0 if dk < 0.3 else r.randint(-128, 127) if dk < 0.7 else r.randint(-0x8000_0000, 0x7FFF_FFFF) if dk < 0.85 else r.randint(-4096, 4096)
        if base == 4:
            # RSP as base: it must stay in the stack area.
            sp = r.randrange(STACK_LO, STACK_HI)
            iv = r.randint(0, 16) if index is not None else 0
            disp = t - sp - iv * scale
            setup.append(self.mov_imm(4, sp, 64 if self.bits == 64 else 32))
            if index is not None:
                setup.append(self.mov_imm(index, iv))
        elif base is not None and base == index:
            bv = r.randrange(0, t // (1 + scale))
            disp = t - bv * (1 + scale)
            setup.append(self.mov_imm(base, self.widen(bv, asize)))
        else:
            iv = 0
            if index is not None:
                iv = biased_value(r, asize) if r.random() < 0.5 else r.randint(-64, 64) & amask
            if base is None and index is not None:
                disp = (t - iv * scale) & 0xFFFF_FFFF
                if disp >= 0x8000_0000:
                    disp -= 1 << 32
                if asize == 64 and (iv * scale + disp) & amask != t:
                    iv = r.randint(0, 64)
                    disp = t - iv * scale
            if index is not None:
                setup.append(self.mov_imm(index, self.widen(iv & amask, asize)))
            if base is not None:
                bv = (t - disp - iv * scale) & amask
                setup.append(self.mov_imm(base, self.widen(bv, asize)))
        b = table[base] if base is not None else R.NONE
        i = table[index] if index is not None else R.NONE
        dsize = 0 if disp == 0 and r.random() < 0.7 else (1 if -128 <= disp <= 127 else (8 if asize == 64 else 4))
        return I.MemoryOperand(b, i, scale, disp, dsize, False, segreg)

    def widen(self, v, asize):
        """With 32-bit addressing in 64-bit mode, put junk in the upper half (ignored by the CPU)."""
        if self.bits == 64 and asize == 32 and self.r.random() < 0.5:
            return v | (self.r.getrandbits(32) << 32)
        return v

    def memory16(self, t, setup, forbid, segreg):
        r = self.r
        forms = [(R.BX, R.SI), (R.BX, R.DI), (R.BP, R.SI), (R.BP, R.DI), (R.SI, None), (R.DI, None), (R.BP, None), (R.BX, None), (None, None)]
        b, i = r.choice(forms)
        if b is None:
            return I.MemoryOperand(displ=t, displ_size=2, seg=segreg)
        if REG_NUMBER[b] in forbid or (i is not None and REG_NUMBER[i] in forbid):
            raise Retry()
        disp = 0 if r.random() < 0.3 else r.randint(-128, 127) if r.random() < 0.6 else r.randint(-0x8000, 0x7FFF)
        iv = r.getrandbits(16) if i is not None else 0
        bv = (t - disp - iv) & 0xFFFF
        if i is not None:
            setup.append(self.mov_imm(REG_NUMBER[i], iv, 16 if r.random() < 0.5 else 32))
        setup.append(self.mov_imm(REG_NUMBER[b], bv, 16 if r.random() < 0.5 else 32))
        if b == R.BP and i is None and disp == 0:
            disp = 0
        dsize = 0 if disp == 0 and b != R.BP else (1 if -128 <= disp <= 127 else 2)
        return I.MemoryOperand(b, i if i is not None else R.NONE, 1, disp, dsize, False, segreg)

    def random_memory(self, asize, segreg):
        """Any address (LEA, NOP): registers as they are."""
        r = self.r
        if asize == 16:
            b, i = r.choice([(R.BX, R.SI), (R.BX, R.DI), (R.BP, R.SI), (R.BP, R.DI), (R.SI, R.NONE), (R.DI, R.NONE), (R.BP, R.NONE), (R.BX, R.NONE)])
            return I.MemoryOperand(b, i, 1, r.randint(-0x8000, 0x7FFF), r.choice((0, 1, 2)), False, segreg)
        table = GPR64 if asize == 64 else GPR32
        if self.bits == 64 and asize == 64 and r.random() < 0.1:
            return I.MemoryOperand(R.RIP, displ=CODE_ADDR + r.randrange(0x3000), displ_size=8)
        b = table[r.randrange(self.nregs)] if r.random() < 0.85 else R.NONE
        i = table[r.randrange(self.nregs)] if r.random() < 0.5 else R.NONE
        if i in (R.RSP, R.ESP):
            i = R.NONE
        disp = r.choice((0, r.randint(-128, 127), r.getrandbits(32) - (1 << 31)))
        if b == R.NONE and i == R.NONE:
            return I.MemoryOperand(displ=disp & 0xFFFF_FFFF, displ_size=4)
        return I.MemoryOperand(b, i, r.choice((1, 2, 4, 8)) if i != R.NONE else 1, disp, r.choice((0, 1, 4)), False, segreg)

    # -- immediates ---------------------------------------------------------------------------------
    def imm(self, kind, mn):
        r = self.r
        if kind == "IMM8_CONST_1":
            return 1
        if kind == "IMM8":
            if mn in ("ROL", "ROR", "RCL", "RCR", "SHL", "SAL", "SHR", "SAR", "SHLD", "SHRD", "BT", "BTS", "BTR", "BTC", "RORX"):
                return r.choice((0, 1, 2, r.randint(0, 31), r.randint(0, 63), r.randint(0, 255), 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65))
            if mn in ("AAM", "AAD"):
                return r.choice((10, 10, r.getrandbits(8), 0, 1, 16))
            return biased_value(r, 8)
        if kind == "IMM16":
            return biased_value(r, 16)
        if kind == "IMM32":
            return biased_value(r, 32)
        if kind == "IMM64":
            return biased_value(r, 64)
        if kind in ("IMM8SEX16", "IMM8SEX32", "IMM8SEX64"):
            v = biased_value(r, 8)
            return v - 256 if v >= 128 else v
        if kind == "IMM32SEX64":
            v = biased_value(r, 32)
            return v - (1 << 32) if v >= (1 << 31) else v
        raise ValueError(kind)

    # -- one template instruction -------------------------------------------------------------------
    def template(self, group, forbid):
        r = self.r
        for _ in range(50):
            code, name, mn, kinds, lockable = r.choice(self.t[group])
            setup = []
            try:
                ops = []
                for kind in kinds:
                    if kind.endswith("_OR_MEM"):
                        width = int(kind[1:kind.index("_")])
                        if r.random() < 0.4:
                            ops.append(("mem", None))
                        else:
                            ops.append(("reg", self.reg(width, allow_high=True)))
                    elif kind in ("R8_REG", "R16_REG", "R32_REG", "R64_REG", "R32_RM", "R64_RM",
                                  "R8_OPCODE", "R16_OPCODE", "R32_OPCODE", "R64_OPCODE", "R32_VVVV", "R64_VVVV"):
                        ops.append(("reg", self.reg(int(kind[1:kind.index("_")]))))
                    elif kind in ("AL", "CL", "AX", "EAX", "RAX"):
                        ops.append(("reg", getattr(R, kind)))
                    elif kind == "MEM":
                        ops.append(("mem", None))
                    elif kind == "MEM_OFFS":
                        ops.append(("moffs", None))
                    else:
                        ops.append(("imm", (kind, self.imm(kind, mn))))
                # Memory operands: one per instruction; its size from iced once the code is known.
                instr = self.create(code, ops, placeholder=True)
                msize = I.MemorySizeExt.size(instr.memory_size) if any(k == "mem" for k, _ in ops) else 0
                if name == "MOVSXD_R16_RM16":
                    msize = 4  # Unicorn reads 4 bytes (Scripts/diff-unicorn-exceptions.txt)
                noaccess = mn in ("LEA", "NOP")
                for i, (k, v) in enumerate(ops):
                    if k == "mem":
                        m = None
                        if mn == "CMPXCHG16B":
                            m = self.memory(msize, setup, forbid, align=16 if r.random() < 0.9 else 1)
                        elif mn in ("BT", "BTS", "BTR", "BTC") and len(ops) > 1 and ops[1][0] == "reg":
                            m = self.bit_memory(ops, setup, forbid)
                        else:
                            # Unicorn computes a RIP-relative address before the imm8 of SHLD/SHRD
                            # and RORX (one byte low): not generated (Scripts/diff-unicorn-exceptions.txt).
                            rip = not (mn in ("SHLD", "SHRD", "RORX") and kinds[-1] == "IMM8")
                            m = self.memory(msize, setup, forbid, noaccess=noaccess, rip=rip)
                        ops[i] = ("mem", m)
                    elif k == "moffs":
                        t = self.target(I.MemorySizeExt.size(instr.memory_size))
                        ops[i] = ("mem", I.MemoryOperand(displ=t, displ_size=8 if self.bits == 64 else 4))
                instr = self.create(code, ops)
                if lockable and ops and ops[0][0] == "mem" and r.random() < 0.15 and mn != "NEG":
                    # (Unicorn computes LOCK NEG's flags wrongly: Scripts/diff-unicorn-exceptions.txt.)
                    instr.has_lock_prefix = True
                elif r.random() < 0.01 and not (lockable and ops and ops[0][0] == "mem") and mn not in ("BT", "BTS", "BTR", "BTC"):
                    # LOCK where it is not allowed: #UD. (Unicorn aborts the process on LOCK BT* with
                    # a register operand: Scripts/diff-unicorn-exceptions.txt.)
                    instr.has_lock_prefix = True
                if self.writes_forbidden(instr, forbid | {4}):
                    continue
                if not self.encodable(instr):
                    continue
                pre = self.prepare(mn, ops, instr, forbid)
                return pre + setup + self.unicorn_bmi_setup(mn, ops, setup, forbid) + [Ins(instr)]
            except Retry:
                continue
        return []

    def bit_memory(self, ops, setup, forbid):
        """BT m, r: the register's bit offset reaches beyond the operand; keep it in the page."""
        r = self.r
        reg = ops[1][1]
        width = 16 if reg in GPR16 else 32 if reg in GPR32 else 64
        n = REG_NUMBER[reg]
        if n in forbid or n == 4:
            raise Retry()
        size = width // 8
        m = self.memory(size, setup, forbid | {n})
        # The operand addressed is ea + (offset >> log2(width)) * size, at bit offset & (width - 1).
        vals = {}
        for ins in setup:
            vals[REG_NUMBER[ins.instr.op0_register]] = ins.instr.immediate(1)
        ea = self._resolve(m, vals)
        if ea is None or not DATA_ADDR <= ea <= DATA_END - size:
            raise Retry()
        lo = -((ea - DATA_ADDR) // size)
        hi = (DATA_END - ea - size) // size
        k = r.randint(max(lo, -64), min(hi, 64))
        off = k * width + r.randrange(width)
        setup.append(self.mov_imm(n, off & ((1 << width) - 1), width if width != 32 else 32))
        return m

    def _resolve(self, m, vals):
        # iced MemoryOperand has no getters in Python: rebuild from an encoded instruction.
        instr = I.Instruction.create_reg_mem(C.LEA_R64_M if self.bits == 64 else C.LEA_R32_M,
                                             R.RAX if self.bits == 64 else R.EAX, m)
        e = I.Encoder(self.bits)
        try:
            e.encode(instr, CODE_ADDR)
        except ValueError:
            return None
        d = I.Decoder(self.bits, e.take_buffer(), ip=CODE_ADDR).decode()
        if d.memory_base == R.RIP:
            return d.memory_displacement
        asize = 64 if d.memory_base in GPR64 or d.memory_index in GPR64 else 16 if d.memory_base in GPR16 or d.memory_index in GPR16 else 32
        if d.memory_base == R.NONE and d.memory_index == R.NONE:
            asize = 64 if self.bits == 64 else 32
        a = d.memory_displacement
        if d.memory_base != R.NONE:
            if REG_NUMBER[d.memory_base] not in vals:
                return None
            a += vals[REG_NUMBER[d.memory_base]]
        if d.memory_index != R.NONE:
            if REG_NUMBER[d.memory_index] not in vals:
                return None
            a += vals[REG_NUMBER[d.memory_index]] * d.memory_index_scale
        return a & ((1 << asize) - 1)

    def create(self, code, ops, placeholder=False):
        parts, args = [], []
        for k, v in ops:
            if k == "reg":
                parts.append("reg"); args.append(v)
            elif k in ("mem", "moffs"):
                parts.append("mem"); args.append(v if v is not None and not placeholder else I.MemoryOperand(R.RAX if self.bits == 64 else R.EAX))
            else:
                kind, value = v
                if kind == "IMM64":
                    parts.append("u64")
                elif kind in ("IMM8SEX16", "IMM8SEX32", "IMM8SEX64", "IMM32SEX64"):
                    parts.append("i32")
                else:
                    parts.append("u32")
                args.append(value)
        if not parts:
            return I.Instruction.create(code)
        return getattr(I.Instruction, "create_" + "_".join(parts))(code, *args)

    def writes_forbidden(self, instr, forbid):
        for u in INFO.info(instr).used_registers():
            if u.access in WRITE_ACCESS and u.register in REG_NUMBER and u.register not in HIGH8:
                if REG_NUMBER[u.register] in forbid:
                    return True
            if u.access in WRITE_ACCESS and u.register in HIGH8 and REG_NUMBER[u.register] in forbid:
                return True
        return False

    def encodable(self, instr):
        try:
            I.Encoder(self.bits).encode(instr, CODE_ADDR)
            return True
        except ValueError:
            return False

    def prepare(self, mn, ops, instr, forbid):
        """Setup that makes an instruction interesting rather than trivially faulting."""
        r = self.r
        out = []
        if mn in ("DIV", "IDIV") and r.random() < 0.7:
            # Divisor in a register: make it non-zero; dividend high half: small or sign extension.
            width = 8 if ops[0][0] == "reg" and ops[0][1] in GPR8 + HIGH8 else None
            if ops[0][0] == "reg":
                n = REG_NUMBER[ops[0][1]]
                if n not in forbid and n != 4 and ops[0][1] not in HIGH8 and r.random() < 0.7:
                    out.append(self.mov_imm(n, biased_value(r, 32) | 1))
            if 2 not in forbid and r.random() < 0.7:
                if mn == "IDIV" and r.random() < 0.6:
                    size = I.MemorySizeExt.size(instr.memory_size) if ops[0][0] == "mem" else None
                    reg = ops[0][1] if ops[0][0] == "reg" else None
                    w = size * 8 if size else (16 if reg in GPR16 else 32 if reg in GPR32 else 64 if reg in GPR64 else 8)
                    out.append(Ins(I.Instruction.create({8: C.CBW, 16: C.CWD, 32: C.CDQ, 64: C.CQO}[w])))
                elif width != 8:
                    out.append(self.mov_imm(2, r.randint(0, 3)))
        if mn in ("SHLX", "SHRX", "SARX") and ops[-1][0] == "reg" and r.random() < 0.7:
            # The shift count (VEX.vvvv) around the operand size, with junk above what is read.
            n = REG_NUMBER[ops[-1][1]]
            if n not in forbid and n != 4:
                v = r.choice((0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 255, r.randint(0, 70)))
                if r.random() < 0.4:
                    v |= r.getrandbits(48) << 16
                out.append(self.mov_imm(n, v))
        if len(ops) >= 2 and ops[-1][0] == "reg" and ops[-1][1] == R.CL and 1 not in forbid and r.random() < 0.6:
            out.append(Ins(I.Instruction.create_reg_u32(C.MOV_R8_IMM8, R.CL, r.choice((0, 1, 2, r.randint(0, 31), r.randint(0, 63), r.randint(0, 255), 15, 16, 17, 31, 32, 33, 63, 64)))))
        return out

    def unicorn_bmi_setup(self, mn, ops, setup, forbid):
        """Inputs kept out of Unicorn's BMI errors (Scripts/diff-unicorn-exceptions.txt, 13-15), set
        after the memory operand's MOVs: BZHI's index below 31/63, BEXTR's length at most 32/64 bits
        less one, and in 64-bit mode the register source of a 32-bit BEXTR and the register mask of
        a 32-bit PDEP zero-extended. Popek's results outside those ranges are checked against the
        host CPU (Tests/InterpreterTests/Resources/unicorn-regressions.txt)."""
        r = self.r
        if mn not in ("BZHI", "BEXTR", "PDEP"):
            return []
        out = []
        written = {REG_NUMBER[i.instr.op0_register] for i in setup if i.instr is not None}
        k = 2 if mn == "PDEP" else 1
        if self.bits == 64 and ops[0][1] in GPR32 and ops[k][0] == "reg" and mn in ("BEXTR", "PDEP"):
            n = REG_NUMBER[ops[k][1]]
            if n in forbid or n == 4:
                raise Retry()
            out.append(Ins(I.Instruction.create_reg_reg(C.MOV_R32_RM32, ops[k][1], ops[k][1])))
        if mn == "PDEP":
            return out
        reg = ops[-1][1]
        n = REG_NUMBER[reg]
        if n in forbid or n == 4 or n in written:
            raise Retry()
        wide = reg in GPR64
        bound = 63 if wide else 31
        junk = r.getrandbits(48) << 16 if r.random() < 0.4 else 0
        if not wide:
            junk &= 0xFFFF_FFFF
        if mn == "BZHI":
            v = r.choice((0, 1, 7, 8, 15, 16, 30, 31, 32, 62, r.randint(0, bound - 1)))
            v = min(v, bound - 1)
        else:
            start = r.choice((0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 255, r.randint(0, 70)))
            length = min(r.choice((0, 1, 7, 8, 15, 16, 31, 32, 33, 63, r.randint(0, 70))), bound)
            v = start | (length << 8)
        return out + [self.mov_imm(n, v | junk, 64 if wide else 32)]

    # -- special families -------------------------------------------------------------------------
    def flag_definer(self):
        """CMP that defines all six status flags."""
        r = self.r
        w = r.choice((8, 16, 32, 64) if self.bits == 64 else (8, 16, 32))
        a, b = self.reg(w), self.reg(w)
        codes = {8: C.CMP_RM8_R8, 16: C.CMP_RM16_R16, 32: C.CMP_RM32_R32, 64: C.CMP_RM64_R64}
        instr = I.Instruction.create_reg_reg(codes[w], a, b)
        if not self.encodable(instr):
            instr = I.Instruction.create_reg_reg(C.CMP_RM32_R32, R.EAX, R.ECX)
        return Ins(instr)

    def push_pop(self, forbid):
        r = self.r
        b64 = self.bits == 64
        k = r.random()
        setup = []
        if k < 0.25:
            w = r.choice((16, 64)) if b64 else r.choice((16, 32))
            reg = self.reg(w)
            return [Ins(I.Instruction.create_reg({16: C.PUSH_R16, 32: C.PUSH_R32, 64: C.PUSH_R64}[w], reg))]
        if k < 0.4:
            w = r.choice((16, 64)) if b64 else r.choice((16, 32))
            reg = self.reg(w, forbid=forbid | {4})
            return [Ins(I.Instruction.create_reg({16: C.POP_R16, 32: C.POP_R32, 64: C.POP_R64}[w], reg))]
        if k < 0.55:
            code = r.choice((C.PUSHQ_IMM32, C.PUSHQ_IMM8, C.PUSH_IMM16) if b64 else (C.PUSHD_IMM32, C.PUSHD_IMM8, C.PUSH_IMM16, C.PUSHW_IMM8))
            kind = {C.PUSH_IMM16: "IMM16"}.get(code, "IMM8SEX32" if code in (C.PUSHD_IMM8, C.PUSHQ_IMM8, C.PUSHW_IMM8) else "IMM32SEX64" if b64 else "IMM32")
            v = self.imm(kind, "PUSH")
            if kind == "IMM32":
                return [Ins(I.Instruction.create_u32(code, v))]
            return [Ins(I.Instruction.create_i32(code, v))] if kind != "IMM16" else [Ins(I.Instruction.create_u32(code, v))]
        if k < 0.75:
            code = r.choice((C.PUSH_RM16, C.PUSH_RM64) if b64 else (C.PUSH_RM16, C.PUSH_RM32))
            size = 2 if code == C.PUSH_RM16 else (8 if b64 else 4)
            m = self.memory(size, setup, forbid)
            return setup + [Ins(I.Instruction.create_mem(code, m))]
        code = r.choice((C.POP_RM16, C.POP_RM64) if b64 else (C.POP_RM16, C.POP_RM32))
        size = 2 if code == C.POP_RM16 else (8 if b64 else 4)
        # POP m with an RSP base computes the address after the pop: keep a margin.
        m = self.memory(size, setup, forbid)
        return setup + [Ins(I.Instruction.create_mem(code, m))]

    def flags_stack(self, forbid):
        r = self.r
        b64 = self.bits == 64
        k = r.random()
        pushf = C.PUSHFQ if b64 else C.PUSHFD
        popf = C.POPFQ if b64 else C.POPFD
        if r.random() < 0.2:
            pushf, popf = C.PUSHFW, C.POPFW
        if k < 0.45:
            # PUSH imm; POPF: any user-visible bits, TF never.
            v = r.getrandbits(32) & ~0x100
            if r.random() < 0.5:
                v &= 0x0027_0FD5 | 0x7000
            if pushf == C.PUSHFW:
                return [Ins(I.Instruction.create_u32(C.PUSH_IMM16, v & 0xFFFF)), Ins(I.Instruction.create(popf))]
            v = v - (1 << 32) if v >= 1 << 31 else v
            return [Ins(I.Instruction.create_i32(C.PUSHQ_IMM32 if b64 else C.PUSHD_IMM32, v)), Ins(I.Instruction.create(popf))]
        if k < 0.7:
            w = 16 if pushf == C.PUSHFW else (64 if b64 else 32)
            reg = self.reg(w, forbid=forbid | {4})
            return [Ins(I.Instruction.create(pushf)), Ins(I.Instruction.create_reg({16: C.POP_R16, 32: C.POP_R32, 64: C.POP_R64}[w], reg))]
        if k < 0.85:
            return [Ins(I.Instruction.create(pushf))]
        return [Ins(I.Instruction.create(pushf)), Ins(I.Instruction.create(popf))]

    def strings(self, forbid):
        r = self.r
        if forbid & {1, 6, 7}:
            return []
        size = r.choice((1, 2, 4, 8) if self.bits == 64 else (1, 2, 4))
        op = r.choice(("movs", "cmps", "stos", "lods", "scas"))
        asize = self.bits if r.random() < 0.85 else (32 if self.bits == 64 else 16)
        rep = r.choice(("none", "rep", "rep", "repne")) if op in ("cmps", "scas") else r.choice(("none", "rep", "rep"))
        suffix = {1: "b", 2: "w", 4: "d", 8: "q"}[size]
        seg = r.choice((R.NONE,) * 4 + (R.ES, R.SS, R.FS, R.GS)) if op in ("movs", "cmps", "lods") else R.NONE
        kind = {"none": I.RepPrefixKind.NONE, "rep": I.RepPrefixKind.REPE, "repne": I.RepPrefixKind.REPNE}[rep]
        if op in ("movs", "cmps", "lods"):
            instr = getattr(I.Instruction, f"create_{op}{suffix}")(asize, seg, kind)
        else:
            instr = getattr(I.Instruction, f"create_{op}{suffix}")(asize, kind)
        count = r.choice((0, 1, 2, 3, r.randint(0, 12)))
        out = []
        mw = 16 if asize == 16 else None
        margin = 16 * 8 + 8
        if op in ("movs", "cmps", "lods"):
            out.append(self.mov_imm(6, self.widen(self.target(size, margin), asize), mw))
        if op in ("movs", "cmps", "stos", "scas"):
            out.append(self.mov_imm(7, self.widen(self.target(size, margin), asize), mw))
        if rep != "none":
            out.append(self.mov_imm(1, self.widen(count, asize) if asize != 16 else count | (r.getrandbits(16) << 16), mw))
        if r.random() < 0.3:
            out.append(Ins(I.Instruction.create(r.choice((C.CLD, C.STD)))))
        r.shuffle(out)
        out.append(Ins(instr))
        if rep != "none" and op in ("cmps", "scas"):
            # After a REPE/REPNE CMPS/SCAS that stops early, Unicorn computes the next instruction's
            # flags from a stale state (LOOPE, BOUND): a NOP in between (Scripts/diff-unicorn-exceptions.txt).
            out.append(Ins(I.Instruction.create(C.NOPD)))
        return out

    def xlat(self, forbid):
        if 3 in forbid:
            return []
        a = self.r.randrange(DATA_ADDR, DATA_END - 256)
        instr = I.Instruction.create(C.XLAT_M8)
        seg = self.r.choice((R.NONE,) * 3 + (R.ES, R.FS))
        asize = self.bits
        if self.bits == 32 and self.r.random() < 0.15:
            asize = 16
        instr = I.Instruction.create_mem(C.XLAT_M8, I.MemoryOperand({64: R.RBX, 32: R.EBX, 16: R.BX}[asize], R.AL, 1, 0, 0, False, seg))
        if not self.encodable(instr):
            instr = I.Instruction.create_mem(C.XLAT_M8, I.MemoryOperand({64: R.RBX, 32: R.EBX}[self.bits], R.AL))
            asize = self.bits
        return [self.mov_imm(3, a, 16 if asize == 16 else None), Ins(instr)]

    def pusha(self, forbid):
        if self.bits != 32 or forbid:
            return []
        if self.r.random() < 0.5:
            return [Ins(I.Instruction.create(self.r.choice((C.PUSHAD, C.PUSHAW))))]
        return [Ins(I.Instruction.create(self.r.choice((C.POPAD, C.POPAW))))]

    def plain(self, forbid=frozenset(), stack=True):
        """One item's worth of straight-line instructions (no branches)."""
        r = self.r
        groups = [(g, w) for g, (_, w) in GROUPS.items() if self.t.get(g)]
        extra = [("pushpop", 6), ("flagstack", 3), ("strings", 6), ("xlat", 1), ("pusha", 1 if self.bits == 32 else 0), ("ud", 0.15)]
        choices = [(c, WEIGHTS.get(c, w)) for c, w in groups + extra]
        while True:
            g = r.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
            if g in ("pushpop", "flagstack", "pusha") and not stack:
                continue
            if g == "pushpop":
                try:
                    out = self.push_pop(forbid)
                except Retry:
                    continue
            elif g == "flagstack":
                out = self.flags_stack(forbid)
            elif g == "strings":
                out = self.strings(forbid)
            elif g == "xlat":
                out = self.xlat(forbid)
            elif g == "pusha":
                out = self.pusha(forbid)
            elif g == "ud":
                out = [Ins(I.Instruction.create(C.UD2))]
            else:
                out = self.template(g, forbid)
            if out:
                return out

    # -- items with control flow ---------------------------------------------------------------------
    def sequence(self):
        """A list of items (each a list of Ins; items are the branch targets)."""
        r = self.r
        n = r.randint(1, 20)
        items = []
        while len(items) < n:
            k = r.random()
            if k < 0.09:
                items.append(("jcc", None))
            elif k < 0.12:
                items.append(("jmp", None))
            elif k < 0.15:
                items.append(("loop", None))
            elif k < 0.18:
                items.append(("call", None))
            elif k < 0.19:
                items.append(("enter", None))
            elif k < 0.20:
                items.append(("indirect", None))
            else:
                items.append(("plain", self.plain()))
        return [self.expand(i, kind, body, len(items)) for i, (kind, body) in enumerate(items)]

    def expand(self, i, kind, body, n):
        """Turn an item description into Ins lists, branches naming the item they skip to."""
        r = self.r
        if kind == "plain":
            return body
        skip = r.randint(1, 4)
        target = f"I{min(i + skip, n)}" if i + skip < n else "END"
        if kind == "jcc":
            cc = r.randrange(16)
            form = "short" if r.random() < 0.7 else "near"
            return [Ins(branch={"op": "jcc", "cc": cc, "target": target, "form": form, "o16": self.bits == 32 and r.random() < 0.1})]
        if kind == "jmp":
            form = "short" if r.random() < 0.7 else "near"
            return [Ins(branch={"op": "jmp", "target": target, "form": form, "o16": self.bits == 32 and r.random() < 0.1})]
        if kind == "loop":
            op = r.choice(("loop", "loope", "loopne", "jrcxz"))
            a16 = r.random() < 0.2
            out = []
            # LOOPE/LOOPNE right after a REP CMPS/SCAS that stopped early: Unicorn corrupts the
            # flags (Scripts/diff-unicorn-exceptions.txt), so they never follow one directly.
            # LOOPE/LOOPNE that exit because the count reached 0 leave wrong flags in Unicorn: their
            # count never reaches 0 (they exit on ZF instead).
            if op in ("loope", "loopne"):
                out.append(self.mov_imm(1, r.choice((0, 2, 3, 0x100, 0xFFFF, r.randint(2, 0xFFFF)))))
            elif r.random() < 0.5:
                out.append(self.mov_imm(1, r.choice((0, 1, 2, 3, 0x10000, 0x1_0000_0001 if self.bits == 64 else 1, r.getrandbits(32)))))
            skip = r.randint(1, 2)
            target = f"I{i + skip}" if i + skip < n else "END"
            out.append(Ins(branch={"op": op, "target": target, "form": "short", "a16": a16}))
            return out
        if kind == "call":
            k = r.random()
            if k < 0.3:
                # CALL $+5; POP reg (the program counter).
                reg = self.reg(64 if self.bits == 64 else 32, forbid={4})
                return [Ins(branch={"op": "call", "target": f"L{i}"}), Ins(label=f"L{i}"),
                        Ins(I.Instruction.create_reg(C.POP_R64 if self.bits == 64 else C.POP_R32, reg))]
            # CALL f; <after>; JMP over; f: <body>; RET [n]; over:
            out = [Ins(branch={"op": "call", "target": f"F{i}"})]
            for _ in range(r.randint(0, 2)):
                out += self.plain()
            out.append(Ins(branch={"op": "jmp", "target": f"O{i}", "form": "short" if r.random() < 0.8 else "near"}))
            out.append(Ins(label=f"F{i}"))
            self.avoid_stack = True
            for _ in range(r.randint(0, 3)):
                out += self.plain(forbid=frozenset({4}), stack=False)
            self.avoid_stack = False
            if r.random() < 0.7:
                out.append(Ins(I.Instruction.create(C.RETNQ if self.bits == 64 else C.RETND)))
            else:
                out.append(Ins(I.Instruction.create_u32(C.RETNQ_IMM16 if self.bits == 64 else C.RETND_IMM16, r.choice((0, 2, 4, 8, 16)))))
            out.append(Ins(label=f"O{i}"))
            return out
        if kind == "enter":
            out = [self.mov_imm(5, r.randrange(STACK_LO, STACK_HI), 64 if self.bits == 64 else 32)]
            level = r.choice((0, 0, 1, 2, 3))
            size = r.choice((0, 8, 16, 24, 3))
            if self.bits == 64:
                code = C.ENTERQ_IMM16_IMM8 if r.random() < 0.8 else C.ENTERW_IMM16_IMM8
            else:
                code = C.ENTERD_IMM16_IMM8 if r.random() < 0.8 else C.ENTERW_IMM16_IMM8
            out.append(Ins(I.Instruction.create_u32_u32(code, size, level)))
            self.avoid_stack = True
            for _ in range(r.randint(0, 3)):
                out += self.plain(forbid=frozenset({4, 5}), stack=False)
            self.avoid_stack = False
            leave = {C.ENTERQ_IMM16_IMM8: C.LEAVEQ, C.ENTERD_IMM16_IMM8: C.LEAVED, C.ENTERW_IMM16_IMM8: C.LEAVEW}[code]
            out.append(Ins(I.Instruction.create(leave)))
            return out
        if kind == "indirect":
            reg = r.choice([n_ for n_ in range(self.nregs) if n_ != 4])
            if r.random() < 0.5:
                return [Ins(make=("addr", reg, target)), Ins(I.Instruction.create_reg(C.JMP_RM64 if self.bits == 64 else C.JMP_RM32, (GPR64 if self.bits == 64 else GPR32)[reg]))]
            out = [Ins(make=("addr", reg, f"F{i}")), Ins(I.Instruction.create_reg(C.CALL_RM64 if self.bits == 64 else C.CALL_RM32, (GPR64 if self.bits == 64 else GPR32)[reg]))]
            out.append(Ins(branch={"op": "jmp", "target": f"O{i}", "form": "short"}))
            out.append(Ins(label=f"F{i}"))
            self.avoid_stack = True
            for _ in range(r.randint(0, 2)):
                out += self.plain(forbid=frozenset({4}), stack=False)
            self.avoid_stack = False
            out.append(Ins(I.Instruction.create(C.RETNQ if self.bits == 64 else C.RETND)))
            out.append(Ins(label=f"O{i}"))
            return out
        raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# Layout, encoding, and the flags analysis.

JCC_SHORT = 0x70
LOOP_OPS = {"loopne": 0xE0, "loope": 0xE1, "loop": 0xE2, "jrcxz": 0xE3}


def branch_length(b, bits):
    op = b["op"]
    if op == "call":
        return 5
    pre = 1 if b.get("o16") or b.get("a16") else 0
    if op in LOOP_OPS:
        return 2 + pre
    if b["form"] == "short":
        return 2 + pre
    if op == "jcc":
        return 6 - (2 if b.get("o16") else 0) + pre
    return 5 - (2 if b.get("o16") else 0) + pre


def encode_branch(b, at, target, bits):
    op = b["op"]
    out = bytearray()
    n = branch_length(b, bits)
    rel = target - (at + n)
    if op == "call":
        return bytes((0xE8,)) + (rel & 0xFFFF_FFFF).to_bytes(4, "little")
    if b.get("a16"):
        out.append(0x67)
    if b.get("o16"):
        out.append(0x66)
    if op in LOOP_OPS:
        if not -128 <= rel <= 127:
            raise Retry()
        out += bytes((LOOP_OPS[op], rel & 0xFF))
    elif b["form"] == "short":
        if not -128 <= rel <= 127:
            return None
        out += bytes((JCC_SHORT + b["cc"] if op == "jcc" else 0xEB, rel & 0xFF))
    else:
        width = 2 if b.get("o16") else 4
        out += bytes((0x0F, 0x80 + b["cc"])) if op == "jcc" else bytes((0xE9,))
        out += (rel & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
    assert len(out) == n
    return bytes(out)


def encode_ins(ins, at, labels, bits):
    if ins.label:
        return b""
    if ins.branch:
        return encode_branch(ins.branch, at, labels[ins.branch["target"]], bits)
    instr = ins.instr
    if ins.make:
        _, reg, target = ins.make
        instr = I.Instruction.create_reg_u32(C.MOV_R32_IMM32, GPR32[reg], labels[target])
    e = I.Encoder(bits)
    e.encode(instr, at)
    return bytes(e.take_buffer())


def layout(items, bits):
    """Addresses for every Ins, branches short when they reach; returns (code bytes, [(addr, Ins)], labels)."""
    flat = []
    for idx, item in enumerate(items):
        flat.append(Ins(label=f"I{idx}"))
        flat.extend(item)
    flat.append(Ins(label="END"))
    lengths = {}
    for _ in range(6):
        labels, at, addrs = {}, CODE_ADDR, []
        for ins in flat:
            addrs.append(at)
            if ins.label:
                labels[ins.label] = at
                continue
            if id(ins) not in lengths or ins.branch:
                if ins.branch:
                    lengths[id(ins)] = branch_length(ins.branch, bits)
                else:
                    lengths[id(ins)] = len(encode_ins(ins, at, {k: CODE_ADDR for k in ("END",)} | _dummy_labels(ins), bits))
            at += lengths[id(ins)]
        code = bytearray()
        changed = False
        for ins, a in zip(flat, addrs):
            if ins.label:
                continue
            b = encode_ins(ins, a, labels, bits)
            if b is None:
                ins.branch["form"] = "near"  # short did not reach
                changed = True
                break
            code += b
        if not changed:
            if len(code) > CODE_SIZE - 16:
                raise Retry()
            return bytes(code), [(a, i) for a, i in zip(addrs, flat) if not i.label], labels
    raise Retry()


def _dummy_labels(ins):
    if ins.make:
        return {ins.make[2]: CODE_ADDR}
    return {}


def decode_all(code, bits):
    # NO_INVALID_CHECK: a LOCK where it is not allowed (#UD) still decodes, for the analysis.
    d = I.Decoder(bits, code, I.DecoderOptions.NO_INVALID_CHECK, ip=CODE_ADDR)
    out = []
    for instr in d:
        if instr.code == C.INVALID:
            raise RuntimeError(f"generated code does not decode at {instr.ip:#x}: {code.hex()}")
        out.append(instr)
    return out


LOCKABLE = {"ADD", "ADC", "AND", "BTC", "BTR", "BTS", "CMPXCHG", "CMPXCHG8B", "CMPXCHG16B", "DEC", "INC",
            "NEG", "NOT", "OR", "SBB", "SUB", "XOR", "XADD", "XCHG"}


def lock_allowed(instr):
    """LOCK is allowed on these instructions when the destination is memory (SDM Vol. 2, LOCK)."""
    return MNEMONIC_NAMES.get(instr.mnemonic) in LOCKABLE and instr.op_count > 0 and instr.op0_kind == I.OpKind.MEMORY


def flag_effects(instr):
    """(read, defined, undefined) as x86 RFLAGS masks for one decoded instruction."""
    read = x86_flags(instr.rflags_read)
    undefined = x86_flags(instr.rflags_undefined)
    written = x86_flags(instr.rflags_modified)
    if conditional_flags(instr):
        # A count that can be zero writes no flags: the flags may keep their old (undefined) values.
        written = 0
    mn = MNEMONIC_NAMES.get(instr.mnemonic)
    if mn in ("RCL", "RCR") and instr.op_count == 2 and instr.op1_kind == I.OpKind.IMMEDIATE8 and instr.immediate8 & 0x1F != 1:
        # OF is undefined unless the masked count is 1 (SDM Vol. 2, RCL/RCR), also when the count
        # modulo 9 or 17 is 0 (iced then reports no flags written).
        undefined |= 0x800
    if mn == "BLSI" and not HOST_REFERENCE:
        # Unicorn bug (Scripts/diff-unicorn-exceptions.txt, 13): its BLSI sets CF = (source = 0),
        # the inverse of the SDM's (and the host CPU's); CF is not compared after it.
        undefined |= 0x1
    if mn in ("CMPXCHG8B", "CMPXCHG16B"):
        # Unicorn bug (Scripts/diff-unicorn-exceptions.txt): its CMPXCHG8B/16B compute the other
        # flags from a stale lazy-flags state; only ZF is compared after them.
        undefined |= STATUS_FLAGS & ~0x40
    return read, written & ~undefined, undefined


def conditional_flags(instr):
    """REP CMPS/SCAS (RCX may be 0) and shifts by CL (CL may be 0) do not always write the flags."""
    if (instr.has_rep_prefix or instr.has_repne_prefix) and instr.is_string_instruction:
        return True
    return any(instr.op_kind(k) == I.OpKind.REGISTER and instr.op_register(k) == R.CL for k in range(1, instr.op_count)) \
        and MNEMONIC_NAMES.get(instr.mnemonic) in ("ROL", "ROR", "RCL", "RCR", "SHL", "SAL", "SHR", "SAR", "SHLD", "SHRD")


def analyze(code, bits, indirect):
    """Per-instruction undefined-flags-on-entry (union over paths) and at the end."""
    instrs = decode_all(code, bits)
    at = {i.ip: n for n, i in enumerate(instrs)}
    end = CODE_ADDR + len(code)
    returns = set()
    for i in instrs:
        if i.flow_control in (I.FlowControl.CALL, I.FlowControl.INDIRECT_CALL):
            returns.add(i.next_ip)
    succ = {}
    for i in instrs:
        fc = i.flow_control
        s = []
        if fc in (I.FlowControl.NEXT, I.FlowControl.CONDITIONAL_BRANCH, I.FlowControl.EXCEPTION):
            s.append(i.next_ip)
        if fc in (I.FlowControl.UNCONDITIONAL_BRANCH, I.FlowControl.CONDITIONAL_BRANCH, I.FlowControl.CALL):
            s.append(i.near_branch_target)
        if fc in (I.FlowControl.INDIRECT_BRANCH, I.FlowControl.INDIRECT_CALL):
            s.append(indirect[i.ip])
        if fc == I.FlowControl.RETURN:
            s.extend(returns)
        succ[i.ip] = s
    entry = {CODE_ADDR: 0}
    work = [CODE_ADDR]
    effects = {i.ip: flag_effects(i) for i in instrs}
    while work:
        a = work.pop()
        u = entry[a]
        if a == end:
            continue
        _, defined, undefined = effects[a]
        out = (u & ~defined) | undefined
        for s in succ[a]:
            if s not in entry or entry[s] | out != entry[s]:
                entry[s] = entry.get(s, 0) | out
                work.append(s)
    bad = None
    for i in instrs:
        if i.ip in entry and effects[i.ip][0] & entry[i.ip]:
            bad = i.ip
            break
    return instrs, entry, bad


def build_case(bits, templates, r):
    """Generates, lays out and repairs one sequence. Returns (code, instrs, undefined-on-entry map)."""
    g = Generator(bits, templates, r)
    while True:
        try:
            items = g.sequence()
            for _ in range(40):
                code, placed, labels = layout(items, bits)
                indirect = {}
                for a, ins in placed:
                    if ins.make:
                        pass
                for n, (a, ins) in enumerate(placed):
                    if ins.make:
                        nxt = placed[n + 1]
                        indirect[nxt[0]] = labels[ins.make[2]]
                instrs, entry, bad = analyze(code, bits, indirect)
                if bad is None:
                    return code, instrs, entry
                # Insert a CMP before the instruction that reads an undefined flag.
                for item in items:
                    for k, ins in enumerate(item):
                        if any(a == bad and p is ins for a, p in placed):
                            item.insert(k, g.flag_definer())
                            break
                    else:
                        continue
                    break
            raise Retry()
        except Retry:
            continue


# ---------------------------------------------------------------------------------------------
# Initial state, Unicorn, Popek.



def initial_state(bits, r):
    width = 64 if bits == 64 else 32
    regs = [biased_value(r, width) for _ in range(16)]
    if bits == 32:
        regs[8:] = [0] * 8
    regs[4] = r.randrange(STACK_LO, STACK_HI)
    flags = 2 | (r.getrandbits(12) & STATUS_FLAGS)
    if r.random() < 0.2:
        flags |= 0x400
    if r.random() < 0.3:
        flags |= r.getrandbits(22) & 0x0024_7200  # IF, IOPL, NT, AC, ID
    return regs, flags


class Case:
    __slots__ = ("id", "bits", "code", "seed", "regs", "flags", "instrs", "entry", "end")

    def line(self):
        regs = " ".join(f"{v:x}" for v in self.regs)
        return (f"{self.id} {self.bits} {CODE_ADDR:x} {self.code.hex()} {DATA_ADDR:x} {DATA_SIZE:x} "
                f"{self.seed:x} {self.end:x} {self.flags:x} {regs}")


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
        self.vector = None
        self.trace = None
        self.bad_lock = set()
        self.fresh()

    def fresh(self):
        # A new engine after every exception: Unicorn keeps QEMU's exception state across
        # emu_start calls (the next #DE is reported as #DF, or the next run stops at once).
        self.uc = U.Uc(U.UC_ARCH_X86, U.UC_MODE_64 if self.bits == 64 else U.UC_MODE_32)
        self.uc.ctl_set_cpu_model(UX.UC_CPU_X86_EPYC)
        self.uc.mem_map(CODE_ADDR, CODE_SIZE + DATA_SIZE)
        self.uc.hook_add(U.UC_HOOK_INTR, self._intr)
        # A code hook on every instruction makes QEMU store its lazy flags state (cc_op) before each
        # one. Without it, helpers that read the flags can see a stale cc_op: Unicorn 2.1 computes
        # CMPXCHG8B's flags from garbage after IMUL (mov eax,10000h; imul eax,eax; cmpxchg8b [rdx]
        # gives EFLAGS = FFFFFFBFh). See Scripts/diff-unicorn-exceptions.txt.
        self.uc.hook_add(U.UC_HOOK_CODE, self._code)

    def _code(self, uc, address, size, _):
        if self.trace is not None:
            self.trace.append(address)
        if address in self.bad_lock:
            # Unicorn executes LOCK on instructions that do not allow it; the CPU raises #UD
            # (SDM Vol. 2, LOCK): raise it here, before the instruction.
            self.vector = 6
            uc.emu_stop()

    def _intr(self, uc, intno, _):
        self.vector = intno
        uc.emu_stop()

    def run(self, case):
        uc = self.uc
        uc.mem_write(CODE_ADDR, case.code + bytes(CODE_SIZE - len(case.code)))
        uc.ctl_remove_cache(CODE_ADDR, CODE_ADDR + CODE_SIZE)
        initial = data_fill(case.seed)
        uc.mem_write(DATA_ADDR, initial)
        for reg, v in zip(self.regs, case.regs):
            uc.reg_write(reg, v)
        uc.reg_write(UX.UC_X86_REG_EFLAGS, case.flags)
        self.vector = None
        self.bad_lock = {i.ip for i in case.instrs if i.has_lock_prefix and not lock_allowed(i)}
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
        if status != "end":
            self.fresh()
        mem = {}
        if final != initial:
            for i in range(DATA_SIZE):
                if final[i] != initial[i]:
                    mem[i] = final[i]
        return {"status": status, "rip": rip, "flags": flags, "regs": regs, "mem": mem}


class PopekRunner:
    """One `popek fuzz snippets` process; batches end with a `sync` line."""

    def __init__(self, popek, argv=None):
        self.p = subprocess.Popen(argv or [popek, "fuzz", "snippets"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1 << 20)
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

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class NativeRunner(PopekRunner):
    """Scripts/native-snippets.c: the host CPU runs a case (at CPL 3; 32-bit cases in compatibility
    mode), the referee where Unicorn and Popek disagree (--native). Only what user mode shares with
    Popek's CPL 0 is compared: the initial RFLAGS keep the status flags only (the harness loads no
    others: IF, IOPL, NT, AC, ID cannot be set at CPL 3, AC would check alignment), and the final
    ones are compared on the status flags. FS/GS overrides, PUSHF images and the like make a host result meaningless, so the
    host only ever confirms (never replaces) a verdict."""

    def __init__(self):
        self.exe = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"popek-native-snippets-{os.getuid()}")
        src = os.path.join(ROOT, "Scripts", "native-snippets.c")
        if not os.path.exists(self.exe) or os.path.getmtime(self.exe) < os.path.getmtime(src):
            subprocess.check_call(["cc", "-O1", "-o", self.exe, src])
        super().__init__(None, [self.exe])

    @staticmethod
    def native_case(case):
        c = Case()
        for k in Case.__slots__:
            setattr(c, k, getattr(case, k))
        c.flags = case.flags & STATUS_FLAGS | 2
        return c

    def run(self, case):
        """The host's result; a case that runs away on the host (the harness has no time limit: a
        wild jump can land in a loop) gets status `hang` after 2 s and a fresh harness."""
        self.send([self.native_case(case).line()])
        try:
            line = self.q.get(timeout=2)
            sync = self.q.get(timeout=2)
        except queue.Empty:
            self.p.kill()
            self.p.wait()
            PopekRunner.__init__(self, None, [self.exe])
            return {"status": "hang", "rip": 0, "flags": 0, "regs": [0] * 16, "mem": {}}
        if line is None or sync != "sync":
            raise RuntimeError("native-snippets exited early")
        return parse_result(line)


def host_agrees(case, host, got):
    """Whether the host CPU's result equals Popek's (status flags only, see NativeRunner)."""
    diffs = differences(case, host, got, flag_limit=STATUS_FLAGS)
    return not diffs, diffs


def compare_mask(case, status, rip):
    """RFLAGS bits to compare at the stop point."""
    if status == "end":
        undefined = case.entry.get(case.end, 0)
    elif status == "exc6":
        undefined = case.entry.get(rip, STATUS_FLAGS)
    else:
        # A fault raised by one of Unicorn's helpers (#DE from DIV/IDIV/AAM, #BR from BOUND, #GP
        # from CMPXCHG16B): Unicorn reports status flags recomputed from a stale lazy-flags state
        # (Scripts/diff-unicorn-exceptions.txt), so the six status flags are not compared there.
        undefined = STATUS_FLAGS
    return COMPARE_MASK & ~undefined


def normalize(case, want, got):
    """Environment differences that are not CPU behaviour (Scripts/diff-unicorn-exceptions.txt):
    - INT n: Unicorn reports interrupt n with RIP after the instruction, before any IDT check;
      Popek, whose IDT is empty, raises #GP at the instruction;
    - a branch to a non-canonical address: Unicorn jumps and fails to fetch there; the CPU (and
      Popek) raises #GP at the branch."""
    code = case.code
    if want["status"].startswith("exc") and got["status"] == "exc13":
        v = int(want["status"][3:])
        off = got["rip"] - CODE_ADDR
        if v >= 32 and 0 <= off < len(code) - 1 and code[off] == 0xCD and code[off + 1] == v and want["rip"] == got["rip"] + 2:
            return dict(want, status="exc13", rip=got["rip"], regs=got["regs"], flags=got["flags"], mem=got["mem"]), True
    if want["status"] == "wild" and got["status"] == "exc13" and case.bits == 64:
        top = want["rip"] >> 47
        if top not in (0, (1 << 17) - 1):
            return dict(got), True
    return want, False


def differences(case, want, got, flag_limit=~0):
    want, _ = normalize(case, want, got)
    out = []
    wide = (1 << 64) - 1 if case.bits == 64 else 0xFFFF_FFFF
    if want["status"] != got["status"]:
        out.append(f"status: unicorn {want['status']}, popek {got['status']}")
    if want["rip"] & wide != got["rip"] & wide:
        out.append(f"rip: unicorn {want['rip']:#x}, popek {got['rip']:#x}")
    if want["status"] == "wild" and got["status"] == "wild":
        return out
    mask = compare_mask(case, want["status"], want["rip"]) & flag_limit
    if (want["flags"] ^ got["flags"]) & mask:
        out.append(f"rflags: unicorn {want['flags'] & mask:#x}, popek {got['flags'] & mask:#x} (compared {mask:#x}, differ {(want['flags'] ^ got['flags']) & mask:#x})")
    names = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"] + [f"r{i}" for i in range(8, 16)]
    for n in range(16 if case.bits == 64 else 8):
        if (want["regs"][n] ^ got["regs"][n]) & wide:
            out.append(f"{names[n]}: unicorn {want['regs'][n] & wide:#x}, popek {got['regs'][n] & wide:#x}")
    if want["mem"] != got["mem"]:
        offs = sorted(set(want["mem"]) | set(got["mem"]))
        bad = [o for o in offs if want["mem"].get(o) != got["mem"].get(o)]
        out.append(f"data: {len(bad)} bytes differ, first at +{bad[0]:#x}: unicorn "
                   f"{want['mem'].get(bad[0], 'unchanged')}, popek {got['mem'].get(bad[0], 'unchanged')}")
    return out


def disassemble(case):
    out = []
    for i in case.instrs:
        b = case.code[i.ip - CODE_ADDR:i.next_ip - CODE_ADDR].hex()
        out.append(f"  {i.ip:05x}  {b:<32} {FORMATTER.format(i)}")
    return "\n".join(out)


def bisect(case, uni, popek):
    """The first instruction after which Unicorn and Popek differ. Every address of a sequence runs
    at most once (branches go forward, RET returns to code not yet run), so stopping at the k-th
    address of Unicorn's path runs exactly the first k instructions. Returns (address of the
    culprit or None, differences) or None."""
    path = uni.trace = []
    uni.run(case)
    uni.trace = None
    prev = None
    for stop in path[1:] + [case.end]:
        c = Case()
        c.id, c.bits, c.code, c.instrs, c.entry = case.id, case.bits, case.code, case.instrs, case.entry
        c.seed, c.regs, c.flags, c.end = case.seed, case.regs, case.flags, stop
        want = uni.run(c)
        popek.send([c.line()])
        got = parse_result(popek.receive()[0])
        d = differences(c, want, got)
        if d:
            return (prev if prev is not None else path[0]), d
        prev = stop
    return None


def load_exceptions(path, bits):
    """Lines `MODE | MNEMONIC[,MNEMONIC] | FIELD | reason`: a case whose differing fields are all FIELD
    (rflags, a register name, data, status) and that contains the mnemonics is excused."""
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4 or not parts[3]:
            sys.exit(f"{path}: every exception needs MODE | MNEMONICS | FIELD | reason: {line}")
        if parts[0] not in ("*", str(bits)):
            continue
        out.append((set(parts[1].lower().split(",")), parts[2], parts[3]))
    return out


def excused(case, diffs, exceptions):
    names = {MNEMONIC_NAMES.get(i.mnemonic, "?").lower() for i in case.instrs}
    fields = {d.split(":")[0] for d in diffs}
    for mns, field, _ in exceptions:
        if mns <= names and fields <= set(field.split(",")):
            return field
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", type=int, choices=(32, 64), required=True)
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", type=int, default=0, help="index of the first case (to reproduce one)")
    ap.add_argument("--popek")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--save-failures", metavar="FILE", help="append failing cases with Unicorn's final state")
    ap.add_argument("--verbose", action="store_true", help="print every failing case in full")
    ap.add_argument("--examples", type=int, default=3, help="examples printed per group")
    ap.add_argument("--no-fail", action="store_true")
    ap.add_argument("--code", metavar="HEX", help="run these bytes (instead of generated sequences) from random states")
    ap.add_argument("--save", metavar="FILE", help="append every case run with Unicorn's final state (regression format)")
    ap.add_argument("--note", default="", help="with --save: the comment line written before the cases")
    ap.add_argument("--id-prefix", default="", help="prefix for case ids (in saved files)")
    ap.add_argument("--bisect", action="store_true", help="with --verbose: find the first instruction after which they differ")
    ap.add_argument("--native", action="store_true",
                    help="run every failing or excused case on the host CPU too (Scripts/native-snippets.c) and "
                         "report whether it agrees with Popek: evidence for Unicorn's errors")
    ap.add_argument("--save-host", metavar="FILE",
                    help="like --save, with the host CPU's final state (initial RFLAGS: the status flags only)")
    ap.add_argument("--weights", metavar="GROUP=W,...", default="",
                    help="replace the weights of instruction groups (e.g. bmi=60 for BMI/ADX-heavy sequences)")
    args = ap.parse_args()
    global HOST_REFERENCE
    HOST_REFERENCE = bool(args.save_host)
    for item in filter(None, args.weights.split(",")):
        g, _, w = item.partition("=")
        if g not in GROUPS and g not in ("pushpop", "flagstack", "strings", "xlat", "pusha", "ud"):
            sys.exit(f"--weights: unknown group {g}")
        WEIGHTS[g] = float(w)
    bits = args.mode
    popek = PopekRunner(find_popek(args))
    uni = UnicornRunner(bits)
    templates = build_templates(bits)
    exceptions = load_exceptions(os.path.join(ROOT, "Scripts", "diff-unicorn-exceptions.txt"), bits)
    passed = failed = excused_n = 0
    native = NativeRunner() if args.native or args.save_host else None
    save_host = open(args.save_host, "a") if args.save_host else None
    if save_host and args.note:
        save_host.write(f"# {args.note}\n")
    host_tally = collections.Counter()  # (excused or failed, host agrees with Popek) -> count
    host_disagree = []
    groups = collections.defaultdict(list)
    status_counts = collections.Counter()
    save = open(args.save_failures, "a") if args.save_failures else None
    save_all = open(args.save, "a") if args.save else None
    if save_all and args.note:
        save_all.write(f"# {args.note}\n")
    start = time.time()
    pending = None

    def check(batch, results):
        nonlocal passed, failed, excused_n
        for (case, want), line in zip(batch, results):
            got = parse_result(line)
            status_counts[want["status"]] += 1
            if save_all:
                want_n, _ = normalize(case, want, got)
                save_all.write(f"{case.line()} | {result_line(case.id, want_n)} | {compare_mask(case, want_n['status'], want_n['rip']):x}\n")
            if save_host:
                host = native.run(case)
                mask = compare_mask(case, host["status"], host["rip"]) & STATUS_FLAGS
                save_host.write(f"{NativeRunner.native_case(case).line()} | {result_line(case.id, host)} | {mask:x}\n")
            diffs = differences(case, want, got)
            if not diffs:
                passed += 1
                continue
            field = excused(case, diffs, exceptions)
            if native:
                agree, hd = host_agrees(case, native.run(case), got)
                host_tally[("excused" if field else "failed", agree)] += 1
                if not agree and len(host_disagree) < args.examples:
                    host_disagree.append((case, hd))
            if field:
                excused_n += 1
                continue
            failed += 1
            key = tuple(sorted({d.split(":")[0] for d in diffs}))
            groups[key].append((case, want, got, diffs))
            if save:
                want_n, _ = normalize(case, want, got)
                mask = compare_mask(case, want_n["status"], want_n["rip"])
                save.write(f"# {args.mode}-bit seed {args.seed} case {case.id}: {'; '.join(diffs)[:300]}\n")
                save.write(f"{case.line()} | {result_line(case.id, want_n)} | {mask:x}\n")
            if args.verbose:
                print(f"FAIL case {case.id}: " + "; ".join(diffs))
                print(disassemble(case))
                if args.bisect:
                    b = bisect(case, uni, popek)
                    if b:
                        i = next((x for x in case.instrs if x.ip == b[0]), None)
                        print(f"  first difference after {b[0]:#x} {FORMATTER.format(i) if i else '?'}: " + "; ".join(b[1]))

    index = args.first
    last = args.first + args.cases
    while index < last or pending:
        batch = []
        while index < last and len(batch) < args.batch:
            r = random.Random(f"{args.seed}-{bits}-{index}")
            if args.code:
                code = bytes.fromhex(args.code.replace(" ", ""))
                instrs, entry, _ = analyze(code, bits, {})
            else:
                code, instrs, entry = build_case(bits, templates, r)
            case = Case()
            case.id, case.bits, case.code, case.instrs, case.entry = f"{args.id_prefix}{index}", bits, code, instrs, entry
            case.end = CODE_ADDR + len(code)
            case.seed = r.randrange(256)
            case.regs, case.flags = initial_state(bits, r)
            batch.append((case, uni.run(case)))
            index += 1
        if batch:
            popek.send([c.line() for c, _ in batch])
        if pending:
            check(pending, popek.receive())
        pending = batch or None
        if args.bisect and pending:
            # Bisecting talks to popek too: no batch in flight while checking.
            check(pending, popek.receive())
            pending = None
    popek.close()
    if save:
        save.close()
    if save_all:
        save_all.close()
    if save_host:
        save_host.close()
    took = time.time() - start
    print(f"{bits}-bit: {passed + failed + excused_n} sequences in {took:.0f} s; "
          f"unicorn stops: {', '.join(f'{k} {v}' for k, v in sorted(status_counts.items()))}")
    if excused_n:
        print(f"excused by Scripts/diff-unicorn-exceptions.txt: {excused_n}")
    if native:
        native.close()
        for kind in ("excused", "failed"):
            n_yes, n_no = host_tally[(kind, True)], host_tally[(kind, False)]
            if n_yes or n_no:
                print(f"host CPU on the {kind} cases: {n_yes} agree with Popek, {n_no} do not")
        for case, hd in host_disagree:
            print(f"  host CPU differs from Popek on case {case.id}: " + "; ".join(hd))
            print(disassemble(case))
    for key, cases in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"== {len(cases)} differing in {', '.join(key)}")
        for case, want, got, diffs in cases[:args.examples]:
            print(f"  case {case.id} (--seed {args.seed} --first {case.id} --cases 1): " + "; ".join(diffs))
            print(disassemble(case))
    print(f"{passed + excused_n} passed, {failed} failed")
    sys.exit(0 if failed == 0 or args.no_fail else 1)


if __name__ == "__main__":
    main()
