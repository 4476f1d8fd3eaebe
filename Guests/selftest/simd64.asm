; FPU/SIMD architectural controls and state management in 64-bit mode.
; Run: popek run --flat simd64.bin --mode 64 --load-address 0x8000
; Checks: CPUID (MMX, FXSR, XSAVE, leaf 0Dh), #UD for SSE without CR4.OSFXSR and with CR0.EM, #NM for
; x87/MMX/SSE/FXSAVE with CR0.TS (lazy switching with CLTS and restart; FWAIT only with CR0.MP), #GP
; for misaligned 16-byte operands and misaligned FXSAVE/XSAVE areas, FXSAVE/FXRSTOR and XSAVE/XSAVEC/
; XSAVEOPT/XSAVES/XRSTOR round trips with the image layout, XSTATE_BV/XCOMP_BV and the init
; optimization, XRSTOR header checks, XSETBV/XGETBV, LDMXCSR/FXRSTOR reserved-bit #GP, MMX aliasing of
; the x87 tags and TOP, EMMS, and a pending x87 exception raising #MF at FWAIT with CR0.NE.
bits 64
org 0x8000
%include "common.inc"
    jmp start
%include "simd64.inc"

AREA  equ 0x30000     ; 512-byte FXSAVE areas (16-aligned), 4 KiB apart
AREA2 equ 0x31000
XAREA equ 0x32000     ; XSAVE areas (64-aligned)
XAREA2 equ 0x33000

start:
    mov rsp, 0x7F000
    call setup_idt

    ; --- CPUID
    mov eax, 1
    cpuid
    test edx, 1 << 23                ; MMX
    jnz .mmx
    FAIL 1
.mmx:
    test edx, 1 << 24                ; FXSR
    jnz .fxsr
    FAIL 2
.fxsr:
    test ecx, 1 << 26                ; XSAVE
    jnz .xsave
    FAIL 3
.xsave:
    test ecx, 1 << 27                ; OSXSAVE follows CR4, clear for now
    jz .noosx
    FAIL 4
.noosx:
    mov eax, 0xD
    xor ecx, ecx
    cpuid
    CHECK_EQ eax, 3, 5
    CHECK_EQ ebx, 576, 6
    CHECK_EQ ecx, 576, 7

    ; --- SSE needs CR4.OSFXSR; MMX and FXSAVE do not
    EXPECT 6, 8, movdqa xmm0, xmm1
    EXPECT 6, 9, ldmxcsr [mxcsr_default]
    NOFAULT 10, paddb mm0, mm1
    NOFAULT 11, fxsave [AREA]
    SET_CR4 0x600                    ; OSFXSR, OSXMMEXCPT
    NOFAULT 12, movdqa xmm0, xmm1

    ; --- alignment of 16-byte memory operands (legacy SSE)
    EXPECT 13, 13, movdqa xmm0, [pattern + 8]
    CHECK_EQ qword [last_error], 0, 14
    NOFAULT 15, movdqu xmm0, [pattern + 8]
    EXPECT 13, 16, paddb xmm0, [pattern + 8]
    NOFAULT 17, movq xmm0, [pattern + 8]
    NOFAULT 18, pcmpistri xmm0, [pattern + 8], 0
    EXPECT 13, 19, movaps [pattern + 8], xmm0
    NOFAULT 20, pmovzxbw xmm0, [pattern + 1]
    EXPECT 13, 21, ptest xmm0, [pattern + 4]
    NOFAULT 22, lddqu xmm0, [pattern + 3]

    ; --- CR0.EM: SSE and MMX #UD, x87 and FXSAVE #NM, FWAIT unaffected
    SET_CR0 4
    EXPECT 6, 23, pxor xmm0, xmm0
    EXPECT 6, 24, pxor mm0, mm0
    EXPECT 7, 25, fninit
    EXPECT 7, 26, fxsave [AREA]
    NOFAULT 27, fwait
    CLEAR_CR0 4

    ; --- CR0.TS: lazy switching. The handler clears TS and restarts the instruction.
    mov byte [lazy], 1
    mov qword [nm_count], 0
    SET_CR0 8
    movdqa xmm2, [pattern]
    CHECK_EQ qword [nm_count], 1, 28
    movq rax, xmm2
    CHECK_Q64 rax, 0x0706050403020100, 29
    SET_CR0 8
    paddd xmm2, xmm2
    CHECK_EQ qword [nm_count], 2, 30
    SET_CR0 8
    fninit
    CHECK_EQ qword [nm_count], 3, 31
    SET_CR0 8
    emms
    CHECK_EQ qword [nm_count], 4, 32
    SET_CR0 8
    fxsave [AREA]
    CHECK_EQ qword [nm_count], 5, 33
    SET_CR0 8                        ; TS without MP: FWAIT does not fault
    fwait
    CHECK_EQ qword [nm_count], 5, 34
    SET_CR0 2                        ; MP and TS: it does
    fwait
    CHECK_EQ qword [nm_count], 6, 35
    CLEAR_CR0 2
    mov byte [lazy], 0

    ; --- FXSAVE image
    fninit
    fld1
    fldpi
    fldz                             ; TOP = 5: R5 = 0, R6 = pi, R7 = 1
    ldmxcsr [mxcsr_rc]
    lea rsi, [rel pattern]
    movdqa xmm0, [rsi]
    movdqa xmm5, [rsi + 16]
    movdqa xmm15, [rsi + 32]
    fxsave [AREA]
    CHECK_EQ word [AREA], 0x037F, 36
    CHECK_EQ word [AREA + 2], 0x2800, 37
    CHECK_EQ byte [AREA + 4], 0xE0, 38
    CHECK_EQ dword [AREA + 24], 0x7F80, 39
    CHECK_EQ dword [AREA + 28], 0xFFFF, 40
    CHECK_EQ qword [AREA + 32], 0, 41            ; ST0 = +0
    CHECK_Q64 qword [AREA + 48], 0xC90FDAA22168C235, 42
    CHECK_EQ word [AREA + 56], 0x4000, 43
    CHECK_Q64 qword [AREA + 64], 0x8000000000000000, 44
    CHECK_EQ word [AREA + 72], 0x3FFF, 45
    mov rax, [rsi + 16]
    CHECK_EQ qword [AREA + 160 + 5*16], rax, 46
    mov rax, [rsi + 40]
    CHECK_EQ qword [AREA + 160 + 15*16 + 8], rax, 47

    ; clobber, FXRSTOR, FXSAVE again: identical images
    fninit
    pxor xmm0, xmm0
    pxor xmm5, xmm5
    pxor xmm15, xmm15
    ldmxcsr [mxcsr_default]
    fxrstor [AREA]
    fxsave [AREA2]
    mov rsi, AREA
    mov rdi, AREA2
    mov ecx, 416
    repe cmpsb
    je .fx_same
    FAIL 48
