; x87 environment images in real mode (SDM Vol. 1, Figures 8-10 and 8-12), loaded at 1000:0000.
; Run: popek run --flat fpu16.bin --mode 16 --load-address 0x10000
; Checks: FNSTENV in the 16-bit and (o32) 32-bit real-mode formats with 20-bit linear instruction and
; data pointers and the opcode, FLDENV of a real-mode image, FNSAVE/FRSTOR (94 bytes), and MMX/SSE moves
; in real mode (with CR4.OSFXSR).
bits 16
org 0
%include "common.inc"

start:
    mov eax, cr4
    or eax, 0x600
    mov cr4, eax
    fninit
fld_at:
    fld tword [value]                ; DB 2E disp16: FOP = 32Eh, FDP = 10000h + value
fld1_at:
    fld1                             ; D9 E8: FOP = 1E8h
    fnstenv [env16]
    CHECK_EQ word [env16], 0x037F, 1
    CHECK_EQ word [env16 + 2], 0x3000, 2
    CHECK_EQ word [env16 + 4], 0x0FFF, 3
    CHECK_EQ word [env16 + 6], fld1_at, 4      ; FIP 15:0 of 10000h + fld1_at
    CHECK_EQ word [env16 + 8], 0x11E8, 5       ; FIP 19:16 in bits 15:12, FOP
    CHECK_EQ word [env16 + 10], value, 6       ; FDP 15:0
    CHECK_EQ word [env16 + 12], 0x1000, 7      ; FDP 19:16 in bits 15:12
    o32 fnstenv [env32]
    CHECK_EQ dword [env32], 0xFFFF037F, 8
    CHECK_EQ dword [env32 + 12], 0xFFFF0000 + fld1_at, 9
    CHECK_EQ dword [env32 + 16], 0x000011E8, 10 ; FIP 31:16 in bits 27:12, FOP
    CHECK_EQ dword [env32 + 20], 0xFFFF0000 + value, 11
    CHECK_EQ dword [env32 + 24], 0x00001000, 12
    ; FLDENV of a real-mode image restores the pointers and opcode
    mov word [env16 + 6], 0x1234
    mov word [env16 + 8], 0x5123               ; FIP 19:16 = 5, FOP = 123h
    fldenv [env16]
    o32 fnstenv [env32]
    CHECK_EQ dword [env32 + 12], 0xFFFF1234, 13
    CHECK_EQ dword [env32 + 16], 0x00005123, 14
    ; FNSAVE / FRSTOR, 94 bytes
    fninit
    fldpi
    fld1
    fnsave [save]
    fnstsw ax
    CHECK_EQ ax, 0, 15
    CHECK_EQ word [save + 2], 0x3000, 16
    CHECK_EQ word [save + 14 + 8], 0x3FFF, 17  ; ST0 = 1.0
    CHECK_EQ word [save + 24 + 8], 0x4000, 18  ; ST1 = pi
    frstor [save]
    fnstsw ax
    CHECK_EQ ax, 0x3000, 19
    fstp tword [out]
    CHECK_EQ word [out + 8], 0x3FFF, 20
    ; MMX and SSE in real mode
    mov eax, 0x01020304
    movd mm0, eax
    punpcklbw mm0, mm0
    movd ebx, mm0
    CHECK_EQ ebx, 0x03030404, 21
    emms
    movd xmm1, eax
    pshufb xmm1, [shuffle]
    movd ebx, xmm1
    CHECK_EQ ebx, 0x04030201, 22
    PASS

align 16
shuffle: db 3, 2, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80
value:   dq 0x8000000000000000
         dw 0x3FFF
align 16
env16:   times 14 db 0
align 4
env32:   times 28 db 0
save:    times 94 db 0
align 16
out:     times 16 db 0
