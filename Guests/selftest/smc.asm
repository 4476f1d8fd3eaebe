; Self-modifying code: an instruction's immediate is rewritten before each execution, and a
; routine is copied and patched. A decode cache that ignores writes to code pages fails this.
; Run: popek run --flat smc.bin --mode 32 --load-address 0x8000
bits 32
org 0x8000
%include "common.inc"

start:
    mov esp, 0x7F000
    xor ebx, ebx
    mov ecx, 10
sum_loop:
    mov [patch + 1], ecx        ; rewrite the imm32 of "mov eax, imm32" below
patch:
    mov eax, 0
    add ebx, eax
    loop sum_loop
    CHECK_EQ ebx, 55, 1         ; 10 + 9 + ... + 1
    ; patch an opcode: turn "inc edx" (42) into "dec edx" (4A) after running it once
    xor edx, edx
    call flip
    call flip
    CHECK_EQ edx, 0, 2
    ; copy a routine elsewhere and run it
    mov esi, routine
    mov edi, 0x90000
    mov ecx, routine_end - routine
    rep movsb
    mov eax, 0x90000
    call eax
    CHECK_EQ eax, 0x600DF00D, 3
    mov byte [0x90001], 0x0E     ; patch the copy's immediate low byte
    mov eax, 0x90000
    call eax
    CHECK_EQ eax, 0x600DF00E, 4
    PASS

flip:
target:
    inc edx
    xor byte [target], 0x08     ; 42 <-> 4A
    ret

routine:
    mov eax, 0x600DF00D
    ret
routine_end:
