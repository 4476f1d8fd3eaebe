; x87 state and data-movement instructions (no arithmetic) in 32-bit protected mode.
; Run: popek run --flat fpu32.bin --mode 32 --load-address 0x8000
; Checks: FNINIT, FNSTENV/FLDENV in the 32- and 16-bit protected-mode formats (reserved halves, tag word
; from the contents, FIP/FOP/FDP, deprecated FCS/FDS, exceptions masked after FNSTENV), FNSAVE/FRSTOR,
; FLD/FSTP m80 as bit copies, the load-constant instructions under each rounding mode, FXCH,
; FLD/FST/FSTP ST(i), FCHS/FABS, FXAM, FTST, masked stack overflow, FFREE/FINCSTP/FDECSTP, FCMOVcc,
; FXSAVE saving XMM0-7 only, and MMX/SSE moves outside 64-bit mode.
bits 32
org 0x8000
%include "common.inc"

IDT equ 0x21000

%macro EXPECT 3+
    mov dword [resume], %%after
    mov dword [last_vector], -1
    %3
%%after:
    CHECK_EQ dword [last_vector], %1, %2
%endmacro

; CHECK_EXT addr, significand-high, significand-low, sign+exponent, check: a 10-byte value in memory.
%macro CHECK_EXT 5
    CHECK_EQ dword [%1 + 4], %2, %5
    CHECK_EQ dword [%1], %3, %5
    CHECK_EQ word [%1 + 8], %4, %5
%endmacro

; CONST instruction, control word, significand-high, significand-low, exponent, check
%macro CONST 6
    fninit
    mov word [scratch], %2
    fldcw [scratch]
    %1
    fstp tword [out]
    CHECK_EXT out, %3, %4, %5, %6
%endmacro

; FXAM_IS class (C3 C2 C0 as FSW bits), check: classify ST(0), C1 ignored
%macro FXAM_IS 2
    fxam
    fnstsw ax
    and ax, 0x4500
    CHECK_EQ ax, %1, %2
%endmacro

start:
    mov esp, 0x7F000
    call setup_idt
    mov eax, cr0
    or eax, 0x20                     ; NE
    mov cr0, eax
    mov eax, cr4
    or eax, 0x600                    ; OSFXSR, OSXMMEXCPT
    mov cr4, eax

    ; --- FNINIT and the 32-bit protected-mode environment
    fninit
    fnstenv [env]
    CHECK_EQ dword [env], 0xFFFF037F, 1
    CHECK_EQ dword [env + 4], 0xFFFF0000, 2
    CHECK_EQ dword [env + 8], 0xFFFFFFFF, 3
    CHECK_EQ dword [env + 12], 0, 4
    CHECK_EQ dword [env + 16], 0, 5
    CHECK_EQ dword [env + 20], 0, 6
    CHECK_EQ dword [env + 24], 0xFFFF0000, 7
