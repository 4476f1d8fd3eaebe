; Model-specific registers in 64-bit mode, as every engine must present them: the ones the CPU
; keeps (STAR, LSTAR, FMASK, KERNEL_GS_BASE, SYSENTER_*, PAT), the local APIC's (IA32_APIC_BASE,
; IA32_TSC_DEADLINE: a device's when the machine has one, the CPU model's otherwise), #GP(0) for an
; MSR nobody models, and a TSC that moves forward. Under KVM the APIC's MSRs and unknown MSRs exit
; to the monitor, which asks the machine, as the interpreter does.
; Run: popek run --flat msr64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

IDT equ 0x21000

; WRMSR ecx <- rax (64-bit), RDMSR back into rax
%macro WR 2
    mov ecx, %1
    mov rax, %2
    mov rdx, rax
    shr rdx, 32
    wrmsr
%endmacro
%macro RD 1
    mov ecx, %1
    rdmsr
    shl rdx, 32
    mov eax, eax
    or rax, rdx
%endmacro

start:
    mov rsp, 0x7F000
    ; IDT: #GP only (interrupt gate, the loader's 64-bit code selector 0x18)
    mov rdi, IDT
    mov ecx, 256*2
    xor eax, eax
    rep stosq
    lea rax, [rel h_gp]
    mov [IDT + 13*16], ax
    mov word [IDT + 13*16 + 2], 0x18
    mov word [IDT + 13*16 + 4], 0x8E00
    shr rax, 16
    mov [IDT + 13*16 + 6], ax
    shr rax, 16
    mov [IDT + 13*16 + 8], eax
    lidt [idtr]
    ; 1-6. MSRs the CPU keeps: write, read back.
    WR 0xC0000081, 0x0023001000000000
    RD 0xC0000081
    mov rbx, 0x0023001000000000
    CHECK_EQ rax, rbx, 1
    WR 0xC0000082, 0xFFFFFFFF81000000
    RD 0xC0000082
    mov rbx, 0xFFFFFFFF81000000
    CHECK_EQ rax, rbx, 2
    WR 0xC0000084, 0x47700
    RD 0xC0000084
    CHECK_EQ rax, 0x47700, 3
    WR 0xC0000102, 0x123456789000
    RD 0xC0000102
    mov rbx, 0x123456789000
    CHECK_EQ rax, rbx, 4
    WR 0x175, 0x7000
    RD 0x175
    CHECK_EQ rax, 0x7000, 5
    WR 0x277, 0x0007040600070406
    RD 0x277
    mov rbx, 0x0007040600070406
    CHECK_EQ rax, rbx, 6
    ; 7. IA32_APIC_BASE: the power-on value (0xFEE00000, enabled, BSP).
    RD 0x1B
    and eax, ~0xFF
    mov ebx, 0xFEE00900
    and ebx, ~0xFF
    CHECK_EQ rax, rbx, 7
    ; 8. IA32_TSC_DEADLINE: reads back what was written, or 0 where a local APIC's timer is not in
    ; TSC-deadline mode (SDM Vol. 3, 11.5.4.1: writes are then ignored).
    WR 0x6E0, 0x0000001234567890
    RD 0x6E0
    mov r8, rax
    WR 0x6E0, 0
    mov rbx, 0x0000001234567890
    cmp r8, rbx
    je .deadline_ok
    CHECK_EQ r8, 0, 8
.deadline_ok:
    ; 9. An MSR nobody models: #GP(0), and RDMSR leaves EDX:EAX alone.
    lea rax, [rel .after_gp]
    mov [rel resume], rax
    mov ecx, 0x4B564DFF
    mov eax, 0x11111111
    mov edx, 0x22222222
    rdmsr
.after_gp:
    CHECK_EQ qword [rel gp_count], 1, 9
    CHECK_EQ qword [rel gp_error], 0, 9
    CHECK_EQ eax, 0x11111111, 9
    ; 10. WRMSR to it: #GP(0) too.
    lea rax, [rel .after_gp2]
    mov [rel resume], rax
    mov ecx, 0x4B564DFF
    xor eax, eax
    xor edx, edx
    wrmsr
.after_gp2:
    CHECK_EQ qword [rel gp_count], 2, 10
    ; 11. The TSC moves forward.
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov rsi, rax
    mov ecx, 1000
.spin:
    dec ecx
    jnz .spin
    rdtsc
    shl rdx, 32
    or rax, rdx
    cmp rax, rsi
    ja .tsc_ok
    FAIL 11
.tsc_ok:
    ; The TSC values differ between engines and runs: clear them from the final state.
    xor eax, eax
    xor edx, edx
    xor esi, esi
    xor ecx, ecx
    PASS

h_gp:
    inc qword [rel gp_count]
    pop qword [rel gp_error]
    push rax
    mov rax, [rel resume]
    mov [rsp + 8], rax
    pop rax
    iretq

align 8
resume: dq 0
gp_count: dq 0
gp_error: dq -1
idtr: dw 256*16-1
      dq IDT
