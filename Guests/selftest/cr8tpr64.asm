; CR8 is the local APIC's task-priority class (SDM Vol. 3, 10.8.6.1): MOV to CR8 sets TPR[7:4] (and
; clears TPR[3:0]), a TPR written through the APIC's MMIO page shows in CR8, and an interrupt whose
; priority class is not above the processor priority waits until CR8 is lowered. Under KVM without an
; in-kernel APIC this exercises the monitor's CR8 <-> TPR synchronisation (kvm_run.cr8).
; Machine: pc (needs the local APIC)
; Run: popek run --flat cr8tpr64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

APIC     equ 0xFEE00000       ; addressed through RBX (a disp32 would sign-extend)
TPR      equ 0x80
EOI      equ 0xB0
SVR      equ 0xF0
ICR_LO   equ 0x300
IDT      equ 0x21000
VECTOR   equ 0x45               ; priority class 4

start:
    mov rsp, 0x7F000
    ; IDT: every vector to `unexpected`, VECTOR to `handler` (64-bit interrupt gates, CS 0x18).
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, VECTOR
    lea rax, [rel handler]
    call set_gate
    mov ecx, 0xFF               ; the spurious vector: ignore
    lea rax, [rel spurious]
    call set_gate
    lidt [rel idtr]
    mov ebx, APIC
    ; Software-enable the APIC, spurious vector 0xFF.
    mov dword [rbx + SVR], 0x1FF

    ; MOV to CR8 -> TPR.
    mov eax, 5
    mov cr8, rax
    mov eax, [rbx + TPR]
    CHECK_EQ eax, 0x50, 1
    ; TPR through MMIO -> CR8 (bits 7:4).
    mov dword [rbx + TPR], 0x37
    mov rax, cr8
    CHECK_EQ rax, 3, 2
    ; Priority: with CR8 = 4, a fixed interrupt of class 4 waits.
    mov eax, 4
    mov cr8, rax
    sti
    mov dword [rbx + ICR_LO], 0x40000 | VECTOR    ; fixed, destination shorthand: self
    mov ecx, 1000
.wait:
    dec ecx
    jnz .wait
    CHECK_EQ dword [rel taken], 0, 3
    ; Lowering CR8 to 3 lets it in (before the instruction after the next one at the latest).
    mov eax, 3
    mov cr8, rax
    nop
    nop
    CHECK_EQ dword [rel taken], 1, 4
    cli
    mov rax, cr8
    CHECK_EQ rax, 3, 5
    ; MOV to CR8 with bits 63:4 set: #GP(0) (handled as `unexpected` -> check 100), so not tried.
    PASS

handler:
    inc dword [rel taken]
    mov dword [rbx + EOI], 0          ; (RBX holds APIC throughout)
    iretq

spurious:
    iretq

unexpected:
    FAIL 100

; set_gate: IDT entry ECX -> handler RAX, selector 0x18, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate, IDT, 0x18

align 8
taken:  dd 0
idtr:   dw 256*16-1
        dq IDT
