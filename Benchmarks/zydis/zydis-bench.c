/* zydis-bench: the same linear decode loop as decoder-bench, with Zydis (libzydis-dev).
 *
 *     zydis-bench FILE [--mode 16|32|64] [--seconds S]
 *
 * Prints two rates on the same bytes:
 *   zydis-minimal: ZydisDecoderDecodeInstruction with ZYDIS_DECODER_MODE_MINIMAL (no operands);
 *   zydis-full:    ZydisDecoderDecodeFull (instruction and all operands), default modes.
 * Undecodable bytes advance by one, as in decoder-bench. No formatting. Times are the process's CPU
 * time (CLOCK_PROCESS_CPUTIME_ID), as in decoder-bench. */
#include <Zydis/Zydis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct { size_t count, bad; unsigned long long sum; } Pass;

static Pass pass_minimal(const ZydisDecoder *d, const unsigned char *buf, size_t n) {
    Pass p = {0, 0, 0};
    ZydisDecoderContext ctx;
    ZydisDecodedInstruction ins;
    size_t off = 0;
    while (off < n) {
        if (ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(d, &ctx, buf + off, n - off, &ins))) {
            off += ins.length;
            p.count++;
            p.sum += (unsigned long long)ins.mnemonic + ins.operand_count;
        } else {
            off++;
            p.bad++;
        }
    }
    return p;
}

static Pass pass_full(const ZydisDecoder *d, const unsigned char *buf, size_t n) {
    Pass p = {0, 0, 0};
    ZydisDecodedInstruction ins;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    size_t off = 0;
    while (off < n) {
        if (ZYAN_SUCCESS(ZydisDecoderDecodeFull(d, buf + off, n - off, &ins, ops))) {
            off += ins.length;
            p.count++;
            p.sum += (unsigned long long)ins.mnemonic + ins.operand_count + ops[0].size;
        } else {
            off++;
            p.bad++;
        }
    }
    return p;
}

static void run(const char *name, Pass (*fn)(const ZydisDecoder *, const unsigned char *, size_t),
                const ZydisDecoder *d, const unsigned char *buf, size_t n, double seconds) {
    fn(d, buf, n); /* warm-up */
    size_t passes = 0, count = 0, bad = 0;
    unsigned long long sum = 0;
    double start = now(), elapsed;
    do {
        Pass p = fn(d, buf, n);
        count += p.count; bad += p.bad; sum += p.sum;
        passes++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    printf("%s: %.0f instructions/s, %.1f MB/s (%zu instructions and %zu undecodable bytes per pass, "
           "%zu passes in %.2f s, checksum %llu)\n",
           name, (double)count / elapsed, (double)n * (double)passes / elapsed / 1e6, count / passes,
           bad / passes, passes, elapsed, sum);
}

int main(int argc, char **argv) {
    const char *path = NULL;
    int mode = 64;
    double seconds = 2.0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mode") && i + 1 < argc) mode = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else path = argv[i];
    }
    if (!path) { fprintf(stderr, "usage: zydis-bench FILE [--mode 16|32|64] [--seconds S]\n"); return 2; }
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", path); return 2; }
    fclose(f);

    ZydisMachineMode mm = mode == 64 ? ZYDIS_MACHINE_MODE_LONG_64
                        : mode == 32 ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LEGACY_16;
    ZydisStackWidth sw = mode == 64 ? ZYDIS_STACK_WIDTH_64 : mode == 32 ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_16;
    ZydisDecoder minimal, full;
    if (!ZYAN_SUCCESS(ZydisDecoderInit(&minimal, mm, sw)) || !ZYAN_SUCCESS(ZydisDecoderInit(&full, mm, sw))) {
        fprintf(stderr, "ZydisDecoderInit failed\n");
        return 1;
    }
    ZydisDecoderEnableMode(&minimal, ZYDIS_DECODER_MODE_MINIMAL, ZYAN_TRUE);
    run("zydis-minimal", pass_minimal, &minimal, buf, (size_t)size, seconds);
    run("zydis-full", pass_full, &full, buf, (size_t)size, seconds);
    free(buf);
    return 0;
}
