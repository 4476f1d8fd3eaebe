; Hardware task switching in 32-bit protected mode: JMP to a TSS, CALL to a TSS (nested, NT and
; back-link), IRET back through the back-link, INT n through a task gate, and the busy bits.
; Run: popek run --flat taskswitch.bin --mode 32 --load-address 0x8000
bits 32
org 0x8000
%include "common.inc"

GDT     equ 0x20000
IDT     equ 0x21000
TSS_A   equ 0x22000
TSS_B   equ 0x23000
STACK_B equ 0x30000
SEL_A   equ 0x18
SEL_B   equ 0x20

%macro TSS_DESC 2     ; GDT slot address, TSS base: 32-bit available TSS, limit 0x67
    mov dword [%1], ((%2 & 0xFFFF) << 16) | 0x67
    mov dword [%1 + 4], ((%2 >> 16) & 0xFF) | 0x8900 | (%2 & 0xFF000000)
%endmacro

start:
    mov esp, 0x7F000
    ; GDT: null, code 0x08, data 0x10, TSS A 0x18, TSS B 0x20
    mov dword [GDT], 0
    mov dword [GDT + 4], 0
    mov dword [GDT + 8], 0x0000FFFF
    mov dword [GDT + 12], 0x00CF9B00
    mov dword [GDT + 16], 0x0000FFFF
    mov dword [GDT + 20], 0x00CF9300
    TSS_DESC GDT + SEL_A, TSS_A
    TSS_DESC GDT + SEL_B, TSS_B
    lgdt [gdtr]
    jmp 0x08:.reload
.reload:
    ; TSS B: the new task's initial state
    mov edi, TSS_B
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS_B + 0x20], task_b          ; EIP
    mov dword [TSS_B + 0x24], 2               ; EFLAGS
    mov dword [TSS_B + 0x38], STACK_B         ; ESP
    mov dword [TSS_B + 0x34], 0xB0B0          ; EBX
    mov word [TSS_B + 0x48], 0x10             ; ES
    mov word [TSS_B + 0x4C], 0x08             ; CS
    mov word [TSS_B + 0x50], 0x10             ; SS
    mov word [TSS_B + 0x54], 0x10             ; DS
    mov word [TSS_B + 0x58], 0x10             ; FS
    mov word [TSS_B + 0x5C], 0x10             ; GS
    mov ax, SEL_A
    ltr ax
    ; IDT: vector 0x40 is a task gate to TSS B
    mov edi, IDT
    mov ecx, 256 * 2
    xor eax, eax
    rep stosd
    mov dword [IDT + 0x40 * 8], SEL_B << 16
    mov dword [IDT + 0x40 * 8 + 4], 0x8500
    lidt [idtr]

    ; 1. JMP to task B: B runs with its own registers, then jumps back here.
    mov ebx, 0xA0A0
    jmp SEL_B:0
    CHECK_EQ ebx, 0xA0A0, 1                   ; A's registers came back from TSS A
    CHECK_EQ dword [b_count], 1, 2
    CHECK_EQ dword [b_saw_ebx], 0xB0B0, 3
    ; after JMP, task B is not busy (the JMP back cleared it), task A is
    mov eax, [GDT + SEL_B + 4]
    and eax, 0x0F00
    CHECK_EQ eax, 0x0900, 4
    mov eax, [GDT + SEL_A + 4]
    and eax, 0x0F00
    CHECK_EQ eax, 0x0B00, 5
    ; 2. CALL task B: nested (NT set, back-link = A); B returns with IRET
    call SEL_B:0
    CHECK_EQ dword [b_count], 2, 6
    CHECK_EQ dword [b_saw_nt], 1, 7
    CHECK_EQ dword [b_saw_link], SEL_A, 8
    mov eax, [GDT + SEL_B + 4]
    and eax, 0x0F00
    CHECK_EQ eax, 0x0900, 9                   ; IRET cleared B's busy bit
    pushfd
    pop eax
    test eax, 0x4000
    jz .nt_clear
    FAIL 10
.nt_clear:
    ; 3. INT 0x40 through the task gate
    int 0x40
    CHECK_EQ dword [b_count], 3, 11
    str ax
    CHECK_EQ ax, SEL_A, 12
    PASS

task_b:
    ; first entry, by JMP
    inc dword [b_count]
    mov [b_saw_ebx], ebx
    str ax
    cmp ax, SEL_B
    je .ok1
    FAIL 20
.ok1:
    jmp SEL_A:0
    ; second entry, by CALL: NT set, back-link is A
    inc dword [b_count]
    pushfd
    pop eax
    shr eax, 14
    and eax, 1
    mov [b_saw_nt], eax
    movzx eax, word [TSS_B]
    mov [b_saw_link], eax
    iretd
    ; third entry, through the task gate
    inc dword [b_count]
    iretd
    FAIL 21

align 4
b_count: dd 0
b_saw_ebx: dd 0
b_saw_nt: dd 0
b_saw_link: dd 0
gdtr: dw 0x27
      dd GDT
idtr: dw 256 * 8 - 1
      dd IDT
