; KVM benchmark guest: the VM-exit round trip. Real mode, loaded at 0000:8000: an OUT to port 0x80
; (the POST port, which nothing answers) and a jump back, forever; the monitor counts the exits and
; stops after N. The C baseline (c/exit-roundtrip.c) runs the same bytes.
bits 16
org 0x8000
loop:
    out 0x80, al
    jmp loop
