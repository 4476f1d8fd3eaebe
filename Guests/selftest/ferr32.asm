; x87 error reporting on the PC (32-bit protected mode): with CR0.NE = 0 an unmasked x87 exception is
; reported the MS-DOS compatible way, FERR# latched into IRQ 13 (8259 slave input 5), and a write to port
; 0xF0 clears the request and asserts IGNNE# until the exception is cleared (SDM Vol. 1, Appendix D);
; with CR0.NE = 1 it is #MF (vector 16).
; Machine: pc (needs the 8259 pair; the interpreter only: see Tests/GuestProgramTests/MachineTests.swift)
; Run (interpreter): popek run --flat ferr32.bin --mode 32 --load-address 0x8000
; Checks: an unmasked divide-by-zero with NE = 0 raises no interrupt by itself nor at a no-wait instruction
; (FNSTSW); the next waiting instruction (FWAIT, an x87 arithmetic instruction, an MMX instruction) is
; interrupted by IRQ 13 before it executes (the handler sees ES set and returns to it; it then completes);
; a handler that writes port 0xF0 without clearing the exception lets the instruction go on (IGNNE#) with
; no second interrupt; FNCLEX releases IGNNE#, and the next error interrupts again; with NE = 1 the same
; error raises #MF at the waiting instruction and no IRQ 13.
bits 32
org 0x8000
%include "common.inc"

IDT equ 0x21000
IRQ13_VECTOR equ 0x2D                   ; slave 8259 at 0x28, input 5

; DIVZERO: FNINIT with ZE unmasked, then 1/0: ES pending, no result.
%macro DIVZERO 0
    fninit
    fldcw [cw_ze]
    fld1
    fldz
    fdivp st1, st0
%endmacro

start:
    mov esp, 0x7F000
    ; IDT: every vector to `unexpected`, #MF and IRQ 13 to their handlers.
    xor ecx, ecx
.fill:
    mov eax, unexpected
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 16
    mov eax, h_mf
    call set_gate
    mov ecx, IRQ13_VECTOR
    mov eax, h_irq13
    call set_gate
    lidt [idtr]
    ; 8259 pair: vectors 0x20 and 0x28, cascade on IRQ 2, only IRQ 2 and IRQ 13 unmasked.
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
    mov al, 0xFB
    out 0x21, al
    mov al, 0xDF
    out 0xA1, al
    ; CR0: NE clear (FERR#), EM and TS clear, MP set.
    mov eax, cr0
    and eax, ~0x2C
    or eax, 0x02
    mov cr0, eax
    sti

    ; --- 1. NE = 0: the error itself and a no-wait instruction raise nothing
    mov dword [clear_in_handler], 1
    DIVZERO
    nop
    nop
    fnstsw ax
    CHECK_EQ dword [irq_count], 0, 1
    and ax, 0x80
    CHECK_EQ ax, 0x80, 2                ; ES pending
    ; --- 2. FWAIT: IRQ 13 before it, returning to it
.wait1:
    fwait
    CHECK_EQ dword [irq_count], 1, 3
    CHECK_EQ dword [irq_eip], .wait1, 4
    mov ax, [irq_sw]
    and ax, 0x80
    CHECK_EQ ax, 0x80, 5                ; the handler saw the exception pending
    fnstsw ax
    and ax, 0x38FF
    CHECK_EQ ax, 0x3000, 6              ; cleared by the handler's FNCLEX; TOP 6 (nothing popped)
    CHECK_EQ dword [mf_count], 0, 7

    ; --- 3. an arithmetic instruction as the waiting one: interrupted, then executed
    DIVZERO
.fld:
    fld1
    CHECK_EQ dword [irq_count], 2, 8
    CHECK_EQ dword [irq_eip], .fld, 9
    fnstsw ax
    and ax, 0x38FF
    CHECK_EQ ax, 0x2800, 10             ; FLD1 ran once after the handler: TOP 5, no flags

    ; --- 4. an MMX instruction as the waiting one
    DIVZERO
.mmx:
    pxor mm0, mm0
    CHECK_EQ dword [irq_count], 3, 11
    CHECK_EQ dword [irq_eip], .mmx, 12
    emms

    ; --- 5. IGNNE#: the handler writes 0xF0 but leaves the exception pending
    mov dword [clear_in_handler], 0
    DIVZERO
.wait2:
    fwait                               ; IRQ 13; returns here, goes on with IGNNE#
    fwait                               ; no second interrupt (FERR# stays asserted, IGNNE# too)
    fld1
    CHECK_EQ dword [irq_count], 4, 13
    CHECK_EQ dword [irq_eip], .wait2, 14
    fnstsw ax
    and ax, 0x80
    CHECK_EQ ax, 0x80, 15               ; still pending
    ; FNCLEX withdraws FERR# and so IGNNE#: the next error interrupts again.
    mov dword [clear_in_handler], 1
    fnclex
    DIVZERO
.wait3:
    fwait
    CHECK_EQ dword [irq_count], 5, 16
    CHECK_EQ dword [irq_eip], .wait3, 17

    ; --- 6. NE = 1: #MF at the waiting instruction, no IRQ 13
    mov eax, cr0
    or eax, 0x20
    mov cr0, eax
    DIVZERO
    nop
.wait4:
    fwait
    CHECK_EQ dword [mf_count], 1, 18
    CHECK_EQ dword [mf_eip], .wait4, 19
    nop
    nop
    CHECK_EQ dword [irq_count], 5, 20
    ; the 8259s have nothing pending: IRR of the slave (OCW3 read IRR) has IRQ 13 clear
    mov al, 0x0A
    out 0xA0, al
    in al, 0xA0
    and al, 0x20
    CHECK_EQ al, 0, 21
    PASS

; set_gate: ECX = vector, EAX = handler (32-bit interrupt gate, selector 0x08).
set_gate:
    mov [IDT + ecx*8], ax
    mov word [IDT + ecx*8 + 2], 0x08
    mov word [IDT + ecx*8 + 4], 0x8E00
    push eax
    shr eax, 16
    mov [IDT + ecx*8 + 6], ax
    pop eax
    ret

; IRQ 13: count, note the return address and the status word, clear the request (port 0xF0, which also
; asserts IGNNE#), clear the exception unless told not to, EOI to both 8259s.
h_irq13:
    push eax
    inc dword [irq_count]
    mov eax, [esp + 4]
    mov [irq_eip], eax
    fnstsw ax
    mov [irq_sw], ax
    xor al, al
    out 0xF0, al
    cmp dword [clear_in_handler], 0
    je .keep
    fnclex
.keep:
    mov al, 0x20
    out 0xA0, al
    out 0x20, al
    pop eax
    iretd

; #MF: count, note the faulting instruction, clear the exception and return to the instruction.
h_mf:
    push eax
    inc dword [mf_count]
    mov eax, [esp + 4]
    mov [mf_eip], eax
    fnclex
    pop eax
    iretd

unexpected:
    FAIL 99

align 4
idtr:
    dw 256 * 8 - 1
    dd IDT
cw_ze: dw 0x037B                        ; all masked but ZE
irq_count: dd 0
irq_eip: dd 0
irq_sw: dd 0
mf_count: dd 0
mf_eip: dd 0
clear_in_handler: dd 1
