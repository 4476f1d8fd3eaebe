#!/usr/bin/env bash
# The fixed-seed interpreter fuzz runs for CI:
# - differential testing against Unicorn (Scripts/diff-unicorn.py: the general-purpose integer
#   instructions, BMI1/BMI2/ADX among them), CASES sequences in 32- and 64-bit mode (default 3000
#   each, seed 2026);
# - the floating-point and vector units, per mode (32 and 64), seed 2026: X87 x87 sequences
#   (Scripts/diff-unicorn-x87.py with stack faults, unmasked exceptions and #MF, FIP/FDP/FOP; default
#   10000), SIMD MMX/SSE-SSE4.2 integer, string, AES-NI and PCLMULQDQ sequences (diff-unicorn-simd.py;
#   default 15000) and SSEF SSE-SSE4.1 floating-point sequences under random MXCSR (diff-unicorn-ssefloat.py;
#   default 15000); about 80 s on 2 cores. The host CPU is the reference (Scripts/native-snippets.c,
#   which needs to map 0x8000: root or vm.mmap_min_addr <= 32768); without it, Unicorn is, on a third of
#   the cases (it is slower; its known errors excused, the SSE float cases kept to what it models: 32-bit
#   mode only);
# - robustness: ROBUST random byte programs per mode in 16-, 32- and 64-bit starting states
#   (`popek fuzz robustness`, default 2000 each), which must neither crash nor hang the monitor.
#
#     Tests/fuzz/interpreter-ci.sh [--popek PATH] [--cases N] [--robust N] [--seed S]
#                                  [--x87 N] [--simd N] [--ssefloat N]
#
# Ends with the total `N passed, M failed`; exits 1 if anything failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CASES=3000
ROBUST=2000
SEED=2026
POPEK=""
X87=10000
SIMD=15000
SSEF=15000
while [ $# -gt 0 ]; do
    case "$1" in
        --popek) POPEK="$2"; shift 2 ;;
        --x87) X87="$2"; shift 2 ;;
        --simd) SIMD="$2"; shift 2 ;;
        --ssefloat) SSEF="$2"; shift 2 ;;
        --cases) CASES="$2"; shift 2 ;;
        --robust) ROBUST="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$POPEK" ]; then
    SCRATCH=()
    [ -n "${POPEK_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$POPEK_SCRATCH")
    (cd "$ROOT" && swift build -c release --product popek "${SCRATCH[@]}" >&2) || exit 1
    POPEK="$(cd "$ROOT" && swift build -c release "${SCRATCH[@]}" --show-bin-path)/popek"
fi
if ! python3 -c "import unicorn" 2>/dev/null; then
    python3 -m pip install --quiet unicorn || exit 1
fi
passed=0; failed=0; status=0
tally() {  # tally NAME RC OUTPUT
    local last
    last="$(echo "$3" | tail -1)"
    echo "$1: $last"
    if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        failed=$((failed + 1))
        status=1
    fi
    [ "$2" -ne 0 ] && status=1
}
for mode in 32 64; do
    out="$(python3 "$ROOT/Scripts/diff-unicorn.py" --mode "$mode" --cases "$CASES" --seed "$SEED" --popek "$POPEK" 2>&1)"
    rc=$?
    echo "$out" | sed '$d'
    tally "unicorn $mode-bit" $rc "$out"
done
# The host CPU as the reference, if the harness can map its pages here.
NATIVE="${TMPDIR:-/tmp}/popek-native-snippets-$(id -u)"
native=0
if [ "$(uname -m)" = x86_64 ] && cc -O1 -o "$NATIVE" "$ROOT/Scripts/native-snippets.c" 2>/dev/null \
        && [ "$(echo sync | "$NATIVE" 2>/dev/null)" = sync ]; then
    native=1
else
    echo "no native reference (Scripts/native-snippets.c cannot run here): Unicorn is the reference"
fi
fpu() {  # fpu NAME SCRIPT ARGS...
    local name="$1" script="$2"
    shift 2
    out="$(python3 "$ROOT/Scripts/$script" "$@" --seed "$SEED" --popek "$POPEK" 2>&1)"
    rc=$?
    echo "$out" | sed '$d'
    tally "$name" $rc "$out"
}
for mode in 32 64; do
    if [ "$native" = 1 ]; then
        fpu "x87 $mode-bit (host CPU)" diff-unicorn-x87.py --mode "$mode" --cases "$X87" --reference native \
            --faults 0.05 --unmasked 0.25 --pointers --length 8
        fpu "SIMD $mode-bit (host CPU)" diff-unicorn-simd.py --mode "$mode" --cases "$SIMD" --reference native
        fpu "SSE float $mode-bit (host CPU)" diff-unicorn-ssefloat.py --mode "$mode" --cases "$SSEF" --reference native --no-unicorn
    else
        fpu "x87 $mode-bit (Unicorn)" diff-unicorn-x87.py --mode "$mode" --cases $((X87 / 3)) --reference unicorn
        fpu "SIMD $mode-bit (Unicorn)" diff-unicorn-simd.py --mode "$mode" --cases $((SIMD / 3)) --no-native
        [ "$mode" = 32 ] && fpu "SSE float 32-bit (Unicorn)" diff-unicorn-ssefloat.py --mode 32 --cases $((SSEF / 3)) --reference unicorn
    fi
done
out="$("$POPEK" fuzz robustness --cases "$ROBUST" --seed "$SEED" 2>&1)"
rc=$?
echo "$out" | sed '$d'
tally "robustness" $rc "$out"
echo "interpreter: $passed passed, $failed failed"
exit $status
