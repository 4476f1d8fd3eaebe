; Popek's built-in demo guest: starts in real mode, walks to protected mode and to long mode,
; prints what it finds on COM1, and powers off (ACPI S5). `popek run` with no kernel boots it.
; Loaded at 0000:8000 in real mode. Rebuild: Scripts/gen-demo-guest.sh.
bits 16
org 0x8000

COM1      equ 0x3F8
PML4      equ 0x70000
PDPT      equ 0x71000
PD        equ 0x72000

start16:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    ; COM1: 115200 8N1, FIFOs on (16550 LCR/DLL/DLM/FCR)
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 3
    out dx, al
    mov dx, COM1 + 2
    mov al, 0xC7
    out dx, al
    mov si, msg_real
    call print16
    ; fast A20 through port 0x92, then protected mode
    in al, 0x92
    or al, 2
    out 0x92, al
    lgdt [gdtr]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:start32

print16:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp print16
.done:
    ret

bits 32
start32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7C00
    mov esi, msg_prot
    call print32
    ; CPUID vendor string (EBX, EDX, ECX)
    xor eax, eax
    cpuid
    mov [vendor], ebx
    mov [vendor + 4], edx
    mov [vendor + 8], ecx
    mov esi, msg_vendor
    call print32
    mov esi, vendor
    call print32
    mov esi, msg_nl
    call print32
    ; long mode available? CPUID 80000001h EDX bit 29
    mov eax, 0x80000001
    cpuid
    bt edx, 29
    jc .has_lm
    mov esi, msg_nolm
    call print32
    jmp finish32
.has_lm:
    ; identity-map the first 1 GiB with 2 MiB pages
    mov edi, PML4
    mov ecx, 3 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PML4], PDPT | 3
    mov dword [PDPT], PD | 3
    mov edi, PD
    mov eax, 0x83
    mov ecx, 512
.pd:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .pd
    mov eax, cr4
    or eax, 0x20            ; PAE
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, 0xC0000080     ; EFER.LME
    rdmsr
    or eax, 0x100
    wrmsr
    mov eax, cr0
    or eax, 0x80000000      ; PG: activates IA-32e mode
    mov cr0, eax
    jmp 0x18:start64

print32:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp print32
.done:
    ret

finish32:
    mov al, 0
    out 0xF4, al
    hlt

bits 64
start64:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, 0x7C00
    lea rsi, [rel msg_long]
    call print64
    ; the time from the CMOS RTC (registers 4, 2, 0; BCD unless register B says binary)
    lea rsi, [rel msg_time]
    call print64
    mov al, 4
    call cmos_bcd
    mov al, ':'
    call putc64
    mov al, 2
    call cmos_bcd
    mov al, ':'
    call putc64
    mov al, 0
    call cmos_bcd
    lea rsi, [rel msg_utc]
    call print64
    lea rsi, [rel msg_bye]
    call print64
    ; power off: ACPI sleep state S5 through PM1a_CNT (SLP_TYP = 5, SLP_EN), as the FADT describes
    mov dx, 0x604
    mov ax, (5 << 10) | (1 << 13)
    out dx, ax
    ; not an ACPI machine: QEMU's debug-exit port instead
    mov al, 0
    out 0xF4, al
.hang:
    hlt
    jmp .hang

; cmos_bcd: print CMOS register AL as two digits (BCD, as the RTC defaults to)
cmos_bcd:
    out 0x70, al
    in al, 0x71
    mov bl, al
    shr al, 4
    add al, '0'
    call putc64
    mov al, bl
    and al, 0x0F
    add al, '0'
    jmp putc64

putc64:
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    ret

print64:
    lodsb
    test al, al
    jz .done
    call putc64
    jmp print64
.done:
    ret

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08 32-bit code
    dq 0x00CF92000000FFFF       ; 0x10 data
    dq 0x00AF9A000000FFFF       ; 0x18 64-bit code
gdtr:
    dw gdt_end - gdt - 1
    dd gdt
gdt_end equ gdtr

vendor: times 13 db 0
msg_real:   db "Popek demo guest", 13, 10, "  real mode: CS:IP 0000:8000, COM1 at 3F8h", 13, 10, 0
msg_prot:   db "  protected mode: 32-bit flat segments", 13, 10, 0
msg_vendor: db "  CPUID vendor: ", 0
msg_nl:     db 13, 10, 0
msg_nolm:   db "  no long mode on this CPU", 13, 10, 0
msg_long:   db "  long mode: 64-bit code, 4-level paging, first 1 GiB identity-mapped", 13, 10, 0
msg_time:   db "  RTC time: ", 0
msg_utc:    db " UTC", 13, 10, 0
msg_bye:    db "  done: real -> protected -> long mode", 13, 10, 0
