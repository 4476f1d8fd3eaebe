#!/usr/bin/env python3
"""Differential fuzzer: Popek's x86 decoder against iced-x86.

    Scripts/fuzz-decoder.py --mode 16|32|64 --cases N --seed S [--popek PATH]

Generates N byte strings, half of them (a) random bytes biased toward realistic prefixes, opcode
maps, ModRM/SIB forms, and half of them (b) valid instructions built from iced's opcode metadata
(`OpCodeInfo`: every `Code` that iced decodes with its default options, with random registers,
memory forms, displacements and immediates). All cases go through one `popek disasm --hex --json`
process; the first instruction of each is compared with iced's decoding:

* validity: iced invalid == popek "invalid"; iced "no more bytes" == popek "truncated";
* length and mnemonic: iced's `Mnemonic` name in lower case, or the mnemonic iced's NASM formatter
  prints (`pushf` for PUSHFD), since popek's JSON `mnemonic` is its NASM formatter's;
* EVEX, MVEX, XOP and 3DNow! encodings: length only (Popek reports them "unsupported").

Disagreements are grouped by category and key (iced `Code` or mnemonic pair) with an example each.
Those listed in Scripts/fuzz-exceptions.txt (each with its reason) are counted apart and do not fail
the run. The last line is `N passed, M failed`; the exit status is 1 if any case failed.

Options: --report FILE writes every failing case; --no-fail always exits 0 (for surveys);
--examples K sets how many keys are listed per category. Without --popek the script builds the
`popek` product with `swift build -c release` (scratch path from $POPEK_SCRATCH if set).
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def ensure_iced():
    try:
        import iced_x86  # noqa: F401
    except ImportError:
        print("installing iced-x86 with pip ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "iced-x86"])
    import iced_x86
    return iced_x86


I = ensure_iced()


def enum_names(cls):
    return {v: k for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)}


CODE_NAMES = enum_names(I.Code)
MNEMONIC_NAMES = {v: k.lower() for v, k in enum_names(I.Mnemonic).items()}
OPK = {k: v for k, v in vars(I.OpCodeOperandKind).items() if k.isupper()}
OPK_NAMES = {v: k for k, v in OPK.items()}
ENC = I.EncodingKind
LENGTH_ONLY = {ENC.EVEX, ENC.XOP, ENC.D3NOW, ENC.MVEX}
ERR_NONE, ERR_INVALID, ERR_NO_MORE = I.DecoderError.NONE, I.DecoderError.INVALID_INSTRUCTION, I.DecoderError.NO_MORE_BYTES

PREFIXES = [0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65]
# Realistic prefix weights: 66 and REX dominate real code, then F3/F2, segments, LOCK.
PREFIX_WEIGHTS = [30, 10, 12, 14, 8, 3, 2, 3, 2, 5, 4]
BUFFER_LEN = 20  # bytes handed to both decoders (popek's --hex accepts up to 32)


# ---------------------------------------------------------------------------------------------
# (a) Random byte strings, biased toward realistic encodings.

def random_modrm(r):
    mod = r.choice((0, 0, 1, 1, 2, 3, 3, 3))
    return (mod << 6) | r.getrandbits(6)


def gen_random(r, bits):
    out = bytearray()
    n = r.choices((0, 1, 2, 3, 4, 8, 14), weights=(45, 30, 12, 6, 3, 2, 2))[0]
    for _ in range(n):
        out.append(r.choices(PREFIXES, weights=PREFIX_WEIGHTS)[0])
    if bits == 64 and r.random() < 0.45:
        out.append(0x40 | r.getrandbits(4))
    kind = r.random()
    if kind < 0.45:
        out.append(r.getrandbits(8))
    elif kind < 0.72:
        out += bytes((0x0F, r.getrandbits(8)))
    elif kind < 0.80:
        out += bytes((0x0F, 0x38, r.getrandbits(8)))
    elif kind < 0.86:
        out += bytes((0x0F, 0x3A, r.getrandbits(8)))
    elif kind < 0.93:
        # VEX: mostly well-formed fields (map 1-3; outside 64-bit mode R/X set so it is not LES/LDS).
        top = 0xC0 if bits != 64 and r.random() < 0.8 else 0
        if r.random() < 0.4:
            out += bytes((0xC5, top | r.getrandbits(8)))
        else:
            mm = r.choice((1, 1, 2, 3)) if r.random() < 0.9 else r.getrandbits(5)
            out += bytes((0xC4, top | (r.getrandbits(3) << 5) | mm, r.getrandbits(8)))
        out.append(r.getrandbits(8))
    elif kind < 0.96:
        top = 0xC0 if bits != 64 and r.random() < 0.8 else 0
        out += bytes((0x62, top | r.getrandbits(8), r.getrandbits(8) | 0x04, r.getrandbits(8), r.getrandbits(8)))
    elif kind < 0.98:
        out += bytes((0x8F, (r.getrandbits(3) << 5) | r.choice((8, 9, 10)), r.getrandbits(8), r.getrandbits(8)))
    else:
        out += bytes((0x0F, 0x0F))
    out.append(random_modrm(r))
    length = r.randint(1, 15)
    if len(out) < length:
        out += r.randbytes(length - len(out))
    else:
        del out[length:]
    if r.random() < 0.03:
        return bytes(out), True  # deliberately unpadded: may be truncated
    out += r.randbytes(BUFFER_LEN - len(out))
    return bytes(out), False


# ---------------------------------------------------------------------------------------------
# (b) Valid instructions built from iced's opcode metadata.

MEM_ONLY = {"MEM", "MEM_MPX", "MEM_MIB", "SIBMEM"}
VSIB = {k for k in OPK if k.startswith("MEM_VSIB")}
MODRM_KINDS = {k for k in OPK if k.endswith("_OR_MEM") or k.endswith("_OR_MEM_MPX") or k.endswith("_REG")
               or k.endswith("_RM") or k.endswith("_REG_MEM")} | MEM_ONLY | VSIB
REG_ONLY_RM = {k for k in OPK if k.endswith("_RM")}
VVVV = {k for k in OPK if k.endswith("_VVVV")}
OPCODE_REG = {k for k in OPK if k.endswith("_OPCODE")}


class Template:
    __slots__ = ("code", "enc", "table", "opcode", "oplen", "mp", "reg", "rm", "mod", "modrm", "vvvv",
                 "w", "l", "lig", "wig", "osz", "asz", "opreg", "lock", "rep", "d64", "f64")


def build_templates(bits):
    """Every iced Code that decodes in this mode with default options, as a byte template."""
    out = collections.defaultdict(list)
    for code in CODE_NAMES:
        if code == I.Code.INVALID:
            continue
        try:
            o = I.OpCodeInfo(code)
        except Exception:
            continue
        if not o.is_instruction or o.decoder_option != 0:
            continue
        if not {16: o.mode16, 32: o.mode32, 64: o.mode64}[bits]:
            continue
        kinds = [OPK_NAMES.get(k, "") for k in o.op_kinds()]
        t = Template()
        t.code, t.enc, t.table, t.opcode, t.oplen = code, o.encoding, o.table, o.op_code, o.op_code_len
        t.mp = o.mandatory_prefix
        t.reg = o.group_index if o.is_group else -1
        t.rm = o.rm_group_index if o.is_rm_group else -1
        t.modrm = (t.oplen == 1 and (o.is_group or any(k in MODRM_KINDS for k in kinds))) or t.enc == ENC.D3NOW
        if any(k in MEM_ONLY or k in VSIB for k in kinds):
            t.mod = "mem"
        elif any(k in REG_ONLY_RM for k in kinds) or o.is_rm_group:
            t.mod = "reg"
        else:
            t.mod = "any"
        if any(k in VSIB for k in kinds):
            t.rm = 4
        t.vvvv = any(k in VVVV for k in kinds)
        t.w, t.l, t.lig, t.wig = o.w, o.l, o.is_lig, o.is_wig or (bits != 64 and o.is_wig32)
        t.osz, t.asz = o.operand_size, o.address_size
        t.opreg = any(k in OPCODE_REG for k in kinds) or "STI_OPCODE" in kinds
        t.lock, t.rep = o.can_use_lock_prefix, o.can_use_rep_prefix
        t.d64, t.f64 = o.default_op_size64, o.force_op_size64
        if t.enc == ENC.MVEX:
            continue
        out[t.enc].append(t)
    return out


ENCODING_WEIGHTS = ((ENC.LEGACY, 60), (ENC.VEX, 25), (ENC.EVEX, 10), (ENC.XOP, 3), (ENC.D3NOW, 2))


def gen_valid_bytes(r, bits, t):
    out = bytearray()
    if r.random() < 0.1:
        out.append(r.choice((0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65)))
    # Operand size and address size prefixes.
    if t.osz == 16 and bits != 16 or t.osz == 32 and bits == 16:
        out.append(0x66)
    if t.asz and t.asz != bits and not (bits == 64 and t.asz == 64):
        out.append(0x67)
    elif t.asz == 0 and r.random() < 0.08:
        out.append(0x67)
    modrm_mem = None
    if t.enc == ENC.LEGACY or t.enc == ENC.D3NOW:
        if t.lock and r.random() < 0.3:
            out.insert(0, 0xF0)
            modrm_mem = True
        if t.rep and r.random() < 0.3:
            out.insert(0, 0xF3)
        if t.mp == I.MandatoryPrefix.P66:
            out.append(0x66)
        elif t.mp == I.MandatoryPrefix.PF3:
            out.append(0xF3)
        elif t.mp == I.MandatoryPrefix.PF2:
            out.append(0xF2)
        if bits == 64:
            w = 1 if (t.osz == 64 and not (t.d64 or t.f64)) or t.w == 1 else 0
            if w or r.random() < 0.4:
                out.append(0x40 | (w << 3) | r.getrandbits(3))
        if t.enc == ENC.D3NOW:
            out += b"\x0f\x0f"
        else:
            out += (b"", b"\x0f", b"\x0f\x38", b"\x0f\x3a")[t.table] if t.table <= 3 else b""
    elif t.enc == ENC.VEX:
        pp = {I.MandatoryPrefix.P66: 1, I.MandatoryPrefix.PF3: 2, I.MandatoryPrefix.PF2: 3}.get(t.mp, 0)
        vvvv = r.getrandbits(4) if t.vvvv else 0
        if bits != 64 and t.vvvv:
            vvvv &= 7
        w = r.getrandbits(1) if t.wig else t.w
        l = r.getrandbits(1) if t.lig else t.l
        rxb = r.getrandbits(3) if bits == 64 else (r.getrandbits(1) if r.random() < 0.2 else 0)
        mm = t.table  # 1: 0F, 2: 0F38, 3: 0F3A
        if mm == 1 and w == 0 and (rxb & 3) == 0 and r.random() < 0.6:
            out += bytes((0xC5, ((~rxb >> 2) & 1) << 7 | ((~vvvv) & 15) << 3 | l << 2 | pp))
        else:
            out += bytes((0xC4, ((~rxb) & 7) << 5 | mm, w << 7 | ((~vvvv) & 15) << 3 | l << 2 | pp))
    elif t.enc == ENC.XOP:
        pp = 0
        vvvv = r.getrandbits(4) if t.vvvv else 0
        if bits != 64:
            vvvv &= 7
        w = r.getrandbits(1) if t.wig else t.w
        l = r.getrandbits(1) if t.lig else t.l
        rxb = r.getrandbits(3) if bits == 64 else 0
        mm = {6: 8, 7: 9, 8: 10}.get(t.table, 8)
        out += bytes((0x8F, ((~rxb) & 7) << 5 | mm, w << 7 | ((~vvvv) & 15) << 3 | l << 2 | pp))
    elif t.enc == ENC.EVEX:
        pp = {I.MandatoryPrefix.P66: 1, I.MandatoryPrefix.PF3: 2, I.MandatoryPrefix.PF2: 3}.get(t.mp, 0)
        mm = {1: 1, 2: 2, 3: 3, 4: 5, 5: 6}.get(t.table, 1)
        rxbr = r.getrandbits(4) if bits == 64 else 0
        vvvv = r.getrandbits(4) if t.vvvv else 0
        if bits != 64:
            vvvv &= 7
        w = r.getrandbits(1) if t.wig else t.w
        ll = r.getrandbits(2) if t.lig else t.l
        p0 = ((~rxbr) & 15) << 4 | mm
        p1 = w << 7 | ((~vvvv) & 15) << 3 | 4 | pp
        p2 = r.getrandbits(1) << 7 | (ll & 3) << 5 | r.getrandbits(1) << 4 | 8 | r.getrandbits(3)
        if r.random() < 0.7:
            p2 &= ~0x80  # z=0 is valid more often
        if r.random() < 0.7:
            p2 &= ~0x10  # b=0
        out += bytes((0x62, p0, p1, p2))
    if t.enc != ENC.D3NOW:
        op = t.opcode
        if t.oplen == 2:
            out.append(op >> 8)
            op &= 0xFF
        if t.opreg:
            op |= r.getrandbits(3)
        out.append(op & 0xFF)
    if t.modrm:
        if t.mod == "mem" or modrm_mem:
            mod = r.choice((0, 1, 2))
        elif t.mod == "reg":
            mod = 3
        else:
            mod = r.choice((0, 1, 2, 3, 3))
        reg = t.reg if t.reg >= 0 else r.getrandbits(3)
        rm = t.rm if t.rm >= 0 else r.getrandbits(3)
        out.append(mod << 6 | reg << 3 | rm)
    out += r.randbytes(BUFFER_LEN - len(out))
    return bytes(out)  # 3DNow!: d3now_fix puts the opcode byte after the addressing bytes


def d3now_fix(r, bits, t, buf):
    """Put the 3DNow! opcode byte where iced expects it (after ModRM, SIB and displacement)."""
    for pos in range(3, 15):
        cand = bytearray(buf)
        cand[pos] = t.opcode & 0xFF
        d = I.Decoder(bits, bytes(cand))
        ins = d.decode()
        if ins.code == t.code:
            return bytes(cand)
    return buf


# ---------------------------------------------------------------------------------------------

CODE_BY_NAME = {v: k for k, v in CODE_NAMES.items()}
MAP_NAMES = {0: "1-byte", 1: "0F", 2: "0F38", 3: "0F3A", 4: "MAP5", 5: "MAP6", 6: "MAP8", 7: "MAP9", 8: "MAP10"}
ENC_NAMES = {ENC.LEGACY: "legacy", ENC.VEX: "VEX", ENC.EVEX: "EVEX", ENC.XOP: "XOP", ENC.D3NOW: "3DNow!",
             ENC.MVEX: "MVEX"}


def code_map(name):
    """'legacy 0F', 'VEX 0F38', ... for an iced Code name."""
    code = CODE_BY_NAME.get(name)
    if code is None:
        return "?"
    o = I.OpCodeInfo(code)
    return f"{ENC_NAMES.get(o.encoding, '?')} {MAP_NAMES.get(o.table, '?')}"


def looks_length_only(b, bits):
    """Whether the bytes start (after legacy prefixes and REX) with EVEX, XOP or 3DNow!."""
    i = 0
    while i < len(b) and (b[i] in PREFIXES or (bits == 64 and 0x40 <= b[i] <= 0x4F)):
        i += 1
    if i + 1 >= len(b):
        return False
    x, y = b[i], b[i + 1]
    if x == 0x0F and y == 0x0F:
        return True
    if x == 0x62 and (bits == 64 or y >= 0xC0):
        return True
    return x == 0x8F and (y & 0x1F) >= 8


def load_exceptions(path, bits):
    """Lines `MODE | CATEGORY | KEY | reason`; MODE may be `*`, KEY may end in `*` (prefix match).

    KEY `option:NAME` (iced `DecoderOptions` names joined with `+`) excuses a case of that category
    that agrees with Popek when iced decodes it with those options (for example the AMD-only
    `LOCK MOV CR0` = `MOV CR8` encoding, which iced decodes only with `DecoderOptions.AMD`)."""
    exact, prefixes, options = set(), [], []
    if not os.path.exists(path):
        return exact, prefixes, options
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4 or not parts[3]:
            sys.exit(f"{path}: every exception needs MODE | CATEGORY | KEY | reason: {line}")
        if parts[0] not in ("*", str(bits)):
            continue
        if parts[2].startswith("option:"):
            value = 0
            for name in parts[2][len("option:"):].split("+"):
                if not hasattr(I.DecoderOptions, name):
                    sys.exit(f"{path}: unknown iced DecoderOptions name {name}")
                value |= getattr(I.DecoderOptions, name)
            options.append((parts[1], value))
        elif parts[2].endswith("*"):
            prefixes.append((parts[1], parts[2][:-1]))
        else:
            exact.add((parts[1], parts[2]))
    return exact, prefixes, options


def agrees_with_options(b, bits, options, perr, plen, pm):
    """Whether iced, decoding with `options`, agrees with Popek's answer."""
    d = I.Decoder(bits, b, options)
    ins = d.decode()
    if d.last_error != ERR_NONE:
        return perr == ("truncated" if d.last_error == ERR_NO_MORE else "invalid")
    if perr is not None:
        return False
    return ins.len == plen and MNEMONIC_NAMES.get(ins.mnemonic) == pm


