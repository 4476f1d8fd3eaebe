#!/usr/bin/env python3
"""Integration test: Debian's stock cloud kernel and a busybox initramfs boot to userspace on Popek.

Two boots of guests/linux/{vmlinuz,initramfs.cpio.gz} (made by Scripts/linux-guest.sh):

1. Batch: stdin is not a terminal. /init prints the kernel version, /proc/cpuinfo, SHA-256 sums of
   generated data and an awk computation, and powers off. Every value is checked against one
   computed here on the host (the oracle), and Popek must exit 0 (power-off).
2. Interactive: Popek runs on a pseudo-terminal (so it puts the terminal in raw mode, as for a
   user), the kernel command line has popek.shell, and /init starts a shell on the console. The
   test types `ls /` and an arithmetic echo like a user, checks the listing and the answer, then
   quits with Ctrl-A X; Popek must exit 0.

    Tests/integration/linux-boot.py --popek .build/release/popek [--guest guests/linux] [--engine interpreter]
"""
import argparse
import hashlib
import os
import pty
import re
import select
import subprocess
import sys
import time

TIMEOUT = 300  # seconds per boot: a boot takes ~10 s on an idle machine


def fail(message, output=""):
    if output:
        sys.stdout.write("---- guest output (last 3000 characters) ----\n" + output[-3000:] + "\n----\n")
    print(f"FAIL: {message}")
    sys.exit(1)


def batch_boot(args, kernel_version):
    started = time.monotonic()
    command = [args.popek, "run", "--kernel", f"{args.guest}/vmlinuz", "--initrd", f"{args.guest}/initramfs.cpio.gz",
               "--append", "console=ttyS0", "--engine", args.engine]
    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        fail(f"batch boot did not finish in {TIMEOUT} s", (e.stdout or b"").decode(errors="replace"))
    elapsed = time.monotonic() - started
    out = run.stdout.decode(errors="replace").replace("\r\n", "\n")
    if run.returncode != 0:
        fail(f"batch boot: popek exited {run.returncode}, expected 0 (power-off); stderr: {run.stderr.decode(errors='replace')[-500:]}", out)

    def expect_line(pattern, what):
        m = re.search(pattern, out, re.MULTILINE)
        if not m:
            fail(f"batch boot: {what} missing (pattern {pattern!r})", out)
        return m

    expect_line(r"^POPEK-USERSPACE-REACHED$", "the userspace marker")
    m = expect_line(r"^kernel: (\S+)$", "the kernel version")
    if m.group(1) != kernel_version:
        fail(f"batch boot: uname -r says {m.group(1)!r}, the package is {kernel_version!r}", out)
    m = expect_line(r"^model name\s*: (.*)$", "/proc/cpuinfo's model name")
    if "Popek" not in m.group(1):
        fail(f"batch boot: model name {m.group(1)!r} is not Popek's brand string", out)
    flags = expect_line(r"^flags\s*: (.*)$", "/proc/cpuinfo's flags").group(1).split()
    for flag in ["fpu", "sse", "sse2", "lm", "nx", "syscall"]:
        if flag not in flags:
            fail(f"batch boot: /proc/cpuinfo lacks the {flag} flag", out)
    zero = hashlib.sha256(bytes(256 * 1024)).hexdigest()
    seq = hashlib.sha256("".join(f"{i}\n" for i in range(1, 20001)).encode()).hexdigest()
    squares = sum(i * i for i in range(1, 1001))
    got = expect_line(r"^zero-sha256: ([0-9a-f]{64})", "the SHA-256 of /dev/zero data").group(1)
    if got != zero:
        fail(f"batch boot: sha256 of 256 KiB of zeros is {got}, expected {zero}", out)
    got = expect_line(r"^seq-sha256: ([0-9a-f]{64})", "the SHA-256 of seq output").group(1)
    if got != seq:
        fail(f"batch boot: sha256 of `seq 1 20000` is {got}, expected {seq}", out)
    got = expect_line(r"^sum of squares: (\d+)$", "the awk result").group(1)
    if int(got) != squares:
        fail(f"batch boot: awk computed {got}, expected {squares}", out)
    expect_line(r"^POPEK-TEST-DONE$", "the end marker")
    print(f"batch boot: userspace reached, all checks pass, power-off, exit 0 ({elapsed:.1f} s wall)")


