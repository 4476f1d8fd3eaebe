; Interpreter benchmark: an integer ALU loop (64-bit). RDI = iterations; ends with HLT.
; 14 instructions per iteration: reg-reg and reg-imm ALU, shifts, rotates, LEA, INC, DEC/JNZ.
; Regenerate the embedded bytes with Scripts/gen-bench-guests.sh.
bits 64
org 0x100000
start:
    mov rcx, rdi
    xor eax, eax
    mov ebx, 0x12345
    mov edx, 7
    xor esi, esi
    mov r8, 0x0123456789ABCDEF
    xor r9d, r9d
    xor r10d, r10d
    xor r12d, r12d
.loop:
    add rax, rbx
    xor rdx, rax
    rol rbx, 3
    sub rsi, rdx
    and r9, rax
    or r10, rsi
    shr rdx, 1
    add esi, 0x55
    lea r11, [rax + rbx*2 + 8]
    inc r12
    xor r8, r11
    sar r10, 2
    dec rcx
    jnz .loop
    hlt
