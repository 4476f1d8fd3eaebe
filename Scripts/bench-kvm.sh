#!/usr/bin/env bash
# KVM engine benchmarks: guest MIPS of a CPL3 loop under the interpreter and KVM, the CPL0 rate
# under KVM, and the VM-exit round trip of Popek's KVM engine beside a C program doing the same
# with raw ioctls (target: Popek / C <= 1.2), in the same run.
#
#     Scripts/bench-kvm.sh [--exits N] [--rounds R]
#
# Needs a usable /dev/kvm, nasm and a C compiler. Environment: POPEK_SCRATCH (SwiftPM scratch
# path, default .build), CC (default cc).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${POPEK_SCRATCH:-$ROOT/.build}"
CC="${CC:-cc}"
cd "$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for g in cpl3loop exitloop; do
    nasm -f bin -o "$WORK/$g.bin" "Benchmarks/KVMBenchmark/guests/$g.asm"
done
"$CC" -O2 -o "$WORK/exit-roundtrip" Benchmarks/KVMBenchmark/c/exit-roundtrip.c
echo "building kvm-bench (swift build -c release) ..." >&2
swift build -c release --scratch-path "$SCRATCH" --product kvm-bench >&2
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/kvm-bench"
echo "$(uname -r), load $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
"$BIN" --cpl3 "$WORK/cpl3loop.bin" --exit "$WORK/exitloop.bin" --c-baseline "$WORK/exit-roundtrip" "$@"
