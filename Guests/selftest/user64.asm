; User mode and the monitor's exits in 64-bit mode: what runs directly under hardware-assisted
; virtualization (CPL3 code) and what traps to the monitor (port I/O, string I/O, MMIO, CPUID),
; written to run identically on every engine, including KVM on hosts without VT-x/AMD-V (kvm_pvm:
; no INT n, no x87/SSE at CPL0, no port I/O or CPUID interception at CPL3).
; Run: popek run --flat user64.bin --mode 64 --load-address 0x8000
; Checks: IN (immediate and DX port, REP INSB) from port 0xE9, which reads back 0xE9; REP OUTSB to the debug
; console; CPUID's vendor string and long-mode bit at CPL0 (cpuid64.asm checks CPL3); IRETQ to ring 3; an integer
; computation at CPL3 (LCG, shifts, DIV) against its known result; #UD, #GP (CLI, IN with IOPL 0),
; #PF on a supervisor page (error code 5, CR2) and #DE raised at CPL3 and delivered to ring 0 on
; the TSS.RSP0 stack. An MMIO read and write outside RAM are made but not checked (the value
; depends on the machine); the conformance tests compare the register it lands in across engines.
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
TSS      equ 0x22000
KSTACK   equ 0x30000          ; ring-0 stack (TSS.RSP0)
USTACK   equ 0x40000
ITERATIONS equ 20000

; CHECK_USER value, expected, n: ring 3 cannot write the exit port (no I/O at CPL3); it records
; the value and ring 0 checks it (as check n) after the return.
%macro CHECK_USER 3
    mov [rel user_cpl], %1
%endmacro

