"""Code shared by the differential testers (diff-unicorn.py, diff-unicorn-simd.py, diff-unicorn-x87.py,
and through them diff-unicorn-ssefloat.py): the data-page fill both sides start from, the result-line
format of `popek fuzz snippets`, and finding or building the popek binary."""
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# The data page every case starts from: DATA_SIZE bytes of splitmix64 output from the case's seed.
DATA_SIZE = 0x1000
FILL_CACHE = {}


def ensure(module, package):
    try:
        return __import__(module)
    except ImportError:
        print(f"installing {package} with pip ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package])
        return __import__(module)


def splitmix_fill(seed, size):
    out = bytearray()
    state = seed
    M = (1 << 64) - 1
    while len(out) < size:
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        z ^= z >> 31
        out += z.to_bytes(8, "little")
    return bytes(out[:size])


def data_fill(seed):
    if seed not in FILL_CACHE:
        FILL_CACHE[seed] = splitmix_fill(seed, DATA_SIZE)
    return FILL_CACHE[seed]


def result_line(case_id, res):
    runs, start, buf = [], None, bytearray()
    for off in sorted(res["mem"]):
        if start is not None and off == start + len(buf):
            buf.append(res["mem"][off])
        else:
            if start is not None:
                runs.append(f"{start:x}:{buf.hex()}")
            start, buf = off, bytearray((res["mem"][off],))
    if start is not None:
        runs.append(f"{start:x}:{buf.hex()}")
    regs = " ".join(f"{v:x}" for v in res["regs"])
    return f"{case_id} {res['status']} {res['rip']:x} {res['flags']:x} {regs} {','.join(runs) if runs else '-'}"


def parse_result(line):
    f = line.split()
    if len(f) != 21:
        return {"status": "error " + line[:200], "rip": 0, "flags": 0, "regs": [0] * 16, "mem": {}}
    mem = {}
    if f[20] != "-":
        for run in f[20].split(","):
            off, hx = run.split(":")
            for k, b in enumerate(bytes.fromhex(hx)):
                mem[int(off, 16) + k] = b
    return {"status": f[1], "rip": int(f[2], 16), "flags": int(f[3], 16), "regs": [int(x, 16) for x in f[4:20]], "mem": mem}


def find_popek(args):
    if args.popek:
        return args.popek
    scratch = os.environ.get("POPEK_SCRATCH")
    cmd = ["swift", "build", "-c", "release", "--product", "popek"] + (["--scratch-path", scratch] if scratch else [])
    subprocess.check_call(cmd, cwd=ROOT, stdout=sys.stderr)
    binpath = subprocess.check_output(cmd + ["--show-bin-path"], cwd=ROOT, text=True).strip()
    return os.path.join(binpath, "popek")
