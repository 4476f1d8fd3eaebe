// Measures the host's RCPSS and RSQRTSS and prints the correction tables of
// Sources/SoftFloat/SSEEstimateTables.swift; with --verify, checks the model those tables feed
// (the same arithmetic as SSEReciprocal.swift) against the host for all 2^32 operands.
//
// The host's results depend only on the top 12 fraction bits of the operand (and on the exponent's
// parity for RSQRTSS); each is within one unit (2^-13 of the result's binade) of the operand
// interval's midpoint value rounded to 12 fraction bits. A table entry is that difference (-1, 0, +1),
// written as the characters '0', '1', '2'.
//
// Build and run on the machine whose results Popek should reproduce (x86-64 with SSE):
//   cc -O2 -o /tmp/gen-sse-estimates Scripts/gen-sse-estimates.c && /tmp/gen-sse-estimates [--verify]
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t host_rcp(uint32_t x) {
    __m128 v = _mm_castsi128_ps(_mm_cvtsi32_si128((int)x));
    return (uint32_t)_mm_cvtsi128_si32(_mm_castps_si128(_mm_rcp_ss(v)));
}

static uint32_t host_rsqrt(uint32_t x) {
    __m128 v = _mm_castsi128_ps(_mm_cvtsi32_si128((int)x));
    return (uint32_t)_mm_cvtsi128_si32(_mm_castps_si128(_mm_rsqrt_ss(v)));
}

static uint64_t isqrt64(uint64_t n) {
    uint64_t rem = n, root = 0, bit = 1ull << 62;
    while (bit > rem) bit >>= 2;
    while (bit) {
        if (rem >= root + bit) { rem -= root + bit; root = (root >> 1) + bit; } else root >>= 1;
        bit >>= 2;
    }
    return root;
}

// 8192 / midpoint, rounded: the midpoint of the interval of 1.m (m: 12 bits) is (8193 + 2m) / 8192.
static int rcp_formula(int m) { return (int)(((1ull << 27) / (uint64_t)(8193 + 2 * m) + 1) >> 1); }
// 8192 / sqrt(midpoint * (odd ? 2 : 1)), rounded.
static int rsqrt_formula(int m, int odd) {
    uint64_t den = (uint64_t)(8193 + 2 * m) * (odd ? 2 : 1);
    return (int)((isqrt64((1ull << 41) / den) + 1) >> 1);
}

static signed char rcp_fix[4096], rsqrt_fix[8192];

// The model (SSEReciprocal.swift).
static uint32_t model_rcp(uint32_t x) {
    uint32_t sign = x & 0x80000000u, e = (x >> 23) & 0xFF;
    if (e == 0xFF) return (x & 0x7FFFFF) ? x | 0x400000 : sign;
    if (e == 0) return sign | 0x7F800000;
    int m = (x >> 11) & 0xFFF;
    int v = rcp_formula(m) + rcp_fix[m];  // in [4096, 8192): v / 8192 = 1/1.m
    int out = 253 - (int)e;
    if (out <= 0) return sign;
    return sign | (uint32_t)out << 23 | (uint32_t)(v - 4096) << 11;
}

static uint32_t model_rsqrt(uint32_t x) {
    uint32_t e = (x >> 23) & 0xFF;
    if (e == 0xFF && (x & 0x7FFFFF)) return x | 0x400000;
    if (e == 0) return (x & 0x80000000u) | 0x7F800000;
    if (x & 0x80000000u) return 0xFFC00000u;
    if (e == 0xFF) return 0;
    int u = (int)e - 127, odd = u & 1, k = (u - odd) / 2;
    int m = (x >> 11) & 0xFFF;
    int v = rsqrt_formula(m, odd) + rsqrt_fix[odd * 4096 + m];
    return (uint32_t)(126 - k) << 23 | (uint32_t)(v - 4096) << 11;
}

int main(int argc, char **argv) {
    for (int m = 0; m < 4096; m++) {
        uint32_t r = host_rcp(0x3F800000u | (uint32_t)m << 11);
        int v = (int)(4096 + ((r >> 11) & 0xFFF));
        if ((r >> 23) != 126 || (r & 0x7FF)) { fprintf(stderr, "unexpected rcp %08x\n", r); return 1; }
        int d = v - rcp_formula(m);
        if (d < -1 || d > 1) { fprintf(stderr, "rcp correction %d at %d\n", d, m); return 1; }
        rcp_fix[m] = (signed char)d;
    }
    for (int odd = 0; odd < 2; odd++)
        for (int m = 0; m < 4096; m++) {
            uint32_t r = host_rsqrt((odd ? 0x40000000u : 0x3F800000u) | (uint32_t)m << 11);
            int v = (int)(4096 + ((r >> 11) & 0xFFF));
            if ((r >> 23) != 126 || (r & 0x7FF)) { fprintf(stderr, "unexpected rsqrt %08x\n", r); return 1; }
            int d = v - rsqrt_formula(m, odd);
            if (d < -1 || d > 1) { fprintf(stderr, "rsqrt correction %d at %d/%d\n", d, odd, m); return 1; }
            rsqrt_fix[odd * 4096 + m] = (signed char)d;
        }
    if (argc > 1 && !strcmp(argv[1], "--verify")) {
        uint64_t bad_rcp = 0, bad_rsqrt = 0;
        uint32_t x = 0;
        do {
            if (host_rcp(x) != model_rcp(x)) { if (bad_rcp++ < 5) fprintf(stderr, "rcp %08x: host %08x model %08x\n", x, host_rcp(x), model_rcp(x)); }
            if (host_rsqrt(x) != model_rsqrt(x)) { if (bad_rsqrt++ < 5) fprintf(stderr, "rsqrt %08x: host %08x model %08x\n", x, host_rsqrt(x), model_rsqrt(x)); }
        } while (++x != 0);
        printf("all 2^32 operands: rcp %llu differ, rsqrt %llu differ\n", (unsigned long long)bad_rcp, (unsigned long long)bad_rsqrt);
        return bad_rcp || bad_rsqrt;
    }
    // Multi-line string literals (a chain of `+` would be slow to type-check); the decoder skips newlines.
    printf("    static let reciprocalText = \"\"\"\n");
    for (int i = 0; i < 4096; i += 128) {
        printf("        ");
        for (int j = 0; j < 128; j++) putchar('1' + rcp_fix[i + j]);
        printf("\n");
    }
    printf("        \"\"\"\n");
    printf("    static let reciprocalSquareRootText = \"\"\"\n");
    for (int i = 0; i < 8192; i += 128) {
        printf("        ");
        for (int j = 0; j < 128; j++) putchar('1' + rsqrt_fix[i + j]);
        printf("\n");
    }
    printf("        \"\"\"\n");
    return 0;
}
