; Interpreter benchmark: an SSE2 double-precision loop (64-bit). RDI = iterations; ends with HLT.
; 14 instructions and 16 floating-point operations per iteration, on two lanes x = (x0, x1) stepping
; by (step, step): acc1 += c2 / (x*x + c1), acc2 += sqrt(x) (MULPD, ADDPD, DIVPD, ADDPD, SQRTPD, ADDPD),
; acc3 += c2 / (x0*x0 + c1) (DIVSD, ADDSD), x += step (ADDPD); MXCSR at its reset value (round to
; nearest). The results are stored at 200000h (x, acc1, acc2: two doubles each; acc3).
; Regenerate the embedded bytes with Scripts/gen-bench-guests.sh.
bits 64
org 0x100000
start:
    mov rcx, rdi
    mov rax, cr4
    or rax, 0x600           ; OSFXSR, OSXMMEXCPT
    mov cr4, rax
    movapd xmm0, [rel x0]   ; x
    movapd xmm5, [rel c1]
    movapd xmm6, [rel c2]
    movapd xmm7, [rel step]
    xorpd xmm3, xmm3        ; acc1
    xorpd xmm4, xmm4        ; acc2
    xorpd xmm8, xmm8        ; acc3
.loop:
    movapd xmm1, xmm0
    mulpd xmm1, xmm1
    addpd xmm1, xmm5
    movapd xmm2, xmm6
    divpd xmm2, xmm1
    addpd xmm3, xmm2
    sqrtpd xmm2, xmm0
    addpd xmm4, xmm2
    movsd xmm2, xmm6
    divsd xmm2, xmm1
    addsd xmm8, xmm2
    addpd xmm0, xmm7
    dec rcx
    jnz .loop
    movupd [0x200000], xmm0
    movupd [0x200010], xmm3
    movupd [0x200020], xmm4
    movsd [0x200030], xmm8
    hlt
align 16
x0: dq 0.5, 0.75
c1: dq 1.0, 1.0
c2: dq 4.0, 4.0
step: dq 0.000001, 0.000001
