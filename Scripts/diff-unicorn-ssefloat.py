#!/usr/bin/env python3
"""Differential testing of Popek's SSE/SSE2/SSE3/SSE4.1 floating-point instructions against the host CPU and Unicorn.

    Scripts/diff-unicorn-ssefloat.py --mode 32|64 --cases N --seed S [--first I] [--popek PATH]
                                     [--length N] [--save FILE] [--save-failures FILE] [--verbose]
                                     [--only MNEMONIC,...] [--no-fail] [--reference native|unicorn]
                                     [--no-unicorn]

The snippets are those of Scripts/diff-unicorn-simd.py (whose machinery this script imports: case format,
runners, body generator, culprit search), with floating-point instructions and operands:

* the prologue sets CR4.OSFXSR/OSXMMEXCPT, plants binary32/binary64 special values (signed zeros, denormals,
  infinities, QNaNs and SNaNs, the indefinite, extreme exponents, integer limits) in the XMM register images
  and among the memory operands, loads XMM0-XMM15 and MM0-MM7, and loads a random MXCSR: rounding control,
  DAZ, and in 64-bit mode FTZ and random exception masks (so that unmasked exceptions raise #XM);
* the body is 1..--length instructions: every legacy SSE/SSE2/SSE3/SSE4.1 floating-point arithmetic,
  comparison and conversion instruction, a few moves and logical operations, and x87 state instructions;
* the epilogue stores the XMM/MM registers, MXCSR and the x87 environment.

Reference (--reference): native, the default in 64-bit mode, has the host CPU (Scripts/native-snippets.c;
32-bit cases in compatibility mode, with the same FTZ and exception masks as 64-bit ones) run every case and
decide; a case ending in an exception (#XM, #GP, #UD) also compares the x87/SSE state at the fault (MXCSR
flags and the unchanged destination of an unmasked exception included), written by both sides into the
data page at 0xD00; Unicorn runs too and its agreement is counted for information (--no-unicorn skips it).
unicorn, the default in 32-bit mode, makes Unicorn the reference, with its known
gaps kept out of the cases (QEMU 5's SSE never sets the MXCSR exception flags, ignores FTZ, raises no #XM
and computes RCPPS/RSQRTPS exactly): the epilogue clears the MXCSR flag bits before they are compared, every
exception is masked, FTZ stays clear and RCPPS/RCPSS/RSQRTPS/RSQRTSS are not drawn. --save appends cases
with the reference state in the format of Tests/InterpreterTests/Resources/unicorn-ssefloat-regressions.txt
(replayed by UnicornSSEFloatRegressionTests). The last line is `N passed, M failed`.
"""
import argparse
import collections
import importlib.util
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("diff_unicorn_simd", os.path.join(HERE, "diff-unicorn-simd.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)
I, R = S.I, S.R

FLOAT = set("""
ADDPS ADDSS ADDPD ADDSD SUBPS SUBSS SUBPD SUBSD MULPS MULSS MULPD MULSD DIVPS DIVSS DIVPD DIVSD
SQRTPS SQRTSS SQRTPD SQRTSD MINPS MINSS MINPD MINSD MAXPS MAXSS MAXPD MAXSD CMPPS CMPSS CMPPD CMPSD
COMISS UCOMISS COMISD UCOMISD HADDPS HADDPD HSUBPS HSUBPD ADDSUBPS ADDSUBPD DPPS DPPD
ROUNDPS ROUNDPD ROUNDSS ROUNDSD RCPPS RCPSS RSQRTPS RSQRTSS
CVTPS2PD CVTPD2PS CVTSS2SD CVTSD2SS CVTDQ2PS CVTPS2DQ CVTTPS2DQ CVTDQ2PD CVTPD2DQ CVTTPD2DQ
CVTPI2PS CVTPI2PD CVTPS2PI CVTTPS2PI CVTPD2PI CVTTPD2PI CVTSI2SS CVTSI2SD CVTSS2SI CVTTSS2SI CVTSD2SI CVTTSD2SI
""".split())
# Data movement and logic mixed in (other helpers' instructions, here to move special values around).
MIXED = set("MOVAPS MOVSS MOVSD MOVHLPS MOVLHPS UNPCKLPS UNPCKLPD SHUFPS SHUFPD ANDPS XORPD ORPS".split())
APPROXIMATE = {"RCPPS", "RCPSS", "RSQRTPS", "RSQRTSS"}

# binary32 specials; as the high dword of a binary64 they make that double special too.
SPECIALS = [
    0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
    0x7FC00001, 0x7F800001, 0xFFA00005, 0x00000001, 0x807FFFFF, 0x00400000, 0x00800000, 0x7F7FFFFF,
    0xFF7FFFFF, 0x3F000000, 0x3FC00000, 0x40200000, 0x4F000000, 0xCF000000, 0x4EFFFFFF, 0x5F000000,
    0x4B800000, 0x4B7FFFFF, 0x3EAAAAAB, 0x33800000,
    # binary64 high dwords: 1.0, -1.0, infinity, QNaN, SNaN, indefinite, denormal, smallest normal,
    # 2^31, 2^63, 2^52, 0.5, largest finite
    0x3FF00000, 0xBFF00000, 0x7FF00000, 0xFFF00000, 0x7FF80000, 0x7FF00001, 0xFFF80000, 0x00080000,
    0x800FFFFF, 0x00100000, 0x41E00000, 0xC1E00000, 0x43E00000, 0x43300000, 0x3FE00000, 0x7FEFFFFF,
]
LOW_DWORDS = [0, 0, 0, 1, 0xFFFFFFFF, 0x80000000, 0x12345678]


def float_prologue(gen, r):
    """S.prologue with float specials and a random MXCSR."""
    bits = gen.bits
    out = []
    cr4 = 0x620 if bits == 64 else 0x600
    out.append(bytes.fromhex("b8") + cr4.to_bytes(4, "little") + bytes.fromhex("0f22e0"))  # mov eax,imm; mov cr4,rax
    out.append(b"\xdb\xe3")  # FNINIT
    mxcsr = r.randrange(4) << 13
    if r.random() < 0.25:
        mxcsr |= 0x40  # DAZ
    if not UNICORN_REFERENCE[0] and r.random() < 0.25:
        mxcsr |= 0x8000  # FTZ
    if not UNICORN_REFERENCE[0] and r.random() < 0.3:
        mxcsr |= r.getrandbits(6) << 7
    else:
        mxcsr |= 0x1F80
    mem = lambda off: I.MemoryOperand(displ=S.DATA_ADDR + off, displ_size=4)
    out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, mem(S.MXCSR_IN), mxcsr))
    out.append(I.Instruction.create_mem(I.Code.LDMXCSR_M32, mem(S.MXCSR_IN)))
    for n in range(gen.nxmm):
        if r.random() < 0.7:
            for k in r.sample(range(4), r.randrange(1, 5)):
                v = r.choice(SPECIALS) if (k & 1 or r.random() < 0.5) else r.choice(LOW_DWORDS)
                out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, mem(S.XMM_IN + 16 * n + 4 * k), v))
    # special values among the memory operands too
    for _ in range(r.randrange(4, 24)):
        off = r.randrange(0, (S.OPERANDS + 16) // 4) * 4
        out.append(I.Instruction.create_mem_u32(I.Code.MOV_RM32_IMM32, mem(off), r.choice(SPECIALS)))
    if r.random() < 0.3:
        # equal lanes across registers: equal operands for the comparisons, x - x
        a, b = r.randrange(gen.nxmm), r.randrange(gen.nxmm)
        for k in range(0, 16, 4):
            out.append(I.Instruction.create_reg_mem(I.Code.MOV_R32_RM32, R.EAX, mem(S.XMM_IN + 16 * a + k)))
            out.append(I.Instruction.create_mem_reg(I.Code.MOV_RM32_R32, mem(S.XMM_IN + 16 * b + k), R.EAX))
    for n in range(gen.nxmm):
        out.append(I.Instruction.create_reg_mem(I.Code.MOVDQU_XMM_XMMM128, getattr(R, f"XMM{n}"), mem(S.XMM_IN + 16 * n)))
    for n in range(8):
        out.append(I.Instruction.create_reg_mem(I.Code.MOVQ_MM_MMM64, getattr(R, f"MM{n}"), mem(S.MM_IN + 8 * n)))
    out.append(b"\x0f\x77")  # EMMS
    return out


SIMD_EPILOGUE = S.epilogue


def float_epilogue(gen):
    out = SIMD_EPILOGUE(gen)
    if UNICORN_REFERENCE[0]:
        # Unicorn (QEMU 5) never sets the MXCSR exception flags: not compared in 32-bit mode.
        out.append(I.Instruction.create_mem_u32(I.Code.AND_RM32_IMM32, I.MemoryOperand(displ=S.DATA_ADDR + S.MXCSR_OUT, displ_size=4),
                                                0xFFFFFFC0))
    return out


SIMD_IMM8 = S.Gen.imm8
# Whether Unicorn is the reference (its gaps kept out of the generated cases); set by main().
UNICORN_REFERENCE = [False]


def float_imm8(self, mn):
    """Comparison predicates: Unicorn (QEMU 5) raises #UD for a legacy CMPPS/CMPSS/CMPPD/CMPSD immediate
    above 7, which processors ignore (bits 7-3); 32-bit cases keep to 0-7."""
    if mn in ("CMPPS", "CMPSS", "CMPPD", "CMPSD") and (UNICORN_REFERENCE[0] or self.r.random() < 0.7):
        return self.r.randrange(8)
    if mn in ("ROUNDPS", "ROUNDPD", "ROUNDSS", "ROUNDSD") and self.r.random() < 0.8:
        return self.r.randrange(16)
    return SIMD_IMM8(self, mn)


def register_value(case, res, name):
    """The final value of `xmmN`/`mmN` in a result (little-endian int)."""
    init = S.data_fill(case.seed)
    if name.startswith("xmm"):
        base, size = S.XMM_OUT + 16 * int(name[3:]), 16
    else:
        base, size = S.MM_OUT + 8 * int(name[2:]), 8
    return int.from_bytes(bytes(res["mem"].get(base + k, init[base + k]) for k in range(size)), "little")


def is_nan32(x):
    return (x >> 23) & 0xFF == 0xFF and x & 0x7FFFFF != 0


def is_nan64(x):
    return (x >> 52) & 0x7FF == 0x7FF and x & 0xFFFFFFFFFFFFF != 0


def lanes_excused(want, got, lane_ok):
    """True when every differing 32-bit lane (or 64-bit half) of two XMM values is excused by lane_ok."""
    for h in range(2):
        a, b = (want >> (64 * h)) & (2**64 - 1), (got >> (64 * h)) & (2**64 - 1)
        if a == b or lane_ok(a, b, 64):
            continue
        for l in range(2):
            x, y = (a >> (32 * l)) & 0xFFFFFFFF, (b >> (32 * l)) & 0xFFFFFFFF
            if x != y and not lane_ok(x, y, 32):
                return False
    return True


def float_limitation(case, k, diffs, want, got):
    """Unicorn (QEMU 5) floating-point behaviour that the host CPU contradicts (each rule seen in 64-bit mode,
    where the CPU decides): the NaN an operation returns (QEMU picks between two NaNs by the x87's rule, the
    processors' SSE unit returns the first source), MINPS/MAXPS under DAZ (processors return the operand as
    flushed to zero), DPPS/DPPD (QEMU adds the products one by one to zero, processors in pairs as SDM
    Vol. 2 DPPS says), and the x87-to-MMX transition of CVTPI2PS/CVTPI2PD with a memory operand (processors
    make none)."""
    fields = {S.field_of(x) for x in diffs}
    names = [x.split(":")[0] for x in diffs]
    items = case.body[:k]
    mnemonic = items[-1][0].split()[0].upper() if items else ""
    regs = [n for n in names if n.startswith("xmm")]
    if fields == {"xmm"}:
        def nan_lane(x, y, width):
            return (is_nan64(x) and is_nan64(y)) if width == 64 else (is_nan32(x) and is_nan32(y))
        if all(lanes_excused(register_value(case, want, n), register_value(case, got, n), nan_lane) for n in regs):
            return "NaN selection"
        if mnemonic[:3] in ("MIN", "MAX"):
            def flushed(x, y, width):
                sign = 1 << (width - 1)
                exp = 0x7FF << 52 if width == 64 else 0xFF << 23
                return x & exp == 0 and x & ~sign != 0 and y == x & sign
            if all(lanes_excused(register_value(case, want, n), register_value(case, got, n), flushed) for n in regs):
                return "DAZ min/max"
    if fields == {"xmm"} and mnemonic in ("DPPS", "DPPD"):
        return "DPPS/DPPD summation order"
    converted = any(m.startswith("CVTPI2P") and any(isinstance(x, I.Instruction) and x.op1_kind == I.OpKind.MEMORY for x in xs)
                    for m, xs in items)
    if converted and fields <= {"mm", "fsw", "ftw"}:
        return "CVTPI2Px m64 transition"
    return None


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
    ap.add_argument("--save", metavar="FILE", help="append every case with the reference's final state")
    ap.add_argument("--save-failures", metavar="FILE", help="append failing cases with the reference's final state")
    ap.add_argument("--note", default="", help="comment line written before saved cases")
    ap.add_argument("--id-prefix", default="f")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--no-fail", action="store_true")
    ap.add_argument("--reference", choices=("native", "unicorn"), default=None,
                    help="the host CPU (default in 64-bit mode; 32-bit cases run in compatibility mode) or Unicorn "
                         "(default in 32-bit mode, with its gaps kept out of the cases)")
    ap.add_argument("--no-unicorn", action="store_true", help="with the host CPU as the reference, do not run Unicorn too "
                    "(its agreement is only counted)")
    args = ap.parse_args()
    bits = args.mode
    ref_kind = args.reference or ("native" if bits == 64 else "unicorn")
    UNICORN_REFERENCE[0] = ref_kind == "unicorn"
    if ref_kind == "native":
        # At an exception (#XM, #UD, #GP) both sides write the x87/SSE state into the data page.
        os.environ["POPEK_SNIPPET_FAULT_STATE"] = f"{S.FAULT_STATE:x}"
    only = {m.strip().upper() for m in args.only.split(",") if m.strip()}
    pool = FLOAT | MIXED
    if UNICORN_REFERENCE[0]:
        pool -= APPROXIMATE
    S.SIMD = pool
    S.prologue = float_prologue
    S.epilogue = float_epilogue
    S.Gen.imm8 = float_imm8
    temps = S.templates(bits, only)
    if not temps:
        sys.exit("no instructions to test")
    # Draw the floating-point instructions four times as often as the mixed-in moves.
    weighted = [t for t in temps for _ in range(4 if t[1] in FLOAT else 1)]
    popek = S.PopekRunner(S.find_popek(args))
    native = S.NativeRunner() if ref_kind == "native" else None
    uni = S.UnicornRunner(bits) if not (native and args.no_unicorn) else None
    reference, ref_name = (native, "cpu") if native else (uni, "unicorn")
    save = open(args.save, "a") if args.save else None
    save_failures = open(args.save_failures, "a") if args.save_failures else None
    for f in (save, save_failures):
        if f and args.note:
            f.write(f"# {args.note}\n")
        if f and os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
            # the x87/SSE state at exceptions is in the saved results: replayed the same way
            f.write(f"#! fault-state {os.environ['POPEK_SNIPPET_FAULT_STATE']}\n")
    passed = failed = excused = unicorn_agrees = 0
    groups = collections.defaultdict(list)
    known = collections.Counter()
    statuses = collections.Counter()
    start = time.time()
    index, last = args.first, args.first + args.cases
    while index < last:
        batch = []
        while index < last and len(batch) < args.batch:
            r = random.Random(f"ssefloat-{args.seed}-{bits}-{index}")
            c = S.make_case(bits, weighted, r, index, args.length, args.id_prefix)
            batch.append((c, None if native else reference.run(c)))
            index += 1
        popek.send([c.line() for c, _ in batch])
        if native:
            batch = [(c, want) for (c, _), want in zip(batch, native.run_many([c for c, _ in batch]))]
        results = popek.receive()
        for (c, want), line in zip(batch, results):
            got = S.parse_result(line)
            statuses[want["status"]] += 1
            if native and uni and not S.differences(c, uni.run(c), want):
                unicorn_agrees += 1
            d = S.differences(c, want, got, (ref_name, "popek"))
            if not d:
                passed += 1
                if save:
                    save.write(f"{c.line()} | {S.result_line(c.id, want)} | {S.STATUS_FLAGS:x}\n")
                continue
            name, d1, k, want1, got1 = S.culprit(c, reference, popek)
            if not native and k:
                why = S.unicorn_limitation(c, k, d1, want1, got1) or float_limitation(c, k, d1, want1, got1)
                if why:
                    known[why] += 1
                    excused += 1
                    continue
            failed += 1
            groups[name].append((c, d1 or d))
            if save_failures:
                save_failures.write(f"# {bits}-bit seed {args.seed} case {c.id}: {name}: {'; '.join(d1 or d)[:300]}\n")
                save_failures.write(f"{c.line()} | {S.result_line(c.id, want)} | {S.STATUS_FLAGS:x}\n")
            if args.verbose:
                print(f"FAIL {c.id} ({name}): " + "; ".join(d1 or d))
                print(S.listing(c))
    popek.close()
    if native:
        native.close()
    for f in (save, save_failures):
        if f:
            if os.environ.get("POPEK_SNIPPET_FAULT_STATE"):
                f.write("#! fault-state off\n")
            f.close()
    for name, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"{name}: {len(items)} failing")
        for c, d in items[:args.examples]:
            print(f"  case {c.id}: " + "; ".join(d)[:400])
            print(S.listing(c))
    took = time.time() - start
    total = passed + failed + excused
    if known:
        print("known Unicorn limitations: " + ", ".join(f"{k} {v}" for k, v in known.most_common()))
    info = f"; Unicorn agreed with the CPU on {unicorn_agrees}" if native and uni else ""
    print(f"{bits}-bit: {total} cases in {took:.0f} s against the {'host CPU' if native else 'Unicorn'}{info}; "
          f"reference stops: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}")
    print(f"{passed + excused} passed, {failed} failed")
    sys.exit(0 if failed == 0 or args.no_fail else 1)


if __name__ == "__main__":
    main()
