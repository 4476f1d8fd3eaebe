; LAR, LSL, VERR and VERW (SDM Vol. 2) at CPL 0 and CPL 3 in 32-bit protected mode, and SYSEXIT /
; SYSENTER as the way down to ring 3 and back (SDM Vol. 2, SYSENTER and SYSEXIT: flat CS/SS derived
; from IA32_SYSENTER_CS, ESP/EIP from ECX/EDX or the MSRs, IF cleared by SYSENTER). Each expected
; value is worked out from the descriptor by the SDM's rules (access rights = high dword AND
; 00F0FF00h; the limit scaled by G; privilege DPL >= max(CPL, RPL) except conforming code; the
; system types each instruction accepts).
; Run: popek run --flat segquery32.bin --mode 32 --load-address 0x8000
bits 32
org 0x8000
%include "common.inc"

GDT      equ 0x20000
KSTACK   equ 0x70000
USTACK   equ 0x60000

; QUERY op, selector, expected ZF (0/1), expected value (ignored when ZF is 0), check number.
; Failing at CPL 3 cannot use the exit port (IOPL 0): it records the check and returns to ring 0.
%macro QUERY 5
    mov ecx, %2
    mov eax, 0xDEADBEEF
    %1 eax, ecx
    %if %3
        jnz %%bad
        cmp eax, %4
        jne %%bad
    %else
        jz %%bad
        cmp eax, 0xDEADBEEF      ; the destination is unchanged when ZF = 0
        jne %%bad
    %endif
    jmp %%ok
%%bad:
    mov dword [fail], %5
    jmp failed
%%ok:
%endmacro

; VERIFY op, selector, expected ZF, check number.
%macro VERIFY 4
    mov ecx, %2
    %1 cx
    %if %3
        jnz %%bad
    %else
        jz %%bad
    %endif
    jmp %%ok
%%bad:
    mov dword [fail], %4
    jmp failed
%%ok:
%endmacro

start:
    mov esp, 0x7F000
    mov esi, descriptors
    mov edi, GDT
    mov ecx, (descriptors_end - descriptors) / 4
    rep movsd
    lgdt [gdtr]
    jmp 0x08:.reload
.reload:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax

    ; CPL 0.
    QUERY lar, 0x08, 1, 0x00C09B00, 1       ; code, DPL 0, accessed
    QUERY lsl, 0x08, 1, 0xFFFFFFFF, 2       ; limit FFFFFh, G = 1
    QUERY lsl, 0x28, 1, 0x1234, 3           ; byte-granular limit
    QUERY lar, 0x28, 1, 0x0040F100, 4       ; read-only data, DPL 3
    QUERY lar, 0x40, 1, 0x00008900, 5       ; available 32-bit TSS
    QUERY lsl, 0x40, 1, 0x67, 6
    QUERY lar, 0x48, 1, 0x0000EC00, 7       ; call gate: valid for LAR
    QUERY lsl, 0x48, 0, 0, 8                ; ... not for LSL
    QUERY lar, 0x50, 0, 0, 9                ; interrupt gate: valid for neither
    QUERY lar, 0x58, 1, 0x00008200, 10      ; LDT
    QUERY lsl, 0x58, 1, 0xFFF, 11
    QUERY lsl, 0x60, 1, 0xFFFFFFFF, 12      ; G = 1, 16-bit data
    QUERY lar, 0x60, 1, 0x00809300, 13
    QUERY lar, 0x68, 1, 0x00C07300, 14      ; not present: LAR does not check P
    QUERY lar, 0x00, 0, 0, 15               ; null selector
    QUERY lar, 0x70, 0, 0, 16               ; system type 0 (reserved)
    QUERY lar, 0x0C, 0, 0, 17               ; TI = 1 with a null LDTR
    QUERY lar, 0x13, 0, 0, 18               ; RPL 3 > DPL 0
    QUERY lar, 0x3B, 1, 0x00C09F00, 19      ; conforming code: no privilege check
    QUERY lar, 0x78, 0, 0, 20               ; past the GDT limit (77h)
    VERIFY verr, 0x08, 1, 21                ; readable code
    VERIFY verw, 0x08, 0, 22                ; code is never writable
    VERIFY verr, 0x30, 0, 23                ; execute-only code
    VERIFY verw, 0x28, 0, 24                ; read-only data
    VERIFY verw, 0x20, 1, 25
    VERIFY verr, 0x40, 0, 26                ; system descriptors: ZF = 0
    VERIFY verr, 0x68, 1, 27                ; not present: not checked
    VERIFY verr, 0x00, 0, 28
    ; The 16-bit form writes only AX.
    mov ecx, 0x08
    mov eax, 0xAAAA5555
    lar ax, cx
    CHECK_EQ eax, 0xAAAA9B00, 29
    ; A memory source operand.
    mov word [selector], 0x28
    lsl ebx, [selector]
    CHECK_EQ ebx, 0x1234, 30

    ; SYSENTER's MSRs; SYSEXIT to ring 3.
    mov ecx, 0x174
    xor edx, edx
    mov eax, 0x08
    wrmsr
    mov ecx, 0x175
    mov eax, KSTACK
    wrmsr
    mov ecx, 0x176
    mov eax, kernel_entry
    wrmsr
    sti                                  ; SYSENTER must clear IF
    mov ecx, USTACK
    mov edx, user_code
    sysexit

