; 32-bit paging: 4 KiB and 4 MiB pages, aliasing, accessed/dirty bits, CR0.WP, #PF error codes and CR2.
; Run: popek run --flat paging32.bin --mode 32 --load-address 0x8000
bits 32
org 0x8000
%include "common.inc"

PD      equ 0x100000        ; page directory
PT0     equ 0x101000        ; page table for 0-4 MiB
IDT     equ 0x102000

start:
    mov esp, 0x7F000
    ; IDT: #PF handler only (interrupt gate, selector 0x08 from the loader's GDT)
    mov edi, IDT
    mov ecx, 256*2
    xor eax, eax
    rep stosd
    mov eax, pf_handler
    mov [IDT + 14*8], ax
    mov word [IDT + 14*8 + 2], 0x08
    mov word [IDT + 14*8 + 4], 0x8E00
    shr eax, 16
    mov [IDT + 14*8 + 6], ax
    lidt [idtr]
    ; Page directory: PDE0 -> PT0 (4 KiB pages, identity 0-4 MiB), PDE1 = 4 MiB page at 4 MiB (PS),
    ; PDE2 = 4 MiB page mapping 8-12 MiB to physical 4-8 MiB (an alias), read-only.
    mov edi, PD
    mov ecx, 1024
    xor eax, eax
    rep stosd
    mov dword [PD + 0], PT0 | 3
    mov dword [PD + 4], 0x400000 | 0x83
    mov dword [PD + 8], 0x400000 | 0x81          ; read-only alias
    ; PT0: identity, except page 0x300000 is left not present
    mov edi, PT0
    mov eax, 3
    mov ecx, 1024
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    loop .pt
    mov dword [PT0 + (0x300000 >> 12) * 4], 0
    ; enable PSE, then paging with WP
    mov eax, cr4
    or eax, 0x10
    mov cr4, eax
    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000
    mov cr0, eax
    ; 1. write through the 4 MiB page, read through the alias
    mov dword [0x400100], 0xCAFEBABE
    CHECK_EQ dword [0x800100], 0xCAFEBABE, 1
    ; 2. accessed and dirty bits on PDE1 (written) and accessed on PDE2 (read only)
    mov eax, [PD + 4]
    and eax, 0x60
    CHECK_EQ eax, 0x60, 2
    mov eax, [PD + 8]
    and eax, 0x60
    CHECK_EQ eax, 0x20, 3
    ; 4. a write to the read-only alias with CR0.WP faults: P|W = 3, CR2 = the address
    mov dword [resume], .after_ro
    mov dword [0x800200], 1
.after_ro:
    CHECK_EQ dword [last_error], 3, 4
    mov eax, cr2
    CHECK_EQ eax, 0x800200, 5
    ; 6. a read of the not-present page: error code 0
    mov dword [resume], .after_np
    mov eax, [0x300010]
.after_np:
    CHECK_EQ dword [last_error], 0, 6
    mov eax, cr2
    CHECK_EQ eax, 0x300010, 7
    ; 8. accessed/dirty on a 4 KiB PTE: page 0x200000 written
    mov dword [0x200000], 5
    mov eax, [PT0 + (0x200000 >> 12) * 4]
    and eax, 0x60
    CHECK_EQ eax, 0x60, 8
    ; 9. without WP, supervisor writes to read-only pages succeed
    mov eax, cr0
    and eax, ~0x10000
    mov cr0, eax
    mov dword [0x800300], 0x12345678
    CHECK_EQ dword [0x400300], 0x12345678, 9
    PASS

pf_handler:
    pop dword [last_error]
    push eax
    mov eax, [resume]
    mov [esp + 4], eax
    pop eax
    iretd

align 4
last_error: dd -1
resume: dd 0
idtr: dw 256*8-1
      dd IDT
