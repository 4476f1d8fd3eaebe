// Runs `popek fuzz snippets` cases (the line formats of Sources/TestVectors/SnippetRunner.swift) on the
// host CPU, as the hardware reference for Scripts/diff-unicorn-simd.py when Unicorn and Popek disagree.
// User-mode instructions in 64-bit cases, and in 32-bit cases (run in compatibility mode): the code page is
// mapped at its address (0x8000), the data page at its own, the registers and status flags loaded, and the
// end address jumps back to the harness (the code page's last 256 bytes hold the 32-bit glue).
// A privileged MOV to CR4 in the case's prologue must have been replaced by a NOP by the caller. Faults
// become `excN` results (SIGILL #UD 6, SIGSEGV/SIGBUS #GP 13) with the registers at the fault.
//
// Build: cc -O1 -o native-snippets Scripts/native-snippets.c   (x86-64 Linux; needs vm.mmap_min_addr <= 0x8000)
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

uint64_t g_regs[16], g_flags, g_host_rsp, g_target;
extern void enter_guest(void);
extern void guest_exit(void);

__asm__(
    ".text\n"
    ".globl enter_guest\n"
    "enter_guest:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, g_host_rsp(%rip)\n"
    "  mov g_flags(%rip), %rax\n push %rax\n popfq\n"
    "  mov g_regs+8(%rip), %rcx\n mov g_regs+16(%rip), %rdx\n mov g_regs+24(%rip), %rbx\n"
    "  mov g_regs+40(%rip), %rbp\n mov g_regs+48(%rip), %rsi\n mov g_regs+56(%rip), %rdi\n"
    "  mov g_regs+64(%rip), %r8\n mov g_regs+72(%rip), %r9\n mov g_regs+80(%rip), %r10\n"
    "  mov g_regs+88(%rip), %r11\n mov g_regs+96(%rip), %r12\n mov g_regs+104(%rip), %r13\n"
    "  mov g_regs+112(%rip), %r14\n mov g_regs+120(%rip), %r15\n"
    "  mov g_regs+32(%rip), %rsp\n mov g_regs(%rip), %rax\n"
    "  jmp *g_target(%rip)\n"
    ".globl guest_exit\n"
    "guest_exit:\n"
    "  mov %rax, g_regs(%rip)\n mov %rcx, g_regs+8(%rip)\n mov %rdx, g_regs+16(%rip)\n"
    "  mov %rbx, g_regs+24(%rip)\n mov %rsp, g_regs+32(%rip)\n mov %rbp, g_regs+40(%rip)\n"
    "  mov %rsi, g_regs+48(%rip)\n mov %rdi, g_regs+56(%rip)\n mov %r8, g_regs+64(%rip)\n"
    "  mov %r9, g_regs+72(%rip)\n mov %r10, g_regs+80(%rip)\n mov %r11, g_regs+88(%rip)\n"
    "  mov %r12, g_regs+96(%rip)\n mov %r13, g_regs+104(%rip)\n mov %r14, g_regs+112(%rip)\n"
    "  mov %r15, g_regs+120(%rip)\n"
    "  mov g_host_rsp(%rip), %rsp\n"
    "  pushfq\n pop %rax\n mov %rax, g_flags(%rip)\n"
    "  cld\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "  ret\n"
    // 32-bit cases run in compatibility mode (Linux's 32-bit user code segment 23h, data 2Bh): a far
    // return to a stub in the code page that loads ESP and EAX and jumps to the case; the case's end
    // jumps far to 33h:trampoline, which parks RAX at 8FF0h and continues at guest_exit32.
    ".globl enter_guest32\n"
    "enter_guest32:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, g_host_rsp(%rip)\n"
    "  mov $0x2b, %eax\n mov %eax, %ds\n mov %eax, %es\n"
    "  pushq $0x23\n pushq g_target(%rip)\n"
    "  mov g_flags(%rip), %rax\n push %rax\n popfq\n"
    "  mov g_regs+8(%rip), %rcx\n mov g_regs+16(%rip), %rdx\n mov g_regs+24(%rip), %rbx\n"
    "  mov g_regs+40(%rip), %rbp\n mov g_regs+48(%rip), %rsi\n mov g_regs+56(%rip), %rdi\n"
    "  lretq\n"
    ".globl guest_exit32\n"
    "guest_exit32:\n"
    "  movq 0x8ff0, %rax\n"
    "  jmp guest_exit\n");
