; SSE/SSE2 floating point in 64-bit mode: computes with doubles (and some singles) and checks every
; result bit for bit, together with the MXCSR flags and the exceptions.
; Run: popek run --flat ssefloat64.bin --mode 64 --load-address 0x8000
; Checks: ADDSD/SUBSD/MULSD/DIVSD/SQRTSD under the four rounding controls; a harmonic sum and 20!;
; CVTSI2SD, CVTSD2SI (round to nearest even), CVTTSD2SI, the integer indefinite; CVTSS2SD/CVTSD2SS;
; COMISD/UCOMISD flags, NaN and IE; MINSD/MAXSD with NaNs; the default NaN and SNaN quieting; masked
; ZE/OE/UE/PE responses, FTZ and DAZ; packed ADDPD/MULPD/CVTPS2PD/CVTPD2PS/CMPPD; HADDPD and ADDSUBPD
; (SSE3), ROUNDSD and DPPD (SSE4.1); unmasked exceptions raising #XM with the destination unchanged,
; #UD without CR4.OSXMMEXCPT; #GP for a misaligned packed operand; sticky flags in MXCSR.
bits 64
org 0x8000
%include "common.inc"
    jmp start
%include "simd64.inc"

; CHECK_XMM_LO xmm, imm64, check: the low quadword of an XMM register (clobbers RAX, RBX).
%macro CHECK_XMM_LO 3
    movq rbx, %1
    mov rax, %2
    cmp rbx, rax
    je %%ok
    FAIL %3
%%ok:
%endmacro

; CHECK_XMM_HI xmm, imm64, check: the high quadword (clobbers RAX, RBX, XMM15).
%macro CHECK_XMM_HI 3
    movhlps xmm15, %1
    movq rbx, xmm15
    mov rax, %2
    cmp rbx, rax
    je %%ok
    FAIL %3
%%ok:
%endmacro

; MXCSR_SET value: load MXCSR.
%macro MXCSR_SET 1
    mov dword [mx], %1
    ldmxcsr [mx]
%endmacro

; CHECK_FLAGS value, check: MXCSR's six flags must be exactly `value`; then clears them.
%macro CHECK_FLAGS 2
    stmxcsr [mx]
    mov eax, [mx]
    and eax, 0x3F
    cmp eax, %1
    je %%ok
    FAIL %2
%%ok:
    and dword [mx], ~0x3F
    ldmxcsr [mx]
%endmacro

; LOADQ xmm, imm64: the low quadword (high cleared; clobbers RAX).
%macro LOADQ 2
    mov rax, %2
    movq %1, rax
%endmacro

ONE   equ 0x3FF0000000000000
TWO   equ 0x4000000000000000
THREE equ 0x4008000000000000
PINF  equ 0x7FF0000000000000
QNAN  equ 0x7FF8000000000001
SNAN  equ 0x7FF0000000000005
INDEF equ 0xFFF8000000000000

