; x87 arithmetic in 32-bit protected mode: values, flags, condition codes and exception delivery.
; Run: popek run --flat x87arith32.bin --mode 32 --load-address 0x8000
; Checks: FADD/FSUB/FMUL/FDIV (m64, m32, m16int, m32int, ST(i), P and R forms) with exact results;
; precision control (24/53/64 bits) and the four rounding modes (FIST, FRNDINT); FSQRT; masked responses
; (1/0 = +inf with ZE, sqrt(-1) = indefinite with IE, FIST overflow = integer indefinite); FCOM/FNSTSW/SAHF,
; FCOMI/FUCOMI EFLAGS, FTST; FPREM loop (C2) and quotient bits, FPREM1; FXTRACT, FSCALE; FSIN/FCOS/FPTAN/
; FPATAN/F2XM1/FYL2X on exactly known or bounded values; FBSTP/FBLD; FST m32 rounding; FLD m32 denormal
; (DE) and SNaN (IE, quieted); FIP/FDP/FOP after an arithmetic instruction; unmasked exceptions: no result
; and no pop for ZE/IE, the bias-adjusted result for OE, no store for FST with OE, ES and B set, #MF at the
; next waiting x87 instruction (not at integer instructions, not at FNSTSW/FNCLEX) with CR0.NE = 1 and the
; fault address of that instruction, no #MF with CR0.NE = 0; #NM with CR0.TS or CR0.EM.
bits 32
org 0x8000
%include "common.inc"

IDT equ 0x21000

; EXPECT vector, check, instruction(s): runs the instructions with the handlers resuming after them.
%macro EXPECT 3+
    mov dword [resume], %%after
    mov dword [last_vector], -1
    %3
%%after:
    CHECK_EQ dword [last_vector], %1, %2
%endmacro

; CHECK_EXT addr, significand-high, significand-low, sign+exponent, check
%macro CHECK_EXT 5
    CHECK_EQ dword [%1 + 4], %2, %5
    CHECK_EQ dword [%1], %3, %5
    CHECK_EQ word [%1 + 8], %4, %5
%endmacro

; CHECK_Q addr, high, low, check: a 64-bit value in memory
%macro CHECK_Q 4
    CHECK_EQ dword [%1 + 4], %2, %4
    CHECK_EQ dword [%1], %3, %4
%endmacro

; ST0_IS significand-high, significand-low, sign+exponent, check: pops ST(0) and checks it
%macro ST0_IS 4
    fstp tword [out]
    CHECK_EXT out, %1, %2, %3, %4
%endmacro

; SW_IS mask, value, check: FNSTSW AX, AND with mask
%macro SW_IS 3
    fnstsw ax
    and ax, %1
    CHECK_EQ ax, %2, %3
%endmacro

; CW value: FLDCW with an immediate
%macro CW 1
    mov word [scratch], %1
    fldcw [scratch]
%endmacro

