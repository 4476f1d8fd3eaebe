; 64-bit call gates in IA-32e mode (SDM Vol. 3, 5.8.3.1 "IA-32e Mode Call Gates"; Vol. 2, CALL, JMP, RET).
; Run: popek run --flat callgate64.bin --mode 64 --load-address 0x8000
; Checks: far CALL through a DPL-0 64-bit gate at CPL 0 (same privilege: CS and RIP pushed as
; quadwords) and RETFQ; far JMP through a gate (nothing pushed); from ring 3, CALL through a DPL-3 gate
; to the ring-0 64-bit code segment: RSP from TSS.RSP0, SS null with RPL 0, the caller's SS, RSP, CS,
; RIP pushed as quadwords, CPL 0; RETFQ back to ring 3 (CS, SS, RSP restored); and the faults: a 16-bit
; gate (type 4) #GP(gate), a gate whose upper half has a nonzero type #GP(gate), a gate to a 32-bit code
; segment #GP(segment), gate DPL < CPL #GP(gate).
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
TSS      equ 0x22000
KSTACK   equ 0x30000          ; TSS.RSP0
USTACK   equ 0x40000

K_CODE   equ 0x08
K_DATA   equ 0x10
K_CODE32 equ 0x18
U_DATA   equ 0x20
U_CODE   equ 0x28
TSS_SEL  equ 0x30             ; 16 bytes
GATE_U   equ 0x40             ; 16 bytes: DPL 3 -> K_CODE:gate_target
GATE_K   equ 0x50             ; 16 bytes: DPL 0 -> K_CODE:same_target
GATE16   equ 0x60             ; 8 bytes: a 16-bit gate (type 4), DPL 0
GATE_BAD equ 0x70             ; 16 bytes: upper half type 0Ch (must be 0)
GATE_32  equ 0x80             ; 16 bytes: DPL 0 -> K_CODE32 (not a 64-bit segment)
GATE_J   equ 0x90             ; 16 bytes: DPL 0 -> K_CODE:jmp_target

; GATE64 slot, selector, target, attribute byte, upper-half type byte
%macro GATE64 5
    mov rax, %3
    mov word [GDT + %1], ax
    mov word [GDT + %1 + 2], %2
    mov byte [GDT + %1 + 4], 0
    mov byte [GDT + %1 + 5], %4
    shr rax, 16
    mov word [GDT + %1 + 6], ax
    shr rax, 16
    mov dword [GDT + %1 + 8], eax
    mov dword [GDT + %1 + 12], %5 << 8
%endmacro

%macro ARM 1
    mov qword [last_vector], -1
    mov qword [last_error], -1
    lea rax, [rel %1]
    mov [resume], rax
%endmacro

%macro EXPECT_FAULT 3
    CHECK_EQ qword [last_vector], %1, %3
    CHECK_EQ qword [last_error], %2, %3+1
%endmacro

start:
    mov rsp, 0x7F000
    ; the first 2 MiB user-accessible (U/S at every level)
    USER_LOW_2M
    ; GDT
    mov rdi, GDT
    xor eax, eax
    mov ecx, 0xA0 / 8
    rep stosq
    mov rax, 0x00AF9B000000FFFF
    mov [GDT + K_CODE], rax
    mov rax, 0x00CF93000000FFFF
    mov [GDT + K_DATA], rax
    mov rax, 0x00CF9B000000FFFF
    mov [GDT + K_CODE32], rax
    mov rax, 0x00CFF3000000FFFF
    mov [GDT + U_DATA], rax
    mov rax, 0x00AFFB000000FFFF
    mov [GDT + U_CODE], rax
    mov rax, 0x0000890000000067 | ((TSS & 0xFFFFFF) << 16)
    mov [GDT + TSS_SEL], rax
    GATE64 GATE_U, K_CODE, gate_target, 0xEC, 0
    GATE64 GATE_K, K_CODE, same_target, 0x8C, 0
    mov rax, 0x00008C0000080000     ; 16-bit gate layout (offset 0)
    mov [GDT + GATE16], rax
    mov byte [GDT + GATE16 + 5], 0x84                      ; type 4, DPL 0, P
    GATE64 GATE_BAD, K_CODE, same_target, 0x8C, 0x0C
    GATE64 GATE_32, K_CODE32, same_target, 0x8C, 0
    GATE64 GATE_J, K_CODE, jmp_target, 0x8C, 0
    lgdt [gdtr]
    push K_CODE
    lea rax, [rel .cs_loaded]
    push rax
    retfq
.cs_loaded:
    mov ax, K_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov qword [TSS + 4], KSTACK
    mov word [TSS + 0x66], 0x68
    mov ax, TSS_SEL
    ltr ax
    ; IDT: #GP and #NP recorded, INT 80h (DPL 3) back to ring 0, the rest unexpected
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 11
    lea rax, [rel h_np]
    call set_gate
    mov ecx, 13
    lea rax, [rel h_gp]
    call set_gate
    mov ecx, 0x80
    lea rax, [rel h_back]
    call set_gate
    mov byte [IDT + 0x80 * 16 + 5], 0xEE
    lidt [idtr]

    ; --- 1-5. same privilege through the DPL-0 gate: RIP and CS as quadwords, RETFQ
    mov [saved_rsp], rsp
    call far dword [rel ptr_gate_k]
