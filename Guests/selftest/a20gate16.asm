; The A20 gate in real mode, loaded at 1000:0000 (IBM PC/AT: the 8042's output port bit 1 and port 92h
; bit 1, ORed; SDM Vol. 3, 22.33.2). With A20 off, physical address bit 20 is forced to 0: FFFF:0510
; (linear 100500h) reaches 000500h, for data reads, data writes and instruction fetches alike; with A20
; on it does not.
; Machine: pc (needs the 8042 and port 92h: not for the device-less test platform)
; Run: popek run --flat a20gate16.bin --mode 16 --load-address 0x10000
; Checks: A20 on at reset (8042 output port A20 set, port 92h clear): no wrap; 8042 command DDh turns it
; off: reads and writes at FFFF:0510 alias 0000:0500 and a far call to FFFF:0610 runs the code at 600h;
; port 92h bit 1 turns it on again (no wrap, the code at 100600h runs); clearing that bit turns it off;
; 8042 command DFh turns it on.
bits 16
org 0
%include "common.inc"

start:
    xor ax, ax
    mov fs, ax                      ; FS: 0000 (linear 0-FFFFh)
    mov ax, 0xFFFF
    mov es, ax                      ; ES: FFFF (linear FFFF0h-10FFEFh)
    ; data at 500h and 100500h, code at 600h (mov ax, 5555h; retf) and 100600h (mov ax, 6666h; retf)
    mov word [fs:0x500], 0x1111
    mov word [es:0x510], 0x2222
    mov dword [fs:0x600], 0xCB5555B8
    mov dword [es:0x610], 0xCB6666B8
    ; --- 1-3. A20 on at reset: no wrap
    CHECK_EQ word [fs:0x500], 0x1111, 1
    CHECK_EQ word [es:0x510], 0x2222, 2
    call 0xFFFF:0x0610
    CHECK_EQ ax, 0x6666, 3
    ; --- 4-7. 8042 command DDh: A20 off, addresses wrap at 1 MiB
    mov al, 0xDD
    out 0x64, al
    CHECK_EQ word [es:0x510], 0x1111, 4
    mov word [es:0x510], 0x3333
    CHECK_EQ word [fs:0x500], 0x3333, 5
    call 0xFFFF:0x0610
    CHECK_EQ ax, 0x5555, 6
    in al, 0x92
    test al, 2
    jz .p92_clear
    FAIL 7
.p92_clear:
    ; --- 8-9. port 92h bit 1: A20 on
    or al, 2
    out 0x92, al
    CHECK_EQ word [es:0x510], 0x2222, 8
    call 0xFFFF:0x0610
    CHECK_EQ ax, 0x6666, 9
    ; --- 10-11. port 92h bit 1 cleared (8042 still off): A20 off
    in al, 0x92
    and al, ~2
    out 0x92, al
    CHECK_EQ word [es:0x510], 0x3333, 10
    call 0xFFFF:0x0610
    CHECK_EQ ax, 0x5555, 11
    ; --- 12-13. 8042 command DFh: A20 on
    mov al, 0xDF
    out 0x64, al
    CHECK_EQ word [es:0x510], 0x2222, 12
    CHECK_EQ word [fs:0x500], 0x3333, 13
    PASS