start:
    mov esp, 0x7F000
    call setup_idt
    mov eax, cr0
    or eax, 0x20                     ; NE: x87 errors as #MF
    and eax, ~0xC                    ; EM, TS clear
    mov cr0, eax

    ; --- basic arithmetic with exact results
    fninit
    fld qword [d1_5]
    fadd qword [d2_25]               ; 3.75
    fstp qword [outq]
    CHECK_Q outq, 0x400E0000, 0, 1
    fld qword [d1_5]
    fsub dword [f0_25]               ; 1.25
    fmul qword [d2_25]               ; 2.8125
    fdiv dword [f0_25]               ; 11.25
    fstp qword [outq]
    CHECK_Q outq, 0x40268000, 0, 2
    fld qword [d1_5]
    fisubr word [i16_7]              ; 7 - 1.5 = 5.5
    fimul dword [i32_m4]             ; -22
    fidivr word [i16_11]             ; 11 / -22 = -0.5
    fiadd dword [i32_m4]             ; -4.5
    fstp qword [outq]
    CHECK_Q outq, 0xC0120000, 0, 3
    fld qword [d2_25]
    fld qword [d1_5]                 ; ST0 1.5, ST1 2.25
    fsubr st0, st1                   ; ST0 = 2.25 - 1.5 = 0.75
    fdivr st1, st0                   ; ST1 = 0.75 / 2.25 = 1/3
    fsubp st1, st0                   ; 1/3 - 0.75 (exact), pop
    SW_IS 0x3FFF, 0x3820, 5                    ; TOP 7, C1 = 0, PE from the division
    ST0_IS 0xD5555555, 0x55555555, 0xBFFD, 4

    ; --- precision control: 1/3 to 24, 53 and 64 bits
    fninit
    CW 0x007F                        ; PC single
    fld1
    fidiv word [i16_3]
    ST0_IS 0xAAAAAB00, 0, 0x3FFD, 6
    CW 0x027F                        ; PC double
    fld1
    fidiv word [i16_3]
    ST0_IS 0xAAAAAAAA, 0xAAAAA800, 0x3FFD, 7
    CW 0x037F
    fld1
    fidiv word [i16_3]
    ST0_IS 0xAAAAAAAA, 0xAAAAAAAB, 0x3FFD, 8
    CW 0x0F7F                        ; toward zero
    fld1
    fidiv word [i16_3]
    ST0_IS 0xAAAAAAAA, 0xAAAAAAAA, 0x3FFD, 9

    ; --- rounding control: FIST and FRNDINT of 2.5 and -2.5
    fninit
    fld qword [d2_5]
    fist word [outw]
    CHECK_EQ word [outw], 2, 10      ; nearest even
    CW 0x077F
    fist word [outw]
    CHECK_EQ word [outw], 2, 11      ; down
    fchs
    fist word [outw]
    CHECK_EQ word [outw], -3, 12
    CW 0x0B7F
    fist word [outw]
    CHECK_EQ word [outw], -2, 13     ; up
    frndint
    ST0_IS 0x80000000, 0, 0xC000, 14
    CW 0x037F
    fld qword [d2_5]
    frndint
    ST0_IS 0x80000000, 0, 0x4000, 15

    ; --- FSQRT, masked exceptions
    fninit
    fild word [i16_2]
    fsqrt
    ST0_IS 0xB504F333, 0xF9DE6484, 0x3FFF, 16
    fld1
    fldz
    fdivp st1, st0                   ; 1/0: +inf, ZE
    ST0_IS 0x80000000, 0, 0x7FFF, 17
    SW_IS 0x00DF, 0x0004, 18                  ; ZE (PE is left from FSQRT)
    fnclex
    fld1
    fchs
    fsqrt                            ; sqrt(-1): indefinite, IE
    ST0_IS 0xC0000000, 0, 0xFFFF, 19
    SW_IS 0x00FF, 0x0001, 20
    fnclex
    fild dword [i32_big]             ; 100000 does not fit 16 bits
    fistp word [outw]
    CHECK_EQ word [outw], 0x8000, 21 ; integer indefinite
    SW_IS 0x00FF, 0x0001, 22
    fnclex
    fld dword [f1_3]                 ; FST m32 rounds 1/3 (extended) to nearest single
    fld1
    fidiv word [i16_3]
    fst dword [outd]
    CHECK_EQ dword [outd], 0x3EAAAAAB, 23
    fcomp st1                        ; the single 1/3 is larger: ST0 < ST1
    SW_IS 0x4500, 0x0100, 24
    fstp st0

    ; --- comparisons
    fninit
    fld qword [d2_25]
    fld qword [d1_5]
    fcom st1                         ; 1.5 < 2.25
    fnstsw ax
    sahf
    jb .cmp_ok
    FAIL 25
.cmp_ok:
    fcomi st0, st1
    jb .cmpi_ok
    FAIL 26
.cmpi_ok:
    fxch st1
    fucomip st0, st1                 ; 2.25 > 1.5, pop
    ja .cmpi2_ok
    FAIL 27
.cmpi2_ok:
    fld tword [qnan]
    fucomi st0, st1                  ; unordered: ZF PF CF = 111, no exception
    jp .unord_ok
    FAIL 28
.unord_ok:
    SW_IS 0x00FF, 0, 29
    fcomip st0, st1                  ; FCOMI with a QNaN: IE
    SW_IS 0x00FF, 0x0001, 30
    fnclex
    ftst                             ; 1.5 > 0
    SW_IS 0x4500, 0x0000, 31
    ficom word [i16_2]               ; 1.5 < 2
    SW_IS 0x4500, 0x0100, 32
    fstp st0

    ; --- FPREM (partial remainder loop) and FPREM1
    fninit
    fld qword [d3]
    fld qword [d10_5]
.prem:
    fprem                            ; 10.5 rem 3 = 1.5, quotient 3 (C0 C3 C1 = Q2 Q1 Q0 = 0 1 1)
    fnstsw ax
    test ah, 4
    jnz .prem
    and ax, 0x4700
    CHECK_EQ ax, 0x4200, 33
    ST0_IS 0xC0000000, 0, 0x3FFF, 34
    fld qword [d10_5]
    fprem1                           ; 10.5 - 4*3 = -1.5 (quotient rounded to nearest: 3.5 -> 4)
    ST0_IS 0xC0000000, 0, 0xBFFF, 35
    fstp st0
    fld qword [big_y]                ; 2^100 rem 3: incomplete after one step (C2 = 1)
    fld qword [d3]
    fxch st1
    fprem
    SW_IS 0x0400, 0x0400, 36
    fninit

    ; --- FXTRACT, FSCALE, FRNDINT
    fild word [i16_11]
    fxtract                          ; 11 = 1.375 * 2^3
    ST0_IS 0xB0000000, 0, 0x3FFF, 37
    ST0_IS 0xC0000000, 0, 0x4000, 38
    fild word [i16_11]
    fld1
    fscale                           ; 1 * 2^11
    ST0_IS 0x80000000, 0, 0x400A, 39
    fstp st0

    ; --- transcendental functions on exactly known values
    fninit
    fldz
    fsin
    ST0_IS 0, 0, 0, 40
    fldz
    fcos
    ST0_IS 0x80000000, 0, 0x3FFF, 41
    fldz
    fptan                            ; pushes 1.0 after tan(0) = 0
    ST0_IS 0x80000000, 0, 0x3FFF, 42
    ST0_IS 0, 0, 0, 43
    fld1
    fld1
    fpatan                           ; atan(1/1) = pi/4, correctly rounded
    ST0_IS 0xC90FDAA2, 0x2168C235, 0x3FFE, 44
    fld1
    fild word [i16_8]
    fyl2x                            ; 1 * log2(8) = 3
    ST0_IS 0xC0000000, 0, 0x4000, 45
    fld qword [d0_5]
    f2xm1                            ; sqrt(2) - 1 = 0.41421356...
    fstp tword [out]
    CHECK_EQ word [out + 8], 0x3FFD, 46
    CHECK_EQ dword [out + 4], 0xD413CCCF, 46
    fldpi
    fsincos                          ; cos(pi66) = -1, sin(pi66) = tiny
    ST0_IS 0x80000000, 0, 0xBFFF, 47
    fstp tword [out]
    CHECK_EXT out, 0x80000000, 0, 0xBFBF, 48  ; -2^-64: FLDPI is 2^-64 above the x87's 66-bit pi
    fld qword [big_y]
    fmul st0, st0
    fmul st0, st0                    ; 2^400: out of range for FSIN
    fsin
    SW_IS 0x0400, 0x0400, 49         ; C2, operand unchanged
    ST0_IS 0x80000000, 0, 0x418F, 50

    ; --- packed BCD and integer conversions
    fninit
    fild dword [i32_bcd]
    fbstp tword [out]
    CHECK_EQ dword [out], 0x01234567, 51
    CHECK_EQ dword [out + 4], 0, 51
    CHECK_EQ word [out + 8], 0x8000, 51       ; negative
    fbld tword [out]
    fistp dword [outd]
    CHECK_EQ dword [outd], -1234567, 52
    fild qword [i64_min]
    fistp qword [outq]
    CHECK_Q outq, 0x80000000, 0, 53
    fld qword [d2_5]
    fisttp word [outw]               ; truncates whatever RC says
    CHECK_EQ word [outw], 2, 54

    ; --- FLD m32: a denormal raises DE, an SNaN raises IE and is quieted
    fninit
    fld dword [f_denormal]
    SW_IS 0x00FF, 0x0002, 55
    ST0_IS 0x80000000, 0, 0x3F6A, 56          ; 2^-149
    fnclex
    fld dword [f_snan]
    SW_IS 0x00FF, 0x0001, 57
    ST0_IS 0xC0000100, 0, 0x7FFF, 58

    ; --- FIP, FDP and FOP after an arithmetic instruction with a memory operand
    fninit
    fld1
fmul_at:
    fmul qword [d2_25]               ; DC 0D disp32: FOP = 40Dh
    fnstenv [env]
    CHECK_EQ dword [env + 12], fmul_at, 59
    CHECK_EQ dword [env + 20], d2_25, 60
    CHECK_EQ word [env + 18], 0x40D, 61

    ; --- unmasked exceptions and #MF (CR0.NE = 1)
    fninit
    CW 0x037B                        ; ZE unmasked
    fld1
    fldz
    fdivp st1, st0                   ; no result, no pop; ES and B set
    SW_IS 0x80FF, 0x8084, 62
    mov dword [last_vector], -1
    mov eax, 5                       ; integer instructions do not take the #MF
    add eax, 1
    fnstsw ax                        ; nor do no-wait x87 instructions
    fnstcw [scratch]
    CHECK_EQ dword [last_vector], -1, 63
    mov dword [resume], mf_done
