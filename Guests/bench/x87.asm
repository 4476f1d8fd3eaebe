; Interpreter benchmark: an x87 floating-point loop (64-bit). RDI = iterations; ends with HLT.
; 11 instructions and 7 floating-point operations per iteration: with x stepping by step,
; acc1 += c2 / (x*x + c1) and acc2 += sqrt(x) (FMUL, FADD m64, FDIVR m64, FADDP, FSQRT, FADDP, FADD m64),
; in extended precision with round to nearest. The results are stored at 200000h (x, acc1, acc2).
; Regenerate the embedded bytes with Scripts/gen-bench-guests.sh.
bits 64
org 0x100000
start:
    mov rcx, rdi
    fninit
    fldz                    ; acc2
    fldz                    ; acc1
    fld qword [rel x0]      ; x
.loop:
    fld st0
    fmul st0, st0
    fadd qword [rel c1]
    fdivr qword [rel c2]
    faddp st2, st0
    fld st0
    fsqrt
    faddp st3, st0
    fadd qword [rel step]
    dec rcx
    jnz .loop
    fstp qword [0x200000]
    fstp qword [0x200008]
    fstp qword [0x200010]
    hlt
align 8
x0: dq 0.5
c1: dq 1.0
c2: dq 4.0
step: dq 0.000001
