; Virtual-8086 mode: entered with IRETD (EFLAGS.VM) from ring 0; real-mode segment arithmetic;
; INT n with IOPL < 3 raises #GP(0) to the 32-bit monitor (frame with the v86 segment registers);
; with IOPL = 3 it goes through the IDT (DPL-3 gate) and IRETD returns to v86; HLT at CPL 3 is #GP.
; Run: popek run --flat v86.bin --mode 32 --load-address 0x8000
bits 32
org 0x8000
%include "common.inc"

GDT     equ 0x20000
IDT     equ 0x21000
TSS     equ 0x22000
KSTACK  equ 0x30000
SEL_TSS equ 0x18

start:
    mov esp, 0x7F000
    mov dword [GDT], 0
    mov dword [GDT + 4], 0
    mov dword [GDT + 8], 0x0000FFFF
    mov dword [GDT + 12], 0x00CF9B00
    mov dword [GDT + 16], 0x0000FFFF
    mov dword [GDT + 20], 0x00CF9300
    mov dword [GDT + SEL_TSS], ((TSS & 0xFFFF) << 16) | 0x67
    mov dword [GDT + SEL_TSS + 4], ((TSS >> 16) & 0xFF) | 0x8900
    lgdt [gdtr]
    jmp 0x08:.reload
.reload:
    mov edi, TSS
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS + 4], KSTACK               ; ESP0
    mov dword [TSS + 8], 0x10                 ; SS0
    mov word [TSS + 0x66], 0x68               ; no I/O bitmap
    mov ax, SEL_TSS
    ltr ax
    ; IDT: #GP -> gp_handler (DPL 0), 0x22 -> int22_handler (DPL 3 interrupt gate)
    mov edi, IDT
    mov ecx, 256 * 2
    xor eax, eax
    rep stosd
    mov eax, gp_handler
    mov [IDT + 13 * 8], ax
    mov word [IDT + 13 * 8 + 2], 0x08
    mov word [IDT + 13 * 8 + 4], 0x8E00
    shr eax, 16
    mov [IDT + 13 * 8 + 6], ax
    mov eax, int22_handler
    mov [IDT + 0x22 * 8], ax
    mov word [IDT + 0x22 * 8 + 2], 0x08
    mov word [IDT + 0x22 * 8 + 4], 0xEE00
    shr eax, 16
    mov [IDT + 0x22 * 8 + 6], ax
    lidt [idtr]
    ; IRETD into v86 mode: GS FS DS ES SS ESP EFLAGS(VM, IOPL 0) CS EIP
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x7000
    push dword 0x20002
    push dword 0x0800
    push dword v86_code - 0x8000
    iretd

bits 16
v86_code:
    ; real-mode segment arithmetic: DS = 1234h, [DS:10h] is physical 12350h
    mov ax, 0x1234
    mov ds, ax
    mov word [0x10], 0xBEEF
    int 0x21                    ; IOPL 0: #GP(0) to the monitor, which raises IOPL to 3
    int 0x22                    ; IOPL 3: through the IDT to int22_handler, back here
    hlt                         ; CPL 3: #GP(0), the monitor checks everything and passes

bits 32
gp_handler:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    pop eax                     ; error code
    CHECK_EQ eax, 0, 1
    test dword [esp + 8], 0x20000
    jnz .from_v86
    FAIL 2
.from_v86:
    inc dword [gp_count]
    cmp dword [gp_count], 1
    jne .second
    ; first #GP: the INT 21h (CD 21) at CS:IP; skip it and set IOPL 3
    movzx eax, word [esp + 4]   ; CS
    shl eax, 4
    movzx ebx, word [esp]       ; IP
    add eax, ebx
    CHECK_EQ word [eax], 0x21CD, 3
    add dword [esp], 2
    or dword [esp + 8], 0x3000
    iretd
.second:
    ; second #GP: the HLT (F4)
    movzx eax, word [esp + 4]
    shl eax, 4
    movzx ebx, word [esp]
    add eax, ebx
    CHECK_EQ byte [eax], 0xF4, 4
    CHECK_EQ word [0x12350], 0xBEEF, 5
    CHECK_EQ dword [int22_count], 1, 6
    CHECK_EQ dword [int22_ds], 0x1234, 7
    PASS

int22_handler:
    ; the frame holds the v86 segment registers: EIP CS EFLAGS ESP SS ES DS FS GS
    push eax
    mov ax, 0x10
    mov ds, ax
    mov eax, [esp + 4 + 24]     ; saved DS
    mov [int22_ds], eax
    inc dword [int22_count]
    pop eax
    iretd

align 4
gp_count: dd 0
int22_count: dd 0
int22_ds: dd 0
gdtr: dw 0x1F
      dd GDT
idtr: dw 256 * 8 - 1
      dd IDT