.fx_same:
    fnstsw ax
    CHECK_EQ ax, 0x2800, 49
    movq rax, xmm15
    CHECK_EQ rax, [pattern + 32], 50

    ; FXRSTOR: reserved MXCSR bits #GP, nothing loaded; misaligned areas #GP
    mov dword [AREA2 + 24], 0x10000
    fninit
    EXPECT 13, 51, fxrstor [AREA2]
    fnstsw ax
    CHECK_EQ ax, 0, 52
    EXPECT 13, 53, fxsave [AREA + 8]
    EXPECT 13, 54, ldmxcsr [mxcsr_bad]
    stmxcsr [scratch]
    CHECK_EQ dword [scratch], 0x7F80, 55   ; as FXRSTOR left it

    ; --- MMX aliasing: TOP = 0 and all tags valid; the register's exponent becomes all ones; EMMS empties
    fninit
    fld1                             ; TOP = 7
    mov rax, 0x1122334455667788
    movq mm3, rax
    fnstsw ax
    CHECK_EQ ax, 0, 56
    fxsave [AREA]
    CHECK_EQ byte [AREA + 4], 0xFF, 57
    CHECK_Q64 qword [AREA + 32 + 3*16], 0x1122334455667788, 58
    CHECK_EQ word [AREA + 32 + 3*16 + 8], 0xFFFF, 59
    emms
    fxsave [AREA]
    CHECK_EQ byte [AREA + 4], 0, 60
    fnstenv [scratch]
    CHECK_EQ word [scratch + 8], 0xFFFF, 61

    ; --- XSAVE feature set: #UD until CR4.OSXSAVE
    xor edx, edx
    mov eax, 3
    EXPECT 6, 62, xsave [XAREA]
    EXPECT 6, 63, xgetbv
    SET_CR4 0x40000
    mov eax, 1
    cpuid
    test ecx, 1 << 27
    jnz .osxsave
    FAIL 64
.osxsave:
    xor ecx, ecx
    xgetbv
    CHECK_EQ eax, 1, 65
    xor ecx, ecx
    xor edx, edx
    mov eax, 2                       ; x87 must stay enabled
    EXPECT 13, 66, xsetbv
    mov eax, 7                       ; AVX is not supported
    EXPECT 13, 67, xsetbv
    mov ecx, 1
    mov eax, 3
    EXPECT 13, 68, xsetbv
    xor ecx, ecx
    mov eax, 3
    xsetbv
    xgetbv
    CHECK_EQ eax, 3, 69

    ; XSAVE of a live state: XSTATE_BV = 3, the legacy region as FXSAVE writes it
    fninit
    fldpi
    lea rsi, [rel pattern]
    movdqa xmm7, [rsi + 16]
    mov rdi, XAREA
    mov ecx, 576/8
    xor eax, eax
    rep stosq
    mov qword [XAREA + 512], 0x80    ; bits outside RFBM are kept
    xor edx, edx
    mov eax, 3
    xsave [XAREA]
    CHECK_EQ qword [XAREA + 512], 0x83, 70
    CHECK_EQ qword [XAREA + 520], 0, 71
    fxsave [AREA]
    mov rsi, AREA
    mov rdi, XAREA
    mov ecx, 416
    repe cmpsb
    je .xs_same
    FAIL 72
