#!/usr/bin/env bash
# Fetches Debian's stock cloud kernel and busybox-static with apt, and builds an initramfs whose
# /init runs a test script and powers off. Everything goes to guests/linux/ (not in git).
#
#   Scripts/linux-guest.sh            # fetch (once) and build
#   POPEK_INIT_SCRIPT=file Scripts/linux-guest.sh   # use another /init script body
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/guests/linux"
command -v cpio >/dev/null || { apt-get update -qq && apt-get install -y -qq cpio; }
mkdir -p "$out"
cd "$out"

if [ ! -f vmlinuz ]; then
    if ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then apt-get update -qq; fi
    # The metapackage names the current ABI; download its dependency, the real image package.
    image=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$image" ] || { echo "error: cannot find Debian's cloud kernel package" >&2; exit 1; }
    rm -rf pkg && mkdir pkg && (cd pkg && apt-get download -qq "$image" && dpkg -x ./*.deb x)
    cp pkg/x/boot/vmlinuz-* vmlinuz
    basename pkg/x/boot/vmlinuz-* | sed 's/^vmlinuz-//' > kernel-version
    rm -rf pkg
fi
if [ ! -f busybox ]; then
    if ! apt-cache show busybox-static >/dev/null 2>&1; then apt-get update -qq; fi
    rm -rf bb && mkdir bb && (cd bb && apt-get download -qq busybox-static && dpkg -x ./*.deb x)
    cp bb/x/bin/busybox busybox
    rm -rf bb
fi

# The initramfs: busybox, its applet links, and /init.
rm -rf initramfs && mkdir -p initramfs/{bin,sbin,proc,sys,dev,tmp}
cp busybox initramfs/bin/busybox
for applet in sh ls cat echo uname sha256sum awk head dd mount poweroff reboot sync seq wc grep setsid cttyhack mkdir sleep; do
    ln -s busybox "initramfs/bin/$applet"
done
if [ -n "${POPEK_INIT_SCRIPT:-}" ]; then
    { echo '#!/bin/sh'; cat "$POPEK_INIT_SCRIPT"; } > initramfs/init
else
    cat > initramfs/init <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "POPEK-USERSPACE-REACHED"
echo "kernel: $(uname -r)"
cat /proc/cpuinfo
echo "zero-sha256: $(dd if=/dev/zero bs=1024 count=256 2>/dev/null | sha256sum)"
echo "seq-sha256: $(seq 1 20000 | sha256sum)"
awk 'BEGIN { s = 0; for (i = 1; i <= 1000; i++) s += i * i; print "sum of squares:", s }'
echo "POPEK-TEST-DONE"
# With popek.shell on the kernel command line: an interactive shell on the console (exit powers off).
if grep -q popek.shell /proc/cmdline; then setsid cttyhack sh; fi
poweroff -f
INIT
fi
chmod +x initramfs/init
(cd initramfs && find . | cpio -o -H newc --quiet | gzip -9) > initramfs.cpio.gz
echo "kernel:    $out/vmlinuz ($(cat kernel-version))"
echo "initramfs: $out/initramfs.cpio.gz"
