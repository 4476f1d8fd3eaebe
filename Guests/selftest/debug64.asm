; Debug exceptions (#DB, vector 1) in 64-bit mode at CPL 0 (SDM Vol. 3, 17.2-17.3).
; Run: popek run --flat debug64.bin --mode 64 --load-address 0x8000
; Starts in long mode (CS 0x18, identity-mapped 4 GiB, the loader's GDT). Checks: ICEBP (F1) is a #DB
; trap without DR6 bits; TF single-step traps after the first instruction following POPF (not after
; POPF), after a taken branch at the target, not after INT n (whose handler runs with TF clear) but after
; the instruction following the handler's IRETQ; instruction breakpoints are faults (RIP on the
; instruction, B0, RF clear in the image) suppressed by RF for exactly one instruction; data breakpoints
; are traps for writes (R/W 01) and reads or writes (R/W 11) with lengths 1, 2, 4 and 8 (the address
; aligned down to the length), combined with BS when TF is set too; I/O breakpoints (R/W 10 with
; CR4.DE) on OUT; REP STOSB traps after each iteration under TF or on a data breakpoint (RIP on the
; instruction while elements remain); MOV DR with DR7.GD faults with BD and DR7.GD cleared for the handler; MOV DR4 with
; CR4.DE is #UD; MOV DR7 with bits 63:32 set is #GP(0); a fault (#GP) pushes RFLAGS with RF set.
bits 64
org 0x8000
%include "common.inc"

IDT      equ 0x21000
DR6_INIT equ 0xFFFF0FF0

; DB_EXPECT count, rip, dr6mask, dr6bits, n: check #DB count, saved RIP and DR6 & mask == bits (checks n..n+2).
%macro DB_EXPECT 5
    CHECK_EQ qword [db_count], %1, %5
    lea rax, [rel %2]
    CHECK_EQ [db_rip], rax, %5+1
    mov rax, [db_dr6]
    and rax, %3
    CHECK_EQ rax, %4, %5+2
%endmacro

; DB_RESET action: zero the #DB record, set the handler's action, clear DR6.
%macro DB_RESET 1
    mov qword [db_count], 0
    mov qword [db_rip], 0
    mov qword [db_dr6], 0
    mov qword [db_action], %1
    mov rax, DR6_INIT
    mov dr6, rax
%endmacro

; SET_TF: set RFLAGS.TF with POPF (the trap comes after the next instruction).
%macro SET_TF 0
    pushfq
    or qword [rsp], 0x100
    popfq
%endmacro

start:
    mov rsp, 0x7F000
    ; --- IDT: everything to `unexpected`, then #DB, #UD, #GP, INT 40h
    xor ecx, ecx
.fill:
    lea rax, [rel unexpected]
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 1
    lea rax, [rel h_db]
    call set_gate
    mov ecx, 6
    lea rax, [rel h_ud]
    call set_gate
    mov ecx, 13
    lea rax, [rel h_gp]
    call set_gate
    mov ecx, 0x40
    lea rax, [rel h_int40]
    call set_gate
    lidt [idtr]

    ; --- 1-3. ICEBP: a trap (RIP after F1), DR6 B0-B3/BS/BD untouched
    DB_RESET 0
    db 0xF1
.after_icebp:
    DB_EXPECT 1, .after_icebp, 0xE00F, 0, 1

    ; --- 4-6. single-step: no trap after POPF, one after the next instruction (BS)
    DB_RESET 2                      ; the handler clears TF in the image
    SET_TF
    mov eax, 1
.after_step:
    DB_EXPECT 1, .after_step, 0xE00F, 0x4000, 4
    ; 7. the image the handler saw had TF set
    mov rax, [db_rflags]
    and rax, 0x100
    CHECK_EQ rax, 0x100, 7

    ; --- 8-10. single-step over a taken branch: the trap reports the branch target
    DB_RESET 2
    SET_TF
    jmp .branch_target
    FAIL 11
.branch_target:
    DB_EXPECT 1, .branch_target, 0xE00F, 0x4000, 8

    ; --- 12-16. INT n with TF: no trap after INT n, handler not stepped (runs with TF clear);
    ; its IRETQ restores TF, so the trap follows the instruction after INT n
    DB_RESET 2
    mov qword [int40_count], 0
    SET_TF
    int 0x40
    nop
.after_int_nop:
    DB_EXPECT 1, .after_int_nop, 0xE00F, 0x4000, 12
    CHECK_EQ qword [int40_count], 1, 15
    CHECK_EQ qword [int40_flags], 0x100, 16      ; TF set in INT's image, clear in the handler (checked there)

    ; --- 17-22. instruction breakpoint (DR0, R/W 00, LEN 00): a fault before the instruction, RF clear
    ; in the image; the handler sets RF, the instruction then runs once
    DB_RESET 1                      ; the handler sets RF in the image
    mov qword [ibp_runs], 0
    lea rax, [rel .ibp]
    mov dr0, rax
    mov eax, 0x1                    ; L0
    mov dr7, rax
    nop
.ibp:
    inc qword [ibp_runs]
    xor eax, eax
    mov dr7, rax
    DB_EXPECT 1, .ibp, 0xE00F, 0x1, 17
    CHECK_EQ qword [ibp_runs], 1, 20
    mov rax, [db_rflags]
    and rax, 0x10000
    CHECK_EQ rax, 0, 21
    ; 22. RF lasts one instruction: a loop through the breakpoint faults on every pass
    DB_RESET 1
    lea rax, [rel .ibp_loop]
    mov dr0, rax
    mov eax, 0x1
    mov dr7, rax
    mov ecx, 3
.ibp_loop:
    dec ecx
    jnz .ibp_loop
    xor eax, eax
    mov dr7, rax
    CHECK_EQ qword [db_count], 3, 22

    ; --- 23-31. data breakpoint, write only (DR1, R/W 01, LEN 11 = 4 bytes)
    DB_RESET 0
    lea rax, [rel var4]
    mov dr1, rax
    mov eax, (1 << 2) | (0x1 << 20) | (0x3 << 22)   ; L1, R/W1 = 01, LEN1 = 11
    mov dr7, rax
    mov eax, [rel var4]             ; 23. a read: no #DB
    CHECK_EQ qword [db_count], 0, 23
    mov byte [rel var4 + 4], 1      ; 24. the byte after the range: no #DB
    CHECK_EQ qword [db_count], 0, 24
    mov byte [rel var4 + 2], 1      ; 25-27. inside: a trap after the write, B1
.after_write:
    DB_EXPECT 1, .after_write, 0xE00F, 0x2, 25
    ; 28-30. a write crossing into the range from below (a word at var4-1)
    DB_RESET 0
    mov word [rel var4 - 1], 0
.after_cross:
    DB_EXPECT 1, .after_cross, 0xE00F, 0x2, 28
    ; 31. with TF too: one #DB reporting B1 and BS
    DB_RESET 2
    SET_TF
    mov dword [rel var4], 5
    mov rax, [db_dr6]
    and rax, 0xE00F
    CHECK_EQ rax, 0x4002, 31
    ; 55-57. REP STOSB across the range: a trap after each iteration that writes it, RIP on the REP
    ; instruction while elements remain (four #DBs for var4..var4+3)
    DB_RESET 0
    lea rdi, [rel var4 - 2]
    mov ecx, 8
    xor eax, eax
    cld
.rep_stos:
    rep stosb
    CHECK_EQ qword [db_count], 4, 55
    lea rax, [rel .rep_stos]
    CHECK_EQ [db_rip], rax, 56
    CHECK_EQ ecx, 0, 57
    xor eax, eax
    mov dr7, rax
    ; 58-60. REP STOSB under TF: the trap comes after the first iteration, RIP on the instruction
    DB_RESET 2
    lea rdi, [rel scratch]
    mov ecx, 3
    xor eax, eax
    SET_TF
.rep_tf:
    rep stosb
    CHECK_EQ qword [db_count], 1, 58
    lea rax, [rel .rep_tf]
    CHECK_EQ [db_rip], rax, 59
    CHECK_EQ ecx, 0, 60

    ; --- 32-37. read/write breakpoints: LEN 10 = 8 bytes (DR2 unaligned: aligned down), LEN 01 = 2 bytes
    DB_RESET 0
    lea rax, [rel var8 + 3]
    mov dr2, rax
    mov eax, (1 << 4) | (0x3 << 24) | (0x2 << 26)  ; L2, R/W2 = 11, LEN2 = 10
    mov dr7, rax
    mov al, [rel var8 - 1]          ; 32. just below: no #DB
    mov al, [rel var8 + 8]          ;     just above: no #DB
    CHECK_EQ qword [db_count], 0, 32
    mov al, [rel var8]              ; 33-35. a read of the first byte (DR2 aligned down to 8)
.after_read8:
    DB_EXPECT 1, .after_read8, 0xE00F, 0x4, 33
    DB_RESET 0
    lea rax, [rel var2 + 1]
    mov dr3, rax
    mov eax, (1 << 6) | (0x3 << 28) | (0x1 << 30)  ; L3, R/W3 = 11, LEN3 = 01
    mov dr7, rax
    mov al, [rel var2 + 2]          ; 36. outside the aligned word: no #DB
    CHECK_EQ qword [db_count], 0, 36
    add byte [rel var2], 1          ; 37. read-modify-write of the first byte: one #DB, B3
    CHECK_EQ qword [db_count], 1, 37
    mov rax, [db_dr6]
    and rax, 0xE00F
    CHECK_EQ rax, 0x8, 38
    ; 39-40. LEN 00 = 1 byte, write (DR0): the next byte does not hit, the byte does
    DB_RESET 0
    lea rax, [rel var1]
    mov dr0, rax
    mov eax, (1 << 0) | (0x1 << 16)  ; L0, R/W0 = 01, LEN0 = 00
    mov dr7, rax
    mov byte [rel var1 + 1], 7
    CHECK_EQ qword [db_count], 0, 39
    mov byte [rel var1], 7
    CHECK_EQ qword [db_count], 1, 40
    xor eax, eax
    mov dr7, rax

    ; --- 41-44. I/O breakpoint: R/W 10 with CR4.DE, on port 0xE9 (1 byte)
    mov rax, cr4
    or rax, 0x8                     ; DE
    mov cr4, rax
    DB_RESET 0
    mov eax, 0xE9
    mov dr0, rax
    mov eax, (1 << 0) | (0x2 << 16)  ; L0, R/W0 = 10, LEN0 = 00
    mov dr7, rax
    mov al, 'd'
    out 0x80, al                    ; 41. another port: no #DB
    CHECK_EQ qword [db_count], 0, 41
    mov al, 10
    out 0xE9, al
.after_out:
    DB_EXPECT 1, .after_out, 0xE00F, 0x1, 42
    xor eax, eax
    mov dr7, rax
    ; 45. MOV from DR4 with CR4.DE: #UD
    mov qword [last_vector], -1
    lea rax, [rel .after_dr4]
    mov [resume], rax
    mov rax, dr4
.after_dr4:
    CHECK_EQ qword [last_vector], 6, 45
    mov rax, cr4
    and rax, ~0x8
    mov cr4, rax

    ; --- 46-50. general detect: MOV DR with DR7.GD faults (RIP on it), BD set, GD cleared for the handler
    DB_RESET 0
    mov eax, 0x2000 | 0x400
    mov dr7, rax
.gd_mov:
    mov rax, dr0
    DB_EXPECT 1, .gd_mov, 0xE00F, 0x2000, 46
    mov rax, dr7
    and rax, 0x2000
    CHECK_EQ rax, 0, 49
    ; 50. a fault-class #DB pushes RF set
    mov rax, [db_rflags]
    and rax, 0x10000
    CHECK_EQ rax, 0x10000, 50

    ; --- 51-52. MOV DR7 with bits 63:32 set: #GP(0)
    mov qword [last_vector], -1
    lea rax, [rel .after_dr7]
    mov [resume], rax
    mov rax, 0x100000400
    mov dr7, rax
.after_dr7:
    CHECK_EQ qword [last_vector], 13, 51
    CHECK_EQ qword [last_error], 0, 52
    ; 53. the #GP's image had RF set (fault-class exception, SDM Vol. 3, 17.3.1.1)
    mov rax, [fault_rflags]
    and rax, 0x10000
    CHECK_EQ rax, 0x10000, 53
    mov rax, dr7
    CHECK_EQ rax, 0x400, 54

    PASS

; set_gate: IDT entry ECX -> handler RAX, selector 0x18, interrupt gate, DPL 0
SET_GATE64_ROUTINE set_gate, IDT, 0x18

; #DB: record count, DR6, RIP and RFLAGS of the frame; [db_action] bit 0 sets RF in the image,
; bit 1 clears TF in it. DR6 is reset to its initial value.
h_db:
    push rax
    inc qword [rel db_count]
    mov rax, dr6
    mov [rel db_dr6], rax
    mov rax, [rsp+8]
    mov [rel db_rip], rax
    mov rax, [rsp+24]
    mov [rel db_rflags], rax
    mov rax, DR6_INIT
    mov dr6, rax
    test qword [rel db_action], 1
    jz .no_rf
    or qword [rsp+24], 0x10000
.no_rf:
    test qword [rel db_action], 2
    jz .no_tf
    and qword [rsp+24], ~0x100
.no_tf:
    pop rax
    iretq

; INT 40h: counts; records TF of the interrupted code's image; fails if TF is set here.
h_int40:
    push rax
    inc qword [rel int40_count]
    mov rax, [rsp+24]
    and rax, 0x100
    mov [rel int40_flags], rax
    pushfq
    pop rax
    test rax, 0x100
    jz .ok
    FAIL 99
.ok:
    pop rax
    iretq

h_ud:
    mov qword [rel last_vector], 6
    mov rax, [rsp+16]
    mov [rel fault_rflags], rax
    jmp resume_fault
h_gp:
    mov qword [rel last_vector], 13
    pop qword [rel last_error]
    mov rax, [rsp+16]
    mov [rel fault_rflags], rax
resume_fault:
    mov rax, [rel resume]
    mov [rsp], rax
    and qword [rsp+16], ~0x10000
    iretq

unexpected:
    FAIL 100

align 8
db_count: dq 0
db_rip: dq 0
db_dr6: dq 0
db_rflags: dq 0
db_action: dq 0
int40_count: dq 0
int40_flags: dq 0
ibp_runs: dq 0
last_vector: dq -1
last_error: dq -1
fault_rflags: dq 0
resume: dq 0
align 16
      dq 0
var4: dq 0
      dq 0
var8: dq 0
      dq 0
var2: dq 0
var1: dq 0
scratch: dq 0
idtr: dw 256*16-1
      dq IDT
