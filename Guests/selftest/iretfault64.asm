; A faulting IRETQ changes nothing: IRETQ to ring 3 whose SS fails its checks (SDM Vol. 2, IRET:
; "IF SS selector RPL != RPL of the return code segment selector THEN #GP(SS selector)") raises #GP
; with the selector as error code while still in ring 0, with CS, RIP and RFLAGS of the IRETQ itself in
; the frame (the CPU commits CS only after the new SS is checked).
; Run: popek run --flat iretfault64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

GDT     equ 0x20000
IDT     equ 0x21000

start:
    mov rsp, 0x7F000
    lea rsi, [rel descriptors]
    mov edi, GDT
    mov ecx, (descriptors_end - descriptors) / 8
    rep movsq
    LOAD_GDT64 [rel gdtr]
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 13
    lea rax, [rel gp_handler]
    call set_gate
    lidt [rel idtr]

    ; IRETQ to ring 3 with SS = 0x10 (RPL 0, DPL 0): #GP(0x10) in ring 0.
    mov [rel saved_rsp], rsp
    push 0x10                 ; SS: wrong RPL and DPL for ring 3
    push 0x7E000              ; RSP
    push 0x002                ; RFLAGS
    push 0x20 | 3             ; CS: 64-bit code, DPL 3
    lea rax, [rel never]
    push rax
the_iretq:
    iretq
never:
    FAIL 1

gp_handler:
    CHECK_EQ qword [rsp], 0x10, 2               ; error code: the SS selector
    lea rax, [rel the_iretq]
    CHECK_EQ qword [rsp + 8], rax, 3            ; RIP: the IRETQ
    CHECK_EQ qword [rsp + 16], 0x08, 4          ; CS: still the kernel's
    mov ax, cs
    CHECK_EQ ax, 0x08, 5                        ; the handler runs in ring 0
    mov rax, [rel saved_rsp]
    sub rax, 5 * 8
    CHECK_EQ qword [rsp + 32], rax, 6           ; RSP: the IRETQ's, its frame not popped
    PASS

unexpected:
    FAIL 100

SET_GATE64_ROUTINE set_gate, IDT, 0x08

align 8
descriptors:
    dq 0                                   ; 0x00
    dq 0x00AF9B000000FFFF                  ; 0x08 64-bit code, DPL 0
    dq 0x00CF93000000FFFF                  ; 0x10 data, DPL 0
    dq 0x00CFF3000000FFFF                  ; 0x18 data, DPL 3
    dq 0x00AFFB000000FFFF                  ; 0x20 64-bit code, DPL 3
descriptors_end:

gdtr:      dw descriptors_end - descriptors - 1
           dq GDT
idtr:      dw 256*16-1
           dq IDT
saved_rsp: dq 0
