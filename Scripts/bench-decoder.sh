#!/usr/bin/env bash
# Decoder throughput: Popek (decoder-bench, release build) against Zydis (C, gcc -O2) on the same bytes.
#
#     Scripts/bench-decoder.sh [BINARY] [--seconds S] [--rounds R] [--callgrind]
#
# BINARY defaults to /usr/bin/python3 (resolved); its .text section is extracted with objcopy into the
# build directory. Both decoders run linearly over it, repeatedly for S seconds (default 2) per
# measurement (process CPU time), alternating for R rounds (default 3); the best rate of each is kept,
# which filters out a busy machine's noise. Zydis is measured twice: decode-only in minimal mode
# (ZydisDecoderDecodeInstruction) and with operands (ZydisDecoderDecodeFull). The script prints the
# rates and the ratios Popek/Zydis. --callgrind also counts the machine instructions executed per
# decoded instruction under valgrind (independent of machine load; slow).
# Needs libzydis-dev (installed with apt-get if missing).
# Environment: POPEK_SCRATCH (SwiftPM scratch path, default .build), CC (default gcc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${POPEK_SCRATCH:-$ROOT/.build}"
CC="${CC:-gcc}"
BINARY=/usr/bin/python3
SECONDS_EACH=2
ROUNDS=3
CALLGRIND=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_EACH="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --callgrind) CALLGRIND=1; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) BINARY="$1"; shift ;;
    esac
done
BINARY="$(readlink -f "$BINARY")"

if [ ! -f /usr/include/Zydis/Zydis.h ]; then
    echo "installing libzydis-dev ..." >&2
    (apt-get update -qq && apt-get install -y -qq libzydis-dev) >&2
fi

OUT="$SCRATCH/bench-decoder"
mkdir -p "$OUT"

# The code: the .text section as raw bytes.
TEXT="$OUT/$(basename "$BINARY").text"
objcopy -O binary --only-section=.text "$BINARY" "$TEXT"
MODE=64
case "$(od -An -tx1 -j4 -N1 "$BINARY" | tr -d ' ')" in 01) MODE=32 ;; esac

# Builds.
echo "building decoder-bench (swift build -c release) ..." >&2
swift build -c release --scratch-path "$SCRATCH" --product decoder-bench >&2
POPEK_BENCH="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/decoder-bench"
"$CC" -O2 -o "$OUT/zydis-bench" "$ROOT/Benchmarks/zydis/zydis-bench.c" -lZydis -lZycore

echo "input: $BINARY .text, $(stat -c %s "$TEXT") bytes, mode $MODE; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); ${ROUNDS} rounds of ${SECONDS_EACH}s"
rate() { awk -v k="$1:" '$1 == k { print $2 }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b + 0 > a + 0) ? b : a }'; }
P=0; ZM=0; ZF=0
for r in $(seq "$ROUNDS"); do
    POPEK_OUT="$("$POPEK_BENCH" "$TEXT" --mode "$MODE" --seconds "$SECONDS_EACH")"
    ZYDIS_OUT="$("$OUT/zydis-bench" "$TEXT" --mode "$MODE" --seconds "$SECONDS_EACH")"
    echo "round $r:"
    echo "$POPEK_OUT" | sed 's/^/  /'
    echo "$ZYDIS_OUT" | sed 's/^/  /'
    P="$(best "$P" "$(echo "$POPEK_OUT" | rate popek)")"
    ZM="$(best "$ZM" "$(echo "$ZYDIS_OUT" | rate zydis-minimal)")"
    ZF="$(best "$ZF" "$(echo "$ZYDIS_OUT" | rate zydis-full)")"
done
SIZE="$(stat -c %s "$TEXT")"
INS="$(echo "$POPEK_OUT" | awk '$1 == "input:" { print $4 }')"
awk -v p="$P" -v zm="$ZM" -v zf="$ZF" -v size="$SIZE" -v ins="$INS" 'BEGIN {
    printf "best popek:         %12.0f instructions/s  %7.1f MB/s\n", p, p * size / ins / 1e6
    printf "best zydis-minimal: %12.0f instructions/s  %7.1f MB/s\n", zm, zm * size / ins / 1e6
    printf "best zydis-full:    %12.0f instructions/s  %7.1f MB/s\n", zf, zf * size / ins / 1e6
    printf "ratio popek/zydis-minimal: %.2f\n", p / zm
    printf "ratio popek/zydis-full:    %.2f\n", p / zf
}'

if [ "$CALLGRIND" = 1 ]; then
    # One warm-up pass and one measured pass of each loop (--seconds 0), counted in the loop only.
    cg() {  # NAME PATTERN COMMAND...
        local name="$1" pat="$2"; shift 2
        valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$name" --toggle-collect="$pat" "$@" \
            >/dev/null 2>"$OUT/callgrind.$name.log"
        awk -v n="$name" -v ins="$INS" '/^summary:/ { printf "callgrind %-14s %6.1f machine instructions per decoded instruction\n", n ":", $2 / (2 * ins) }' \
            "$OUT/callgrind.$name"
    }
    cg popek '*decoder_bench4pass*' "$POPEK_BENCH" "$TEXT" --mode "$MODE" --seconds 0
    cg zydis-minimal 'pass_minimal' "$OUT/zydis-bench" "$TEXT" --mode "$MODE" --seconds 0
    cg zydis-full 'pass_full' "$OUT/zydis-bench" "$TEXT" --mode "$MODE" --seconds 0
fi
