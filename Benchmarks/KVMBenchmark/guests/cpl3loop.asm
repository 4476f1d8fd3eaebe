; KVM benchmark guest: drops to ring 3 and runs an integer loop there, then returns to ring 0 with
; UD2 and writes 0 to the debug-exit port. The iteration count is the qword at offset 8 (0x8008),
; patched by kvm-bench. 7 instructions per iteration. Loaded at 0x8000 in 64-bit mode (FlatBinary).
bits 64
org 0x8000

GDT    equ 0x20000
IDT    equ 0x21000
TSS    equ 0x22000
KSTACK equ 0x30000
USTACK equ 0x40000

    jmp start
align 8
iterations: dq 1000000

start:
    mov rsp, 0x7F000
    ; the first 2 MiB user-accessible
    mov rax, cr3
    and rax, ~0xFFF
    or qword [rax], 4
    mov rbx, [rax]
    and rbx, ~0xFFF
    or qword [rbx], 4
    mov rcx, [rbx]
    and rcx, ~0xFFF
    or qword [rcx], 4
    mov cr3, rax
    ; GDT: null, kcode 0x08, kdata 0x10, (0x18), udata 0x20, ucode64 0x28, TSS 0x30
    mov rdi, GDT
    xor eax, eax
    mov [rdi], rax
    mov rax, 0x00AF9B000000FFFF
    mov [rdi+0x08], rax
    mov rax, 0x00CF93000000FFFF
    mov [rdi+0x10], rax
    mov rax, 0x00CFFB000000FFFF
    mov [rdi+0x18], rax
    mov rax, 0x00CFF3000000FFFF
    mov [rdi+0x20], rax
    mov rax, 0x00AFFB000000FFFF
    mov [rdi+0x28], rax
    mov rax, 0x0000890000000067 | ((TSS & 0xFFFFFF) << 16)
    mov [rdi+0x30], rax
    mov qword [rdi+0x38], 0
    lgdt [gdtr]
    push 0x08
    lea rax, [rel .cs]
    push rax
    retfq
.cs:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rdi, TSS
    mov ecx, 0x68/8
    xor eax, eax
    rep stosq
    mov qword [TSS+4], KSTACK
    mov word [TSS+0x66], 0x68
    mov ax, 0x30
    ltr ax
    ; IDT: #UD only
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
    mov rcx, [rel iterations]
    push 0x20 | 3
    push USTACK
    push 0x002
    push 0x28 | 3
    lea rax, [rel user]
    push rax
    iretq

user:
    mov ebx, 0x12345
    xor eax, eax
    xor edx, edx
    xor esi, esi
    xor r12d, r12d
.loop:
    add rax, rbx
    xor rdx, rax
    rol rbx, 3
    sub rsi, rdx
    inc r12
    dec rcx
    jnz .loop
    ud2

h_ud:
    mov al, 0
    out 0xF4, al
    hlt
    jmp h_ud

align 8
gdtr: dw 0x3F
      dq GDT
idtr: dw 256*16-1
      dq IDT
