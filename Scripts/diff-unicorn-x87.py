#!/usr/bin/env python3
"""Differential testing of Popek's x87 FPU (arithmetic, comparisons, conversions, transcendentals,
stack faults, unmasked exceptions and #MF) against Unicorn and the host CPU.

    Scripts/diff-unicorn-x87.py --mode 32|64 --cases N --seed S [--first I] [--popek PATH]
                                [--length N] [--reference both|unicorn|native] [--pointers]
                                [--faults P] [--unmasked P] [--only NAME,...]
                                [--save FILE] [--save-failures FILE] [--verbose] [--no-fail]

Each case is a snippet for `popek fuzz snippets` (Sources/TestVectors/SnippetRunner.swift's line format):

* a prologue (CPL 0) sets CR0.NE (so that an unmasked exception raises #MF at the next waiting x87
  instruction, as under Linux on the host), plants operands in the data page (80-bit values for the
  initial stack, single/double/integer/BCD memory operands, control words), runs FNINIT, FLDCW with a
  random rounding and precision control (and, with probability --unmasked, random exception masks),
  and loads 0-8 registers with FLD m80;
* a body of 1..--length random x87 instructions: every arithmetic, comparison (FCOM family and FCOMI
  family, EFLAGS compared), conversion (FLD/FST m32/m64, FILD/FIST/FISTP/FISTTP m16/32/64, FBLD/FBSTP,
  FLD/FSTP m80) and transcendental instruction, FPREM/FPREM1/FSCALE/FXTRACT/FRNDINT, state
  instructions (FXCH, FLD/FST ST(i), FCHS, FABS, FTST, FXAM, FNSTSW AX, FLDCW, FNCLEX, FWAIT). The
  stack depth is tracked so that most instructions find their operands; with probability --faults an
  instruction ignores it (stack overflow and underflow, #IS);
* an epilogue FNSAVE (a no-wait instruction: it captures the state after an unmasked exception too)
  into the data page, with the reserved halves and the FCS/FDS selectors cleared, and FIP/FOP/FDP
  cleared unless --pointers.

Operands are biased to the hard cases: signed zeros, infinities, QNaNs and SNaNs, the indefinite,
denormals, pseudo-denormals, unnormals, pseudo-NaNs and pseudo-infinities, extreme exponents,
significands at the 24/53/64-bit rounding points, integers and halves, values near the integer and BCD
limits and near multiples of pi/2.

References. The host CPU (Scripts/native-snippets.c; the prologue's MOV to/from CR0 replaced) is the
authority. It runs 64-bit code only, so a 32-bit case runs there as the same bytes in 64-bit mode: the
generated code (x87 instructions with [disp32] operands through a SIB byte, MOV r/m32, imm32 stores,
XOR/SUB on EAX/AL) means the same in both modes, and the FPU behaves the same. Unicorn 2 is QEMU 5.0's
x87, which is wrong in known ways (Scripts/diff-unicorn-x87-exceptions.txt). With --reference both (the
default) every case runs on both: the host decides, and the cases where only Unicorn disagrees are
counted ("Unicorn wrong", by instruction; --verbose lists the differing fields with an example).
--reference native runs the host only (faster; the right choice with --faults, --unmasked or
--pointers, which Unicorn does not model); a case that ends in an exception (#MF) then also compares the
x87 state at the fault: both sides write FCW, FSW, the abridged tags and ST0-ST7 into the data page at
0xD00 (POPEK_SNIPPET_FAULT_STATE, from the signal frame on the host). --reference unicorn (on a machine that is not x86) compares
with Unicorn only, ignoring what QEMU 5.0 does not model (the FSW exception flags, ES, B and C1) and
excusing its known errors listed in the exceptions file.

Host behaviour Popek does not reproduce on purpose (function `host_deviation`, counted apart): the
host's transcendental results one unit in the last place from the correctly rounded ones, or with
another C1; FYL2XP1 with ST(0) <= -1, which the SDM leaves undefined; the C1 that AMD leaves in
FCOMI/FUCOMI(P) when the FINCSTP after them raises #MF (function `fcomi_c1`, seen only in the x87 state
at the fault). And one difference is removed by
construction: the host (AMD) leaves C1 unchanged in FCOMI/FCOMIP/FUCOMI/FUCOMIP where the SDM clears
it, so the generator follows each of them with FINCSTP; FDECSTP, which clear C1 on both.

--save appends every case with the reference's final state (the host's when it was asked) in the format
of Tests/InterpreterTests/Resources/x87-regressions.txt (`CASE | EXPECTED | FLAGMASK`). The last line is
`N passed, M failed`.
"""
import argparse
import collections
import os
import queue
import random
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


from snippet_common import data_fill, ensure, find_popek, parse_result, result_line  # noqa: E402

ensure("unicorn", "unicorn")
import unicorn as U  # noqa: E402
import unicorn.x86_const as UX  # noqa: E402

CODE_ADDR, CODE_SIZE = 0x8000, 0x1000
DATA_ADDR, DATA_SIZE = 0x9000, 0x1000
SLOT_SIZE, SLOTS = 16, 56              # memory operands: slots 0..55 at 0x000-0x37F
STACK_IN = 0x400                       # initial stack values, 8 x 16 bytes
CW_IN = 0x480
SAVE_OUT = 0xC00                       # FNSAVE image, 108 bytes
FAULT_STATE = 0xD00                    # x87 state at an exception (#MF...), --reference native: 160 bytes
STATUS_FLAGS = 0x8D5
CR0_PROLOGUE = bytes.fromhex("0f20c0" "83c820" "0f22c0")  # mov eax,cr0; or eax,20h (NE); mov cr0,eax
ZERO_EAX = bytes.fromhex("31c0")                            # xor eax,eax; then SUB AL,imm8 sets the flags
# The host runs the prologue with the privileged moves replaced (same length, same flags from the OR:
# the snippet runner's CR0 is 80000011h).
CR0_NATIVE = bytes.fromhex("b811000080" "83c820" "90")


