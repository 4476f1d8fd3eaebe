; Translation caches in 64-bit mode with 4 KiB pages: what a software TLB and a physically keyed
; decode cache must get right. Code modified through another linear alias of its physical page;
; an instruction and a store that cross a page boundary between two non-adjacent physical pages;
; code written by REP MOVSB; code patched just ahead in the same straight-line run; accessed and
; dirty bits (a write after a read still sets D); INVLPG (also of a global page); MOV to CR3; CR0.WP;
; REP MOVS across a page boundary with overlapping operands (element-by-element forward copy).
; Run: popek run --flat mmu64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

PDPT1 equ 0x201000          ; new tables for the test region (PML4 entry 1)
PD1   equ 0x202000
PT1   equ 0x203000
T     equ 0x8000000000      ; the 4 KiB-mapped test region
P1    equ 0x210000          ; physical pages: code (mapped twice)
P2    equ 0x211000          ; code, second half of a page-crossing view
P3    equ 0x212000          ; code, first half
DPAGE equ 0x214000          ; data, accessed/dirty bits
R1    equ 0x215000          ; data, remapped
R2    equ 0x216000
RO    equ 0x217000          ; read-only
IDT   equ 0x20000
BUFA  equ 0x220000          ; REP MOVS overlap checks: two 8 KiB buffers
BUFB  equ 0x224000

; EXPECT_SET mem, mask, n / EXPECT_CLEAR mem, mask, n: FAIL n unless the bits are set / clear.
%macro EXPECT_SET 3
    test qword %1, %2
    jnz %%ok
    FAIL %3
%%ok:
%endmacro
%macro EXPECT_CLEAR 3
    test qword %1, %2
    jz %%ok
    FAIL %3
%%ok:
%endmacro

; OVERLAP size, delta, count, n: REP MOVS (size 1 or 8) from BUFA+0xF80 to BUFA+0xF80+delta, count
; elements (across the page boundary), must leave BUFA as an explicit element loop leaves BUFB.
%macro OVERLAP 4
    xor ecx, ecx
%%fill:
    mov eax, ecx
    imul eax, eax, 37
    mov [BUFA + rcx], al
    mov [BUFB + rcx], al
    inc ecx
    cmp ecx, 0x2000
    jb %%fill
    mov rsi, BUFB + 0xF80
    mov rdi, BUFB + 0xF80 + %2
    mov ecx, %3
%%ref:
  %if %1 == 1
    mov al, [rsi]
    mov [rdi], al
  %else
    mov rax, [rsi]
    mov [rdi], rax
  %endif
    add rsi, %1
    add rdi, %1
    dec ecx
    jnz %%ref
    mov rsi, BUFA + 0xF80
    mov rdi, BUFA + 0xF80 + %2
    mov ecx, %3
  %if %1 == 1
    rep movsb
  %else
    rep movsq
  %endif
    mov esi, BUFA
    mov edi, BUFB
    mov ecx, 0x2000
    repe cmpsb
    je %%ok
    FAIL %4
%%ok:
%endmacro

start:
    mov rsp, 0x7F000
    ; Tables: PML4[1] -> PDPT1 -> PD1 -> PT1, all zeroed first (A bits clear).
    mov edi, PDPT1
    mov ecx, 3 * 512
    xor eax, eax
    rep stosq
    mov rbx, cr3
    and rbx, ~0xFFF
    mov qword [rbx + 8], PDPT1 | 3
    mov qword [PDPT1], PD1 | 3
    mov qword [PD1], PT1 | 3
    ; Pages: 0 and 1 both P1 (code view, alias); 2 and 3 P3 then P2; 4 data; 5 remapped; 6 read-only.
    mov qword [PT1 + 0*8], P1 | 3
    mov qword [PT1 + 1*8], P1 | 3
    mov qword [PT1 + 2*8], P3 | 3
    mov qword [PT1 + 3*8], P2 | 3
    mov qword [PT1 + 4*8], DPAGE | 3
    mov qword [PT1 + 5*8], R1 | 3
    mov qword [PT1 + 6*8], RO | 1
    mov cr3, rbx
    ; IDT: #PF only (vector 14), 64-bit interrupt gate to selector 0x18.
    lea rax, [rel pf_handler]
    mov rdi, IDT + 14 * 16
    mov [rdi], ax
    mov word [rdi + 2], 0x18
    mov word [rdi + 4], 0x8E00
    shr rax, 16
    mov [rdi + 6], ax
    shr rax, 16
    mov [rdi + 8], eax
    mov dword [rdi + 12], 0
    lidt [rel idtr]

    ; 1. Code modified through another linear alias of its physical page.
    mov rdi, T + 0x1000
    mov rax, 0x0000C311111111B8       ; mov eax, 0x11111111; ret
    mov [rdi], rax
    mov rsi, T
    call rsi
    CHECK_EQ eax, 0x11111111, 1
    mov dword [rdi + 1], 0x22222222   ; through the alias
    call rsi
    CHECK_EQ eax, 0x22222222, 2
    call rdi                          ; the alias view runs the same physical code
    CHECK_EQ eax, 0x22222222, 3
    mov dword [rsi + 1], 0x33333333   ; through the code view, then run the alias view
    call rdi
    CHECK_EQ eax, 0x33333333, 4
    call rsi
    CHECK_EQ eax, 0x33333333, 5

    ; 2. An instruction that crosses from linear page 2 (P3) into page 3 (P2).
    mov rdi, T + 0x2FF8
    lea rsi, [rel crossing]
    mov ecx, crossing_end - crossing
    rep movsb                         ; written by a string move across the boundary
    mov rsi, T + 0x2FF8
    call rsi
    CHECK_EQ eax, 0x120, 6
    mov dword [P2], 0x30              ; MOV ECX's immediate, in the second physical page
    call rsi
    CHECK_EQ eax, 0x130, 7
    mov dword [P3 + 0xFFB], 0x200     ; ADD's immediate, in the first physical page
    call rsi
    CHECK_EQ eax, 0x230, 8
    mov rdi, T + 0x2FFF
    mov dword [rdi], 0x000040B9       ; a store across the boundary: B9 40 00 00
    call rsi
    CHECK_EQ eax, 0x240, 9
    ; 3. Code written by REP MOVSB through the alias, over code already run.
    lea rsi, [rel routine]
    mov rdi, T + 0x1000
    mov ecx, routine_end - routine
    rep movsb
    mov rsi, T
    call rsi
    CHECK_EQ eax, 0x600DF00D, 10
    ; 4. An instruction patched just ahead of itself.
    mov byte [rel .patch + 1], 0x77
.patch:
    mov eax, 0x11
    CHECK_EQ eax, 0x77, 11

    ; 5. Accessed and dirty bits, with a translation already cached for reads.
    mov rbx, T + 0x4000
    mov rax, [rbx]                    ; first use: A set on every level, D clear
    EXPECT_SET [PT1 + 4*8], 0x20, 20
    EXPECT_CLEAR [PT1 + 4*8], 0x40, 21
    EXPECT_SET [PD1], 0x20, 22
    EXPECT_SET [PDPT1], 0x20, 23
    mov qword [rbx], 5                ; a write after a read: D must be set now
    EXPECT_SET [PT1 + 4*8], 0x40, 24
    mov qword [PT1 + 4*8], DPAGE | 3  ; clear A and D, flush, read, write
    invlpg [rbx]
    mov rax, [rbx]
    EXPECT_SET [PT1 + 4*8], 0x20, 25
    EXPECT_CLEAR [PT1 + 4*8], 0x40, 26
    add qword [rbx], 1
    EXPECT_SET [PT1 + 4*8], 0x40, 27
    CHECK_EQ qword [DPAGE], 6, 28

    ; 6. INVLPG and MOV to CR3 drop translations; INVLPG also drops a global one.
    mov qword [R1], 0x1111
    mov qword [R2], 0x2222
    mov rbx, T + 0x5000
    CHECK_EQ qword [rbx], 0x1111, 30
    mov qword [PT1 + 5*8], R2 | 3
    invlpg [rbx]
    CHECK_EQ qword [rbx], 0x2222, 31
    mov qword [PT1 + 5*8], R1 | 3
    mov rax, cr3
    mov cr3, rax
    CHECK_EQ qword [rbx], 0x1111, 32
    mov rax, cr4
    or eax, 0x80                      ; CR4.PGE
    mov cr4, rax
    mov qword [PT1 + 5*8], R2 | 0x103
    invlpg [rbx]
    CHECK_EQ qword [rbx], 0x2222, 33
    mov qword [PT1 + 5*8], R1 | 0x103
    invlpg [rbx]
    CHECK_EQ qword [rbx], 0x1111, 34
    mov rax, cr4
    and eax, ~0x80
    mov cr4, rax

    ; 7. CR0.WP: a supervisor write to a read-only page succeeds with WP = 0 and faults with WP = 1.
    mov rbx, T + 0x6000
    mov byte [rbx], 7
    CHECK_EQ byte [rbx], 7, 40
    mov rax, cr0
    or eax, 0x10000
    mov cr0, rax
    mov qword [rel pf_count], 0
    mov byte [rbx], 8                 ; C6 03 08: the handler skips these 3 bytes
    CHECK_EQ qword [rel pf_count], 1, 41
    CHECK_EQ byte [rbx], 7, 42
    CHECK_EQ qword [rel pf_code], 3, 43   ; present, write, supervisor
    mov rax, T + 0x6000
    cmp [rel pf_cr2], rax
    je .cr2_ok
    FAIL 44
.cr2_ok:
    mov rax, cr0
    and eax, ~0x10000
    mov cr0, rax

    ; 8. REP MOVS with overlapping operands, across a page boundary.
    cld
    OVERLAP 1, 1, 300, 50
    OVERLAP 1, 3, 300, 51
    OVERLAP 1, 13, 300, 52
    OVERLAP 8, 4, 40, 53
    OVERLAP 8, 8, 40, 54
    OVERLAP 8, 24, 40, 55
    OVERLAP 1, 512, 300, 56
    OVERLAP 1, -5, 300, 57
    PASS

pf_handler:
    inc qword [rel pf_count]
    mov rax, cr2
    mov [rel pf_cr2], rax
    pop rax
    mov [rel pf_code], rax
    add qword [rsp], 3
    iretq

; Copied to T + 0x2FF8: XOR (2 bytes), ADD EAX imm32 (5 bytes, ends at 0x2FFE), MOV ECX imm32
; (opcode at 0x2FFF, immediate on the next page), ADD, RET.
crossing:
    xor eax, eax
    add eax, 0x100
    mov ecx, 0x20
    add eax, ecx
    ret
crossing_end:

routine:
    mov eax, 0x600DF00D
    ret
routine_end:

align 8
pf_count: dq 0
pf_code: dq 0
pf_cr2: dq 0
idtr: dw 256*16-1
      dq IDT
