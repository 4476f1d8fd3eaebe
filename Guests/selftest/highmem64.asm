; RAM above 4 GiB (GuestRAM.pc): with 6 GiB, RAM is 0-3 GiB and 4-7 GiB, and 3-4 GiB is the MMIO
; hole. Maps 4-5 GiB, 6-7 GiB and 7-8 GiB with 2 MiB pages, then checks: data written above 4 GiB
; reads back and does not alias RAM below; the last qword of RAM; the hole and the space above RAM
; are not RAM (writes vanish, reads are all ones); code copied above 4 GiB runs, and runs again
; after it is rewritten (the decode cache keyed by physical address); REP MOVSQ between low and
; high RAM.
; Run: popek run --flat highmem64.bin --mode 64 --load-address 0x8000 --memory 6G
bits 64
org 0x8000
%include "common.inc"

PDPT    equ 0x3000                  ; FlatBinary's PDPT (entries 0-3: the first 4 GiB)
PD4     equ 0x100000                ; page directories for 4-5, 6-7 and 7-8 GiB
PD6     equ 0x101000
PD7     equ 0x102000
HIGH    equ 0x100000000             ; 4 GiB: the first byte of high RAM
LAST    equ 0x1BFFFFFF8             ; the last qword of RAM (7 GiB - 8)
ABOVE   equ 0x1C0000000             ; 7 GiB: beyond RAM
HOLE    equ 0xD0000000              ; inside the 32-bit hole (identity-mapped by FlatBinary)
LOWTOP  equ 0xBFFFFFF8              ; the last qword below the hole
CODE    equ HIGH + 0x1000
BUF     equ HIGH + 0x2000

; MAPGB pd, gib: point PDPT entry gib at pd, filled with 512 2 MiB pages from gib GiB.
%macro MAPGB 2
    mov rdi, %1
    mov rax, (%2 << 30) | 0x83      ; P, RW, PS
    mov ecx, 512
%%fill:
    mov [rdi], rax
    add rax, 0x200000
    add rdi, 8
    dec ecx
    jnz %%fill
    mov qword [PDPT + %2 * 8], %1 | 3
%endmacro

start:
    MAPGB PD4, 4
    MAPGB PD6, 6
    MAPGB PD7, 7
    mov rax, cr3
    mov cr3, rax

    ; 1: a qword at 4 GiB reads back; the one below the hole is separate.
    mov rax, 0x1122334455667788
    mov rbx, HIGH
    mov [rbx], rax
    mov rdx, 0x0102030405060708
    mov rcx, LOWTOP
    mov [rcx], rdx
    CHECK_EQ [rbx], rax, 1
    CHECK_EQ [rcx], rdx, 1
    ; 2: 4 GiB does not alias address 0 (the real-mode IVT area is not what was written).
    mov rsi, [0]
    cmp rsi, rax
    jne .noalias
    FAIL 2
.noalias:
    ; 3: the last qword of RAM.
    mov rax, 0xCAFEF00DDEADBEEF
    mov rbx, LAST
    mov [rbx], rax
    CHECK_EQ [rbx], rax, 3
    ; 4: the hole is MMIO: a write does not stick, a read is all ones.
    mov ebx, HOLE
    mov dword [rbx], 0x5A5A5A5A
    CHECK_EQ dword [rbx], 0xFFFFFFFF, 4
    ; 5: so is the space above RAM.
    mov rbx, ABOVE
    mov qword [rbx], 0x12345678
    mov rax, -1
    CHECK_EQ [rbx], rax, 5
    ; 6: code above 4 GiB runs, and runs rewritten.
    mov rdi, CODE
    mov rsi, stub
    mov ecx, stub_len
    rep movsb
    mov rbx, CODE
    call rbx
    CHECK_EQ eax, 0x600DC0DE, 6
    mov dword [rbx + 1], 0x0BADF00D     ; the MOV's immediate
    call rbx
    CHECK_EQ eax, 0x0BADF00D, 6
    ; 7: REP MOVSQ from low RAM to high RAM and back compares equal.
    mov rdi, 0x200000
    mov ecx, 512
    mov rax, 0x0F1E2D3C4B5A6978
.fill:
    mov [rdi], rax
    rol rax, 7
    add rdi, 8
    dec ecx
    jnz .fill
    mov rsi, 0x200000
    mov rdi, BUF
    mov ecx, 512
    rep movsq
    mov rsi, BUF
    mov rdi, 0x201000
    mov ecx, 512
    rep movsq
    mov rsi, 0x200000
    mov rdi, 0x201000
    mov ecx, 512
    repe cmpsq
    je .copied
    FAIL 7
.copied:
    PASS

stub:
    mov eax, 0x600DC0DE
    ret
stub_len equ $ - stub
