// Test-only oracle: executes one instruction on the host's x87 FPU under a given control word.
//
// Used by SoftFloatTests to check the SoftFloat module bit for bit. The SoftFloat module itself
// never depends on this target. x86-64 hosts only.
#ifndef CX87ORACLE_H
#define CX87ORACLE_H

#include <stdint.h>

/// The instruction to run. Operand `a` is loaded into ST(0) and `b` into ST(1) (both with FLD m80,
/// which raises no exception), unless the operation loads from memory (`mem_in`).
typedef enum {
    X87_FADD = 0,      // ST0 = ST0 + ST1
    X87_FSUB,          // ST0 = ST0 - ST1
    X87_FMUL,          // ST0 = ST0 * ST1
    X87_FDIV,          // ST0 = ST0 / ST1
    X87_FSQRT,         // ST0 = sqrt(ST0)
    X87_FPREM,         // ST0 = fprem(ST0, ST1)
    X87_FPREM1,        // ST0 = fprem1(ST0, ST1)
    X87_FRNDINT,       // ST0 = rndint(ST0)
    X87_FSCALE,        // ST0 = ST0 * 2^trunc(ST1)
    X87_FXTRACT,       // ST1 = exponent(a), ST0 = significand(a)
    X87_FSIN,          // ST0 = sin(ST0)
    X87_FCOS,          // ST0 = cos(ST0)
    X87_FSINCOS,       // ST1 = sin(a), ST0 = cos(a)
    X87_FPTAN,         // ST1 = tan(a), ST0 = 1.0
    X87_FPATAN,        // ST0 = atan(b / a)   (b = y in ST1, a = x in ST0; pops)
    X87_F2XM1,         // ST0 = 2^a - 1
    X87_FYL2X,         // ST0 = b * log2(a)   (pops)
    X87_FYL2XP1,       // ST0 = b * log2(a + 1) (pops)
    X87_FCOM,          // compare ST0 with ST1, C0/C2/C3
    X87_FUCOM,         // unordered compare, C0/C2/C3
    X87_FCOMI,         // compare, ZF/PF/CF
    X87_FUCOMI,        // unordered compare, ZF/PF/CF
    X87_FTST,          // compare ST0 with 0.0
    X87_FXAM,          // classify ST0
    X87_FILD16,        // ST0 = (int16) mem_in
    X87_FILD32,
    X87_FILD64,
    X87_FISTP16,       // mem_out = (int16) ST0, rounded by RC
    X87_FISTP32,
    X87_FISTP64,
    X87_FISTTP16,      // mem_out = (int16) ST0, truncated (SSE3)
    X87_FISTTP32,
    X87_FISTTP64,
    X87_FLD32,         // ST0 = (float) mem_in
    X87_FLD64,         // ST0 = (double) mem_in
    X87_FSTP32,        // mem_out = (float) ST0
    X87_FSTP64,        // mem_out = (double) ST0
    X87_FBLD,          // ST0 = packed BCD in (mem_in, mem_in_hi)
    X87_FBSTP,         // (mem_out, mem_out_hi) = packed BCD of ST0
    X87_FLD1,
    X87_FLDL2T,
    X87_FLDL2E,
    X87_FLDPI,
    X87_FLDLG2,
    X87_FLDLN2,
    X87_FLDZ,
    X87_FCHS,
    X87_FABS,
    X87_OP_COUNT
} X87Op;

typedef struct {
    uint64_t significand;
    uint16_t sign_exponent;
} X87Value;

typedef struct {
    X87Value st0;          // ST(0) after the instruction (as FNSAVE stores it)
    X87Value st1;          // ST(1) after the instruction
    uint16_t status;       // FSW after the instruction (TOP included)
    uint16_t tag;          // FTW after the instruction (2 bits per register)
    uint8_t zf, pf, cf;    // EFLAGS after FCOMI/FUCOMI
    uint64_t mem_out;      // memory destination (pre-filled with mem_sentinel)
    uint16_t mem_out_hi;   // bytes 8-9 of an FBSTP destination
} X87Result;

/// Runs `op` after FNINIT and FLDCW `control`. Memory destinations start as `mem_sentinel`
/// (and 0xFFFF for the BCD high bytes), so a suppressed store is visible.
void x87_run(X87Op op, uint16_t control, X87Value a, X87Value b, uint64_t mem_in, uint16_t mem_in_hi,
             uint64_t mem_sentinel, X87Result *out);

#endif