start:
    mov rsp, 0x7F000
    call setup_idt
    SET_CR4 0x600                    ; OSFXSR, OSXMMEXCPT

    ; --- CPUID: the lead sets SSE/SSE2; only check what this program needs if they are advertised
    MXCSR_SET 0x1F80

    ; --- basic arithmetic, round to nearest
    LOADQ xmm0, ONE
    LOADQ xmm1, TWO
    addsd xmm0, xmm1
    CHECK_XMM_LO xmm0, THREE, 1
    CHECK_FLAGS 0, 2
    LOADQ xmm0, ONE
    LOADQ xmm1, THREE
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x3FD5555555555555, 3
    CHECK_FLAGS 0x20, 4              ; PE
    LOADQ xmm0, TWO
    sqrtsd xmm0, xmm0
    CHECK_XMM_LO xmm0, 0x3FF6A09E667F3BCD, 5
    CHECK_FLAGS 0x20, 6
    LOADQ xmm0, THREE
    LOADQ xmm1, TWO
    subsd xmm0, xmm1
    mulsd xmm0, xmm1
    CHECK_XMM_LO xmm0, TWO, 7
    CHECK_FLAGS 0, 8

    ; --- 1/3 under each rounding control
    MXCSR_SET 0x3F80                 ; down
    LOADQ xmm0, ONE
    LOADQ xmm1, THREE
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x3FD5555555555555, 9
    MXCSR_SET 0x5F80                 ; up
    LOADQ xmm0, ONE
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x3FD5555555555556, 10
    MXCSR_SET 0x7F80                 ; toward zero
    mov rax, 0xBFF0000000000000      ; -1/3
    movq xmm0, rax
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0xBFD5555555555555, 11
    MXCSR_SET 0x3F80                 ; down: -1/3 rounds away from zero
    mov rax, 0xBFF0000000000000
    movq xmm0, rax
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0xBFD5555555555556, 12
    ; x - x is -0 when rounding down, +0 otherwise
    LOADQ xmm0, THREE
    subsd xmm0, xmm0
    CHECK_XMM_LO xmm0, 0x8000000000000000, 13
    MXCSR_SET 0x1F80
    LOADQ xmm0, THREE
    subsd xmm0, xmm0
    CHECK_XMM_LO xmm0, 0, 14

    ; --- harmonic sum 1/1 + ... + 1/10 and 20! by repeated operations
    xorpd xmm0, xmm0                 ; sum
    mov ecx, 1
.harmonic:
    cvtsi2sd xmm2, ecx
    LOADQ xmm1, ONE
    divsd xmm1, xmm2
    addsd xmm0, xmm1
    inc ecx
    cmp ecx, 10
    jbe .harmonic
    CHECK_XMM_LO xmm0, 0x40076E86E86E86E8, 15
    LOADQ xmm0, ONE
    mov rcx, 1
.factorial:
    cvtsi2sd xmm1, rcx
    mulsd xmm0, xmm1
    inc rcx
    cmp rcx, 20
    jbe .factorial
    CHECK_XMM_LO xmm0, 0x43C0E1B3BE415A00, 16
    cvttsd2si rax, xmm0
    mov rbx, 2432902008176640000
    cmp rax, rbx
    je .fact_ok
    FAIL 17
.fact_ok:
    CHECK_FLAGS 0x20, 18

    ; --- conversions to integers
    LOADQ xmm0, 0x4004000000000000   ; 2.5
    cvtsd2si eax, xmm0
    CHECK_EQ eax, 2, 19               ; nearest even
    LOADQ xmm0, 0x400C000000000000   ; 3.5
    cvtsd2si eax, xmm0
    CHECK_EQ eax, 4, 20
    LOADQ xmm0, 0xC004000000000000   ; -2.5
    cvttsd2si eax, xmm0
    CHECK_EQ eax, -2, 21
    CHECK_FLAGS 0x20, 22
    LOADQ xmm0, 0x43E158E460913D00   ; 1e19: beyond int64
    cvtsd2si rax, xmm0
    mov rbx, 0x8000000000000000
    cmp rax, rbx
    je .indef_ok
    FAIL 23
