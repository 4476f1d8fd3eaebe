// Test-only SSE oracle: one host instruction between LDMXCSR and STMXCSR, in a per-thread code page.
//
// The instruction is copied between a fixed prologue (load MXCSR, XMM0, XMM1, MM0, MM1, RAX, RFLAGS)
// and epilogue (store them back). An exception it raises (#XM arrives as SIGFPE, #UD as SIGILL, #GP as
// SIGSEGV) is caught by a signal handler that reads the registers the processor left at the fault from
// the signal frame (MXCSR with the flags it raised, the destination untouched) and jumps back.
#define _GNU_SOURCE
#include "CSSEOracle.h"

#if defined(__x86_64__) && defined(__linux__)
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

// The block the generated code works on (offsets are baked into the code below).
typedef struct __attribute__((aligned(16))) {
    uint64_t xmm0[2];   // 0
    uint64_t xmm1[2];   // 16
    uint64_t mm0;       // 32
    uint64_t mm1;       // 40
    uint64_t rax;       // 48
    uint64_t rflags;    // 56
    uint32_t mxcsr;     // 64: in, then out
    uint32_t saved;     // 68: the caller's MXCSR
} Block;

static const uint8_t prologue[] = {
    0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57,  // push rbx, rbp, r12-r15
    0x49, 0x89, 0xFF,                                            // mov r15, rdi
    0x41, 0x0F, 0xAE, 0x5F, 0x44,                                // stmxcsr [r15+68]
    0xF3, 0x41, 0x0F, 0x6F, 0x07,                                // movdqu xmm0, [r15]
    0xF3, 0x41, 0x0F, 0x6F, 0x4F, 0x10,                          // movdqu xmm1, [r15+16]
    0x49, 0x8B, 0x47, 0x30,                                      // mov rax, [r15+48]
    0x41, 0xFF, 0x77, 0x38, 0x9D,                                // push qword [r15+56]; popfq
    0x41, 0x0F, 0xAE, 0x57, 0x40,                                // ldmxcsr [r15+64]
};
static const uint8_t load_mmx[] = {
    0x41, 0x0F, 0x6F, 0x47, 0x20,  // movq mm0, [r15+32]
    0x41, 0x0F, 0x6F, 0x4F, 0x28,  // movq mm1, [r15+40]
};
static const uint8_t epilogue[] = {
    0x41, 0x0F, 0xAE, 0x5F, 0x40,                                // stmxcsr [r15+64]
    0x9C, 0x41, 0x8F, 0x47, 0x38,                                // pushfq; pop qword [r15+56]
    0x49, 0x89, 0x47, 0x30,                                      // mov [r15+48], rax
    0xF3, 0x41, 0x0F, 0x7F, 0x07,                                // movdqu [r15], xmm0
    0xF3, 0x41, 0x0F, 0x7F, 0x4F, 0x10,                          // movdqu [r15+16], xmm1
    0x41, 0x0F, 0xAE, 0x57, 0x44,                                // ldmxcsr [r15+68]
};
static const uint8_t store_mmx[] = {
    0x41, 0x0F, 0x7F, 0x47, 0x20,  // movq [r15+32], mm0
    0x41, 0x0F, 0x7F, 0x4F, 0x28,  // movq [r15+40], mm1
    0x0F, 0x77,                    // emms
};
static const uint8_t finish[] = {
    0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B,  // pop r15-r12, rbp, rbx
    0xC3,                                                        // ret
};

static __thread uint8_t *t_page;
static __thread sigjmp_buf t_jump;
static __thread volatile int t_active;
static __thread Block *t_block;
static __thread int t_trap;

static void on_signal(int sig, siginfo_t *info, void *context) {
    (void)info;
    if (!t_active) {
        // Not ours: the default action, re-raised by the faulting instruction.
        signal(sig, SIG_DFL);
        return;
    }
    ucontext_t *uc = context;
    Block *b = t_block;
    t_trap = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
    b->rax = (uint64_t)uc->uc_mcontext.gregs[REG_RAX];
    b->rflags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
    struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
    if (fp) {
        b->mxcsr = fp->mxcsr;
        memcpy(b->xmm0, &fp->_xmm[0], 16);
        memcpy(b->xmm1, &fp->_xmm[1], 16);
        memcpy(&b->mm0, &fp->_st[0], 8);
        memcpy(&b->mm1, &fp->_st[1], 8);
    }
    t_active = 0;
    siglongjmp(t_jump, 1);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

int sse_oracle_run(const uint8_t *code, size_t length, SSEOracleState *state) {
    if (length == 0 || length > 15) return -1;
    pthread_once(&once, install);
    if (!t_page) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return -1;
        t_page = p;
    }
    uint8_t *w = t_page;
    memcpy(w, prologue, sizeof prologue); w += sizeof prologue;
    if (state->uses_mmx) { memcpy(w, load_mmx, sizeof load_mmx); w += sizeof load_mmx; }
    memcpy(w, code, length); w += length;
    memcpy(w, epilogue, sizeof epilogue); w += sizeof epilogue;
    if (state->uses_mmx) { memcpy(w, store_mmx, sizeof store_mmx); w += sizeof store_mmx; }
    memcpy(w, finish, sizeof finish);

    static __thread Block block;
    memcpy(block.xmm0, state->xmm0, 16);
    memcpy(block.xmm1, state->xmm1, 16);
    block.mm0 = state->mm0;
    block.mm1 = state->mm1;
    block.rax = state->rax;
    block.rflags = (state->rflags & 0x8D5) | 2;
    block.mxcsr = state->mxcsr;
    uint32_t caller;
    __asm__ volatile("stmxcsr %0" : "=m"(caller));
    t_block = &block;
    t_trap = 0;
    void (*fn)(Block *) = (void (*)(Block *))(void *)t_page;
    if (sigsetjmp(t_jump, 1) == 0) {
        t_active = 1;
        fn(&block);
        t_active = 0;
    } else {
        // Back from the handler: the frame's callee-saved registers are restored; reset the FPU.
        __asm__ volatile("fninit\n\tldmxcsr %0" ::"m"(caller) : "memory");
    }
    if (state->uses_mmx) __asm__ volatile("fninit" ::: "memory");
    memcpy(state->xmm0, block.xmm0, 16);
    memcpy(state->xmm1, block.xmm1, 16);
    state->mm0 = block.mm0;
    state->mm1 = block.mm1;
    state->rax = block.rax;
    state->rflags = block.rflags;
    state->mxcsr = block.mxcsr;
    state->trap = t_trap;
    return 0;
}

#else
int sse_oracle_run(const uint8_t *code, size_t length, SSEOracleState *state) {
    (void)code; (void)length; (void)state;
    return -1;
}
#endif