.xs_same:
    mov qword [XAREA + 512], 3
    ; XRSTOR after clobbering
    fninit
    pxor xmm7, xmm7
    xor edx, edx
    mov eax, 3
    xrstor [XAREA]
    fnstsw ax
    CHECK_EQ ax, 0x3800, 73
    movq rax, xmm7
    CHECK_EQ rax, [pattern + 16], 74

    ; XSAVEC: compacted header, XCOMP_BV = RFBM | bit 63
    xor edx, edx
    mov eax, 3
    xsavec [XAREA2]
    CHECK_EQ qword [XAREA2 + 512], 3, 75
    CHECK_Q64 qword [XAREA2 + 520], 0x8000000000000003, 76

    ; XRSTOR with XSTATE_BV = 0 (standard form) initializes both components; MXCSR still loaded
    mov rdi, XAREA2
    mov ecx, 576/8
    xor eax, eax
    rep stosq
    mov dword [XAREA2 + 24], 0x1F80
    xor edx, edx
    mov eax, 3
    xrstor [XAREA2]
    fnstcw [scratch]
    CHECK_EQ word [scratch], 0x037F, 77
    fnstsw ax
    CHECK_EQ ax, 0, 78
    movq rax, xmm7
    CHECK_EQ rax, 0, 79
    ; everything is now in its initial configuration: XSAVEC saves nothing (init optimization)
    xor edx, edx
    mov eax, 3
    xsavec [XAREA2]
    CHECK_EQ qword [XAREA2 + 512], 0, 80
    ; compacted XRSTOR of SSE only: XMM loaded, x87 (RFBM[0], XSTATE_BV[0] = 0) initialized
    fld1
    movdqa xmm1, [pattern]
    mov qword [XAREA + 512], 2
    mov rax, 0x8000000000000003
    mov [XAREA + 520], rax
    xor edx, edx
    mov eax, 3
    xrstor [XAREA]
    fnstsw ax
    CHECK_EQ ax, 0, 81
    movq rax, xmm7
    CHECK_EQ rax, [pattern + 16], 82
    ; compacted form with XSTATE_BV[1] = 0: MXCSR initialized
    ldmxcsr [mxcsr_rc]
    mov qword [XAREA + 512], 0
    xor edx, edx
    mov eax, 2
    xrstor [XAREA]
    stmxcsr [scratch]
    CHECK_EQ dword [scratch], 0x1F80, 83

    ; XRSTOR header checks: #GP
    mov qword [XAREA + 520], 0
    mov qword [XAREA + 528], 1       ; standard form: bytes 23:16 must be zero
    xor edx, edx
    mov eax, 3
    EXPECT 13, 84, xrstor [XAREA]
    mov qword [XAREA + 528], 0
    mov qword [XAREA + 512], 4       ; XSTATE_BV outside XCR0
    EXPECT 13, 85, xrstor [XAREA]
    mov qword [XAREA + 512], 3
    mov rax, 0x8000000000000001
    mov [XAREA + 520], rax           ; compacted: XSTATE_BV not within XCOMP_BV
    EXPECT 13, 86, xrstor [XAREA]
    mov qword [XAREA + 520], 0
    EXPECT 13, 87, xsave [XAREA + 16]
    EXPECT 13, 88, xrstor [XAREA + 32]

    ; XSAVEOPT: standard format, init components not written
    fninit
    fld1
    xor edx, edx
    mov eax, 3
    xsaveopt [XAREA]
    CHECK_EQ qword [XAREA + 512], 1, 89   ; the XMM registers are all zero: SSE not in use
    ; XSAVES/XRSTORS (CPL 0) and IA32_XSS
    xor edx, edx
    mov eax, 3
    xsaves [XAREA2]
    CHECK_Q64 qword [XAREA2 + 520], 0x8000000000000003, 90
    fninit
    xrstors [XAREA2]
    fnstsw ax
    CHECK_EQ ax, 0x3800, 91
    mov ecx, 0xDA0
    rdmsr
    CHECK_EQ eax, 0, 92
    mov eax, 1
    xor edx, edx
    EXPECT 13, 93, wrmsr

    ; --- a pending unmasked x87 exception: #MF at the next waiting instruction (CR0.NE)
    SET_CR0 0x20
    fninit
    fldcw [cw_unmask_ie]
    fstp st0                         ; stack underflow: IE and SF, ES; no fault yet
    fnstsw ax                        ; no-wait: no fault
    and ax, 0x80C1
    CHECK_EQ ax, 0x80C1, 94
    EXPECT 16, 95, fwait
    EXPECT 16, 96, fld1
    fnclex
    NOFAULT 97, fwait
    ; with CR0.NE clear the exception is not reported as #MF (FERR# is not wired)
    CLEAR_CR0 0x20
    fstp st0
    NOFAULT 98, fwait
    fninit
    PASS

align 16
pattern:
%assign i 0
%rep 48
    db i
%assign i i+1
%endrep
mxcsr_default: dd 0x1F80
mxcsr_rc: dd 0x7F80
mxcsr_bad: dd 0x11F80
cw_unmask_ie: dw 0x037E
align 16
scratch: times 32 db 0
