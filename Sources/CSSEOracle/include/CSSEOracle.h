// Test-only oracle: executes one SSE instruction on the host CPU under a given MXCSR.
//
// Used by SSEFloatTests to check SoftFloat's binary32/binary64 (MXCSR) operations bit for bit. The
// SoftFloat module itself never depends on this target. x86-64 Linux hosts only.
#ifndef CSSEORACLE_H
#define CSSEORACLE_H

#include <stddef.h>
#include <stdint.h>

/// Register state around the instruction. The instruction's operands must be XMM0 (destination),
/// XMM1 (source), MM0/MM1 (CVTPI2PS, CVTPS2PI...) and RAX (CVTSI2SS, CVTSS2SI...).
typedef struct {
    uint64_t xmm0[2], xmm1[2];  // in and out: low quadword first
    uint64_t mm0, mm1;          // in and out
    uint64_t rax;               // in and out
    uint64_t rflags;            // in (status flags) and out
    uint32_t mxcsr;             // in and out (at the fault when the instruction trapped)
    int32_t trap;               // out: 0, or the vector the instruction raised (19 #XM, 6 #UD, 16 #MF, 13 #GP...)
    int32_t uses_mmx;           // in: load MM0/MM1 (the x87 is reinitialised afterwards)
} SSEOracleState;

/// Runs the instruction bytes `code` (1..15 bytes) with `state`'s registers. An exception the
/// instruction raises is caught (SIGFPE/SIGILL/SIGSEGV): `trap` gets its vector and the registers are
/// those the processor left at the fault (the destination as it was before, for #XM). Thread-safe
/// (one code page per thread). Returns 0, or -1 if the harness could not run.
int sse_oracle_run(const uint8_t *code, size_t length, SSEOracleState *state);

#endif
