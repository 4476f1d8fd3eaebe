// The VM-exit round trip with raw KVM ioctls and nothing else: the baseline Popek's KVM engine is
// measured against (Scripts/bench-kvm.sh). Runs a flat real-mode image at 0000:8000 (the same
// guests/exitloop.bin kvm-bench runs), counts KVM_EXIT_IO exits and stops after N.
//
//     exit-roundtrip IMAGE N SYNC   -> prints "ns_per_exit <value>"
//
// SYNC = 1 sets kvm_valid_regs = REGS|SREGS|EVENTS (KVM_CAP_SYNC_REGS), as Popek does by default.
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: exit-roundtrip IMAGE N SYNC\n");
        return 64;
    }
    long n = atol(argv[2]);
    int sync = atoi(argv[3]);
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("/dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    size_t size = 1 << 20;
    unsigned char *mem = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    FILE *f = fopen(argv[1], "rb");
    if (!f) die(argv[1]);
    fread(mem + 0x8000, 1, 0x8000, f);
    fclose(f);
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = size, .userspace_addr = (unsigned long)mem};
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
    int cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (cpu < 0) die("KVM_CREATE_VCPU");
    int mapsize = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(0, mapsize, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
    struct kvm_sregs s;
    if (ioctl(cpu, KVM_GET_SREGS, &s) < 0) die("KVM_GET_SREGS");
    s.cs.base = 0;
    s.cs.selector = 0;
    if (ioctl(cpu, KVM_SET_SREGS, &s) < 0) die("KVM_SET_SREGS");
    struct kvm_regs r;
    memset(&r, 0, sizeof r);
    r.rip = 0x8000;
    r.rsp = 0x8000;
    r.rflags = 2;
    if (ioctl(cpu, KVM_SET_REGS, &r) < 0) die("KVM_SET_REGS");
    if (sync) run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS;
    // Warm up (first entry: page faults), then measure.
    for (int i = 0; i < 100; i++)
        if (ioctl(cpu, KVM_RUN, 0) < 0) die("KVM_RUN");
    double t0 = now();
    for (long i = 0; i < n; i++) {
        if (ioctl(cpu, KVM_RUN, 0) < 0) die("KVM_RUN");
        if (run->exit_reason != KVM_EXIT_IO) {
            fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
            return 1;
        }
    }
    double t1 = now();
    printf("ns_per_exit %.1f\n", (t1 - t0) * 1e9 / n);
    return 0;
}
