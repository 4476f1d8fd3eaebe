// Test-only x87 oracle: one host instruction between FNINIT/FLDCW and FNSAVE.
//
// FNSAVE is a no-wait instruction, so it also captures results and status after an unmasked
// exception without raising #MF (SIGFPE); it then reinitialises the FPU, leaving the x87 in the
// state the C ABI expects (empty stack, control word 0x037F).
#include "CX87Oracle.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)

typedef struct __attribute__((packed)) {
    uint8_t b[10];
} Tbyte;

typedef struct __attribute__((packed, aligned(16))) {
    uint16_t cw, pad0;
    uint16_t sw, pad1;
    uint16_t tw, pad2;
    uint32_t fip, fcs_op, fdp, fds;
    Tbyte st[8];
} SaveArea;

static Tbyte to_tbyte(X87Value v) {
    Tbyte t;
    memcpy(t.b, &v.significand, 8);
    memcpy(t.b + 8, &v.sign_exponent, 2);
    return t;
}

static X87Value from_tbyte(const Tbyte *t) {
    X87Value v;
    memcpy(&v.significand, t->b, 8);
    memcpy(&v.sign_exponent, t->b + 8, 2);
    return v;
}

// ST0 = a, ST1 = b, then INSN, then FNSAVE.
#define RUN_REG(INSN)                                                                      \
    __asm__ volatile("fninit\n\t"                                                          \
                     "fldcw %[cw]\n\t"                                                     \
                     "fldt %[b]\n\t"                                                       \
                     "fldt %[a]\n\t" INSN "\n\t"                                           \
                     "fnsave %[save]\n\t"                                                  \
                     : [save] "=m"(save)                                                   \
                     : [cw] "m"(control), [a] "m"(ta), [b] "m"(tb)                         \
                     : "memory")

// ST0 = b (only), then INSN with a memory operand.
#define RUN_MEM(INSN, MEM)                                                                 \
    __asm__ volatile("fninit\n\t"                                                          \
                     "fldcw %[cw]\n\t"                                                     \
                     "fldt %[b]\n\t" INSN " %[m]\n\t"                                      \
                     "fnsave %[save]\n\t"                                                  \
                     : [save] "=m"(save), [m] "+m"(MEM)                                    \
                     : [cw] "m"(control), [b] "m"(tb)                                      \
                     : "memory")

// ST0 = a, ST1 = b, then INSN storing to memory.
#define RUN_STORE(INSN, MEM)                                                               \
    __asm__ volatile("fninit\n\t"                                                          \
                     "fldcw %[cw]\n\t"                                                     \
                     "fldt %[b]\n\t"                                                       \
                     "fldt %[a]\n\t" INSN " %[m]\n\t"                                      \
                     "fnsave %[save]\n\t"                                                  \
                     : [save] "=m"(save), [m] "+m"(MEM)                                    \
                     : [cw] "m"(control), [a] "m"(ta), [b] "m"(tb)                         \
                     : "memory")

// ST0 = a, ST1 = b, compare setting EFLAGS.
#define RUN_COMI(INSN)                                                                     \
    __asm__ volatile("fninit\n\t"                                                          \
                     "fldcw %[cw]\n\t"                                                     \
                     "fldt %[b]\n\t"                                                       \
                     "fldt %[a]\n\t" INSN "\n\t"                                           \
                     "setz %[zf]\n\t"                                                      \
                     "setp %[pf]\n\t"                                                      \
                     "setc %[cf]\n\t"                                                      \
                     "fnsave %[save]\n\t"                                                  \
                     : [save] "=m"(save), [zf] "=m"(zf), [pf] "=m"(pf), [cf] "=m"(cf)      \
                     : [cw] "m"(control), [a] "m"(ta), [b] "m"(tb)                         \
                     : "memory", "cc")

