; Call gates in 32-bit protected mode (SDM Vol. 3, 5.8.3-5.8.6; Vol. 2, CALL, JMP, RET).
; Run: popek run --flat callgate32.bin --mode 32 --load-address 0x8000
; Checks: far CALL through a DPL-0 32-bit gate at CPL 0 (same privilege: CS:EIP pushed, CPL 0); far JMP
; through a gate (nothing pushed); from ring 3, CALL through a 32-bit gate to a ring-0 non-conforming
; segment: the stack from TSS.SS0:ESP0, the caller's SS:ESP, two doubleword parameters and CS:EIP
; pushed in that order, CPL 0; RETF 8 back to ring 3: CS, SS, ESP (parameters released), DS (DPL 0)
; nulled, ES (DPL 3) kept; the same through a 16-bit gate (word pushes, two word parameters, O16 RETF 4);
; and the faults: gate DPL < CPL #GP(gate), RPL > gate DPL #GP(gate), gate not present #NP(gate), target
; segment not present #NP(segment), JMP through a gate to a more privileged segment #GP(segment),
; TSS.SS1 with RPL != 1 #TS(SS), TSS.SS1 not present #SS(SS), RETF to ring 3 with SS.RPL != 3
; #GP(SS), RETF to ring 3 with SS not present #SS(SS).
bits 32
org 0x8000
%include "common.inc"

GDT      equ 0x20000
IDT      equ 0x21000
TSS      equ 0x22000
KSTACK   equ 0x30000          ; TSS.ESP0
KSTACK1  equ 0x34000          ; TSS.ESP1
USTACK   equ 0xF000           ; below 64 KiB: the 16-bit gate pushes SP
MAINSTACK equ 0x7F000

; GDT selectors
K_CODE   equ 0x08
K_DATA   equ 0x10
U_CODE   equ 0x18
U_DATA   equ 0x20
TSS_SEL  equ 0x28
GATE32   equ 0x30             ; DPL 3, 32-bit, -> K_CODE:gate_target32, 2 parameters
GATE16   equ 0x38             ; DPL 3, 16-bit, -> K_CODE:gate_target16, 2 parameters
GATE_DPL0 equ 0x40            ; DPL 0, 32-bit, -> K_CODE:same_target
GATE_NP  equ 0x48             ; DPL 3, not present
CODE_NP  equ 0x50             ; ring-0 code, not present
GATE_TO_NP equ 0x58           ; DPL 3 -> CODE_NP
R1_CODE  equ 0x60             ; ring-1 code
GATE_R1  equ 0x68             ; DPL 3 -> R1_CODE:ring1_target
R1_DATA_NP equ 0x70           ; ring-1 data, not present
U_DATA_NP equ 0x78            ; ring-3 data, not present
GATE_JMP equ 0x80             ; DPL 0 -> K_CODE:jmp_target

; GATE slot, selector, offset, type/attribute byte (0xEC 32-bit DPL3 P...), parameter count
%macro GATE 5
    mov eax, %3
    mov word [GDT + %1], ax
    mov word [GDT + %1 + 2], %2
    mov byte [GDT + %1 + 4], %5
    mov byte [GDT + %1 + 5], %4
    shr eax, 16
    mov word [GDT + %1 + 6], ax
%endmacro

%macro SEG 3                   ; slot, low dword, high dword
    mov dword [GDT + %1], %2
    mov dword [GDT + %1 + 4], %3
%endmacro

; TO_USER entry: IRET to ring 3 at `entry` with DS = ES = U_DATA and ESP = USTACK.
%macro TO_USER 1
    mov ax, U_DATA | 3
    mov ds, ax
    mov es, ax
    push dword U_DATA | 3
    push dword USTACK
    push dword 0x2
    push dword U_CODE | 3
    push dword %1
    iret
%endmacro

; EXPECT_FAULT vector, error, n: the last fault was `vector` with `error` (checks n, n+1).
%macro EXPECT_FAULT 3
    CHECK_EQ dword [last_vector], %1, %3
    CHECK_EQ dword [last_error], %2, %3+1
%endmacro

; ARM resume: the fault handler continues at `resume` (and clears the record).
%macro ARM 1
    mov dword [last_vector], -1
    mov dword [last_error], -1
    mov dword [resume], %1
