// CKVM: the Linux KVM API (<linux/kvm.h>) as Swift can import it.
//
// Swift cannot call the variadic ioctl(2) nor import the _IOW/_IOR request macros, so this header
// re-exports the request numbers as constants and wraps ioctl in fixed-signature functions that
// return -errno on failure. It also holds the one piece of code that must be C: the signal handler
// that kicks a vCPU out of KVM_RUN (it may only touch async-signal-safe state).
//
// Only the `KVM` module uses this target; nothing else in Popek issues raw ioctls.
#ifndef CKVM_H
#define CKVM_H

#include <linux/kvm.h>
#include <stdint.h>
#include <time.h>

// MARK: ioctl request numbers (Documentation/virt/kvm/api.rst)

// System ioctls (on the /dev/kvm descriptor).
static const unsigned long CKVM_GET_API_VERSION = KVM_GET_API_VERSION;
static const unsigned long CKVM_CREATE_VM = KVM_CREATE_VM;
static const unsigned long CKVM_CHECK_EXTENSION = KVM_CHECK_EXTENSION;
static const unsigned long CKVM_GET_VCPU_MMAP_SIZE = KVM_GET_VCPU_MMAP_SIZE;
static const unsigned long CKVM_GET_SUPPORTED_CPUID = KVM_GET_SUPPORTED_CPUID;
static const unsigned long CKVM_GET_MSR_INDEX_LIST = KVM_GET_MSR_INDEX_LIST;
// VM ioctls.
static const unsigned long CKVM_CREATE_VCPU = KVM_CREATE_VCPU;
static const unsigned long CKVM_SET_USER_MEMORY_REGION = KVM_SET_USER_MEMORY_REGION;
static const unsigned long CKVM_SET_TSS_ADDR = KVM_SET_TSS_ADDR;
static const unsigned long CKVM_SET_IDENTITY_MAP_ADDR = KVM_SET_IDENTITY_MAP_ADDR;
// vCPU ioctls.
static const unsigned long CKVM_RUN = KVM_RUN;
static const unsigned long CKVM_GET_REGS = KVM_GET_REGS;
static const unsigned long CKVM_SET_REGS = KVM_SET_REGS;
static const unsigned long CKVM_GET_SREGS = KVM_GET_SREGS;
static const unsigned long CKVM_SET_SREGS = KVM_SET_SREGS;
static const unsigned long CKVM_GET_FPU = KVM_GET_FPU;
static const unsigned long CKVM_SET_FPU = KVM_SET_FPU;
static const unsigned long CKVM_GET_MSRS = KVM_GET_MSRS;
static const unsigned long CKVM_SET_MSRS = KVM_SET_MSRS;
static const unsigned long CKVM_GET_DEBUGREGS = KVM_GET_DEBUGREGS;
static const unsigned long CKVM_SET_DEBUGREGS = KVM_SET_DEBUGREGS;
static const unsigned long CKVM_GET_XCRS = KVM_GET_XCRS;
static const unsigned long CKVM_SET_XCRS = KVM_SET_XCRS;
static const unsigned long CKVM_GET_VCPU_EVENTS = KVM_GET_VCPU_EVENTS;
static const unsigned long CKVM_SET_VCPU_EVENTS = KVM_SET_VCPU_EVENTS;
static const unsigned long CKVM_SET_CPUID2 = KVM_SET_CPUID2;
static const unsigned long CKVM_GET_CPUID2 = KVM_GET_CPUID2;
static const unsigned long CKVM_INTERRUPT = KVM_INTERRUPT;

// MARK: ioctl wrappers

/// ioctl(fd, request, arg) with a pointer argument: the result (>= 0), or -errno.
int ckvm_ioctl(int fd, unsigned long request, void *arg);
/// ioctl(fd, request, value) with an integer argument: the result (>= 0), or -errno.
int ckvm_ioctl_value(int fd, unsigned long request, unsigned long value);

/// KVM_ENABLE_CAP on a VM or vCPU descriptor with one argument. Returns 0 or -errno.
int ckvm_enable_cap(int fd, uint32_t cap, uint64_t arg0);
/// KVM_X86_SET_MSR_FILTER on a VM: every MSR allowed except `indices` (at most 16), whose reads and
/// writes are denied, so that (with KVM_MSR_EXIT_REASON_FILTER enabled) they exit to userspace.
/// Returns 0 or -errno.
int ckvm_set_msr_filter_deny(int vmfd, const uint32_t *indices, int count);

// MARK: kvm_run accessors (the exit data lives in an anonymous union)

