#!/usr/bin/env bash
# Boots the same Debian kernel and busybox initramfs (Scripts/linux-guest.sh) with QEMU 7.2 TCG and
# with Popek, in the same run, and prints both wall times to the end of the guest's test script
# (it powers off) and the ratio Popek / QEMU.
#
#   Scripts/bench-boot.sh [--timeout SECONDS] [--memory 256M] [--popek PATH]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
timeout_s=300
memory=256M
popek=""
while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) timeout_s="$2"; shift 2 ;;
        --memory) memory="$2"; shift 2 ;;
        --popek) popek="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 64 ;;
    esac
done
bash "$root/Scripts/linux-guest.sh" >/dev/null || exit 2
kernel="$root/guests/linux/vmlinuz"
initrd="$root/guests/linux/initramfs.cpio.gz"
command -v qemu-system-x86_64 >/dev/null || { apt-get update -qq && apt-get install -y -qq qemu-system-x86 >/dev/null; }
if [ -z "$popek" ]; then
    (cd "$root" && swift build -c release --product popek >&2) || exit 2
    popek="$(cd "$root" && swift build -c release --show-bin-path)/popek"
fi
out="$(mktemp -d)"

# run NAME COMMAND...: wall time until the command exits; "reached" if the guest printed its marker.
run() {
    local name="$1"; shift
    local start end
    start=$(date +%s.%N)
    timeout "$timeout_s" "$@" </dev/null >"$out/$name.log" 2>&1
    end=$(date +%s.%N)
    local t
    t=$(echo "$end - $start" | bc)
    if grep -q "POPEK-TEST-DONE" "$out/$name.log"; then
        echo "$t"
    else
        echo "FAIL($t)"
    fi
}

qemu_t=$(run qemu qemu-system-x86_64 -accel tcg -m "$memory" -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 panic=-1")
popek_t=$(run popek "$popek" run --kernel "$kernel" --initrd "$initrd" --memory "$memory" --append "console=ttyS0")

echo "kernel:  $(cat "$root/guests/linux/kernel-version")"
echo "qemu-tcg: ${qemu_t} s"
echo "popek:    ${popek_t} s"
if [[ "$qemu_t" != FAIL* && "$popek_t" != FAIL* ]]; then
    echo "ratio popek/qemu: $(echo "scale=2; $popek_t / $qemu_t" | bc)"
else
    [[ "$popek_t" == FAIL* ]] && { echo "popek did not reach the end of the guest script within ${timeout_s} s; last output:"; tail -5 "$out/popek.log"; }
    [[ "$qemu_t" == FAIL* ]] && { echo "qemu did not reach the end of the guest script; last output:"; tail -5 "$out/qemu.log"; }
fi
echo "logs: $out"
