; CPUID is the monitor's to answer at every privilege level: the model's vendor string and leaves
; must be the same at CPL3 as at CPL0 (64-bit mode). Under hardware virtualization CPUID always
; exits to the hypervisor; kvm_pvm, without VT-x/AMD-V or CPUID faulting, lets CPL3 CPUID run on
; the host CPU, which answers with the host's own identity (check 3).
; Run: popek run --flat cpuid64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
TSS      equ 0x22000
IDT      equ 0x21000
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
    ; IDT: only #UD (the way back from ring 3).
    mov rdi, IDT
    mov ecx, 256*2
    xor eax, eax
    rep stosq
    lea rax, [rel h_ud]
    mov [IDT + 6*16], ax
    mov word [IDT + 6*16 + 2], 0x08
    mov word [IDT + 6*16 + 4], 0x8E00
    shr rax, 16
    mov [IDT + 6*16 + 6], ax
    shr rax, 16
    mov [IDT + 6*16 + 8], eax
    lidt [idtr]
    ; CPL0: leaves 0 and 80000001h.
    xor eax, eax
    xor ecx, ecx
    cpuid
    mov [rel kleaf0], eax
    mov [rel kleaf0+4], ebx
    mov [rel kleaf0+8], ecx
    mov [rel kleaf0+12], edx
    CHECK_EQ ebx, 0x65706F50, 1       ; "PopekVMPopek"
    CHECK_EQ edx, 0x504D566B, 1
    CHECK_EQ ecx, 0x6B65706F, 1
    mov eax, 0x80000001
    xor ecx, ecx
    cpuid
    mov [rel kleaf1], eax
    mov [rel kleaf1+4], ebx
    mov [rel kleaf1+8], ecx
    mov [rel kleaf1+12], edx
    ; Ring 3.
    push 0x20 | 3
    push USTACK
    push 0x002
    push 0x28 | 3
    lea rax, [rel user_code]
    push rax
    iretq

user_code:
    xor eax, eax
    xor ecx, ecx
    cpuid
    mov [rel uleaf0], eax
    mov [rel uleaf0+4], ebx
    mov [rel uleaf0+8], ecx
    mov [rel uleaf0+12], edx
    mov eax, 0x80000001
    xor ecx, ecx
    cpuid
    mov [rel uleaf1], eax
    mov [rel uleaf1+4], ebx
    mov [rel uleaf1+8], ecx
    mov [rel uleaf1+12], edx
    ud2

h_ud:
    mov rsp, 0x7F000
    mov ax, 0x10
    mov ss, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    ; 2. the same maximum leaf; 3. the same vendor; 4. the same feature leaf.
    mov eax, [rel uleaf0]
    CHECK_EQ eax, [rel kleaf0], 2
    mov rax, [rel uleaf0+4]
    CHECK_EQ rax, [rel kleaf0+4], 3
    mov eax, [rel uleaf0+12]
    CHECK_EQ eax, [rel kleaf0+12], 3
    mov rax, [rel uleaf1]
    CHECK_EQ rax, [rel kleaf1], 4
    mov rax, [rel uleaf1+8]
    CHECK_EQ rax, [rel kleaf1+8], 4
    PASS

align 8
kleaf0: dd 0, 0, 0, 0
kleaf1: dd 0, 0, 0, 0
uleaf0: dd 0, 0, 0, 0
uleaf1: dd 0, 0, 0, 0
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