# ---------------------------------------------------------------------------------------------------
# Encoding: absolute [disp32] operands through a SIB byte (no base, no index), valid in both modes.

def modrm_abs(reg, off):
    return bytes([(reg << 3) | 4, 0x25]) + struct.pack("<I", DATA_ADDR + off)


def mov_dword(off, v):
    return b"\xc7" + modrm_abs(0, off) + struct.pack("<I", v & 0xFFFFFFFF)


def mov_word(off, v):
    return b"\x66\xc7" + modrm_abs(0, off) + struct.pack("<H", v & 0xFFFF)


def plant(off, data):
    """MOV stores that write `data` (bytes) at data+off."""
    out = []
    k = 0
    while k + 4 <= len(data):
        out.append(mov_dword(off + k, int.from_bytes(data[k:k + 4], "little")))
        k += 4
    if k + 2 <= len(data):
        out.append(mov_word(off + k, int.from_bytes(data[k:k + 2], "little")))
        k += 2
    assert k == len(data)
    return b"".join(out)


def ext_bytes(sig, se):
    return struct.pack("<QH", sig & (2**64 - 1), se & 0xFFFF)


# ---------------------------------------------------------------------------------------------------
# Operand values

PI66 = 0x3243F6A8885A308D3  # the x87's 66-bit pi: 0x3.243F6A8885A308D3 (SoftFloat.md)


class Values:
    def __init__(self, r):
        self.r = r

    def sig_pattern(self):
        r = self.r
        k = r.random()
        if k < 0.35:
            return r.getrandbits(64) | 1 << 63
        # values at the 24/53/64-bit rounding points: all ones or a half below the cut, random above
        cut = r.choice([24, 53, 64, 11, 32])
        top = (r.getrandbits(cut) | 1 << (cut - 1)) << (64 - cut)
        low_bits = 64 - cut
        if low_bits == 0:
            return top
        low = r.choice([0, (1 << low_bits) - 1, 1 << (low_bits - 1), (1 << (low_bits - 1)) + 1,
                        (1 << (low_bits - 1)) - 1, 1, r.getrandbits(low_bits)])
        return top | low

    def extended(self, kind="any"):
        """An 80-bit value as (significand, sign+exponent)."""
        r = self.r
        s = r.getrandbits(1) << 15
        k = r.random()
        if kind == "small" or (kind == "any" and k < 0.12):
            # |x| <= 1 or so, for F2XM1, FYL2XP1, FPATAN, trigonometric arguments
            e = 16383 - r.choice([0, 1, 2, 3, r.randrange(1, 70), r.randrange(1, 16000)])
            return self.sig_pattern(), s | e
        if kind == "any" and k < 0.40:
            c = r.randrange(14)
            if c == 0:
                return 0, s                                              # zero
            if c == 1:
                return 1 << 63, s | 0x7FFF                               # infinity
            if c == 2:
                return (3 << 62) | r.getrandbits(62), s | 0x7FFF         # QNaN
            if c == 3:
                return (1 << 63) | (r.getrandbits(62) or 1), s | 0x7FFF  # SNaN
            if c == 4:
                return 0xC000000000000000, 0xFFFF                        # indefinite
            if c == 5:
                return r.getrandbits(63) >> r.randrange(63) or 1, s      # denormal
            if c == 6:
                return (1 << 63) | r.getrandbits(63), s                  # pseudo-denormal
            if c == 7 and r.random() < 0.3:
                return r.getrandbits(63), s | r.randrange(1, 0x7FFF)     # unnormal
            if c == 8 and r.random() < 0.3:
                return r.getrandbits(63) if r.random() < 0.7 else 0, s | 0x7FFF  # pseudo-NaN / pseudo-infinity
            if c == 9:
                return self.sig_pattern(), s | r.choice([1, 2, 0x7FFE, 0x7FFD, r.randrange(1, 80), 0x7FFE - r.randrange(80)])
            if c == 10:
                # integers (FIST/FBSTP limits, FRNDINT, FSCALE factors)
                n = r.choice([r.randrange(-40, 41), r.getrandbits(16) - 2**15, r.getrandbits(32) - 2**31,
                              r.getrandbits(64) - 2**63, 10**18 - r.randrange(3), -(10**18) + r.randrange(3),
                              2**15 - r.randrange(3), -(2**15) - r.randrange(2), 2**31 - r.randrange(2),
                              -(2**31) - r.randrange(2), 2**63 - 1, -(2**63)])
                if n == 0:
                    return 0, s
                m = abs(n)
                e = m.bit_length() - 1
                return (m << (63 - e)) & (2**64 - 1), (0x8000 if n < 0 else 0) | (16383 + e)
            if c == 11:
                # halves: k + 1/2 (FRNDINT, FIST ties)
                e = r.randrange(0, 63)
                m = (r.getrandbits(64) | 1 << 63) & ~((1 << (62 - e)) - 1) | 1 << (62 - e)
                return m, s | (16383 + e)
            if c == 12:
                # near multiples of pi/2 (the x87's 66-bit pi)
                k = r.randrange(1, 2**r.randrange(1, 40))
                prod = k * PI66  # k * pi/2 = prod * 2^-65
                e = prod.bit_length() - 1
                sig = prod >> (e - 63) if e >= 63 else prod << (63 - e)
                sig ^= r.choice([0, 1, 2, 3])
                return sig & (2**64 - 1), s | (16383 + e - 65)
            return self.sig_pattern(), s | (16383 + r.choice([63, 64, 62, 59, 60]))
        e = 16383 + r.choice([r.randrange(-8, 9), r.randrange(-70, 71), r.randrange(-300, 301)])
        return self.sig_pattern(), s | e

    def ieee(self, single):
        r = self.r
        f, w = (23, 8) if single else (52, 11)
        emax = (1 << w) - 1
        s = r.getrandbits(1) << (f + w)
        c = r.randrange(12)
        if c == 0:
            v = 0
        elif c == 1:
            v = emax << f                                    # infinity
        elif c == 2:
            v = emax << f | 1 << (f - 1) | r.getrandbits(f - 1)     # QNaN
        elif c == 3:
            v = emax << f | (r.getrandbits(f - 1) or 1)       # SNaN
        elif c == 4:
            v = (r.getrandbits(f) >> r.randrange(f)) or 1     # denormal
        elif c == 5:
            v = r.choice([1, 2, emax - 1, emax - 2]) << f | r.getrandbits(f)
        elif c == 6:
            v = r.choice([(1 << (f + w)) - 1 - (1 << f), 1 << f])    # max finite, min normal
        else:
            v = (((1 << (w - 1)) - 1 + r.randrange(-40, 41)) << f) | r.choice([r.getrandbits(f), 0, (1 << f) - 1])
        return s | v

    def integer(self, bits):
        r = self.r
        lim = 1 << (bits - 1)
        v = r.choice([0, 1, -1, lim - 1, -lim, r.randrange(-100, 101), r.randrange(-lim, lim)])
        return v & ((1 << bits) - 1)

    def bcd(self):
        r = self.r
        digits = r.choice([18, r.randrange(1, 19), r.randrange(1, 5)])
        n = r.randrange(10 ** (digits - 1), 10 ** digits) if r.random() < 0.9 else r.randrange(10**18)
        low = 0
        for k in range(18):
            low |= (n % 10) << (4 * k)
            n //= 10
        if r.random() < 0.03:
            low |= r.randrange(10, 16) << (4 * r.randrange(18))  # an invalid digit
        sign = r.choice([0, 0x80])
        return low.to_bytes(9, "little") + bytes([sign])

    def control_word(self, unmasked_p):
        r = self.r
        masks = 0x3F
        if r.random() < unmasked_p:
            masks = r.getrandbits(6)
            if r.random() < 0.5:
                masks |= 0x20  # precision exceptions everywhere otherwise
        pc = r.choice([0, 2, 3, 3, 3, 1])
        rc = r.randrange(4)
        return masks | 0x40 | pc << 8 | rc << 10


