; Exceptions and privilege transitions in 64-bit mode.
; Run: popek run --flat exceptions64.bin --mode 64 --load-address 0x8000
; Starts in long mode (CS 0x18, identity-mapped 4 GiB by 2 MiB pages, GDT at 0x1000 from the loader).
; Checks: #UD, #DE, #BP (trap: RIP after INT3), #GP(0) on a non-canonical address, #PF with CR2 and
; error code, INT n through a DPL-3 gate from ring 3, SYSCALL/SYSRET, #GP from CLI at CPL 3 with the
; TSS RSP0 stack switch, #PF with the U/S bit from ring 3, and #DF when delivering #GP finds its gate absent.
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000          ; our own GDT (we replace the loader's)
IDT      equ 0x21000
TSS      equ 0x22000
KSTACK   equ 0x30000          ; ring-0 stack (TSS.RSP0)
USTACK   equ 0x40000
DFSTACK  equ 0x50000          ; IST1 stack for #DF

start:
    mov rsp, 0x7F000
    ; Make the first 2 MiB user-accessible (U/S at every level); 2-4 MiB stays supervisor-only.
    USER_LOW_2M
    ; --- GDT: null, kcode 0x08 (L), kdata 0x10, [sysret base 0x18:] udata32 0x18 (unused), udata 0x20, ucode64 0x28, TSS 0x30
    mov rdi, GDT
    xor eax, eax
    mov [rdi], rax
    mov rax, 0x00AF9B000000FFFF   ; 0x08 kernel code, L=1
    mov [rdi+0x08], rax
    mov rax, 0x00CF93000000FFFF   ; 0x10 kernel data
    mov [rdi+0x10], rax
    mov rax, 0x00CFFB000000FFFF   ; 0x18 user code 32 (SYSRET CS-16 base)
    mov [rdi+0x18], rax
    mov rax, 0x00CFF3000000FFFF   ; 0x20 user data (SYSRET SS = base+8)
    mov [rdi+0x20], rax
    mov rax, 0x00AFFB000000FFFF   ; 0x28 user code 64 (SYSRET CS = base+16)
    mov [rdi+0x28], rax
    ; TSS descriptor (16 bytes) at 0x30: base TSS, limit 0x67, type 9 (available 64-bit TSS), P
    mov rax, TSS
    mov rbx, rax
    and rbx, 0xFFFF
    shl rbx, 16
    or rbx, 0x67
    mov rcx, rax
    shr rcx, 16
    and rcx, 0xFF
    shl rcx, 32
    or rbx, rcx
    mov rcx, 0x89
    shl rcx, 40
    or rbx, rcx
    mov rcx, rax
    shr rcx, 24
    and rcx, 0xFF
    shl rcx, 56
    or rbx, rcx
    mov [rdi+0x30], rbx
    shr rax, 32
    mov [rdi+0x38], rax
    lgdt [gdtr]
    ; reload CS with a far return, and the data segments
    push 0x08
    lea rax, [rel .cs_loaded]
    push rax
    retfq
.cs_loaded:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    ; --- TSS: RSP0 and IST1
    mov rdi, TSS
    mov ecx, 0x68/8
    xor eax, eax
    rep stosq
    mov qword [TSS+4], KSTACK
    mov qword [TSS+0x24], DFSTACK
    mov word [TSS+0x66], 0x68     ; no I/O bitmap
    mov ax, 0x30
    ltr ax
    ; --- IDT: every vector to `unexpected`, then the ones we test
    mov rdi, IDT
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate_rax
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 0
    lea rax, [rel h_de]
    call set_gate_rax
    mov ecx, 3
    lea rax, [rel h_bp]
    call set_gate_rax
    mov ecx, 6
    lea rax, [rel h_ud]
    call set_gate_rax
    mov ecx, 13
    lea rax, [rel h_gp]
    call set_gate_rax
    mov ecx, 14
    lea rax, [rel h_pf]
    call set_gate_rax
    mov ecx, 8
    lea rax, [rel h_df]
    call set_gate_rax
    mov byte [IDT + 8*16 + 4], 1          ; #DF uses IST1
    mov ecx, 0x80
    lea rax, [rel h_int80]
    call set_gate_rax
    mov byte [IDT + 0x80*16 + 5], 0xEE    ; DPL 3 interrupt gate
    lidt [idtr]

    ; --- 1. #UD
    mov qword [expect_rip], 0
    lea rax, [rel .after_ud]
    mov [resume], rax
    ud2
.after_ud:
    CHECK_EQ qword [last_vector], 6, 1
    ; --- 2. #DE
    lea rax, [rel .after_de]
    mov [resume], rax
    xor edx, edx
    mov eax, 1
    xor ecx, ecx
    div ecx
.after_de:
    CHECK_EQ qword [last_vector], 0, 2
    ; --- 3. #BP is a trap: the saved RIP is the instruction after INT3
    lea rax, [rel .after_bp]
    mov [expect_rip], rax
    int3
.after_bp:
    CHECK_EQ qword [last_vector], 3, 3
    CHECK_EQ qword [saw_rip_ok], 1, 4
    ; --- 5. #GP(0) for a non-canonical address
    lea rax, [rel .after_gp]
    mov [resume], rax
    mov rax, 0x0000800000000000
    mov rbx, [rax]
.after_gp:
    CHECK_EQ qword [last_vector], 13, 5
    CHECK_EQ qword [last_error], 0, 6
    ; --- 7. #PF: a write to an address beyond the 4 GiB mapping: not present, write -> error code 2
    lea rax, [rel .after_pf]
    mov [resume], rax
    mov rax, 0x0000000140000000
    mov qword [rax], 1
.after_pf:
    CHECK_EQ qword [last_vector], 14, 7
    CHECK_EQ qword [last_error], 2, 8
    mov rax, cr2
    mov rbx, 0x0000000140000000
    CHECK_EQ rax, rbx, 9
    ; --- SYSCALL setup: STAR, LSTAR, FMASK, EFER.SCE
    mov ecx, 0xC0000080
    rdmsr
    or eax, 1
    wrmsr
    mov ecx, 0xC0000081
    xor eax, eax
    mov edx, 0x00180008           ; SYSRET base 0x18, SYSCALL CS 0x08
    wrmsr
    mov ecx, 0xC0000082
    lea rax, [rel syscall_entry]
    mov rdx, rax
    shr rdx, 32
    wrmsr
    mov ecx, 0xC0000084
    mov eax, 0x200                ; clear IF on entry
    xor edx, edx
    wrmsr
    ; --- enter ring 3 with IRETQ: SS, RSP, RFLAGS, CS, RIP
    push 0x20 | 3
    push USTACK
    push 0x202
    push 0x28 | 3
    lea rax, [rel user_code]
    push rax
    iretq

; ring 3
user_code:
    mov ax, cs
    and ax, 3
    cmp ax, 3
    je .cpl3
    FAIL 10
.cpl3:
    ; 11. INT 0x80 through a DPL-3 gate reaches ring 0 and returns
    mov rbx, 0x1234
    int 0x80
    CHECK_EQ rbx, 0x5678, 11
    ; 12. SYSCALL/SYSRET round trip
    mov rax, 42
    syscall
    CHECK_EQ rax, 43, 12
    mov ax, cs
    and ax, 3
    CHECK_EQ ax, 3, 13
    ; 14. CLI at CPL 3 (IOPL 0) raises #GP(0) on the ring-0 stack from TSS.RSP0
    lea rax, [rel .after_cli]
    mov [resume], rax
    cli
.after_cli:
    CHECK_EQ qword [last_vector], 13, 14
    CHECK_EQ qword [gp_rsp_ok], 1, 15
    ; 16. A user read of a supervisor page (2-4 MiB): #PF, error code P|U = 5
    lea rax, [rel .after_upf]
    mov [resume], rax
    mov rax, [0x200000]
.after_upf:
    CHECK_EQ qword [last_vector], 14, 16
    CHECK_EQ qword [last_error], 5, 20
    ; Return to ring 0 for the #DF check.
    mov rax, 99
    syscall
    FAIL 21

syscall_entry:
    ; RCX = return RIP, R11 = RFLAGS
    cmp rax, 99
    je kernel_tail
    inc rax
    o64 sysret

kernel_tail:
    mov rsp, 0x7F000
    mov ax, 0x10
    mov ss, ax
    ; --- 17. #DF: make the #GP gate not present; a #GP then raises #NP while delivering -> #DF
    lea rax, [rel .after_df]
    mov [resume], rax
    and byte [IDT + 13*16 + 5], 0x7F
    mov rax, 0x0000800000000000
    mov rbx, [rax]
.after_df:
    CHECK_EQ qword [last_vector], 8, 17
    CHECK_EQ qword [last_error], 0, 18
    CHECK_EQ qword [df_rsp_ok], 1, 19
    PASS

; set_gate_rax: IDT entry ECX -> handler RAX, selector 0x08, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate_rax, IDT, 0x08

; Handlers for faults without an error code resume at [resume].
h_de:
    mov qword [last_vector], 0
    jmp resume_fault
h_ud:
    mov qword [last_vector], 6
    jmp resume_fault
h_bp:
    mov qword [last_vector], 3
    mov rax, [rsp]
    cmp rax, [expect_rip]
    jne .bad
    mov qword [saw_rip_ok], 1
.bad:
    iretq
h_gp:
    mov qword [last_vector], 13
    pop qword [last_error]
    ; from ring 3 the handler runs on KSTACK: RSP = KSTACK - 5*8 after the error code pop
    mov rax, rsp
    cmp rax, KSTACK - 5*8
    jne resume_fault
    mov qword [gp_rsp_ok], 1
    jmp resume_fault
h_pf:
    mov qword [last_vector], 14
    pop qword [last_error]
    jmp resume_fault
h_df:
    mov qword [last_vector], 8
    pop qword [last_error]
    mov rax, rsp
    cmp rax, DFSTACK - 5*8
    jne .no
    mov qword [df_rsp_ok], 1
.no:
    jmp resume_fault
h_int80:
    mov rbx, 0x5678
    iretq
; Return from a fault to [resume], in the ring the fault came from.
resume_fault:
    mov rax, [resume]
    mov [rsp], rax
    iretq
unexpected:
    FAIL 100

align 8
last_vector: dq -1
last_error: dq -1
resume: dq 0
expect_rip: dq 0
saw_rip_ok: dq 0
gp_rsp_ok: dq 0
df_rsp_ok: dq 0
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
