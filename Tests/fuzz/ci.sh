#!/usr/bin/env bash
# The fixed-seed differential fuzz run for CI: Scripts/fuzz-decoder.py in 16-, 32- and 64-bit mode,
# CASES cases each (default 20000, seed 1), against one release build of popek.
#
#     Tests/fuzz/ci.sh [--popek PATH] [--cases N] [--seed S]
#
# Prints each mode's summary and ends with the total `N passed, M failed`; exits 1 if any case failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CASES=20000
SEED=1
POPEK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --popek) POPEK="$2"; shift 2 ;;
        --cases) CASES="$2"; shift 2 ;;
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
passed=0; failed=0; status=0
for mode in 16 32 64; do
    out="$(python3 "$ROOT/Scripts/fuzz-decoder.py" --mode "$mode" --cases "$CASES" --seed "$SEED" --popek "$POPEK")"
    rc=$?
    echo "$out" | sed '$d'
    last="$(echo "$out" | tail -1)"
    echo "mode $mode: $last"
    echo
    if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        status=1
    fi
    [ $rc -ne 0 ] && status=1
done
echo "fuzz: $passed passed, $failed failed"
exit $status
