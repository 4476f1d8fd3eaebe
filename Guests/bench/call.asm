; Interpreter benchmark: a call/branch-heavy loop (64-bit). RDI = iterations; ends with HLT.
; Direct and indirect calls, RET, PUSH/POP, conditional and unconditional jumps, a jump table,
; CMP/TEST; about 21 instructions per iteration.
; Regenerate the embedded bytes with Scripts/gen-bench-guests.sh.
bits 64
org 0x100000
start:
    mov rcx, rdi
    xor ebx, ebx
    xor r8d, r8d
.loop:
    mov eax, ecx
    call f1
    add rbx, rax
    test al, 2
    jz .even
    call f2
    jmp .next
.even:
    lea rdx, [rel f3]
    call rdx
.next:
    mov eax, ecx
    and eax, 3
    jmp [table + rax*8]
.case0:
    inc r8
    jmp .join
.case1:
    add r8, 3
    jmp .join
.case2:
    sub r8, 1
.case3:
.join:
    cmp ecx, 3
    ja .skip
    nop
.skip:
    dec rcx
    jnz .loop
    hlt
f1:
    push rbp
    mov rbp, rsp
    push rbx
    lea eax, [rax + rax*2 + 1]
    pop rbx
    pop rbp
    ret
f2:
    xor rbx, rax
    ret
f3:
    sub rbx, 5
    ret
align 8
table:
    dq start.case0, start.case1, start.case2, start.case3
