; SYSENTER and SYSEXIT in IA-32e mode (SDM Vol. 2): SYSEXIT to compatibility mode (CS = SYSENTER_CS
; + 16 | 3, SS = + 24 | 3) and SYSEXIT with REX.W to 64-bit mode (CS = + 32 | 3, SS = + 40 | 3),
; SYSENTER back into the 64-bit kernel (CS = SYSENTER_CS, SS = + 8, RSP/RIP from the MSRs in full,
; IF cleared), #GP(0) for SYSEXIT with a non-canonical RDX; and LAR/LSL in 64-bit mode, where
; system descriptors are 16 bytes and only the LDT, 64-bit TSSs and (LAR) 64-bit call gates count.
; Run: popek run --flat sysenter64.bin --mode 64 --load-address 0x8000
bits 64
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
KSTACK   equ 0x7E000
USTACK   equ 0x60000
SYSENTER_CS  equ 0x174
SYSENTER_ESP equ 0x175
SYSENTER_EIP equ 0x176

start:
    mov rsp, 0x7F000
    ; First 2 MiB user-accessible (ring 3 code and stack run there).
    USER_LOW_2M
    lea rsi, [rel descriptors]
    mov edi, GDT
    mov ecx, (descriptors_end - descriptors) / 8
    rep movsq
    LOAD_GDT64 [rel gdtr]
    ; IDT: #GP (13) to gp_handler, everything else unexpected.
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

    ; LAR and LSL in 64-bit mode.
    mov rax, -1
    mov ecx, 0x08
    lar rax, cx                              ; 64-bit code: high dword AND 00F0FF00h, zero-extended
    jnz .f1
    mov rbx, 0x0000000000A09B00
    cmp rax, rbx
    je .ok1
.f1: FAIL 1
.ok1:
    mov rax, -1
    mov ecx, 0x10
    lsl rax, rcx
    jnz .f2
    mov ebx, 0xFFFFFFFF
    cmp rax, rbx
    je .ok2
.f2: FAIL 2
.ok2:
    mov ecx, 0x38
    lar eax, ecx                             ; 64-bit TSS (16 bytes, upper half type 0)
    jnz .f3
    cmp eax, 0x00008900
    je .ok3
.f3: FAIL 3
.ok3:
    lsl eax, ecx
    jnz .f4
    cmp eax, 0x67
    je .ok4
.f4: FAIL 4
.ok4:
    mov ecx, 0x48
    mov eax, 0x1111
    lar eax, ecx                             ; a 16-bit TSS is not valid in IA-32e mode
    jz .f5
    cmp eax, 0x1111
    je .ok5
.f5: FAIL 5
.ok5:
    mov ecx, 0x58
    lar eax, ecx                             ; 64-bit call gate: valid for LAR
    jnz .f6
    cmp eax, 0x0000EC00
    je .ok6
.f6: FAIL 6
.ok6:
    lsl eax, ecx                             ; ... not for LSL
    jz .f7
    jmp .ok7
.f7: FAIL 7
.ok7:
    mov ecx, 0x68
    lar eax, ecx                             ; LDT whose upper half has a non-zero type field
    jnz .ok8
    FAIL 8
.ok8:

    ; SYSENTER's MSRs: CS 0x08, a 64-bit stack and entry point.
    mov ecx, SYSENTER_CS
    xor edx, edx
    mov eax, 0x08
    wrmsr
    mov ecx, SYSENTER_ESP
    mov eax, KSTACK
    wrmsr
    mov ecx, SYSENTER_EIP
    lea rax, [rel kernel_entry]
    mov rdx, rax
    shr rdx, 32
    wrmsr

    ; #GP(0): SYSEXIT with REX.W and a non-canonical RDX.
    mov qword [rel gp_resume], .after_gp
    mov rdx, 0x0000800000000000
    mov rcx, USTACK
    o64 sysexit
    FAIL 10