.ret_same:
    lea rax, [rel .ret_same]
    CHECK_EQ [s_frame], rax, 1
    CHECK_EQ qword [s_frame + 8], K_CODE, 2
    mov rax, [saved_rsp]
    sub rax, 16
    CHECK_EQ [s_rsp], rax, 3
    CHECK_EQ qword [s_cs], K_CODE, 4
    CHECK_EQ [saved_rsp], rsp, 5
    ; --- 6-7. JMP through a gate
    jmp far dword [rel ptr_gate_j]
.jmp_back:
    CHECK_EQ [j_rsp], rsp, 6
    CHECK_EQ qword [j_cs], K_CODE, 7

    ; --- 8-13. faults
    ARM .after_16
    call far dword [rel ptr_gate16]
.after_16:
    EXPECT_FAULT 13, GATE16, 8
    ARM .after_bad
    call far dword [rel ptr_gate_bad]
.after_bad:
    EXPECT_FAULT 13, GATE_BAD, 10
    ARM .after_32
    call far dword [rel ptr_gate_32]
.after_32:
    EXPECT_FAULT 13, K_CODE32, 12

    ; --- 14-24. ring 3 -> ring 0 through GATE_U, RETFQ back
    push U_DATA | 3
    push USTACK
    push 0x2
    push U_CODE | 3
    lea rax, [rel user_call]
    push rax
    iretq
.back_call:
    CHECK_EQ qword [g_cs], K_CODE, 14
    CHECK_EQ qword [g_ss], 0, 15               ; null SS, RPL 0
    CHECK_EQ qword [g_rsp], KSTACK - 32, 16
    lea rax, [rel user_call.uret]
    CHECK_EQ [g_frame], rax, 17
    CHECK_EQ qword [g_frame + 8], U_CODE | 3, 18
    mov rax, [u_rsp_before]
    CHECK_EQ [g_frame + 16], rax, 19
    CHECK_EQ qword [g_frame + 24], U_DATA | 3, 20
    CHECK_EQ qword [u_cs], U_CODE | 3, 21
    CHECK_EQ qword [u_ss], U_DATA | 3, 22
    mov rax, [u_rsp_before]
    CHECK_EQ [u_rsp_after], rax, 23
    ; --- 24-25. ring 3 through the DPL-0 gate: #GP(gate)
    ARM .after_dpl
    push U_DATA | 3
    push USTACK
    push 0x2
    push U_CODE | 3
    lea rax, [rel user_call_dpl0]
    push rax
    iretq
.after_dpl:
    EXPECT_FAULT 13, GATE_K, 24
    PASS

same_target:
    mov [rel s_rsp], rsp
    mov rax, [rsp]
    mov [rel s_frame], rax
    mov rax, [rsp + 8]
    mov [rel s_frame + 8], rax
    mov [rel s_cs], cs
    retfq

jmp_target:
    mov [rel j_rsp], rsp
    mov [rel j_cs], cs
    jmp start.jmp_back

; From ring 3: records CS, SS, RSP and the four quadwords of the frame, returns with RETFQ.
gate_target:
    mov [rel g_cs], cs
    mov [rel g_ss], ss
    mov [rel g_rsp], rsp
    mov rax, [rsp]
    mov [rel g_frame], rax
    mov rax, [rsp + 8]
    mov [rel g_frame + 8], rax
    mov rax, [rsp + 16]
    mov [rel g_frame + 16], rax
    mov rax, [rsp + 24]
    mov [rel g_frame + 24], rax
    retfq

; ring 3
user_call:
    mov [rel u_rsp_before], rsp
    call far dword [rel ptr_gate_u]
.uret:
    mov [rel u_cs], cs
    mov [rel u_ss], ss
    mov [rel u_rsp_after], rsp
    lea rax, [rel start.back_call]
    mov [rel h_back_to], rax
    int 0x80
user_call_dpl0:
    call far dword [rel ptr_gate_k_rpl3]
    FAIL 91

; set_gate: IDT entry ECX -> handler RAX, selector K_CODE, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate, IDT, K_CODE

h_np:
    mov qword [rel last_vector], 11
    jmp fault_common
h_gp:
    mov qword [rel last_vector], 13
fault_common:
    pop qword [rel last_error]
    mov ax, K_DATA
    mov ss, ax
    mov rsp, 0x7F000
    jmp [rel resume]

h_back:
    mov ax, K_DATA
    mov ss, ax
    mov rsp, 0x7F000
    jmp [rel h_back_to]

unexpected:
    FAIL 100

align 8
saved_rsp: dq 0
s_rsp: dq 0
s_frame: dq 0, 0
s_cs: dq 0
j_rsp: dq 0
j_cs: dq 0
g_cs: dq 0
g_ss: dq 0
g_rsp: dq 0
g_frame: dq 0, 0, 0, 0
u_rsp_before: dq 0
u_rsp_after: dq 0
u_cs: dq 0
u_ss: dq 0
h_back_to: dq 0
last_vector: dq -1
last_error: dq -1
resume: dq 0
; far pointers (m16:32; the offset is ignored for a gate)
ptr_gate_k: dd 0
            dw GATE_K
ptr_gate_k_rpl3: dd 0
            dw GATE_K | 3
ptr_gate_j: dd 0
            dw GATE_J
ptr_gate16: dd 0
            dw GATE16
ptr_gate_bad: dd 0
            dw GATE_BAD
ptr_gate_32: dd 0
            dw GATE_32
ptr_gate_u: dd 0
            dw GATE_U | 3
gdtr: dw 0x9F
      dq GDT
idtr: dw 256*16-1
      dq IDT
