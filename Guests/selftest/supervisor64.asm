; Implicit supervisor-mode accesses (SDM Vol. 3, 4.6.1) in 64-bit mode: the GDT, IDT, TSS and the
; ring-0 stack sit on supervisor-only pages (as with Linux's page-table isolation), and ring-3 code
; still loads data segments (GDT reads) and takes an exception (IDT and TSS reads, pushes onto the
; ring-0 stack): all of those are supervisor accesses whatever the CPL.
; Run: popek run --flat supervisor64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

GDT     equ 0x20000         ; supervisor-only (the boot loader's identity map has U/S = 0)
IDT     equ 0x21000
TSS     equ 0x22000
KSTACK  equ 0x30000
PDPT1   equ 0x201000        ; user region at T (PML4 entry 1), 4 KiB pages with U/S = 1
PD1     equ 0x202000
PT1     equ 0x203000
UCODE   equ 0x210000        ; physical pages of the user code and stack
USTACKP equ 0x211000
T       equ 0x8000000000

start:
    mov rsp, 0x7F000
    ; User region: PML4[1] -> PDPT1 -> PD1 -> PT1, user-accessible; code page and stack page.
    mov edi, PDPT1
    mov ecx, 3 * 512
    xor eax, eax
    rep stosq
    mov rbx, cr3
    and rbx, ~0xFFF
    mov qword [rbx + 8], PDPT1 | 7
    mov qword [PDPT1], PD1 | 7
    mov qword [PD1], PT1 | 7
    mov qword [PT1], UCODE | 7
    mov qword [PT1 + 8], USTACKP | 7
    mov cr3, rbx
    lea rsi, [rel user_code]
    mov edi, UCODE
    mov ecx, user_code_end - user_code
    rep movsb
    ; GDT: null, kcode 0x08, kdata 0x10, (0x18), udata 0x20, ucode64 0x28, TSS 0x30.
    WRITE_GDT64 GDT, TSS
    LOAD_GDT64 [rel gdtr]
    mov rdi, TSS
    mov ecx, 0x68/8
    xor eax, eax
    rep stosq
    mov qword [TSS+4], KSTACK
    mov word [TSS+0x66], 0x68
    mov ax, 0x30
    ltr ax
    ; IDT: #UD (6) to h_ud; everything else unexpected.
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate_rax
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 6
    lea rax, [rel h_ud]
    call set_gate_rax
    lidt [rel idtr]
    ; To ring 3.
    push 0x20 | 3
    mov rax, T + 0x2000
    push rax
    push 0x002
    push 0x28 | 3
    mov rax, T
    push rax
    iretq

; Copied to the user code page (runs at T, CPL 3).
user_code:
    mov ax, 0x20 | 3
    mov ds, ax                        ; a GDT read at CPL 3
    mov es, ax
    mov ebx, 0x600D
user_ud:
    ud2                               ; IDT, TSS.RSP0 and ring-0 stack accesses at CPL 3
user_code_end:

h_ud:
    ; Arrived in ring 0 from ring 3, with the frame on KSTACK.
    cmp rsp, KSTACK - 5 * 8
    je .stack_ok
    FAIL 1
.stack_ok:
    CHECK_EQ qword [rsp + 8], 0x28 | 3, 2    ; the pushed CS
    mov rax, T + (user_ud - user_code)
    cmp [rsp], rax                           ; the pushed RIP: the UD2
    je .rip_ok
    FAIL 3
.rip_ok:
    CHECK_EQ ebx, 0x600D, 4
    mov ax, ds
    CHECK_EQ ax, 0x23, 5
    mov ax, 0x10                      ; a common end state for the engine conformance test: the
    mov ss, ax                        ; interrupt loaded a null SS (its hidden part is model-specific)
    mov ds, ax                        ; and kvm_pvm leaves FS and GS loaded after ring 3 (user64 too)
    mov es, ax
    mov fs, ax
    mov gs, ax
    PASS

; set_gate_rax: IDT entry ECX -> handler RAX, selector 0x08, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate_rax, IDT, 0x08

unexpected:
    FAIL 100

align 8
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