void x87_run(X87Op op, uint16_t control, X87Value a, X87Value b, uint64_t mem_in, uint16_t mem_in_hi,
             uint64_t mem_sentinel, X87Result *out) {
    SaveArea save;
    Tbyte ta = to_tbyte(a), tb = to_tbyte(b);
    uint8_t zf = 0, pf = 0, cf = 0;
    uint16_t m16 = (uint16_t)mem_in;
    uint32_t m32 = (uint32_t)mem_in;
    uint64_t m64 = mem_in;
    Tbyte bcd;
    memcpy(bcd.b, &mem_in, 8);
    memcpy(bcd.b + 8, &mem_in_hi, 2);
    memset(&save, 0, sizeof save);
    memset(out, 0, sizeof *out);
    out->mem_out = mem_sentinel;
    out->mem_out_hi = 0xFFFF;

    switch (op) {
    case X87_FADD: RUN_REG("fadd %%st(1), %%st"); break;
    case X87_FSUB: RUN_REG("fsub %%st(1), %%st"); break;
    case X87_FMUL: RUN_REG("fmul %%st(1), %%st"); break;
    case X87_FDIV: RUN_REG("fdiv %%st(1), %%st"); break;
    case X87_FSQRT: RUN_REG("fsqrt"); break;
    case X87_FPREM: RUN_REG("fprem"); break;
    case X87_FPREM1: RUN_REG("fprem1"); break;
    case X87_FRNDINT: RUN_REG("frndint"); break;
    case X87_FSCALE: RUN_REG("fscale"); break;
    case X87_FXTRACT: RUN_REG("fxtract"); break;
    case X87_FSIN: RUN_REG("fsin"); break;
    case X87_FCOS: RUN_REG("fcos"); break;
    case X87_FSINCOS: RUN_REG("fsincos"); break;
    case X87_FPTAN: RUN_REG("fptan"); break;
    case X87_FPATAN: RUN_REG("fpatan"); break;
    case X87_F2XM1: RUN_REG("f2xm1"); break;
    case X87_FYL2X: RUN_REG("fyl2x"); break;
    case X87_FYL2XP1: RUN_REG("fyl2xp1"); break;
    case X87_FCOM: RUN_REG("fcom %%st(1)"); break;
    case X87_FUCOM: RUN_REG("fucom %%st(1)"); break;
    case X87_FCOMI: RUN_COMI("fcomi %%st(1), %%st"); break;
    case X87_FUCOMI: RUN_COMI("fucomi %%st(1), %%st"); break;
    case X87_FTST: RUN_REG("ftst"); break;
    case X87_FXAM: RUN_REG("fxam"); break;
    case X87_FILD16: RUN_MEM("filds", m16); break;
    case X87_FILD32: RUN_MEM("fildl", m32); break;
    case X87_FILD64: RUN_MEM("fildll", m64); break;
    case X87_FLD32: RUN_MEM("flds", m32); break;
    case X87_FLD64: RUN_MEM("fldl", m64); break;
    case X87_FBLD: RUN_MEM("fbld", bcd); break;
    case X87_FISTP16: m16 = (uint16_t)mem_sentinel; RUN_STORE("fistps", m16); out->mem_out = m16; break;
    case X87_FISTP32: m32 = (uint32_t)mem_sentinel; RUN_STORE("fistpl", m32); out->mem_out = m32; break;
    case X87_FISTP64: m64 = mem_sentinel; RUN_STORE("fistpll", m64); out->mem_out = m64; break;
    case X87_FISTTP16: m16 = (uint16_t)mem_sentinel; RUN_STORE("fisttps", m16); out->mem_out = m16; break;
    case X87_FISTTP32: m32 = (uint32_t)mem_sentinel; RUN_STORE("fisttpl", m32); out->mem_out = m32; break;
    case X87_FISTTP64: m64 = mem_sentinel; RUN_STORE("fisttpll", m64); out->mem_out = m64; break;
    case X87_FSTP32: m32 = (uint32_t)mem_sentinel; RUN_STORE("fstps", m32); out->mem_out = m32; break;
    case X87_FSTP64: m64 = mem_sentinel; RUN_STORE("fstpl", m64); out->mem_out = m64; break;
    case X87_FBSTP: {
        memcpy(bcd.b, &mem_sentinel, 8);
        memset(bcd.b + 8, 0xFF, 2);
        RUN_STORE("fbstp", bcd);
        memcpy(&out->mem_out, bcd.b, 8);
        memcpy(&out->mem_out_hi, bcd.b + 8, 2);
        break;
    }
    case X87_FLD1: RUN_REG("fld1"); break;
    case X87_FLDL2T: RUN_REG("fldl2t"); break;
    case X87_FLDL2E: RUN_REG("fldl2e"); break;
    case X87_FLDPI: RUN_REG("fldpi"); break;
    case X87_FLDLG2: RUN_REG("fldlg2"); break;
    case X87_FLDLN2: RUN_REG("fldln2"); break;
    case X87_FLDZ: RUN_REG("fldz"); break;
    case X87_FCHS: RUN_REG("fchs"); break;
    case X87_FABS: RUN_REG("fabs"); break;
    default: return;
    }
    (void)mem_in_hi;
    out->st0 = from_tbyte(&save.st[0]);
    out->st1 = from_tbyte(&save.st[1]);
    out->status = save.sw;
    out->tag = save.tw;
    out->zf = zf;
    out->pf = pf;
    out->cf = cf;
}

#else

void x87_run(X87Op op, uint16_t control, X87Value a, X87Value b, uint64_t mem_in, uint16_t mem_in_hi,
             uint64_t mem_sentinel, X87Result *out) {
    (void)op; (void)control; (void)a; (void)b; (void)mem_in; (void)mem_in_hi;
    memset(out, 0, sizeof *out);
    out->mem_out = mem_sentinel;
}

#endif