start:
    mov rsp, 0x7F000
    ; Make the first 2 MiB user-accessible (U/S at every level); 2-4 MiB stays supervisor-only.
    USER_LOW_2M
    ; --- GDT: null, kcode 0x08, kdata 0x10, (0x18 unused), udata 0x20, ucode64 0x28, TSS 0x30
    WRITE_GDT64 GDT, TSS
    LOAD_GDT64 [gdtr]
    ; --- TSS: RSP0, no I/O bitmap
    mov rdi, TSS
    mov ecx, 0x68/8
    xor eax, eax
    rep stosq
    mov qword [TSS+4], KSTACK
    mov word [TSS+0x66], 0x68
    mov ax, 0x30
    ltr ax
    ; --- IDT: every vector to `unexpected`, then #DE, #UD, #GP, #PF
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
    mov ecx, 6
    lea rax, [rel h_ud]
    call set_gate_rax
    mov ecx, 13
    lea rax, [rel h_gp]
    call set_gate_rax
    mov ecx, 14
    lea rax, [rel h_pf]
    call set_gate_rax
    lidt [idtr]

    ; --- 1-3. Port input at CPL0: the debug console port reads 0xE9 (Bochs/QEMU convention).
    xor eax, eax
    in al, DEBUG_CONSOLE
    CHECK_EQ eax, 0xE9, 1
    mov dx, DEBUG_CONSOLE
    mov eax, 0xFFFFFF00
    in al, dx
    CHECK_EQ eax, 0xFFFFFFE9, 2
    lea rdi, [rel inbuf]
    mov ecx, 4
    rep insb
    CHECK_EQ dword [rel inbuf], 0xE9E9E9E9, 3
    CHECK_EQ ecx, 0, 3
    ; --- 4. String output to the debug console.
    lea rsi, [rel banner]
    mov ecx, banner_end - banner
    rep outsb
    CHECK_EQ ecx, 0, 4
    ; --- MMIO outside RAM (at 3.5 GiB, inside the loader's 4 GiB identity map): not checked.
    mov rax, 0xE0000000
    mov r12d, [rax]
    mov dword [rax], 0x12345678
    ; --- 5-6. CPUID at CPL0: the model's vendor string and long mode.
    xor eax, eax
    cpuid
    CHECK_EQ ebx, 0x65706F50, 5       ; "Pope"
    CHECK_EQ edx, 0x504D566B, 5       ; "kVMP"
    CHECK_EQ ecx, 0x6B65706F, 5       ; "opek"
    mov eax, 0x80000001
    cpuid
    bt edx, 29
    jc .lm_ok
    FAIL 6
.lm_ok:
    ; --- enter ring 3 with IRETQ (IF clear: no interrupts are expected)
    push 0x20 | 3
    push USTACK
    push 0x002
    push 0x28 | 3
    lea rax, [rel user_code]
    push rax
    iretq

; ---------------------------------------------------------------- ring 3
user_code:
    mov ax, cs
    and eax, 3
    CHECK_USER eax, 3, 7
    ; 8. An integer computation: a 64-bit LCG with an xorshift, then a division.
    mov rcx, ITERATIONS
    mov eax, 1
    mov rbx, 6364136223846793005
    mov rsi, 1442695040888963407
.lcg:
    imul rax, rbx
    add rax, rsi
    mov rdx, rax
    shr rdx, 29
    xor rax, rdx
    dec rcx
    jnz .lcg
    mov r14, rax
    xor edx, edx
    mov ecx, 12345
    div rcx
    xor rax, rdx
    mov r13, rax
    ; RDTSC at CPL3 is allowed (CR4.TSD = 0); its value is not compared.
    rdtsc
    xor eax, eax
    xor edx, edx
    ; 10. #UD
    lea rax, [rel .after_ud]
    mov [rel resume], rax
    ud2
.after_ud:
    ; 11. CLI with IOPL 0: #GP(0)
    lea rax, [rel .after_cli]
    mov [rel resume], rax
    cli
.after_cli:
    ; 12. IN with IOPL 0 and no I/O bitmap: #GP(0)
    lea rax, [rel .after_in]
    mov [rel resume], rax
    in al, DEBUG_CONSOLE
.after_in:
    ; 13. A user read of a supervisor page (2-4 MiB): #PF, error code P|U = 5
    lea rax, [rel .after_pf]
    mov [rel resume], rax
    mov rax, [0x200000]
.after_pf:
    ; 14. Division by zero: #DE
    lea rax, [rel .after_de]
    mov [rel resume], rax
    xor ecx, ecx
    div ecx
.after_de:
    ; Back to ring 0: a last #UD with the `done` flag set.
    mov byte [rel done], 1
    ud2
    FAIL 15

; ---------------------------------------------------------------- ring 0 again
kernel_tail:
    mov rsp, 0x7F000
    mov ax, 0x10
    mov ss, ax
    mov ds, ax
    mov es, ax
    mov fs, ax                            ; (IRETQ to ring 3 nulled DS, ES, FS, GS; kvm_pvm leaves FS
    mov gs, ax                            ; and GS loaded, so reload all four for a common end state)
    CHECK_EQ qword [rel user_cpl], 3, 7
    mov rax, 0x34fbbff4b92aa              ; the computation's result (Python: see the commit message)
    CHECK_EQ r13, rax, 8
    mov rax, 0x9fb000ba0962e1ec
    CHECK_EQ r14, rax, 8
    ; The exceptions, in order: vector, error code, CPL of the faulting code.
    lea rsi, [rel expected_log]
    lea rdi, [rel log]
    mov ecx, (expected_log_end - expected_log) / 8
.cmp:
    mov rax, [rsi]
    cmp rax, [rdi]
    je .same
    FAIL 16
.same:
    add rsi, 8
    add rdi, 8
    dec ecx
    jnz .cmp
    CHECK_EQ qword [rel log_end_ptr], log + (expected_log_end - expected_log), 17
    CHECK_EQ qword [rel pf_cr2], 0x200000, 18
    CHECK_EQ qword [rel rsp_ok], 5, 19
    PASS

; set_gate_rax: IDT entry ECX -> handler RAX, selector 0x08, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate_rax, IDT, 0x08

; Handlers. Each logs (vector, error code, CPL of the interrupted code) and checks it runs on the
; TSS.RSP0 stack, then resumes at [resume] in ring 3.
h_de:
    push 0
    push 0
    jmp handler
h_ud:
    cmp byte [rel done], 1
    je kernel_tail
    push 0
    push 6
    jmp handler
h_gp:
    push 13
    jmp handler
h_pf:
    push rax
    mov rax, cr2
    mov [rel pf_cr2], rax
    pop rax
    push 14
    jmp handler
; Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS
handler:
    push rax
    push rbx
    mov rbx, [rel log_end_ptr]
    mov rax, [rsp + 16]                   ; vector
    mov [rbx], rax
    mov rax, [rsp + 24]                   ; error code
    mov [rbx + 8], rax
    mov rax, [rsp + 40]                   ; CS
    and eax, 3
    mov [rbx + 16], rax
    add rbx, 24
    mov [rel log_end_ptr], rbx
    lea rax, [rsp + 32]                   ; where RIP is: KSTACK - 5*8 from ring 3
    cmp rax, KSTACK - 5*8
    jne .wrong_stack
    inc qword [rel rsp_ok]
.wrong_stack:
    mov rax, [rel resume]
    mov [rsp + 32], rax
    pop rbx
    pop rax
    add rsp, 16
    iretq
unexpected:
    FAIL 100

align 8
expected_log:
    dq 6, 0, 3                            ; #UD
    dq 13, 0, 3                           ; #GP from CLI
    dq 13, 0, 3                           ; #GP from IN
    dq 14, 5, 3                           ; #PF, P|U
    dq 0, 0, 3                            ; #DE
expected_log_end:
log: times 5*3 dq -1
log_end_ptr: dq log
resume: dq 0
pf_cr2: dq 0
rsp_ok: dq 0
user_cpl: dq 0
done: db 0
inbuf: dd 0
banner: db "user64: CPL0 string I/O", 10
banner_end:
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