# ---------------------------------------------------------------------------------------------------
# Instructions: (name, bytes-or-builder, depth needed, depth change)

# register forms with ST(i): name, opcode, ModRM base, depth needed beyond i, change
STI = [
    ("fadd st0,st{i}", 0xD8, 0xC0, 0), ("fmul st0,st{i}", 0xD8, 0xC8, 0), ("fcom st{i}", 0xD8, 0xD0, 0),
    ("fcomp st{i}", 0xD8, 0xD8, -1), ("fsub st0,st{i}", 0xD8, 0xE0, 0), ("fsubr st0,st{i}", 0xD8, 0xE8, 0),
    ("fdiv st0,st{i}", 0xD8, 0xF0, 0), ("fdivr st0,st{i}", 0xD8, 0xF8, 0),
    ("fadd st{i},st0", 0xDC, 0xC0, 0), ("fmul st{i},st0", 0xDC, 0xC8, 0), ("fsubr st{i},st0", 0xDC, 0xE0, 0),
    ("fsub st{i},st0", 0xDC, 0xE8, 0), ("fdivr st{i},st0", 0xDC, 0xF0, 0), ("fdiv st{i},st0", 0xDC, 0xF8, 0),
    ("faddp st{i},st0", 0xDE, 0xC0, -1), ("fmulp st{i},st0", 0xDE, 0xC8, -1), ("fsubrp st{i},st0", 0xDE, 0xE0, -1),
    ("fsubp st{i},st0", 0xDE, 0xE8, -1), ("fdivrp st{i},st0", 0xDE, 0xF0, -1), ("fdivp st{i},st0", 0xDE, 0xF8, -1),
    ("fucom st{i}", 0xDD, 0xE0, 0), ("fucomp st{i}", 0xDD, 0xE8, -1),
    ("fucomi st0,st{i}", 0xDB, 0xE8, 0), ("fcomi st0,st{i}", 0xDB, 0xF0, 0),
    ("fucomip st0,st{i}", 0xDF, 0xE8, -1), ("fcomip st0,st{i}", 0xDF, 0xF0, -1),
    ("fld st{i}", 0xD9, 0xC0, 1), ("fxch st{i}", 0xD9, 0xC8, 0), ("fst st{i}", 0xDD, 0xD0, 0),
    ("fstp st{i}", 0xDD, 0xD8, -1),
]

# no operand: name, bytes, depth needed, change (the depth after must stay <= 8)
FIXED = [
    ("fsqrt", b"\xd9\xfa", 1, 0), ("frndint", b"\xd9\xfc", 1, 0), ("f2xm1", b"\xd9\xf0", 1, 0),
    ("fsin", b"\xd9\xfe", 1, 0), ("fcos", b"\xd9\xff", 1, 0), ("fprem", b"\xd9\xf8", 2, 0),
    ("fprem1", b"\xd9\xf5", 2, 0), ("fscale", b"\xd9\xfd", 2, 0), ("fxtract", b"\xd9\xf4", 1, 1),
    ("fptan", b"\xd9\xf2", 1, 1), ("fsincos", b"\xd9\xfb", 1, 1), ("fyl2x", b"\xd9\xf1", 2, -1),
    ("fyl2xp1", b"\xd9\xf9", 2, -1), ("fpatan", b"\xd9\xf3", 2, -1), ("fcompp", b"\xde\xd9", 2, -2),
    ("fucompp", b"\xda\xe9", 2, -2), ("ftst", b"\xd9\xe4", 1, 0), ("fxam", b"\xd9\xe5", 0, 0),
    ("fchs", b"\xd9\xe0", 1, 0), ("fabs", b"\xd9\xe1", 1, 0), ("fld1", b"\xd9\xe8", 0, 1),
    ("fldpi", b"\xd9\xeb", 0, 1), ("fldz", b"\xd9\xee", 0, 1), ("fnstsw ax", b"\xdf\xe0", 0, 0),
    ("fnclex", b"\xdb\xe2", 0, 0), ("fwait", b"\x9b", 0, 0), ("fincstp", b"\xd9\xf7", 0, 0),
    ("fdecstp", b"\xd9\xf6", 0, 0),
]

