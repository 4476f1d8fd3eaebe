; External interrupts from the PC's own devices, at CPL0 and CPL3 (64-bit mode): the 8254 PIT's
; channel 0 through the 8259 PIC pair, taken while halted in ring 0 (STI; HLT) and while running in
; ring 3. Under KVM this exercises the monitor's interrupt injection (KVM_INTERRUPT, interrupt
; windows, HLT exits) with time slices ending while the guest runs natively.
; Machine: pc (needs the 8259 PICs and the 8254 PIT: not for the device-less test platform)
; Run: popek run --flat timer64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
TSS      equ 0x22000
KSTACK   equ 0x30000
USTACK   equ 0x40000

start:
    mov rsp, 0x7F000
    ; First 2 MiB user-accessible.
    USER_LOW_2M
    ; GDT: null, kcode 0x08, kdata 0x10, (0x18), udata 0x20, ucode64 0x28, TSS 0x30
    WRITE_GDT64 GDT, TSS
    LOAD_GDT64 [gdtr]
    mov rdi, TSS
    mov ecx, 0x68/8
    xor eax, eax
    rep stosq
    mov qword [TSS+4], KSTACK
    mov word [TSS+0x66], 0x68
    mov ax, 0x30
    ltr ax
    ; IDT: every vector to `unexpected`; 0x20 (IRQ0) counts ticks; #UD returns from ring 3.
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate_rax
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 0x20
    lea rax, [rel h_timer]
    call set_gate_rax
    mov ecx, 6
    lea rax, [rel h_ud]
    call set_gate_rax
    lidt [idtr]
    ; 8259 pair: ICW1-4, vectors 0x20 and 0x28, only IRQ0 unmasked.
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x02
    out 0xA1, al
    mov al, 0x01
    out 0x21, al
    out 0xA1, al
    mov al, 0xFE
    out 0x21, al
    mov al, 0xFF
    out 0xA1, al
    ; 8254 channel 0, mode 2 (rate generator), 1193 counts: about 1 kHz.
    mov al, 0x34
    out 0x43, al
    mov al, 1193 & 0xFF
    out 0x40, al
    mov al, 1193 >> 8
    out 0x40, al
    ; 1. Ring 0: halt until five ticks have arrived.
.wait0:
    sti
    hlt
    cli
    cmp qword [rel ticks], 5
    jb .wait0
    CHECK_EQ qword [rel bad_cpl], 0, 1
    ; 2. Ring 3 with IF set: spin until ten more ticks (the handler runs in ring 0 each time).
    mov rax, [rel ticks]
    add rax, 10
    mov [rel target], rax
    push 0x20 | 3
    push USTACK
    push 0x202
    push 0x28 | 3
    lea rax, [rel user_code]
    push rax
    iretq

user_code:
    mov rbx, [rel target]
.spin:
    pause
    cmp [rel ticks], rbx
    jb .spin
    ud2

h_ud:
    mov rsp, 0x7F000
    mov ax, 0x10
    mov ss, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    ; 3. At least one tick interrupted ring 3.
    cmp qword [rel from_user], 0
    ja .ok3
    FAIL 3
.ok3:
    ; Stop the timer: mask IRQ0.
    mov al, 0xFF
    out 0x21, al
    PASS

h_timer:
    push rax
    inc qword [rel ticks]
    mov rax, [rsp + 16]               ; CS of the interrupted code
    and eax, 3
    jz .ring0
    inc qword [rel from_user]
.ring0:
    mov al, 0x20                      ; non-specific EOI
    out 0x20, al
    pop rax
    iretq

; set_gate_rax: IDT entry ECX -> handler RAX, selector 0x08, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate_rax, IDT, 0x08

unexpected:
    FAIL 100

align 8
ticks: dq 0
target: dq 0
from_user: dq 0
bad_cpl: dq 0
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