extern void enter_guest32(void);
extern void guest_exit32(void);

static sigjmp_buf g_jump;
static volatile int g_signal;
static uint64_t g_fault_rip, g_trapno;
// POPEK_SNIPPET_FAULT_STATE=OFFSET[/N] (hex offset, N XMM registers): at a fault, the x87/SSE state from the signal frame is written
// into the data page at OFFSET, in the layout SnippetRunner writes (FXSAVE's, pointers and MXCSR_MASK 0).
static long g_fault_state = -1;
static uint8_t g_fpstate[512] __attribute__((aligned(16)));
static int g_have_fpstate;

static void on_fault(int sig, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    greg_t *r = uc->uc_mcontext.gregs;
    const int order[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                           REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
    for (int i = 0; i < 16; i++) g_regs[i] = (uint64_t)r[order[i]];
    g_flags = (uint64_t)r[REG_EFL];
    g_fault_rip = (uint64_t)r[REG_RIP];
    g_trapno = (uint64_t)r[REG_TRAPNO];
    g_signal = sig;
    g_have_fpstate = 0;
    if (uc->uc_mcontext.fpregs) {
        memcpy(g_fpstate, uc->uc_mcontext.fpregs, 512);
        g_have_fpstate = 1;
    }
    (void)info;
    siglongjmp(g_jump, 1);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void splitmix_fill(uint64_t seed, uint8_t *out, size_t size) {
    uint64_t state = seed;
    for (size_t i = 0; i < size; i += 8) {
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        for (int b = 0; b < 8 && i + b < size; b++) out[i + b] = (uint8_t)(z >> (8 * b));
    }
}

int main(void) {
    uint8_t *code = mmap((void *)0x8000, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    uint8_t *data = mmap((void *)0x9000, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (code != (void *)0x8000 || data != (void *)0x9000) {
        fprintf(stderr, "native-snippets: cannot map 0x8000-0xA000 (vm.mmap_min_addr?)\n");
        return 2;
    }
    static uint8_t altstack[65536];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    const char *fs = getenv("POPEK_SNIPPET_FAULT_STATE");
    long fault_xmm = -1;  // "OFFSET/N": N XMM registers (default: 16 in 64-bit cases, 8 in 32-bit ones)
    if (fs && *fs) {
        char *slash;
        g_fault_state = strtol(fs, &slash, 16);
        if (*slash == '/') fault_xmm = strtol(slash + 1, 0, 10);
    }
    static char line[1 << 20];
    static uint8_t initial[0x1000];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!n) continue;
        if (!strcmp(line, "sync")) { printf("sync\n"); fflush(stdout); continue; }
        char *f[32];
        int count = 0;
        for (char *p = strtok(line, " "); p && count < 32; p = strtok(NULL, " ")) f[count++] = p;
        int bits = atoi(count ? f[1] : "0");
        if (count != 25 || (bits != 64 && bits != 32) || strtoull(f[2], 0, 16) != 0x8000 || strtoull(f[4], 0, 16) != 0x9000) {
            printf("%s error unsupported case\n", count ? f[0] : "?");
            continue;
        }
        size_t len = strlen(f[3]) / 2;
        memset(code, 0xCC, 0x1000);
        for (size_t i = 0; i < len && i < 0x1000; i++) code[i] = (uint8_t)(hexval(f[3][2 * i]) << 4 | hexval(f[3][2 * i + 1]));
        uint64_t seed = strtoull(f[6], 0, 16), end = strtoull(f[7], 0, 16);
        size_t size = strtoull(f[5], 0, 16);
        uint8_t *e = (uint8_t *)end;
        if (bits == 64) {
            // the end address jumps back: jmp [rip+0]; dq guest_exit
            e[0] = 0xFF; e[1] = 0x25; e[2] = e[3] = e[4] = e[5] = 0;
            uint64_t exit_address = (uint64_t)guest_exit;
            memcpy(e + 6, &exit_address, 8);
        } else {
            // jmp far 33h:8F40h; there: mov [8FF0h],rax; mov rax,guest_exit32; jmp rax
            uint8_t far[] = {0xEA, 0x40, 0x8F, 0, 0, 0x33, 0};
            memcpy(e, far, sizeof far);
            uint8_t *t = (uint8_t *)0x8F40;
            uint8_t park[] = {0x48, 0x89, 0x04, 0x25, 0xF0, 0x8F, 0, 0, 0x48, 0xB8};
            memcpy(t, park, sizeof park);
            uint64_t exit_address = (uint64_t)guest_exit32;
            memcpy(t + 10, &exit_address, 8);
            t[18] = 0xFF; t[19] = 0xE0;
        }
        splitmix_fill(seed, initial, size);
        memcpy(data, initial, size);
        g_flags = (strtoull(f[8], 0, 16) & 0x8D5) | 2;
        for (int i = 0; i < 16; i++) g_regs[i] = strtoull(f[9 + i], 0, 16);
        g_target = 0x8000;
        if (bits == 32) {
            // the stub at 8F00h: mov esp, ESP; mov eax, EAX; jmp 8000h
            uint8_t *t = (uint8_t *)0x8F00;
            uint32_t esp = (uint32_t)g_regs[4], eax = (uint32_t)g_regs[0];
            t[0] = 0xBC; memcpy(t + 1, &esp, 4);
            t[5] = 0xB8; memcpy(t + 6, &eax, 4);
            int32_t rel = 0x8000 - (0x8F00 + 15);
            t[10] = 0xE9; memcpy(t + 11, &rel, 4);
            g_target = 0x8F00;
            for (int i = 8; i < 16; i++) g_regs[i] = 0;
        }
        g_signal = 0;
        // Reset values, as the emulators start each case: x87/MMX and XMM registers zero, FCW 037Fh, MXCSR 1F80h.
        static uint8_t reset_area[512] __attribute__((aligned(16))) = {0x7F, 0x03, [24] = 0x80, [25] = 0x1F};
        __asm__ volatile("fxrstor64 %0" ::"m"(*(uint8_t(*)[512])reset_area));
        __builtin___clear_cache((char *)code, (char *)code + 0x1000);
        if (sigsetjmp(g_jump, 1) == 0) {
            if (bits == 64) enter_guest(); else enter_guest32();
        }
        __asm__ volatile("fninit\n" ::: "memory");
        uint32_t mxcsr = 0x1F80;
        __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
        const char *status = "end";
        char buffer[16];
        uint64_t rip = end;
        if (g_signal) {
            snprintf(buffer, sizeof buffer, "exc%d", g_signal == SIGILL ? 6 : g_signal == SIGFPE ? (int)g_trapno : 13);  // SIGFPE: #DE 0, #MF 16, #XM 19
            status = buffer;
            rip = g_fault_rip;
            if (g_fault_state >= 0 && g_have_fpstate) {
                // FCW, FSW, abridged FTW, MXCSR, ST0-ST7 (10 bytes each in 16), XMM0-7 (32-bit) or XMM0-15.
                size_t nx = fault_xmm >= 0 && fault_xmm <= 16 ? (size_t)fault_xmm : bits == 64 ? 16 : 8, total = 160 + 16 * nx;
                if ((size_t)g_fault_state + total <= size) {
                    uint8_t img[416];
                    memset(img, 0, sizeof img);
                    memcpy(img, g_fpstate, 5);            // FCW, FSW, FTW
                    memcpy(img + 24, g_fpstate + 24, 4);  // MXCSR
                    for (int i = 0; i < 8; i++) memcpy(img + 32 + 16 * i, g_fpstate + 32 + 16 * i, 10);
                    memcpy(img + 160, g_fpstate + 160, 16 * nx);
                    memcpy(data + g_fault_state, img, total);
                }
            }
        }
        printf("%s %s %llx %llx", f[0], status, (unsigned long long)rip, (unsigned long long)(g_flags & ~0x10000ull));
        for (int i = 0; i < 16; i++) printf(" %llx", (unsigned long long)(bits == 64 ? g_regs[i] : i < 8 ? g_regs[i] & 0xFFFFFFFF : 0));
        int any = 0;
        for (size_t i = 0; i < size;) {
            if (data[i] == initial[i]) { i++; continue; }
            printf(any ? "," : " ");
            any = 1;
            printf("%zx:", i);
            while (i < size && data[i] != initial[i]) printf("%02x", data[i++]);
        }
        printf(any ? "\n" : " -\n");
    }
    return 0;
}