def find_popek(args):
    if args.popek:
        return args.popek
    scratch = os.environ.get("POPEK_SCRATCH")
    cmd = ["swift", "build", "-c", "release", "--product", "popek"]
    if scratch:
        cmd += ["--scratch-path", scratch]
    print("building popek:", " ".join(cmd), file=sys.stderr)
    subprocess.check_call(cmd, cwd=ROOT, stdout=sys.stderr)
    binpath = subprocess.check_output(cmd + ["--show-bin-path"], cwd=ROOT, text=True).strip()
    return os.path.join(binpath, "popek")


def run_popek(popek, bits, lines):
    """Feeds all lines to one popek process (writer thread) and returns its output lines."""
    p = subprocess.Popen([popek, "disasm", "--mode", str(bits), "--hex", "--json"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, bufsize=1 << 20)

    def writer():
        try:
            step = 10000
            for i in range(0, len(lines), step):
                p.stdin.write(("\n".join(lines[i:i + step]) + "\n").encode())
            p.stdin.close()
        except BrokenPipeError:
            pass

    th = threading.Thread(target=writer)
    th.start()
    out = p.stdout.read().decode().split("\n")
    th.join()
    if p.wait() != 0:
        sys.exit(f"popek exited with status {p.returncode}")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(lines):
        sys.exit(f"popek printed {len(out)} lines for {len(lines)} inputs")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", type=int, choices=(16, 32, 64), required=True)
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--popek", help="path of the popek executable (default: build it)")
    ap.add_argument("--exceptions", default=os.path.join(ROOT, "Scripts", "fuzz-exceptions.txt"))
    ap.add_argument("--report", help="write every failing case to this file")
    ap.add_argument("--examples", type=int, default=12, help="keys listed per category")
    ap.add_argument("--no-fail", action="store_true", help="exit 0 even if cases fail")
    args = ap.parse_args()
    bits = args.mode
    popek = find_popek(args)
    r = random.Random(args.seed * 1000 + bits)
    t0 = time.time()

    templates = build_templates(bits)
    enc_choices = [e for e, _ in ENCODING_WEIGHTS if templates.get(e)]
    enc_weights = [w for e, w in ENCODING_WEIGHTS if templates.get(e)]

    # Generate cases and decode them with iced.
    bufs, kinds, iced = [], [], []
    codes_hit = set()
    n_valid = args.cases // 2
    n_random = args.cases - n_valid
    for _ in range(n_random):
        b, _ = gen_random(r, bits)
        bufs.append(b)
        kinds.append("random")
    for _ in range(n_valid):
        enc = r.choices(enc_choices, weights=enc_weights)[0]
        b = None
        for attempt in range(6):
            t = r.choice(templates[enc])
            cand = gen_valid_bytes(r, bits, t)
            if t.enc == ENC.D3NOW:
                cand = d3now_fix(r, bits, t, cand)
            d = I.Decoder(bits, cand)
            ins = d.decode()
            if d.last_error == ERR_NONE:
                b = cand
                if ins.code == t.code:
                    break
        if b is None:
            b = cand
        bufs.append(b)
        kinds.append("valid")
    for b in bufs:
        d = I.Decoder(bits, b)
        ins = d.decode()
        err = d.last_error
        if err == ERR_NONE:
            codes_hit.add(ins.code)
            iced.append((err, ins.len, ins.mnemonic, ins.code))
        else:
            iced.append((err, 0, 0, ins.code))
    t1 = time.time()

    lines = [b.hex() for b in bufs]
    out = run_popek(popek, bits, lines)
    t2 = time.time()

    exact_exc, prefix_exc, option_exc = load_exceptions(args.exceptions, bits)

    def excepted(cat, key, b, perr, plen, pm):
        if (cat, key) in exact_exc:
            return True
        if any(c == cat and key.startswith(p) for c, p in prefix_exc):
            return True
        return any(c == cat and agrees_with_options(b, bits, o, perr, plen, pm) for c, o in option_exc)

    nasm = I.Formatter(I.FormatterSyntax.NASM)

    def nasm_mnemonic(b):
        """The mnemonic iced's NASM formatter prints (pushf for PUSHFD, nop for RESERVEDNOP...)."""
        d = I.Decoder(bits, b)
        return nasm.format_mnemonic(d.decode(), I.FormatMnemonicOptions.NO_PREFIXES)

    def invalid_when_padded(b):
        """iced finds these bytes invalid once followed by more bytes: an undefined opcode."""
        d = I.Decoder(bits, b + bytes(16))
        d.decode()
        return d.last_error == ERR_INVALID

    enc_cache = {}
    failures = collections.defaultdict(collections.Counter)  # category -> key -> count
    examples = {}
    excused = collections.Counter()
    tolerated = collections.Counter()
    passed = failed = 0
    report = open(args.report, "w") if args.report else None
    for i, (b, line) in enumerate(zip(bufs, out)):
        err, length, mnem, code = iced[i]
        j = json.loads(line)
        perr = j.get("error")
        plen = j.get("length", 0)
        pm = j.get("mnemonic", "")
        cat = key = None
        icode = CODE_NAMES.get(code, str(code))
        enc = None
        if err == ERR_NONE:
            enc = enc_cache.get(code)
            if enc is None:
                enc = enc_cache[code] = I.OpCodeInfo(code).encoding
        if err == ERR_NO_MORE:
            if perr == "invalid" and invalid_when_padded(b):
                # An undefined opcode at the end of the buffer: iced reads a ModRM byte before it
                # says so, Popek does not. Both find the bytes invalid; only the precedence differs.
                tolerated["undefined opcode, truncated: iced truncated, popek invalid"] += 1
            elif perr != "truncated":
                cat, key = "iced-truncated/popek-" + (perr or "valid"), pm or perr
        elif err != ERR_NONE:
            if perr in ("unsupported", "truncated") and looks_length_only(b, bits):
                # EVEX/XOP/3DNow! bytes that iced rejects: Popek describes them by length only.
                tolerated["EVEX/XOP/3DNow! that iced rejects: popek " + perr] += 1
            elif perr == "truncated" and len(b) < 15:
                # Undefined opcode at the end of the buffer, the other way round.
                tolerated["undefined opcode, truncated: iced invalid, popek truncated"] += 1
            elif perr != "invalid":
                cat, key = "iced-invalid/popek-" + (perr or "valid"), pm or perr
        elif enc in LENGTH_ONLY:
            if perr not in (None, "unsupported"):
                cat, key = "length-only/popek-" + perr, icode
            elif plen != length:
                cat, key = "length-only/length", icode
        else:
            im = MNEMONIC_NAMES.get(mnem, str(mnem))
            if perr is not None:
                cat, key = "iced-valid/popek-" + perr, icode
            elif plen != length:
                cat, key = "length", icode
            elif pm != im and pm != nasm_mnemonic(b):
                cat, key = "mnemonic", f"{icode}: popek {pm}"
        if cat is None:
            passed += 1
            continue
        if excepted(cat, key, b, perr, plen, pm):
            excused[cat] += 1
            passed += 1
            continue
        failed += 1
        failures[cat][key] += 1
        if (cat, key) not in examples:
            examples[(cat, key)] = (b, kinds[i], line)
        if report:
            report.write(f"{cat} | {key} | {b.hex()} | {kinds[i]} | {line}\n")
    if report:
        report.close()
    t3 = time.time()

    fmt = I.Formatter(I.FormatterSyntax.NASM)

    def iced_text(b):
        d = I.Decoder(bits, b)
        ins = d.decode()
        if d.last_error != ERR_NONE:
            return {ERR_INVALID: "(invalid)", ERR_NO_MORE: "(no more bytes)"}.get(d.last_error, "(error)")
        return f"{fmt.format(ins)}  [len {ins.len}]"

    n_templates = sum(len(v) for v in templates.values())
    print(f"mode {bits}: {args.cases} cases (seed {args.seed}): {n_random} random, {n_valid} generated valid; "
          f"iced decoded {len(codes_hit)} distinct Codes (of {n_templates} it decodes in this mode)")
    print(f"time: generate+iced {t1 - t0:.1f}s, popek {t2 - t1:.1f}s, compare {t3 - t2:.1f}s")
    for cat in sorted(failures, key=lambda c: -sum(failures[c].values())):
        c = failures[cat]
        print(f"\n{cat}: {sum(c.values())} cases, {len(c)} keys")
        for key, n in c.most_common(args.examples):
            b, kind, line = examples[(cat, key)]
            print(f"  {n:7d}  {key}")
            print(f"           e.g. {b.hex()} ({kind})  iced: {iced_text(b)}  popek: {line}")
        if len(c) > args.examples:
            print(f"  ... {len(c) - args.examples} more keys")
        if cat.startswith("iced-valid/") or cat == "length" or cat == "mnemonic":
            where = collections.Counter()
            for key, n in c.items():
                where[code_map(key.split(":")[0])] += n
            print("  by opcode map: " + ", ".join(f"{w} {n}" for w, n in where.most_common()))
    if tolerated:
        print("\ntolerated (counted as passed): " + "; ".join(f"{k}: {v}" for k, v in tolerated.most_common()))
    if excused:
        print("excepted (Scripts/fuzz-exceptions.txt, counted as passed): "
              + "; ".join(f"{k}: {v}" for k, v in excused.most_common()))
    print(f"\n{passed} passed, {failed} failed")
    return 0 if failed == 0 or args.no_fail else 1


if __name__ == "__main__":
    sys.exit(main())
