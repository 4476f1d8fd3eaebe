// See include/CKVM.h.
#define _GNU_SOURCE
#include "CKVM.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int ckvm_ioctl(int fd, unsigned long request, void *arg) {
    int r = ioctl(fd, request, arg);
    return r < 0 ? -errno : r;
}

int ckvm_ioctl_value(int fd, unsigned long request, unsigned long value) {
    int r = ioctl(fd, request, value);
    return r < 0 ? -errno : r;
}

int ckvm_enable_cap(int fd, uint32_t cap, uint64_t arg0) {
    struct kvm_enable_cap c;
    memset(&c, 0, sizeof c);
    c.cap = cap;
    c.args[0] = arg0;
    int r = ioctl(fd, KVM_ENABLE_CAP, &c);
    return r < 0 ? -errno : r;
}

int ckvm_set_msr_filter_deny(int vmfd, const uint32_t *indices, int count) {
    static uint8_t deny = 0;  // a one-MSR bitmap whose bit is clear: denied
    struct kvm_msr_filter f;
    memset(&f, 0, sizeof f);
    if (count > KVM_MSR_FILTER_MAX_RANGES) return -E2BIG;
    f.flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
    for (int i = 0; i < count; i++) {
        f.ranges[i].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
        f.ranges[i].nmsrs = 1;
        f.ranges[i].base = indices[i];
        f.ranges[i].bitmap = &deny;
    }
    int r = ioctl(vmfd, KVM_X86_SET_MSR_FILTER, &f);
    return r < 0 ? -errno : r;
}

// The vCPU the current thread runs, for the kick handler. Thread-local, so each vCPU thread kicks
// only its own run structure.
static __thread struct kvm_run *volatile kick_target;

static void kick_handler(int signo) {
    (void)signo;
    // SAFETY (async-signal-safe): one byte store into the mmap'd kvm_run of this thread's vCPU,
    // which stays mapped while registered.
    struct kvm_run *run = kick_target;
    if (run) run->immediate_exit = 1;
}

int ckvm_kick_install(int signo) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = kick_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: KVM_RUN must return EINTR
    if (sigaction(signo, &sa, NULL) < 0) return -errno;
    return 0;
}

int ckvm_gettid(void) { return (int)syscall(SYS_gettid); }

int ckvm_kick_signal(void) { return SIGRTMIN + 3; }

void ckvm_kick_register(struct kvm_run *run) { kick_target = run; }

int ckvm_timer_create(int signo, intptr_t *timer) {
    // The signal must be unblocked in the thread it targets: threads made by libdispatch (Swift
    // concurrency, swift-testing) start with every asynchronous signal blocked, and a blocked
    // signal does not interrupt KVM_RUN.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    int r = pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (r != 0) return -r;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = signo;
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) < 0) return -errno;
    *timer = (intptr_t)t;
    return 0;
}

int ckvm_timer_arm(intptr_t timer, uint64_t nanoseconds) {
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(nanoseconds / 1000000000u);
    its.it_value.tv_nsec = (long)(nanoseconds % 1000000000u);
    if (timer_settime((timer_t)timer, 0, &its, NULL) < 0) return -errno;
    return 0;
}

void ckvm_timer_delete(intptr_t timer) { timer_delete((timer_t)timer); }