.after_gp:
    CHECK_EQ qword [rel gp_count], 1, 11

    ; SYSEXIT (no REX.W): compatibility mode at CPL 3.
    mov byte [rel phase], 1
    sti
    mov ecx, USTACK
    mov edx, compat_code
    sysexit

kernel_entry:
    ; From ring 3 by SYSENTER: CS = 0x08 (64-bit), SS = 0x10, RSP = IA32_SYSENTER_ESP, IF = 0.
    mov ax, cs
    CHECK_EQ ax, 0x08, 20
    mov ax, ss
    CHECK_EQ ax, 0x10, 21
    CHECK_EQ rsp, KSTACK, 22
    pushfq
    pop rax
    test eax, 0x200
    jz .if_ok
    FAIL 23
.if_ok:
    CHECK_EQ ebx, 0x5EC0DE, 24               ; ring 3's check result
    cmp byte [rel phase], 1
    jne .done
    ; SYSEXIT with REX.W: 64-bit mode at CPL 3.
    mov byte [rel phase], 2
    mov rcx, USTACK + 0x100
    lea rdx, [rel user64_code]
    o64 sysexit
.done:
    CHECK_EQ byte [rel phase], 2, 25
    PASS

user64_code:
    xor ebx, ebx
    mov ax, cs
    cmp ax, 0x2B
    jne .bad
    mov ax, ss
    cmp ax, 0x33
    jne .bad
    cmp rsp, USTACK + 0x100
    jne .bad
    mov ebx, 0x5EC0DE
.bad:
    sysenter

gp_handler:
    ; #GP(0) raised at CPL 0 by SYSEXIT itself: error code 0, the frame's CS still the kernel's.
    CHECK_EQ qword [rsp], 0, 12
    CHECK_EQ qword [rsp + 16], 0x08, 13
    inc qword [rel gp_count]
    add rsp, 8                               ; drop the error code
    mov rax, [rel gp_resume]
    mov [rsp], rax
    iretq

unexpected:
    FAIL 100

SET_GATE64_ROUTINE set_gate, IDT, 0x08

bits 32
compat_code:
    ; Compatibility mode at CPL 3: CS = 0x1B, SS = 0x23, ESP = ECX.
    xor ebx, ebx
    mov eax, cs
    cmp ax, 0x1B
    jne .bad
    mov eax, ss
    cmp ax, 0x23
    jne .bad
    cmp esp, USTACK
    jne .bad
    mov ebx, 0x5EC0DE
.bad:
    sysenter
bits 64

align 8
descriptors:
    dq 0                                   ; 0x00
    dq 0x00AF9B000000FFFF                  ; 0x08 64-bit code, DPL 0
    dq 0x00CF93000000FFFF                  ; 0x10 data, DPL 0
    dq 0x00CFFB000000FFFF                  ; 0x18 32-bit code, DPL 3 (SYSEXIT: +16)
    dq 0x00CFF3000000FFFF                  ; 0x20 data, DPL 3 (+24)
    dq 0x00AFFB000000FFFF                  ; 0x28 64-bit code, DPL 3 (SYSEXIT with REX.W: +32)
    dq 0x00CFF3000000FFFF                  ; 0x30 data, DPL 3 (+40)
    dq 0x0000890300000067, 0               ; 0x38 64-bit TSS, base 30000h (16 bytes)
    dq 0x0000810300000067                  ; 0x48 16-bit TSS (available)
    dq 0                                   ; 0x50
    dq 0x0000EC0000080000, 0               ; 0x58 64-bit call gate, DPL 3 (16 bytes)
    dq 0x0000820400000FFF, 0x00000F0000000000  ; 0x68 LDT; upper half type 0Fh: invalid
descriptors_end:

gdtr:      dw descriptors_end - descriptors - 1
           dq GDT
idtr:      dw 256*16-1
           dq IDT
gp_resume: dq 0
gp_count:  dq 0
phase:     db 0
