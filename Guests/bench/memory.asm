; Interpreter benchmark: a memory-heavy loop (64-bit). RDI = iterations of the outer loop; ends with HLT.
; Each outer iteration walks a 4 KiB buffer at 2 MiB with loads, stores, read-modify-write and
; zero-extending loads (512 x 10 instructions), then copies it with REP MOVSQ and fills 1 KiB with
; REP STOSD (a REP instruction counts as one instruction retired).
; Regenerate the embedded bytes with Scripts/gen-bench-guests.sh.
bits 64
org 0x100000
BUF  equ 0x200000
BUF2 equ 0x204000
start:
    mov r15, rdi
    mov edx, 0x9E3779B9
    xor ebx, ebx
.outer:
    mov esi, BUF
    mov ecx, 512
.inner:
    mov rax, [rsi]
    add rax, rdx
    mov [rsi], rax
    xor rdx, [rsi + 8]
    add [rsi + 16], rdx
    movzx r9d, word [rsi + 6]
    mov [rsi + 3], r9b
    add rsi, 8
    dec ecx
    jnz .inner
    mov esi, BUF
    mov edi, BUF2
    mov ecx, 512
    rep movsq
    mov edi, BUF2 + 0x1000
    mov eax, edx
    mov ecx, 256
    rep stosd
    add rbx, [BUF2 + 0x808]
    dec r15
    jnz .outer
    mov rax, [BUF + 0x100]
    mov rsi, [BUF2 + 0x1100]
    hlt