fld_at:
    fld tword [ext_one]              ; DB 2D disp32: FOP = 32Dh
    fldz
    fnstenv [env]
    CHECK_EQ dword [env + 12], fld_at + 6, 8   ; FLDZ is the last non-control instruction
    CHECK_EQ word [env + 18], 0x1EE, 9         ; D9 EE
    CHECK_EQ dword [env + 20], ext_one, 10     ; FLDZ has no memory operand: FDP stays
    CHECK_EQ word [env + 16], 0, 11            ; FCS deprecated
    CHECK_EQ word [env + 8], 0x1FFF, 12        ; R6 zero (01), R7 valid (00), others empty
    CHECK_EQ word [env + 4], 0x3000, 13        ; TOP = 6
    mov word [scratch], 0x0360
    fldcw [scratch]
    fnstenv [env]
    fnstcw [scratch]
    CHECK_EQ word [scratch], 0x037F, 14        ; FNSTENV masks all exceptions
    CHECK_EQ word [env], 0x0360, 15
    ; FLDENV: control word (reserved bits forced), status word with TOP, tag word
    mov word [env], 0xFFFF                     ; -> 1F7Fh
    mov word [env + 4], 0x0800                 ; TOP = 1
    mov word [env + 8], 0xFFFF                 ; all empty
    fldenv [env]
    fnstcw [scratch]
    CHECK_EQ word [scratch], 0x1F7F, 16
    fnstsw ax
    CHECK_EQ ax, 0x0800, 17

    ; --- the 16-bit protected-mode format (14 bytes)
    fninit
    fld1
    o16 fnstenv [env16]
    CHECK_EQ word [env16], 0x037F, 18
    CHECK_EQ word [env16 + 2], 0x3800, 19
    CHECK_EQ word [env16 + 4], 0x3FFF, 20
    CHECK_EQ word [env16 + 8], 0, 21           ; FCS
    CHECK_EQ word [env16 + 12], 0, 22          ; FDS

    ; --- FLD/FSTP m80 are bit copies: an SNaN loads without an exception
    fninit
    fld tword [snan]
    fstp tword [out]
    CHECK_EXT out, 0x80000000, 0x00000001, 0x7FFF, 23
    fnstsw ax
    CHECK_EQ ax, 0, 24
    fld tword [unnormal]
    fstp tword [out]
    CHECK_EXT out, 0x12345678, 0x9ABCDEF0, 0x4001, 25

    ; --- constants (RC: 037Fh nearest, 077Fh down, 0B7Fh up, 0F7Fh toward zero)
    CONST fld1, 0x037F, 0x80000000, 0, 0x3FFF, 26
    CONST fldz, 0x037F, 0, 0, 0, 27
    CONST fldpi, 0x037F, 0xC90FDAA2, 0x2168C235, 0x4000, 28
    CONST fldpi, 0x077F, 0xC90FDAA2, 0x2168C234, 0x4000, 29
    CONST fldpi, 0x0F7F, 0xC90FDAA2, 0x2168C234, 0x4000, 30
    CONST fldpi, 0x0B7F, 0xC90FDAA2, 0x2168C235, 0x4000, 31
    CONST fldl2t, 0x037F, 0xD49A784B, 0xCD1B8AFE, 0x4000, 32
    CONST fldl2t, 0x0B7F, 0xD49A784B, 0xCD1B8AFF, 0x4000, 33
    CONST fldl2t, 0x077F, 0xD49A784B, 0xCD1B8AFE, 0x4000, 34
    CONST fldl2e, 0x037F, 0xB8AA3B29, 0x5C17F0BC, 0x3FFF, 35
    CONST fldl2e, 0x077F, 0xB8AA3B29, 0x5C17F0BB, 0x3FFF, 36
    CONST fldlg2, 0x037F, 0x9A209A84, 0xFBCFF799, 0x3FFD, 37
    CONST fldlg2, 0x0F7F, 0x9A209A84, 0xFBCFF798, 0x3FFD, 38
    CONST fldln2, 0x037F, 0xB17217F7, 0xD1CF79AC, 0x3FFE, 39
    CONST fldln2, 0x077F, 0xB17217F7, 0xD1CF79AB, 0x3FFE, 40
    CONST fldln2, 0x0B7F, 0xB17217F7, 0xD1CF79AC, 0x3FFE, 41

    ; --- register copies
    fninit
    fld1
    fldz
    fxch st1
    fstp tword [out]
    CHECK_EXT out, 0x80000000, 0, 0x3FFF, 42
    fstp tword [out]
    CHECK_EXT out, 0, 0, 0, 43
    fninit
    fld1
    fldpi
    fld st1                          ; ST0 = 1
    fstp tword [out]
    CHECK_EXT out, 0x80000000, 0, 0x3FFF, 44
    fst st1                          ; ST1 = pi (ST0 pi, ST1 was 1)
    fstp st0                         ; pop
    fstp tword [out]
    CHECK_EXT out, 0xC90FDAA2, 0x2168C235, 0x4000, 45
    fnstsw ax
    CHECK_EQ ax, 0, 46               ; TOP back to 0, no exceptions

    ; --- sign operations and classification
    fninit
    fld1
    fchs
    fstp tword [out]
    CHECK_EQ word [out + 8], 0xBFFF, 47
    fld tword [out]
    fabs
    fstp tword [out]
    CHECK_EQ word [out + 8], 0x3FFF, 48
    fninit
    FXAM_IS 0x4100, 49               ; empty
    fld1
    FXAM_IS 0x0400, 50               ; normal
    fchs
    fxam
    fnstsw ax
    test ax, 0x200                   ; C1 = sign
    jnz .sign_ok
    FAIL 51
.sign_ok:
    fldz
    FXAM_IS 0x4000, 52               ; zero
    fld tword [infinity]
    FXAM_IS 0x0500, 53               ; infinity
    fld tword [snan]
    FXAM_IS 0x0100, 54               ; NaN
    fld tword [denormal]
    FXAM_IS 0x4400, 55               ; denormal
    fld tword [unnormal]
    FXAM_IS 0x0000, 56               ; unsupported

    ; FTST
    fninit
    fld1
    ftst
    fnstsw ax
    and ax, 0x4700
    CHECK_EQ ax, 0, 57
    fchs
    ftst
    fnstsw ax
    and ax, 0x4500
    CHECK_EQ ax, 0x0100, 58
    fldz
    ftst
    fnstsw ax
    and ax, 0x4500
    CHECK_EQ ax, 0x4000, 59
    fld tword [snan]
    ftst
    fnstsw ax
    and ax, 0x4501
    CHECK_EQ ax, 0x4501, 60          ; unordered, IE (masked)

    ; --- masked stack overflow: the indefinite, IE SF C1
    fninit
    mov ecx, 8
