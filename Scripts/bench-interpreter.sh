#!/usr/bin/env bash
# Interpreter throughput: builds interpreter-bench (release) and runs its guest loops (integer ALU,
# memory, call/branch, x87, SSE2), printing guest MIPS (and MFLOPS for the floating-point loops) and the
# decode-cache hit rate.
#
#     Scripts/bench-interpreter.sh [--seconds S] [--rounds R] [--only alu|memory|call|x87|sse2]...
#
# Rates are thread CPU time, best of R rounds (default 3) of about S seconds (default 1) each.
# Environment: POPEK_SCRATCH (SwiftPM scratch path, default .build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${POPEK_SCRATCH:-$ROOT/.build}"
cd "$ROOT"
echo "building interpreter-bench (swift build -c release) ..." >&2
swift build -c release --scratch-path "$SCRATCH" --product interpreter-bench >&2
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/interpreter-bench"
echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
"$BIN" "$@"