# memory forms: name, opcode, ModRM.reg, operand kind, depth needed, change
MEM = [
    ("fadd m32", 0xD8, 0, "f32", 1, 0), ("fmul m32", 0xD8, 1, "f32", 1, 0), ("fcom m32", 0xD8, 2, "f32", 1, 0),
    ("fcomp m32", 0xD8, 3, "f32", 1, -1), ("fsub m32", 0xD8, 4, "f32", 1, 0), ("fsubr m32", 0xD8, 5, "f32", 1, 0),
    ("fdiv m32", 0xD8, 6, "f32", 1, 0), ("fdivr m32", 0xD8, 7, "f32", 1, 0),
    ("fadd m64", 0xDC, 0, "f64", 1, 0), ("fmul m64", 0xDC, 1, "f64", 1, 0), ("fcom m64", 0xDC, 2, "f64", 1, 0),
    ("fcomp m64", 0xDC, 3, "f64", 1, -1), ("fsub m64", 0xDC, 4, "f64", 1, 0), ("fsubr m64", 0xDC, 5, "f64", 1, 0),
    ("fdiv m64", 0xDC, 6, "f64", 1, 0), ("fdivr m64", 0xDC, 7, "f64", 1, 0),
    ("fiadd m32", 0xDA, 0, "i32", 1, 0), ("fimul m32", 0xDA, 1, "i32", 1, 0), ("ficom m32", 0xDA, 2, "i32", 1, 0),
    ("ficomp m32", 0xDA, 3, "i32", 1, -1), ("fisub m32", 0xDA, 4, "i32", 1, 0), ("fisubr m32", 0xDA, 5, "i32", 1, 0),
    ("fidiv m32", 0xDA, 6, "i32", 1, 0), ("fidivr m32", 0xDA, 7, "i32", 1, 0),
    ("fiadd m16", 0xDE, 0, "i16", 1, 0), ("fimul m16", 0xDE, 1, "i16", 1, 0), ("ficom m16", 0xDE, 2, "i16", 1, 0),
    ("ficomp m16", 0xDE, 3, "i16", 1, -1), ("fisub m16", 0xDE, 4, "i16", 1, 0), ("fisubr m16", 0xDE, 5, "i16", 1, 0),
    ("fidiv m16", 0xDE, 6, "i16", 1, 0), ("fidivr m16", 0xDE, 7, "i16", 1, 0),
    ("fld m32", 0xD9, 0, "f32", 0, 1), ("fst m32", 0xD9, 2, "out", 1, 0), ("fstp m32", 0xD9, 3, "out", 1, -1),
    ("fld m64", 0xDD, 0, "f64", 0, 1), ("fst m64", 0xDD, 2, "out", 1, 0), ("fstp m64", 0xDD, 3, "out", 1, -1),
    ("fild m32", 0xDB, 0, "i32", 0, 1), ("fisttp m32", 0xDB, 1, "out", 1, -1), ("fist m32", 0xDB, 2, "out", 1, 0),
    ("fistp m32", 0xDB, 3, "out", 1, -1), ("fld m80", 0xDB, 5, "f80", 0, 1), ("fstp m80", 0xDB, 7, "out", 1, -1),
    ("fisttp m64", 0xDD, 1, "out", 1, -1),
    ("fild m16", 0xDF, 0, "i16", 0, 1), ("fisttp m16", 0xDF, 1, "out", 1, -1), ("fist m16", 0xDF, 2, "out", 1, 0),
    ("fistp m16", 0xDF, 3, "out", 1, -1), ("fbld m80", 0xDF, 4, "bcd", 0, 1), ("fild m64", 0xDF, 5, "i64", 0, 1),
    ("fbstp m80", 0xDF, 6, "out", 1, -1), ("fistp m64", 0xDF, 7, "out", 1, -1),
    ("fldcw m16", 0xD9, 5, "cw", 0, 0),
]

ARITH_WEIGHT = {"fld m32": 3, "fld m64": 3, "fld m80": 3, "fild m32": 2}


class Case:
    __slots__ = ("id", "bits", "code", "seed", "regs", "flags", "end", "pro", "body", "epi", "native_code")

    def line(self, native=False):
        regs = " ".join(f"{v:x}" for v in self.regs)
        code = self.native_code if native else self.code
        # The host runs 64-bit code only; the generated instructions mean the same in both modes.
        bits = 64 if native else self.bits
        return (f"{self.id} {bits} {CODE_ADDR:x} {code.hex()} {DATA_ADDR:x} {DATA_SIZE:x} "
                f"{self.seed:x} {self.end:x} {self.flags:x} {regs}")

    def cut(self, k):
        c = Case()
        for s in Case.__slots__:
            if s != "body":
                setattr(c, s, getattr(self, s))
        c.body = self.body[:k]
        assemble(c)
        return c


def assemble(c):
    body = b"".join(b for _, b in c.body)
    c.code = c.pro + body + c.epi
    c.native_code = CR0_NATIVE + c.pro[len(CR0_PROLOGUE):] + body + c.epi
    assert c.pro.startswith(CR0_PROLOGUE)
    c.end = CODE_ADDR + len(c.code)


def epilogue(pointers):
    out = [b"\xdd" + modrm_abs(6, SAVE_OUT)]  # fnsave [SAVE_OUT]
    for off in (2, 6, 10):
        out.append(mov_word(SAVE_OUT + off, 0))       # reserved halves
    out.append(mov_word(SAVE_OUT + 16, 0))            # FCS
    out.append(mov_word(SAVE_OUT + 24, 0))            # FDS
    out.append(mov_word(SAVE_OUT + 26, 0))            # reserved
    if not pointers:
        out.append(mov_dword(SAVE_OUT + 12, 0))       # FIP
        out.append(mov_word(SAVE_OUT + 18, 0))        # FOP
        out.append(mov_dword(SAVE_OUT + 20, 0))       # FDP
    return b"".join(out)