mf_at:
    fwait                            ; the next waiting instruction takes it
mf_done:
    CHECK_EQ dword [last_vector], 16, 64
    CHECK_EQ dword [last_eip], mf_at, 65
    mov dword [resume], fadd_done
    mov dword [last_vector], -1
fadd_at:
    fadd st0, st0                    ; any waiting x87 instruction: #MF before it executes
fadd_done:
    CHECK_EQ dword [last_vector], 16, 66
    CHECK_EQ dword [last_eip], fadd_at, 67
    fnclex
    ST0_IS 0, 0, 0, 68               ; the stack is as before FDIVP: ST0 = 0, ST1 = 1
    ST0_IS 0x80000000, 0, 0x3FFF, 69
    ; IE unmasked: FCOMP with a QNaN sets the condition codes but does not pop
    fninit
    CW 0x037E
    fld1
    fld tword [qnan]
    fcomp st1
    SW_IS 0xC5FF, 0xC581, 70          ; B, C3 C2 C0 unordered, ES, IE; TOP unchanged below
    SW_IS 0x3800, 0x3000, 71
    fnclex
    ; OE unmasked: a register result is bias-adjusted (exponent - 24576); a store is not done
    fninit
    CW 0x0377
    fld tword [huge]
    fmul st0, st0                    ; 2^16000 * 2^16000 = 2^32000: exact, stored as 2^(32000 - 24576)
    SW_IS 0x80DF, 0x8088, 72          ; B, ES, OE
    fnclex
    ST0_IS 0x80000000, 0, 0x3FFF + 32000 - 24576, 73
    fnclex
    CW 0x0377
    mov dword [outd], 0x12345678
    fld qword [d_dbl_max]
    fstp dword [outd]                ; overflows single: nothing stored, no pop
    CHECK_EQ dword [outd], 0x12345678, 74
    SW_IS 0xB8FF, 0xB888, 75          ; TOP 7 (not popped), B, ES, OE only
    fnclex
    ; CR0.NE = 0: no #MF (this test platform has no FERR# wire and holds IGNNE#: the instruction goes on;
    ; ferr32.asm checks IRQ 13 on the PC)
    fninit
    mov eax, cr0
    and eax, ~0x20
    mov cr0, eax
    CW 0x037B
    fld1
    fldz
    fdivp st1, st0
    EXPECT -1, 76, fwait
    SW_IS 0x80FF, 0x8084, 77
    fnclex
    mov eax, cr0
    or eax, 0x20
    mov cr0, eax

    ; --- #NM: CR0.TS or CR0.EM
    fninit
    fld1
    mov eax, cr0
    or eax, 8                        ; TS
    mov cr0, eax
    EXPECT 7, 78, fadd st0, st0
    clts
    mov eax, cr0
    or eax, 4                        ; EM
    mov cr0, eax
    EXPECT 7, 79, fsqrt
    and eax, ~4
    mov cr0, eax
    fadd st0, st0
    ST0_IS 0x80000000, 0, 0x4000, 80

    PASS

SETUP_IDT32_ROUTINE setup_idt, IDT, 20

%assign v 0
%rep 20
h_ %+ v:
  %if v == 8 || (v >= 10 && v <= 14) || v == 17
    pop dword [last_error]
  %endif
    mov dword [last_vector], v
    push eax
    mov eax, [esp + 4]
    mov [last_eip], eax
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
last_eip: dd -1
resume: dd 0
idtr: dw 20*8-1
      dd IDT

align 16
d1_5:     dq 1.5
d2_25:    dq 2.25
d2_5:     dq 2.5
d0_5:     dq 0.5
d3:       dq 3.0
d10_5:    dq 10.5
big_y:    dq 0x4630000000000000      ; 2^100
d_dbl_max: dq 0x7FEFFFFFFFFFFFFF
i64_min:  dq 0x8000000000000000
f0_25:    dd 0.25
f1_3:     dd 0x3EAAAAAB
f_denormal: dd 1
f_snan:   dd 0x7F800001
i32_m4:   dd -4
i32_big:  dd 100000
i32_bcd:  dd -1234567
i16_2:    dw 2
i16_3:    dw 3
i16_7:    dw 7
i16_8:    dw 8
i16_11:   dw 11
align 16
qnan:     dq 0xC000000000000001
          dw 0x7FFF
align 16
huge:     dq 0x8000000000000000      ; 2^16000
          dw 0x3FFF + 16000
align 16
out:      times 16 db 0
outq:     dq 0
outd:     dd 0
outw:     dw 0
env:      times 28 db 0
scratch:  times 4 db 0
