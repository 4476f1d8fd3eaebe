#!/usr/bin/env bash
# The fixed-seed interpreter fuzz runs for CI:
# - differential testing against Unicorn (Scripts/diff-unicorn.py), CASES sequences in 32- and
#   64-bit mode (default 3000 each, seed 2026);
# - robustness: ROBUST random byte programs per mode in 16-, 32- and 64-bit starting states
#   (`popek fuzz robustness`, default 2000 each), which must neither crash nor hang the monitor.
#
#     Tests/fuzz/interpreter-ci.sh [--popek PATH] [--cases N] [--robust N] [--seed S]
#
# Ends with the total `N passed, M failed`; exits 1 if anything failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CASES=3000
ROBUST=2000
SEED=2026
POPEK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --popek) POPEK="$2"; shift 2 ;;
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
out="$("$POPEK" fuzz robustness --cases "$ROBUST" --seed "$SEED" 2>&1)"
rc=$?
echo "$out" | sed '$d'
tally "robustness" $rc "$out"
echo "interpreter: $passed passed, $failed failed"
exit $status