class Terminal:
    """Popek on a pseudo-terminal, read with a deadline."""

    def __init__(self, command):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(command[0], command)
        self.raw = ""
        self.text = ""

    def read_until(self, pattern, seconds, what):
        deadline = time.monotonic() + seconds
        while True:
            m = re.search(pattern, self.text)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                fail(f"interactive boot: no {what} after {seconds} s (pattern {pattern!r})", self.text)
            ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if ready:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    self.kill()
                    fail(f"interactive boot: popek's terminal closed before {what}", self.text)
                # Terminal control sequences (busybox's line editor asks for the cursor position
                # with ESC [6n) are dropped: the test reads what a person would see.
                self.raw += data.decode(errors="replace")
                self.text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.raw).replace("\r", "")

    def type(self, keys):
        for ch in keys:  # one key at a time, like a person (the UART has a 16-byte FIFO)
            os.write(self.fd, ch.encode() if isinstance(ch, str) else ch)
            time.sleep(0.01)

    def wait(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            try:
                if select.select([self.fd], [], [], 0.2)[0]:
                    os.read(self.fd, 4096)
            except OSError:
                time.sleep(0.2)
        self.kill()
        fail(f"interactive boot: popek did not exit {seconds} s after Ctrl-A X", self.text)

    def kill(self):
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def interactive_boot(args):
    started = time.monotonic()
    term = Terminal([args.popek, "run", "--kernel", f"{args.guest}/vmlinuz", "--initrd", f"{args.guest}/initramfs.cpio.gz",
                     "--append", "console=ttyS0 popek.shell", "--engine", args.engine])
    term.read_until(r"POPEK-TEST-DONE", TIMEOUT, "end of the init script")
    term.read_until(r"# $", 60, "shell prompt")
    mark = len(term.text)
    term.type("ls /\r")
    listing = term.read_until(r"ls /\n([\s\S]*?)\n[^\n]*# $", 60, "ls listing")
    names = listing.group(1).split()
    for name in ["bin", "dev", "init", "proc", "sys"]:
        if name not in names:
            fail(f"interactive boot: `ls /` shows {names}, without {name}", term.text[mark:])
    term.type("echo answer-$((6 * 7))\r")
    term.read_until(r"\nanswer-42\n", 60, "echo of the shell arithmetic")
    term.type([b"\x01", b"x"])  # Ctrl-A X: quit, as in QEMU
    status = term.wait(30)
    if status != 0:
        fail(f"interactive boot: popek exited {status} after Ctrl-A X, expected 0", term.text)
    print(f"interactive boot: shell prompt, `ls /` lists {' '.join(sorted(names))}, Ctrl-A X exits 0 ({time.monotonic() - started:.1f} s wall)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--popek", required=True)
    parser.add_argument("--guest", default="guests/linux")
    parser.add_argument("--engine", default="interpreter")
    parser.add_argument("--skip-interactive", action="store_true")
    args = parser.parse_args()
    for f in ["vmlinuz", "initramfs.cpio.gz", "kernel-version"]:
        if not os.path.exists(f"{args.guest}/{f}"):
            fail(f"{args.guest}/{f} is missing: run Scripts/linux-guest.sh first")
    kernel_version = open(f"{args.guest}/kernel-version").read().strip()
    batch_boot(args, kernel_version)
    if not args.skip_interactive:
        interactive_boot(args)
    print("linux-boot: PASS")


if __name__ == "__main__":
    main()