.indef_ok:
    CHECK_FLAGS 0x01, 24             ; IE only
    LOADQ xmm0, QNAN
    cvttsd2si eax, xmm0
    CHECK_EQ eax, 0x80000000, 25
    CHECK_FLAGS 0x01, 26

    ; --- single <-> double
    mov eax, 0x3DCCCCCD              ; 0.1f
    movd xmm0, eax
    cvtss2sd xmm1, xmm0
    CHECK_XMM_LO xmm1, 0x3FB99999A0000000, 27
    CHECK_FLAGS 0, 28
    LOADQ xmm0, 0x3FB999999999999A   ; 0.1
    cvtsd2ss xmm1, xmm0
    movd eax, xmm1
    CHECK_EQ eax, 0x3DCCCCCD, 29
    CHECK_FLAGS 0x20, 30
    LOADQ xmm0, 0x47F0000000000000   ; 2^128: overflows binary32
    cvtsd2ss xmm1, xmm0
    movd eax, xmm1
    CHECK_EQ eax, 0x7F800000, 31
    CHECK_FLAGS 0x28, 32             ; OE, PE

    ; --- comparisons: COMISD/UCOMISD set ZF, PF, CF and clear OF, SF, AF
    LOADQ xmm0, ONE
    LOADQ xmm1, TWO
    comisd xmm0, xmm1
    jnc .c_bad                        ; 1 < 2: CF
    jz .c_bad
    jp .c_bad
    comisd xmm1, xmm0
    jc .c_bad
    jz .c_bad
    comisd xmm0, xmm0
    jnz .c_bad
    jc .c_bad
    CHECK_FLAGS 0, 33
    LOADQ xmm1, QNAN
    ucomisd xmm0, xmm1               ; unordered: ZF PF CF, no IE for a QNaN
    jnz .c_bad
    jnp .c_bad
    jnc .c_bad
    CHECK_FLAGS 0, 34
    comisd xmm0, xmm1                ; COMISD signals on a QNaN
    CHECK_FLAGS 0x01, 35
    mov eax, 0x8D5                   ; OF SF AF cleared
    push rax
    popfq
    comisd xmm0, xmm0
    pushfq
    pop rax
    and eax, 0x8D5
    CHECK_EQ eax, 0x40, 36
    jmp .c_ok
.c_bad:
    FAIL 37
