; A Multiboot kernel using the "a.out kludge" (Multiboot 0.6.96, 3.1.3, header flags bit 16): a flat
; image whose header gives the load, BSS and entry addresses. The file continues past load_end_addr
; with 0xCC bytes where the BSS goes, which a loader must not copy. Checks what the loader left
; (check.inc). Build: nasm -f bin -I Guests/selftest/ -I Guests/multiboot/ -o multiboot-aout Guests/multiboot/aout.asm
bits 32
org 0x100000

MB_FLAGS equ (1 << 0) | (1 << 1) | (1 << 16)

image_start:
    jmp start
align 4
header:
    dd 0x1BADB002
    dd MB_FLAGS
    dd -(0x1BADB002 + MB_FLAGS)
    dd header                       ; header_addr
    dd image_start                  ; load_addr
    dd load_end                     ; load_end_addr
    dd bss_end                      ; bss_end_addr
    dd start                        ; entry_addr

%include "check.inc"

align 4096
load_end:
zeros equ load_end                  ; the BSS: 4 KiB checked to be zero, then the stack
stack_top equ load_end + 0x2000
bss_end equ load_end + 0x2000
kernel_end equ bss_end
    times 0x2000 db 0xCC            ; not part of the image: past load_end_addr