%endmacro

start:
    mov esp, MAINSTACK
    SEG 0, 0, 0
    SEG K_CODE, 0x0000FFFF, 0x00CF9B00
    SEG K_DATA, 0x0000FFFF, 0x00CF9300
    SEG U_CODE, 0x0000FFFF, 0x00CFFB00
    SEG U_DATA, 0x0000FFFF, 0x00CFF300
    SEG TSS_SEL, ((TSS & 0xFFFF) << 16) | 0x67, ((TSS >> 16) & 0xFF) | 0x8900
    GATE GATE32, K_CODE, gate_target32, 0xEC, 2
    GATE GATE16, K_CODE, gate_target16, 0xE4, 2
    GATE GATE_DPL0, K_CODE, same_target, 0x8C, 0
    GATE GATE_NP, K_CODE, gate_target32, 0x6C, 0
    SEG CODE_NP, 0x0000FFFF, 0x00CF1B00
    GATE GATE_TO_NP, CODE_NP, gate_target32, 0xEC, 0
    SEG R1_CODE, 0x0000FFFF, 0x00CFBB00
    GATE GATE_R1, R1_CODE, ring1_target, 0xEC, 0
    SEG R1_DATA_NP, 0x0000FFFF, 0x00CF3300
    SEG U_DATA_NP, 0x0000FFFF, 0x00CF7300
    GATE GATE_JMP, K_CODE, jmp_target, 0x8C, 0
    lgdt [gdtr]
    jmp K_CODE:.reload
.reload:
    mov ax, K_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    ; TSS: SS0:ESP0, SS1:ESP1
    mov edi, TSS
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS + 4], KSTACK
    mov dword [TSS + 8], K_DATA
    mov dword [TSS + 12], KSTACK1
    mov word [TSS + 0x66], 0x68
    mov ax, TSS_SEL
    ltr ax
    ; IDT: everything unexpected; #TS #NP #SS #GP recorded; INT 30h (DPL 3) returns to ring 0
    xor ecx, ecx
.fill:
    mov eax, unexpected
    call set_gate
    inc ecx
    cmp ecx, 256
    jb .fill
    mov ecx, 10
    mov eax, h_ts
    call set_gate
    mov ecx, 11
    mov eax, h_np
    call set_gate
    mov ecx, 12
    mov eax, h_ss
    call set_gate
    mov ecx, 13
    mov eax, h_gp
    call set_gate
    mov ecx, 0x30
    mov eax, h_back
    call set_gate
    mov byte [IDT + 0x30 * 8 + 5], 0xEE
    lidt [idtr]

    ; --- 1-5. CALL through a DPL-0 32-bit gate at CPL 0: same privilege
    mov [saved_esp], esp
    call GATE_DPL0:0xDEAD           ; the offset is ignored
.ret_same:
    CHECK_EQ dword [s_ret_eip], .ret_same, 1
    CHECK_EQ dword [s_ret_cs], K_CODE, 2
    mov eax, [saved_esp]
    sub eax, 8
    CHECK_EQ [s_esp], eax, 3
    CHECK_EQ dword [s_cs], K_CODE, 4
    CHECK_EQ [saved_esp], esp, 5
    ; --- 6-7. JMP through a gate: nothing pushed
    mov dword [j_esp], 0
    jmp GATE_JMP:0
.jmp_back:
    CHECK_EQ [j_esp], esp, 6
    CHECK_EQ dword [j_cs], K_CODE, 7
    ; --- 8-9. RPL 3 > gate DPL 0: #GP(gate)
    ARM .after_rpl
    call GATE_DPL0 | 3:0
.after_rpl:
    EXPECT_FAULT 13, GATE_DPL0, 8

    ; --- 10-24. ring 3 -> ring 0 through the 32-bit gate, two doubleword parameters; RETF 8 back
    TO_USER user_call32
