; A Multiboot kernel in ELF32 (Multiboot 0.6.96, 3.1.3): no address fields in its header, so the
; loader takes the PT_LOAD segments from the program headers. Checks what the loader left
; (check.inc). Build:
;   nasm -f elf32 -I Guests/selftest/ -I Guests/multiboot/ -o elf.o Guests/multiboot/elf.asm
;   ld -m elf_i386 -T Guests/multiboot/elf.ld -o multiboot-elf elf.o
bits 32

MB_FLAGS equ (1 << 0) | (1 << 1)    ; page-aligned modules, memory information

section .multiboot
align 4
    dd 0x1BADB002
    dd MB_FLAGS
    dd -(0x1BADB002 + MB_FLAGS)

section .text
global start
extern kernel_end
%include "check.inc"

section .bss
align 4096
zeros: resb 4096
    resb 4096
stack_top:
