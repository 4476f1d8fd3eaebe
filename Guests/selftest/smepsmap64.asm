; SMEP and SMAP in 64-bit mode at CPL 0 (SDM Vol. 3, 4.6.1 "Determination of Access Rights"; Vol. 2,
; STAC, CLAC; CPUID leaf 7 EBX bits 7 and 20).
; Run: popek run --flat smepsmap64.bin --mode 64 --load-address 0x8000
; Starts in long mode (the loader's identity map of 4 GiB by 2 MiB pages); the page at 2-4 MiB is made a
; user-mode page. Checks: CPUID advertises SMEP and SMAP; without them CPL 0 runs and reads the user page;
; with CR4.SMEP a fetch from it is #PF with error code 11h (P, I/D) and CR2, while data reads still work;
; with CR4.SMAP a read (AC = 0) is #PF 01h, a write #PF 03h; after STAC both work (the value checked), after
; CLAC the read faults again; STAC/CLAC set and clear RFLAGS.AC; an implicit supervisor access (a segment
; load reading an LDT that lies in the user page) faults even with AC = 1.
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
UPAGE    equ 0x200000          ; the user-mode 2 MiB page
ULDT     equ UPAGE + 0x800     ; an LDT inside it

%macro ARM 1
    mov qword [last_vector], -1
    mov qword [last_error], -1
    lea rax, [rel %1]
    mov [resume], rax
%endmacro

; EXPECT_PF error, cr2, n: #PF with `error` and CR2 = `cr2` (checks n..n+2)
%macro EXPECT_PF 3
    CHECK_EQ qword [last_vector], 14, %3
    CHECK_EQ qword [last_error], %1, %3+1
    mov rax, %2
    CHECK_EQ [last_cr2], rax, %3+2
%endmacro

start:
    mov rsp, 0x7F000
    ; --- 1-2. CPUID.(7,0).EBX: SMEP (7), SMAP (20)
    mov eax, 7
    xor ecx, ecx
    cpuid
    mov eax, ebx
    and eax, 1 << 7
    CHECK_EQ eax, 1 << 7, 1
    and ebx, 1 << 20
    CHECK_EQ ebx, 1 << 20, 2
    ; --- make 2-4 MiB a user page (U/S in the PML4E, PDPTE and PDE)
    mov rax, cr3
    and rax, ~0xFFF
    or qword [rax], 4
    mov rbx, [rax]
    and rbx, ~0xFFF
    or qword [rbx], 4
    mov rcx, [rbx]
    and rcx, ~0xFFF
    or qword [rcx + 8], 4
    mov cr3, rax
    ; GDT: null, code32 0x08, data 0x10, code64 0x18, LDT 0x20 (16 bytes) -> ULDT
    mov rax, 0x00CF9B000000FFFF
    mov [GDT + 0x08], rax
    mov rax, 0x00CF93000000FFFF
    mov [GDT + 0x10], rax
    mov rax, 0x00AF9B000000FFFF
    mov [GDT + 0x18], rax
    mov qword [GDT], 0
    mov rax, 0x0000820000000007 | ((ULDT & 0xFFFFFF) << 16) | ((ULDT >> 24) << 56)
    mov [GDT + 0x20], rax
    mov qword [GDT + 0x28], 0
    lgdt [gdtr]
    ; the LDT (in the user page): one data descriptor, selector 0x04
    mov rax, 0x00CF93000000FFFF
    mov [ULDT], rax
    mov ax, 0x20
    lldt ax
    ; code and data in the user page
    mov byte [UPAGE], 0xC3          ; ret
    mov qword [UPAGE + 0x100], 0x1234
    ; IDT: #PF recorded, everything else unexpected
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 14
    lea rax, [rel h_pf]
    call set_gate
    lidt [idtr]

    ; --- 3-4. neither SMEP nor SMAP: CPL 0 calls into and reads the user page
    mov eax, UPAGE
    call rax
    mov rax, [UPAGE + 0x100]
    CHECK_EQ rax, 0x1234, 3
    ; --- 5-8. SMEP: a fetch faults (P | I/D), a read does not
    mov rax, cr4
    or rax, 1 << 20
    mov cr4, rax
    ARM .after_fetch
    mov eax, UPAGE
    call rax
    FAIL 4
.after_fetch:
    EXPECT_PF 0x11, UPAGE, 5
    mov rax, [UPAGE + 0x100]
    CHECK_EQ rax, 0x1234, 8
    ; --- 9-14. SMAP with AC = 0: a read faults (P), a write faults (P | W)
    mov rax, cr4
    or rax, 1 << 21
    mov cr4, rax
    clac
    ARM .after_read
    mov rax, [UPAGE + 0x100]
    FAIL 9
.after_read:
    EXPECT_PF 0x01, UPAGE + 0x100, 9
    ARM .after_write
    mov qword [UPAGE + 0x108], 5
    FAIL 12
.after_write:
    EXPECT_PF 0x03, UPAGE + 0x108, 12
    ; --- 15-18. STAC: AC set, reads and writes allowed
    stac
    pushfq
    pop rax
    and eax, 1 << 18
    CHECK_EQ eax, 1 << 18, 15
    mov qword [UPAGE + 0x108], 7
    mov rax, [UPAGE + 0x108]
    CHECK_EQ rax, 7, 16
    mov rax, [UPAGE + 0x100]
    CHECK_EQ rax, 0x1234, 17
    ; --- 18-22. implicit supervisor accesses ignore AC: loading DS from the LDT in the user page faults
    ARM .after_ldt
    mov ax, 0x04
    mov ds, ax
    FAIL 18
.after_ldt:
    EXPECT_PF 0x01, ULDT, 19
    ; --- 22-25. CLAC: AC clear, the read faults again (no stale permission)
    clac
    pushfq
    pop rax
    and eax, 1 << 18
    CHECK_EQ eax, 0, 22
    ARM .after_read2
    mov rax, [UPAGE + 0x100]
    FAIL 23
.after_read2:
    EXPECT_PF 0x01, UPAGE + 0x100, 23
    ; --- 26. SMAP does not affect fetches from supervisor pages, nor supervisor data
    mov rax, [rel last_error]
    CHECK_EQ rax, 1, 26
    PASS

; set_gate: IDT entry ECX -> handler RAX, selector 0x18, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate, IDT, 0x18

h_pf:
    mov qword [rel last_vector], 14
    pop qword [rel last_error]
    push rax
    mov rax, cr2
    mov [rel last_cr2], rax
    mov rax, [rel resume]
    mov [rsp + 8], rax
    pop rax
    iretq

unexpected:
    FAIL 100

align 8
last_vector: dq -1
last_error: dq -1
last_cr2: dq 0
resume: dq 0
gdtr: dw 0x2F
      dq GDT
idtr: dw 256*16-1
      dq IDT