.back_call32:
    CHECK_EQ dword [g_cs], K_CODE, 10
    CHECK_EQ dword [g_ss], K_DATA, 11
    CHECK_EQ dword [g_esp], KSTACK - 24, 12
    CHECK_EQ dword [g_frame], user_call32.uret32, 13
    CHECK_EQ dword [g_frame + 4], U_CODE | 3, 14
    CHECK_EQ dword [g_frame + 8], 0x11111111, 15
    CHECK_EQ dword [g_frame + 12], 0x22222222, 16
    mov eax, [u_esp_before]
    CHECK_EQ [g_frame + 16], eax, 17
    CHECK_EQ dword [g_frame + 20], U_DATA | 3, 18
    CHECK_EQ dword [u_cs], U_CODE | 3, 19
    CHECK_EQ dword [u_ss], U_DATA | 3, 20
    mov eax, [u_esp_before]
    add eax, 8
    CHECK_EQ [u_esp_after], eax, 21
    CHECK_EQ dword [u_ds], 0, 22                ; DS held a DPL-0 segment: nulled
    CHECK_EQ dword [u_es], U_DATA | 3, 23       ; ES (DPL 3) kept
    CHECK_EQ dword [u_fs], 0, 24                ; FS (DPL 0) nulled

    ; --- 25-33. the same through the 16-bit gate: word pushes, two word parameters, O16 RETF 4
    TO_USER user_call16
.back_call16:
    CHECK_EQ dword [g_cs], K_CODE, 25
    CHECK_EQ dword [g_esp], KSTACK - 12, 26
    CHECK_EQ word [g_frame], user_call16.uret16, 27
    CHECK_EQ word [g_frame + 2], U_CODE | 3, 28
    CHECK_EQ word [g_frame + 4], 0x1111, 29
    CHECK_EQ word [g_frame + 6], 0x2222, 30
    mov eax, [u_esp_before]
    CHECK_EQ [g_frame + 8], ax, 31
    CHECK_EQ word [g_frame + 10], U_DATA | 3, 32
    mov eax, [u_esp_before]
    add eax, 4
    CHECK_EQ [u_esp_after], ax, 33              ; SP: the parameters released

    ; --- 34-35. gate DPL 0 < CPL 3: #GP(gate)
    ARM .after_dpl
    TO_USER user_call_dpl0
.after_dpl:
    EXPECT_FAULT 13, GATE_DPL0, 34
    ; --- 36-37. gate not present: #NP(gate)
    ARM .after_np
    TO_USER user_call_np
.after_np:
    EXPECT_FAULT 11, GATE_NP, 36
    ; --- 38-39. target code segment not present: #NP(segment)
    ARM .after_cnp
    TO_USER user_call_code_np
.after_cnp:
    EXPECT_FAULT 11, CODE_NP, 38
    ; --- 40-41. JMP through a gate to a more privileged segment: #GP(segment)
    ARM .after_jmp3
    TO_USER user_jmp_gate
.after_jmp3:
    EXPECT_FAULT 13, K_CODE, 40
    ; --- 42-43. inner stack TSS.SS1 with RPL 0 for a ring-1 target: #TS(SS)
    mov dword [TSS + 16], K_DATA
    ARM .after_ts
    TO_USER user_call_r1
.after_ts:
    EXPECT_FAULT 10, K_DATA, 42
    ; --- 44-45. TSS.SS1 not present: #SS(SS)
    mov dword [TSS + 16], R1_DATA_NP | 1
    ARM .after_ssnp
    TO_USER user_call_r1
.after_ssnp:
    EXPECT_FAULT 12, R1_DATA_NP, 44
    ; --- 46-47. RETF to ring 3 with SS.RPL 0: #GP(SS); nothing changed (48: CS still ring 0)
    ARM .after_retf_rpl
    push dword K_DATA               ; SS: RPL 0 != return CS RPL 3
    push dword USTACK
    push dword U_CODE | 3
    push dword unexpected
    retf
.after_retf_rpl:
    EXPECT_FAULT 13, K_DATA, 46
    mov eax, cs
    CHECK_EQ eax, K_CODE, 48
    ; --- 49-50. RETF to ring 3 with SS not present: #SS(SS)
    ARM .after_retf_np
    push dword U_DATA_NP | 3
    push dword USTACK
    push dword U_CODE | 3
    push dword unexpected
    retf
.after_retf_np:
    EXPECT_FAULT 12, U_DATA_NP, 49
    PASS

; --- ring 0 targets
same_target:
    mov [s_esp], esp
    mov eax, [esp]
    mov [s_ret_eip], eax
    mov eax, [esp + 4]
    mov [s_ret_cs], eax
    mov [s_cs], cs
    retf