static inline struct kvm_sync_regs *ckvm_run_sync_regs(struct kvm_run *run) { return &run->s.regs; }
static inline uint8_t ckvm_run_io_direction(const struct kvm_run *run) { return run->io.direction; }
static inline uint8_t ckvm_run_io_size(const struct kvm_run *run) { return run->io.size; }
static inline uint16_t ckvm_run_io_port(const struct kvm_run *run) { return run->io.port; }
static inline uint32_t ckvm_run_io_count(const struct kvm_run *run) { return run->io.count; }
static inline uint64_t ckvm_run_io_data_offset(const struct kvm_run *run) { return run->io.data_offset; }
static inline uint64_t ckvm_run_mmio_address(const struct kvm_run *run) { return run->mmio.phys_addr; }
static inline uint8_t *ckvm_run_mmio_data(struct kvm_run *run) { return run->mmio.data; }
static inline uint32_t ckvm_run_mmio_length(const struct kvm_run *run) { return run->mmio.len; }
static inline uint8_t ckvm_run_mmio_is_write(const struct kvm_run *run) { return run->mmio.is_write; }
static inline uint64_t ckvm_run_fail_entry_reason(const struct kvm_run *run) { return run->fail_entry.hardware_entry_failure_reason; }
static inline uint32_t ckvm_run_internal_suberror(const struct kvm_run *run) { return run->internal.suberror; }
static inline uint32_t ckvm_run_internal_ndata(const struct kvm_run *run) { return run->internal.ndata; }
static inline uint64_t ckvm_run_internal_data(const struct kvm_run *run, uint32_t i) { return i < 16 ? run->internal.data[i] : 0; }
/// For KVM_INTERNAL_ERROR_EMULATION with KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES: the
/// bytes of the instruction KVM could not emulate (count in *size), or NULL when not provided.
static inline const uint8_t *ckvm_run_emulation_failure_bytes(const struct kvm_run *run, uint8_t *size) {
    if (run->emulation_failure.suberror == KVM_INTERNAL_ERROR_EMULATION && run->emulation_failure.ndata >= 3 &&
        (run->emulation_failure.flags & KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES)) {
        *size = run->emulation_failure.insn_size > 15 ? 15 : run->emulation_failure.insn_size;
        return run->emulation_failure.insn_bytes;
    }
    *size = 0;
    return 0;
}
static inline uint32_t ckvm_run_msr_index(const struct kvm_run *run) { return run->msr.index; }
static inline uint32_t ckvm_run_msr_reason(const struct kvm_run *run) { return run->msr.reason; }
static inline uint64_t ckvm_run_msr_data(const struct kvm_run *run) { return run->msr.data; }
static inline void ckvm_run_msr_complete(struct kvm_run *run, uint64_t data, uint8_t error) {
    run->msr.data = data;
    run->msr.error = error;
}
static inline uint64_t ckvm_run_hardware_exit_reason(const struct kvm_run *run) { return run->hw.hardware_exit_reason; }
static inline uint32_t ckvm_run_system_event_type(const struct kvm_run *run) { return run->system_event.type; }
static inline uint32_t ckvm_run_exception_vector(const struct kvm_run *run) { return run->ex.exception; }
static inline uint32_t ckvm_run_exception_error_code(const struct kvm_run *run) { return run->ex.error_code; }

// MARK: kicking a vCPU out of KVM_RUN

/// The signal that kicks vCPUs: SIGRTMIN + 3 (a real-time signal nothing else in Popek uses).
int ckvm_kick_signal(void);

/// Installs `signo`'s handler (once per process; no SA_RESTART, so a blocking KVM_RUN returns
/// EINTR). The handler sets `immediate_exit` in the calling thread's registered kvm_run, which
/// also closes the race of a signal that arrives just before KVM_RUN is entered.
/// Returns 0 or -errno.
int ckvm_kick_install(int signo);
/// The calling thread's kernel thread id (what a timer's SIGEV_THREAD_ID targets).
int ckvm_gettid(void);
/// Registers `run` as the calling thread's vCPU for the kick handler (NULL to unregister).
void ckvm_kick_register(struct kvm_run *run);
/// Creates a POSIX timer that delivers `signo` to the calling thread, and unblocks `signo` in that
/// thread (libdispatch's threads start with it blocked); its id goes to *timer (an
/// integer: glibc's timer_t for a kernel timer is the kernel's id, and 0 is a valid one, which
/// Swift would otherwise import as a nil pointer). Returns 0 or -errno.
int ckvm_timer_create(int signo, intptr_t *timer);
/// Arms `timer` to fire once after `nanoseconds` (0 disarms it). Returns 0 or -errno.
int ckvm_timer_arm(intptr_t timer, uint64_t nanoseconds);
/// Deletes a timer made by ckvm_timer_create.
void ckvm_timer_delete(intptr_t timer);

#endif