.push8:
    fld1
    loop .push8
    fnstsw ax
    CHECK_EQ ax, 0, 61
    fldz
    fnstsw ax
    and ax, 0x3FFF
    CHECK_EQ ax, 0x3A41, 62          ; TOP 7, C1, SF, IE
    fstp tword [out]
    CHECK_EXT out, 0xC0000000, 0, 0xFFFF, 63

    ; --- FINCSTP, FDECSTP, FFREE
    fninit
    fld1
    fincstp
    fnstsw ax
    CHECK_EQ ax, 0, 64
    fdecstp
    fnstsw ax
    CHECK_EQ ax, 0x3800, 65
    ffree st0
    FXAM_IS 0x4100, 66

    ; --- FCMOVcc
    fninit
    fldz
    fld1                             ; ST0 = 1, ST1 = 0
    mov eax, 1
    cmp eax, 2                       ; CF = 1, ZF = 0
    fcmovnb st0, st1                 ; not taken
    fcmove st0, st1                  ; not taken
    FXAM_IS 0x0400, 67
    mov eax, 1                       ; (the check above changed EAX and the flags)
    cmp eax, 2
    fcmovb st0, st1                  ; taken: ST0 = 0
    FXAM_IS 0x4000, 68

    ; --- FNSAVE / FRSTOR (108 bytes): FNSAVE reinitializes
    fninit
    fldpi
    fld1
    mov word [scratch], 0x0F7F
    fldcw [scratch]
    fnsave [save]
    fnstcw [scratch]
    CHECK_EQ word [scratch], 0x037F, 69
    fnstsw ax
    CHECK_EQ ax, 0, 70
    CHECK_EQ dword [save], 0xFFFF0F7F, 71
    CHECK_EQ dword [save + 4], 0xFFFF3000, 72
    CHECK_EXT save + 28, 0x80000000, 0, 0x3FFF, 73
    CHECK_EXT save + 38, 0xC90FDAA2, 0x2168C235, 0x4000, 74
    frstor [save]
    fnstsw ax
    CHECK_EQ ax, 0x3000, 75
    fnstcw [scratch]
    CHECK_EQ word [scratch], 0x0F7F, 76
    fstp tword [out]
    CHECK_EXT out, 0x80000000, 0, 0x3FFF, 77
    fstp tword [out]
    CHECK_EXT out, 0xC90FDAA2, 0x2168C235, 0x4000, 78

    ; --- FXSAVE outside 64-bit mode: XMM0-XMM7 only
    mov edi, fxarea
    mov ecx, 512
    mov al, 0xAA
    rep stosb
    fxsave [fxarea]
    CHECK_EQ byte [fxarea + 160 + 7*16], 0, 79
    CHECK_EQ byte [fxarea + 160 + 8*16], 0xAA, 80
    CHECK_EQ byte [fxarea + 464], 0xAA, 81

    ; --- MMX and SSE data movement in 32-bit mode
    mov eax, 0x00010002
    movd mm1, eax
    paddw mm1, mm1
    movd ebx, mm1
    CHECK_EQ ebx, 0x00020004, 82
    movd xmm3, ebx
    pshufd xmm4, xmm3, 0
    movdqa [fxarea], xmm4
    CHECK_EQ dword [fxarea + 12], 0x00020004, 83
    emms
    PASS

; --- 32-bit IDT: vectors 0-19 record the vector and resume at [resume]
SETUP_IDT32_ROUTINE setup_idt, IDT, 20

%assign v 0
%rep 20
h_ %+ v:
  %if v == 8 || (v >= 10 && v <= 14) || v == 17
    pop dword [last_error]
  %endif
    mov dword [last_vector], v
    push eax
    mov eax, [resume]
    mov [esp + 4], eax
    pop eax
    iretd
%assign v v+1
%endrep

align 4
handlers:
%assign v 0
%rep 20
    dd h_ %+ v
%assign v v+1
%endrep
last_vector: dd -1
last_error: dd -1
resume: dd 0
idtr: dw 20*8-1
      dd IDT

align 16
ext_one:   dq 0x8000000000000000
           dw 0x3FFF
snan:      dq 0x8000000000000001
           dw 0x7FFF
unnormal:  dq 0x123456789ABCDEF0
           dw 0x4001
infinity:  dq 0x8000000000000000
           dw 0x7FFF
denormal:  dq 0x0000000000000001
           dw 0x0000
align 16
out:     times 16 db 0
env:     times 28 db 0
env16:   times 14 db 0
scratch: times 4 db 0
save:    times 108 db 0
align 16
fxarea:  times 512 db 0