def make_case(bits, r, index, args, only):
    v = Values(r)
    c = Case()
    c.id, c.bits = f"{args.id_prefix}{index}", bits
    c.seed = r.randrange(1 << 16)
    width = 64 if bits == 64 else 32
    c.regs = [r.getrandbits(width) for _ in range(16)]
    if bits == 32:
        c.regs[8:] = [0] * 8
    c.flags = 2 | (r.getrandbits(12) & STATUS_FLAGS)
    plants = []
    # control word and initial stack
    cw = v.control_word(args.unmasked)
    plants.append(plant(CW_IN, struct.pack("<H", cw)))
    depth = r.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 8]) if r.random() < 0.9 else r.randrange(9)
    loads = []
    small = r.random() < 0.3
    for n in range(depth):
        sig, se = v.extended("small" if small and r.random() < 0.5 else "any")
        plants.append(plant(STACK_IN + 16 * n, ext_bytes(sig, se)))
        loads.append(b"\xdb" + modrm_abs(5, STACK_IN + 16 * n))  # fld tword
    # body
    slot = 0
    body = []
    length = r.randrange(1, args.length + 1)
    names_only = only
    tries = 0
    while len(body) < length and tries < 1000:
        tries += 1
        fault = r.random() < args.faults
        k = r.random()
        if k < 0.38:
            name, op, base, delta = r.choice(STI)
            need_extra = 1
            i = r.randrange(8) if fault else (r.randrange(max(depth, 1)) if depth else 0)
            if names_only and name.split()[0] not in names_only:
                continue
            if not fault and (depth < max(need_extra, i + 1) or depth + delta > 8 or (name.startswith("fld") and depth >= 8)):
                continue
            insn = bytes([op, base + i])
            if name.startswith(("fcomi", "fucomi")):
                # The host (AMD) leaves C1 unchanged, the SDM clears it: FINCSTP; FDECSTP clear it on both.
                insn += b"\xd9\xf7\xd9\xf6"
            body.append((name.replace("{i}", str(i)), insn))
            depth = max(0, min(8, depth + delta))
        elif k < 0.62:
            name, b, need, delta = r.choice(FIXED)
            if names_only and name.split()[0] not in names_only:
                continue
            if not fault and (depth < need or depth + delta > 8):
                continue
            if name == "fwait" and r.random() < 0.7:
                continue
            if name in ("fincstp", "fdecstp") and not fault:
                continue  # they rotate the stack without changing the tags: the next instructions may fault
            body.append((name, b))
            depth = max(0, min(8, depth + delta))
        else:
            name, op, reg, kind, need, delta = r.choice(MEM)
            if names_only and name.split()[0] not in names_only:
                continue
            if not fault and (depth < need or depth + delta > 8):
                continue
            if slot >= SLOTS:
                continue
            off = slot * SLOT_SIZE
            slot += 1
            if kind == "f32":
                plants.append(plant(off, struct.pack("<I", v.ieee(True))))
            elif kind == "f64":
                plants.append(plant(off, struct.pack("<Q", v.ieee(False))))
            elif kind in ("i16", "i32", "i64"):
                n = int(kind[1:])
                plants.append(plant(off, v.integer(n).to_bytes(n // 8, "little")))
            elif kind == "f80":
                plants.append(plant(off, ext_bytes(*v.extended())))
            elif kind == "bcd":
                plants.append(plant(off, v.bcd()))
            elif kind == "cw":
                plants.append(plant(off, struct.pack("<H", v.control_word(args.unmasked))))
            body.append((name, bytes([op]) + modrm_abs(reg, off)))
            depth = max(0, min(8, depth + delta))
    # CR0 differs between the runners: XOR, then SUB AL, imm8 (CF, AF, OF, SF, ZF, PF from the immediate)
    c.pro = CR0_PROLOGUE + ZERO_EAX + bytes([0x2C, r.randrange(256)]) + b"".join(plants) + b"\xdb\xe3" + b"\xd9" + modrm_abs(5, CW_IN) + b"".join(loads)
    c.body = body
    c.epi = epilogue(args.pointers)
    assemble(c)
    return c


# ---------------------------------------------------------------------------------------------------
# Runners



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

    def _intr(self, uc, intno, _):
        self.vector = intno
        uc.emu_stop()

    def run(self, case):
        uc = U.Uc(U.UC_ARCH_X86, U.UC_MODE_64 if self.bits == 64 else U.UC_MODE_32)
        uc.ctl_set_cpu_model(UX.UC_CPU_X86_OPTERON_G4)
        uc.mem_map(CODE_ADDR, CODE_SIZE + DATA_SIZE)
        uc.hook_add(U.UC_HOOK_INTR, self._intr)
        uc.mem_write(CODE_ADDR, case.code + bytes(CODE_SIZE - len(case.code)))
        initial = data_fill(case.seed)
        uc.mem_write(DATA_ADDR, initial)
        for reg, val in zip(self.regs, case.regs):
            uc.reg_write(reg, val)
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


class LineRunner:
    """A process reading case lines and answering result lines; batches end with `sync`."""

    def __init__(self, argv, native=False):
        self.native = native
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
        self.q = queue.Queue()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line.rstrip("\n"))
        self.q.put(None)

    def send(self, cases):
        self.p.stdin.write("\n".join(c.line(self.native) for c in cases) + "\nsync\n")
        self.p.stdin.flush()

    def receive(self):
        out = []
        while True:
            line = self.q.get()
            if line is None:
                raise RuntimeError("snippet runner exited early (crash?)")
            if line == "sync":
                return out
            out.append(line)

    def run(self, case):
        self.send([case])
        return parse_result(self.receive()[0])

    def run_many(self, cases):
        self.send(cases)
        return [parse_result(x) for x in self.receive()]

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def native_runner():
    exe = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"popek-native-snippets-{os.getuid()}")
    src = os.path.join(ROOT, "Scripts", "native-snippets.c")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.check_call(["cc", "-O1", "-o", exe, src])
    return LineRunner([exe], native=True)


# ---------------------------------------------------------------------------------------------------
# Comparison

SAVE_FIELDS = [(0, 2, "fcw"), (4, 2, "fsw"), (8, 2, "ftw"), (12, 4, "fip"), (18, 2, "fop"), (20, 4, "fdp")] + \
              [(28 + 10 * n, 10, f"st{n}") for n in range(8)]


def region(off):
    if FAULT_STATE <= off < FAULT_STATE + 160:
        k = off - FAULT_STATE
        if k >= 32:
            return f"fault-st{(k - 32) // 16}"
        return {0: "fault-fcw", 1: "fault-fcw", 2: "fault-fsw", 3: "fault-fsw", 4: "fault-ftw"}.get(k, "fault-other")
    if SAVE_OUT <= off < SAVE_OUT + 108:
        rel = off - SAVE_OUT
        for start, size, name in SAVE_FIELDS:
            if start <= rel < start + size:
                return name
        return "env"
    if off < SLOTS * SLOT_SIZE:
        return "store"
    return "data"


def field_value(case, res, start, size):
    init = data_fill(case.seed)
    b = bytes(res["mem"].get(SAVE_OUT + start + k, init[SAVE_OUT + start + k]) for k in range(size))
    return b[::-1].hex()


# What QEMU 5.0's x87 does not model, ignored when Unicorn is the reference (--reference unicorn, or the
# Unicorn comparison of --reference both): the FSW exception flags, ES, B and C1 (it sets them only for a few
# instructions; QEMU 5.2 fixed this), so FSW is compared on TOP, C0, C2 and C3.
UNICORN_FSW_MASK = 0x7D00


def unicorn_view(case, res):
    init = data_fill(case.seed)
    mem = dict(res["mem"])
    for k, m in ((4, UNICORN_FSW_MASK & 0xFF), (5, UNICORN_FSW_MASK >> 8)):
        o = SAVE_OUT + k
        v = mem.get(o, init[o]) & m
        if v == init[o]:
            mem.pop(o, None)
        else:
            mem[o] = v
    return dict(res, mem=mem)


def differences(case, want, got, names=("unicorn", "popek")):
    a, b = names
    if a == "unicorn":
        want, got = unicorn_view(case, want), unicorn_view(case, got)
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
        init = data_fill(case.seed)
        bad = sorted(o for o in set(want["mem"]) | set(got["mem"]) if want["mem"].get(o) != got["mem"].get(o))
        seen = []
        for o in bad:
            name = region(o)
            if name not in seen:
                seen.append(name)
        for name in seen[:6]:
            field = next((f for f in SAVE_FIELDS if f[2] == name), None)
            if field:
                out.append(f"{name}: {a} {field_value(case, want, field[0], field[1])}, {b} {field_value(case, got, field[0], field[1])}")
            else:
                o = next(x for x in bad if region(x) == name)
                base = o - o % SLOT_SIZE
                def val(mem):
                    return bytes(mem.get(base + k, init[base + k]) for k in range(10))[::-1].hex()
                out.append(f"{name}+{o:#x}: {a} {val(want['mem'])}, {b} {val(got['mem'])}")
    return out


def describe(case, res):
    """FSW, FTW, the stack and the status of a result, for --show."""
    init = data_fill(case.seed)
    def get(off, n):
        return bytes(res["mem"].get(SAVE_OUT + off + k, init[SAVE_OUT + off + k]) for k in range(n))
    sw = int.from_bytes(get(4, 2), "little")
    tw = int.from_bytes(get(8, 2), "little")
    top = (sw >> 11) & 7
    regs = []
    for n in range(8):
        if (tw >> (2 * ((top + n) & 7))) & 3 != 3:
            regs.append(f"st{n}={get(28 + 10 * n, 10)[::-1].hex()}")
    cc = "".join(c for c, bit in (("3", 0x4000), ("2", 0x400), ("1", 0x200), ("0", 0x100)) if sw & bit)
    return (f"{res['status']} fcw {get(0, 2)[::-1].hex()} fsw {sw:04x} (C{cc or '-'}, flags {sw & 0xFF:02x}, top {top}) "
            f"rflags {res['flags'] & STATUS_FLAGS:03x} rax {res['regs'][0] & 0xFFFF:04x} " + " ".join(regs))


def field_of(d):
    return d.split(":")[0].split("+")[0]


def load_exceptions(path):
    out = []
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                p = [x.strip() for x in line.split("|")]
                out.append((p[0].lower(), set(p[1].split(",")), p[2] if len(p) > 2 else ""))
    return out


def listing(case, k=None):
    return "\n".join(f"    {name}" for name, _ in case.body[:k])


def culprit(case, ref, popek, ref_name):
    """The first body instruction after which the states differ: (name, differences, k, the reference's
    and Popek's results after it, the reference's result before it)."""
    prev = None
    for k in range(1, len(case.body) + 1):
        c = case.cut(k)
        want, got = ref.run(c), popek.run(c)
        d = differences(c, want, got, (ref_name, "popek"))
        if d:
            if prev is None:
                prev = ref.run(case.cut(k - 1))
            return case.body[k - 1][0], d, k, want, got, prev
        prev = want
    return None, [], 0, None, None, None


TRANSCENDENTAL = {"fsin", "fcos", "fsincos", "fptan", "fpatan", "f2xm1", "fyl2x", "fyl2xp1"}


def saved(case, res, start, size):
    init = data_fill(case.seed)
    return int.from_bytes(bytes(res["mem"].get(SAVE_OUT + start + k, init[SAVE_OUT + start + k]) for k in range(size)), "little")


def ext_value(v):
    """An 80-bit register image as (sign, exact magnitude as a Fraction) or None for NaN/infinity/unsupported."""
    from fractions import Fraction
    sig, se = v & (2**64 - 1), v >> 64
    e = se & 0x7FFF
    if e == 0x7FFF or (e != 0 and sig >> 63 == 0):
        return None
    return (se >> 15, Fraction(sig) * Fraction(2) ** (max(e, 1) - 16383 - 63), max(e, 1))


def fcomi_c1(case, name, want, got):
    """FCOMI/FCOMIP/FUCOMI/FUCOMIP on AMD leave C1 unchanged (the SDM clears it). The FINCSTP; FDECSTP
    that follow them clear it on both, unless an unmasked exception makes FINCSTP raise #MF: then the
    x87 state at the fault (--reference native) shows the host's C1. A reason, or None."""
    op = ((name or "").split() or [""])[0]
    if op not in ("fcomi", "fcomip", "fucomi", "fucomip") or want is None or not want["status"].startswith("exc"):
        return None
    if want["status"] != got["status"] or want["regs"] != got["regs"] or (want["flags"] ^ got["flags"]) & STATUS_FLAGS:
        return None
    init = data_fill(case.seed)
    for o in set(want["mem"]) | set(got["mem"]):
        a, b = want["mem"].get(o, init[o]), got["mem"].get(o, init[o])
        if a != b and not (o == FAULT_STATE + 3 and a ^ b == 0x02):
            return None
    return "FCOMI family C1 (AMD) at #MF"


def host_deviation(case, name, k, want, got, prev):
    """Host x87 behaviour that Popek deliberately does not reproduce (Documentation/X87.md): a reason, or None.

    - The host's transcendental microcode is not correctly rounded: a result one unit in the last place
      from SoftFloat's correctly rounded one, or the same result with another C1 (SoftFloat.md measures
      0.1-10% of cases per instruction).
    - FYL2XP1 with ST(0) <= -1 (outside the SDM's |x| < 1 - sqrt(2)/2): the host returns a number, SoftFloat
      the indefinite with IE; the SDM leaves the result undefined."""
    op = ((name or "").split() or [""])[0]
    if op not in TRANSCENDENTAL or want is None:
        return None
    if want["status"] != got["status"] or want["regs"] != got["regs"] or (want["flags"] ^ got["flags"]) & STATUS_FLAGS:
        return None
    if op == "fyl2xp1" and prev is not None:
        x = ext_value(saved(case, prev, 28, 10))
        if x is not None and x[0] == 1 and x[1] >= 1:
            return "fyl2xp1 outside its range"
    sw_w, sw_g = saved(case, want, 4, 2), saved(case, got, 4, 2)
    if (sw_w ^ sw_g) & ~0x200:
        return None
    for off in range(0, 108):
        if off in (4, 5) or 28 <= off < 108:
            continue
        if want["mem"].get(SAVE_OUT + off) != got["mem"].get(SAVE_OUT + off):
            return None
    other = {o for o in set(want["mem"]) | set(got["mem"]) if not (SAVE_OUT <= o < SAVE_OUT + 108)}
    if any(want["mem"].get(o) != got["mem"].get(o) for o in other):
        return None
    for n in range(8):
        a, b = saved(case, want, 28 + 10 * n, 10), saved(case, got, 28 + 10 * n, 10)
        if a == b:
            continue
        va, vb = ext_value(a), ext_value(b)
        if va is None or vb is None or va[0] != vb[0]:
            return None
        from fractions import Fraction
        ulp = Fraction(2) ** (min(va[2], vb[2]) - 16383 - 63)
        if abs(va[1] - vb[1]) > ulp:
            return None
    return "transcendental last bit or C1"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", type=int, choices=(32, 64), required=True)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--length", type=int, default=6, help="most instructions per body")
    ap.add_argument("--reference", choices=("both", "unicorn", "native"), default=None)
    ap.add_argument("--pointers", action="store_true", help="compare FIP/FOP/FDP too")
    ap.add_argument("--faults", type=float, default=0.0, help="probability that an instruction ignores the stack depth")
    ap.add_argument("--unmasked", type=float, default=0.0, help="probability of random exception masks")
    ap.add_argument("--only", default="", help="comma-separated mnemonics to draw from (e.g. fadd,fsin)")
    ap.add_argument("--popek")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--save", metavar="FILE")
    ap.add_argument("--save-failures", metavar="FILE")
    ap.add_argument("--note", default="")
    ap.add_argument("--id-prefix", default="x")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--no-fail", action="store_true")
    ap.add_argument("--show", metavar="INDEX", type=int, help="print the states after each instruction of one case")
    args = ap.parse_args()
    bits = args.mode
    ref_kind = args.reference or "both"
    only = {m.strip().lower() for m in args.only.split(",") if m.strip()}
    if ref_kind == "native":
        # At an exception (#MF, #IS is none) both sides write the x87 state into the data page (no XMM).
        os.environ["POPEK_SNIPPET_FAULT_STATE"] = f"{FAULT_STATE:x}/0"
    popek = LineRunner([find_popek(args), "fuzz", "snippets"])
    uni = UnicornRunner(bits) if ref_kind != "native" else None
    native = native_runner() if ref_kind != "unicorn" else None
    exceptions = load_exceptions(os.path.join(ROOT, "Scripts", "diff-unicorn-x87-exceptions.txt"))
    if args.show is not None:
        r = random.Random(f"x87-{args.seed}-{bits}-{args.show}")
        c = make_case(bits, r, args.show, args, only)
        refs = [("popek", popek)] + ([("unicorn", uni)] if uni else []) + ([("cpu", native)] if native else [])
        for k in range(len(c.body) + 1):
            ck = c.cut(k)
            print(f"after {k}: {c.body[k - 1][0] if k else '(prologue)'}")
            for name, runner in refs:
                res = runner.run(ck)
                print(f"  {name:8} {describe(ck, res)}")
        return
    save = open(args.save, "a") if args.save else None
    save_failures = open(args.save_failures, "a") if args.save_failures else None
    for f in (save, save_failures):
        if f and args.note:
            f.write(f"# {args.note}\n")
        if f and os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
            # the x87/SSE state at exceptions is in the saved results: replayed the same way
            f.write(f"#! fault-state {os.environ['POPEK_SNIPPET_FAULT_STATE']}\n")
    passed = failed = excused = unicorn_wrong = retried = 0
    groups = collections.defaultdict(list)
    wrong_groups = collections.Counter()
    wrong_fields = collections.Counter()
    wrong_examples = {}
    deviations = collections.Counter()  # host behaviour Popek does not reproduce on purpose
    statuses = collections.Counter()
    start = time.time()
    index, last = args.first, args.first + args.cases
    while index < last:
        batch = []
        while index < last and len(batch) < args.batch:
            r = random.Random(f"x87-{args.seed}-{bits}-{index}")
            batch.append(make_case(bits, r, index, args, only))
            index += 1
        got_all = popek.run_many(batch)
        nat_all = native.run_many(batch) if native else None
        for j, (c, got) in enumerate(zip(batch, got_all)):
            if ref_kind == "unicorn":
                want, ref_name = uni.run(c), "unicorn"
            else:
                want, ref_name = nat_all[j], "cpu"
            statuses[want["status"]] += 1
            d = differences(c, want, got, (ref_name, "popek"))
            if ref_kind == "both" and not d:
                # The CPU agrees with Popek; count the cases where Unicorn does not.
                if differences(c, uni.run(c), got):
                    unicorn_wrong += 1
                    passed += 1
                    name, d1, k, _, _, _ = culprit(c, uni, popek, "unicorn")
                    wrong_groups[(name or "?").split()[0]] += 1
                    key = ((name or "?").split()[0], ",".join(sorted({field_of(x) for x in d1})))
                    wrong_fields[key] += 1
                    if args.verbose and wrong_fields[key] == 1:
                        wrong_examples[key] = f"{c.id}: " + "; ".join(d1)[:300] + "\n" + listing(c, k)
                    if save:
                        save.write(f"# {bits}-bit seed {args.seed} case {c.id}: Unicorn wrong after {name}, the CPU agrees with Popek\n")
                        save.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
                    continue
            if d and ref_name == "cpu":
                # The host loses FIP/FDP/FOP when the process is preempted (the kernel's FPU state save on
                # AMD keeps them only with an exception pending): ask once more.
                again = native.run(c)
                if not differences(c, again, got, ("cpu", "popek")):
                    retried += 1
                    if args.verbose:
                        print(f"host flake {c.id}: first run " + "; ".join(d)[:300])
                    want, d = again, []
            if not d:
                passed += 1
                if save:
                    save.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
                continue
            ref_runner = uni if ref_name == "unicorn" else native
            name, d1, k, w1, g1, prev = culprit(c, ref_runner, popek, ref_name)
            fields = {field_of(x) for x in (d1 or d)}
            if ref_name == "cpu":
                why = host_deviation(c.cut(k), name, k, w1, g1, prev) or fcomi_c1(c.cut(k), name, w1, g1)
                if why:
                    deviations[why] += 1
                    if save:
                        save.write(f"# {bits}-bit seed {args.seed} case {c.id}: host deviation after {name} ({why}); "
                                   f"the expected state is Popek's: {'; '.join(d1 or d)[:200]}\n")
                        save.write(f"{c.line()} | {result_line(c.id, got)} | {STATUS_FLAGS:x}\n")
                    continue
            if ref_name == "unicorn" and any((m == "*" or m == (name or "").split()[0]) and fields <= fs for m, fs, _ in exceptions):
                excused += 1
                continue
            failed += 1
            groups[(name or "?").split()[0]].append((c, d1 or d, k))
            if save_failures:
                save_failures.write(f"# {bits}-bit seed {args.seed} case {c.id}: {name}: {'; '.join(d1 or d)[:300]}\n")
                save_failures.write(f"{c.line()} | {result_line(c.id, want)} | {STATUS_FLAGS:x}\n")
            if args.verbose:
                print(f"FAIL {c.id} ({name}): " + "; ".join(d1 or d))
                print(listing(c, k))
    popek.close()
    if native:
        native.close()
    for f in (save, save_failures):
        if f:
            if os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
                f.write("#! fault-state off\n")
            f.close()
    if wrong_groups:
        print("Unicorn wrong (the CPU agrees with Popek), by first differing instruction: "
              + ", ".join(f"{k} {v}" for k, v in wrong_groups.most_common()))
    for name, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"{name}: {len(items)} failing")
        for c, d, k in items[:args.examples]:
            print(f"  case {c.id}: " + "; ".join(d)[:500])
            print(listing(c, k))
    if wrong_fields and args.verbose:
        print("Unicorn wrong, by instruction and differing fields:")
        for (n, f), v in sorted(wrong_fields.items()):
            print(f"  {n} | {f} | {v}")
            print("      " + wrong_examples.get((n, f), "").replace("\n", "\n      "))
    if deviations:
        print("host deviations (not reproduced on purpose; see host_deviation): "
              + ", ".join(f"{k} {v}" for k, v in deviations.most_common()))
    took = time.time() - start
    host_dev = sum(deviations.values())
    print(f"{bits}-bit ({ref_kind}): {passed + failed + excused + host_dev} cases in {took:.0f} s "
          f"({unicorn_wrong} of them where only Unicorn disagrees, {host_dev} host deviations, "
          f"{excused} excused by the exceptions file); "
          f"reference stops: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}"
          + (f"; {retried} passed when the host ran them again" if retried else ""))
    print(f"{passed + excused + host_dev} passed, {failed} failed")
    sys.exit(0 if failed == 0 or args.no_fail else 1)


if __name__ == "__main__":
    main()