user_code:
    ; CS = SYSENTER_CS + 16 | 3, SS = SYSENTER_CS + 24 | 3, ESP = ECX.
    mov eax, cs
    cmp eax, 0x1B
    je .cs_ok
    mov dword [fail], 40
    jmp failed
.cs_ok:
    mov eax, ss
    cmp eax, 0x23
    je .ss_ok
    mov dword [fail], 41
    jmp failed
.ss_ok:
    cmp esp, USTACK
    je .esp_ok
    mov dword [fail], 42
    jmp failed
.esp_ok:
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    ; CPL 3.
    QUERY lar, 0x08, 0, 0, 43               ; DPL 0 < CPL 3
    QUERY lar, 0x1B, 1, 0x00C0FB00, 44
    QUERY lar, 0x3B, 1, 0x00C09F00, 45      ; conforming: still visible
    QUERY lsl, 0x43, 0, 0, 46               ; TSS with DPL 0
    QUERY lar, 0x4B, 1, 0x0000EC00, 47      ; call gate with DPL 3
    QUERY lsl, 0x2B, 1, 0x1234, 48
    VERIFY verr, 0x3B, 1, 49
    VERIFY verw, 0x23, 1, 50
    VERIFY verw, 0x13, 0, 51
    VERIFY verr, 0x0B, 0, 52
    VERIFY verr, 0x6B, 1, 53
    mov dword [fail], 0
failed:
    sysenter                             ; to kernel_entry at CPL 0

kernel_entry:
    mov eax, cs
    CHECK_EQ eax, 0x08, 60
    mov eax, ss
    CHECK_EQ eax, 0x10, 61
    CHECK_EQ esp, KSTACK, 62
    pushfd
    pop eax
    test eax, 0x200
    jz .if_ok
    FAIL 63
.if_ok:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov eax, [fail]
    test eax, eax
    jz .pass
    out DEBUG_EXIT, al
    hlt
.pass:
    PASS

align 8
descriptors:
    dq 0                                   ; 0x00
    dq 0x00CF9B000000FFFF                  ; 0x08 code, DPL 0
    dq 0x00CF93000000FFFF                  ; 0x10 data, DPL 0
    dq 0x00CFFB000000FFFF                  ; 0x18 code, DPL 3
    dq 0x00CFF3000000FFFF                  ; 0x20 data, DPL 3
    dq 0x0040F10000001234                  ; 0x28 read-only data, DPL 3, limit 1234h bytes
    dq 0x00CFF9000000FFFF                  ; 0x30 execute-only code, DPL 3
    dq 0x00CF9F000000FFFF                  ; 0x38 conforming readable code, DPL 0
    dq 0x0000890300000067                  ; 0x40 32-bit TSS (available), base 30000h
    dq 0x0000EC0000080000                  ; 0x48 32-bit call gate, DPL 3
    dq 0x0000EE0000080000                  ; 0x50 32-bit interrupt gate, DPL 3
    dq 0x0000820400000FFF                  ; 0x58 LDT, base 40000h, limit FFFh
    dq 0x008F93000000FFFF                  ; 0x60 16-bit data, G = 1, DPL 0
    dq 0x00CF73000000FFFF                  ; 0x68 data, not present, DPL 3
    dq 0                                   ; 0x70 system type 0; the limit ends here
descriptors_end:

gdtr:     dw 0x77
          dd GDT
selector: dw 0
fail:     dd 0