jmp_target:
    mov [j_esp], esp
    mov [j_cs], cs
    jmp start.jmp_back

; Reached from ring 3 through GATE32: records CS, SS, ESP and the six doublewords of the frame, loads
; DS and FS with the DPL-0 data segment, and returns with RETF 8.
gate_target32:
    mov [g_cs], cs
    mov [g_ss], ss
    mov [g_esp], esp
    mov ecx, 6
    xor esi, esi
.copy:
    mov eax, [esp + esi * 4]
    mov [g_frame + esi * 4], eax
    inc esi
    loop .copy
    mov ax, K_DATA
    mov ds, ax
    mov fs, ax
    retf 8

; Reached through GATE16 (16-bit pushes): records the twelve bytes of the frame, returns with O16 RETF 4.
gate_target16:
    mov [g_cs], cs
    mov [g_ss], ss
    mov [g_esp], esp
    mov eax, [esp]
    mov [g_frame], eax
    mov eax, [esp + 4]
    mov [g_frame + 4], eax
    mov eax, [esp + 8]
    mov [g_frame + 8], eax
    o16 retf 4

ring1_target:
    FAIL 90

; --- ring 3 code (DS = ES = U_DATA; after a return through the gate, DS is null: SS overrides)
user_call32:
    push dword 0x22222222
    push dword 0x11111111
    mov [u_esp_before], esp
    call GATE32 | 3:0
.uret32:
    mov [ss:u_cs], cs
    mov [ss:u_ss], ss
    mov [ss:u_esp_after], esp
    mov [ss:u_ds], ds
    mov [ss:u_es], es
    mov [ss:u_fs], fs
    mov dword [ss:h_back_to], start.back_call32
    int 0x30

user_call16:
    push word 0x2222
    push word 0x1111
    mov [u_esp_before], esp
    call GATE16 | 3:0
.uret16:
    mov [ss:u_esp_after], esp
    mov dword [ss:h_back_to], start.back_call16
    int 0x30

user_call_dpl0:
    call GATE_DPL0 | 3:0
    FAIL 91
user_call_np:
    call GATE_NP | 3:0
    FAIL 92
user_call_code_np:
    call GATE_TO_NP | 3:0
    FAIL 93
user_jmp_gate:
    jmp GATE32 | 3:0
    FAIL 94
user_call_r1:
    call GATE_R1 | 3:0
    FAIL 95

; set_gate: IDT entry ECX -> handler EAX, K_CODE, 32-bit interrupt gate, DPL 0
set_gate:
    mov [IDT + ecx * 8], ax
    mov word [IDT + ecx * 8 + 2], K_CODE
    mov word [IDT + ecx * 8 + 4], 0x8E00
    push eax
    shr eax, 16
    mov [IDT + ecx * 8 + 6], ax
    pop eax
    ret

; Faults with an error code: record, then continue at [resume] in ring 0 on the main stack.
h_ts:
    mov dword [ss:last_vector], 10
    jmp fault_common
h_np:
    mov dword [ss:last_vector], 11
    jmp fault_common
h_ss:
    mov dword [ss:last_vector], 12
    jmp fault_common
h_gp:
    mov dword [ss:last_vector], 13
fault_common:
    pop dword [ss:last_error]
    mov ax, K_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, MAINSTACK
    jmp [resume]

; INT 30h from ring 3: back to ring 0 at [h_back_to] on the main stack.
h_back:
    mov ax, K_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, MAINSTACK
    jmp [h_back_to]

unexpected:
    FAIL 100

align 4
saved_esp: dd 0
s_esp: dd 0
s_ret_eip: dd 0
s_ret_cs: dd 0
s_cs: dd 0
j_esp: dd 0
j_cs: dd 0
g_cs: dd 0
g_ss: dd 0
g_esp: dd 0
g_frame: times 6 dd 0
u_esp_before: dd 0
u_esp_after: dd 0
u_cs: dd 0
u_ss: dd 0
u_ds: dd 0
u_es: dd 0
u_fs: dd 0
h_back_to: dd 0
last_vector: dd -1
last_error: dd -1
resume: dd 0
gdtr: dw 0x87
      dd GDT
idtr: dw 256 * 8 - 1
      dd IDT