.c_ok:

    ; --- MINSD/MAXSD: the second operand for NaNs and for two zeros
    LOADQ xmm0, QNAN
    LOADQ xmm1, ONE
    minsd xmm0, xmm1
    CHECK_XMM_LO xmm0, ONE, 38
    LOADQ xmm0, ONE
    LOADQ xmm1, QNAN
    maxsd xmm0, xmm1
    CHECK_XMM_LO xmm0, QNAN, 39
    CHECK_FLAGS 0x01, 40
    LOADQ xmm0, 0
    LOADQ xmm1, 0x8000000000000000
    minsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x8000000000000000, 41
    LOADQ xmm0, TWO
    LOADQ xmm1, THREE
    maxsd xmm0, xmm1
    CHECK_XMM_LO xmm0, THREE, 42
    CHECK_FLAGS 0, 43

    ; --- NaNs: the default NaN for invalid operations, SNaN quieted with IE, first operand wins
    LOADQ xmm0, 0
    LOADQ xmm1, PINF
    mulsd xmm0, xmm1
    CHECK_XMM_LO xmm0, INDEF, 44
    CHECK_FLAGS 0x01, 45
    LOADQ xmm0, 0xBFF0000000000000
    sqrtsd xmm0, xmm0
    CHECK_XMM_LO xmm0, INDEF, 46
    CHECK_FLAGS 0x01, 47
    LOADQ xmm0, SNAN
    LOADQ xmm1, ONE
    addsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x7FF8000000000005, 48
    CHECK_FLAGS 0x01, 49
    LOADQ xmm0, QNAN
    LOADQ xmm1, 0xFFF8000000000002
    addsd xmm0, xmm1
    CHECK_XMM_LO xmm0, QNAN, 50
    CHECK_FLAGS 0, 51

    ; --- masked exceptions: ZE, OE, UE, DE; FTZ and DAZ
    LOADQ xmm0, ONE
    LOADQ xmm1, 0x8000000000000000
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0xFFF0000000000000, 52
    CHECK_FLAGS 0x04, 53
    LOADQ xmm0, 0x7FE0000000000000
    addsd xmm0, xmm0
    CHECK_XMM_LO xmm0, PINF, 54
    CHECK_FLAGS 0x28, 55
    MXCSR_SET 0x7F80                 ; toward zero: overflow gives the largest finite value
    LOADQ xmm0, 0x7FE0000000000000
    addsd xmm0, xmm0
    CHECK_XMM_LO xmm0, 0x7FEFFFFFFFFFFFFF, 56
    MXCSR_SET 0x1F80
    LOADQ xmm0, 0x0010000000000001   ; smallest normal (plus one ulp) / 2: an inexact denormal
    LOADQ xmm1, TWO
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x0008000000000000, 57
    CHECK_FLAGS 0x30, 58             ; UE, PE
    LOADQ xmm0, 0x0010000000000000   ; exact denormal result: no flags
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0x0008000000000000, 59
    CHECK_FLAGS 0, 60
    addsd xmm0, xmm1                 ; a denormal operand: DE (and PE)
    CHECK_XMM_LO xmm0, TWO, 61
    CHECK_FLAGS 0x22, 62
    MXCSR_SET 0x9F80                 ; FTZ
    LOADQ xmm0, 0x0010000000000001
    divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0, 63
    CHECK_FLAGS 0x30, 64
    MXCSR_SET 0x1FC0                 ; DAZ
    LOADQ xmm0, 0x0008000000000000
    LOADQ xmm1, 0x8000000000000000
    addsd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0, 65         ; +0 + -0 = +0
    CHECK_FLAGS 0, 66                ; no DE
    MXCSR_SET 0x1F80

    ; --- packed operations
    mov rax, ONE
    mov [vec_a], rax
    mov rax, 0xC000000000000000      ; -2
    mov [vec_a + 8], rax
    mov rax, 0x3FF8000000000000      ; 1.5
    mov [vec_b], rax
    mov rax, 0x4010000000000000      ; 4
    mov [vec_b + 8], rax
    movapd xmm0, [vec_a]
    addpd xmm0, [vec_b]
    CHECK_XMM_LO xmm0, 0x4004000000000000, 67   ; 2.5
    CHECK_XMM_HI xmm0, TWO, 68
    movapd xmm0, [vec_a]
    mulpd xmm0, [vec_b]
    CHECK_XMM_LO xmm0, 0x3FF8000000000000, 69
    CHECK_XMM_HI xmm0, 0xC020000000000000, 70   ; -8
    movapd xmm0, [vec_a]
    cmppd xmm0, [vec_b], 1           ; LT
    CHECK_XMM_LO xmm0, 0xFFFFFFFFFFFFFFFF, 71
    CHECK_XMM_HI xmm0, 0xFFFFFFFFFFFFFFFF, 72
    movapd xmm0, [vec_a]
    haddpd xmm0, [vec_b]             ; (1 + -2, 1.5 + 4)
    CHECK_XMM_LO xmm0, 0xBFF0000000000000, 73
    CHECK_XMM_HI xmm0, 0x4016000000000000, 74   ; 5.5
    movapd xmm0, [vec_a]
    addsubpd xmm0, [vec_b]           ; (1 - 1.5, -2 + 4)
    CHECK_XMM_LO xmm0, 0xBFE0000000000000, 75
    CHECK_XMM_HI xmm0, TWO, 76
    movapd xmm0, [vec_a]
    dppd xmm0, [vec_b], 0x31         ; 1*1.5 + -2*4 = -6.5 in the low element only
    CHECK_XMM_LO xmm0, 0xC01A000000000000, 77
    CHECK_XMM_HI xmm0, 0, 78
    CHECK_FLAGS 0, 79
    mov rax, 0x3F800000BF000000      ; (-0.5f, 1.0f)
    movq xmm1, rax
    cvtps2pd xmm0, xmm1
    CHECK_XMM_LO xmm0, 0xBFE0000000000000, 80
    CHECK_XMM_HI xmm0, ONE, 81
    cvtpd2ps xmm2, xmm0
    CHECK_XMM_LO xmm2, 0x3F800000BF000000, 82
    CHECK_XMM_HI xmm2, 0, 83

    ; --- ROUNDSD: the immediate's rounding mode, MXCSR.RC with bit 2, PE suppressed with bit 3
    LOADQ xmm1, 0xC004000000000000   ; -2.5
    roundsd xmm0, xmm1, 0            ; nearest: -2
    CHECK_XMM_LO xmm0, 0xC000000000000000, 84
    roundsd xmm0, xmm1, 1            ; down: -3
    CHECK_XMM_LO xmm0, 0xC008000000000000, 85
    roundsd xmm0, xmm1, 2            ; up: -2
    CHECK_XMM_LO xmm0, 0xC000000000000000, 86
    CHECK_FLAGS 0x20, 87
    roundsd xmm0, xmm1, 0x0B         ; toward zero, no PE
    CHECK_XMM_LO xmm0, 0xC000000000000000, 88
    CHECK_FLAGS 0, 89
    MXCSR_SET 0x3F80
    roundsd xmm0, xmm1, 4            ; MXCSR.RC = down: -3
    CHECK_XMM_LO xmm0, 0xC008000000000000, 90
    MXCSR_SET 0x1F80
    LOADQ xmm1, 0xBFD0000000000000   ; -0.25 rounds to -0
    roundsd xmm0, xmm1, 0x8
    CHECK_XMM_LO xmm0, 0x8000000000000000, 91

    ; --- unmasked exceptions: #XM, destination unchanged, flag set
    MXCSR_SET 0x1D80                 ; ZE unmasked
    LOADQ xmm0, ONE
    xorpd xmm1, xmm1
    EXPECT 19, 92, divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, ONE, 93
    CHECK_FLAGS 0x04, 94
    MXCSR_SET 0x1F00                 ; IE unmasked: COMISD with a QNaN leaves RFLAGS alone
    LOADQ xmm1, QNAN
    xor eax, eax                     ; ZF=1 PF=1 CF=0
    EXPECT 19, 95, comisd xmm0, xmm1
    CHECK_FLAGS 0x01, 96
    MXCSR_SET 0x0F80                 ; PE unmasked
    LOADQ xmm0, ONE
    LOADQ xmm1, THREE
    EXPECT 19, 97, divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, ONE, 98
    CHECK_FLAGS 0x20, 99
    ; packed: one element invalid, unmasked; the other would be inexact: only IE is reported
    MXCSR_SET 0x1F00
    mov rax, 0
    mov [vec_a], rax
    mov rax, ONE
    mov [vec_a + 8], rax
    mov rax, 0
    mov [vec_b], rax
    mov rax, THREE
    mov [vec_b + 8], rax
    movapd xmm0, [vec_a]
    EXPECT 19, 100, divpd xmm0, [vec_b]
    CHECK_XMM_HI xmm0, ONE, 101
    CHECK_FLAGS 0x01, 102
    ; without CR4.OSXMMEXCPT the unmasked exception is #UD
    CLEAR_CR4 0x400
    MXCSR_SET 0x1D80
    LOADQ xmm0, ONE
    xorpd xmm1, xmm1
    EXPECT 6, 103, divsd xmm0, xmm1
    CHECK_XMM_LO xmm0, ONE, 104
    SET_CR4 0x400
    CHECK_FLAGS 0x04, 105
    MXCSR_SET 0x1F80

    ; --- alignment: a misaligned 16-byte operand is #GP(0); scalar operands need none
    EXPECT 13, 106, addpd xmm0, [vec_a + 8]
    NOFAULT 107, addsd xmm0, [vec_a + 8]

    ; --- flags are sticky across instructions
    LOADQ xmm0, ONE
    LOADQ xmm1, THREE
    divsd xmm0, xmm1                 ; PE
    xorpd xmm1, xmm1
    divsd xmm0, xmm1                 ; ZE
    stmxcsr [mx]
    mov eax, [mx]
    CHECK_EQ eax, 0x1FA4, 108

    PASS

align 16
vec_a: dq 0, 0
vec_b: dq 0, 0
mx: dd 0
