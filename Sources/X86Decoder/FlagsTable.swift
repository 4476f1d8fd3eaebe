// Per-mnemonic metadata: the RFLAGS (and x87 condition codes) each instruction tests and changes, its
// operands' access and its control flow, as text in the manual's terms. `MetadataTable`
// parses it once into arrays indexed by `Mnemonic.rawValue`; see InstructionMetadata.swift.
//
// Line grammar:
//
//     MNEMONICS [CONDITION] | FLAGS | OPERANDS | FLOW AND RULES
//
// MNEMONICS: lower-case mnemonics as the decoder names them. Names the decoder does not (yet) produce
// are ignored. A mnemonic may have several rows: rows with a CONDITION are tried in table order, the
// row without one is the default.
//
// CONDITION: `[same]` holds when the last two operands are the same register (the zeroing idioms
// `xor eax,eax`, `sub eax,eax`, `pxor xmm1,xmm1`: the result does not depend on the source). Otherwise
// comma-separated operand shapes, one letter per operand, the count must match: `r` register, `m` memory
// (ModRM or moffs), `s` string memory (`seg:[rSI]`, `es:[rDI]`), `i` immediate, `b` branch target
// (relative or far pointer), `c` control, debug or test register, `*` anything.
//
// FLAGS: the codes of SDM Vol. 1, Appendix A, Table A-2 "EFLAGS Cross-Reference" followed by the flags
// they apply to: `T:` tested (read), `M:` modified (written with a result-defined value), `0:` cleared,
// `1:` set, `U:` undefined. Flag letters, in the order of Table A-2: `o` OF, `s` SF, `z` ZF, `a` AF,
// `p` PF, `c` CF, `d` DF, `i` IF, `t` TF, `A` AC, `u` UIF (not an RFLAGS bit: accepted and ignored),
// and the x87 status-word condition codes `C0 C1 C2 C3` (SDM Vol. 1, 8.1.3.1). The sets are disjoint:
// a flag cleared, set or left undefined is not also "modified".
//
// OPERANDS: the access of each explicit operand, in Intel order: `r` read, `w` written, `rw` read and
// written, `cr` conditionally read, `cw` conditionally written, `rcw` read and conditionally written,
// `n` not accessed (NOP's and UD1's operands), `nma` a memory operand whose address is computed but
// not accessed (LEA, PREFETCH, INVLPG). `-` no operands. Alternatives for different operand counts are
// separated by ` / ` (IMUL's one-, two- and three-operand forms).
//
// FLOW (iced's FlowControl): `jmp` direct branch, `indirectjmp`, `jcc` conditional branch (Jcc, JrCXZ,
// LOOPcc), `call` direct call (also SYSCALL, SYSENTER, VMCALL: a call to a fixed target), `indirectcall`,
// `ret` (RET, IRET, SYSRET, RSM...), `int` (INT n, INT1, INT3, INTO), `exception` (UD0, UD1, UD2),
// `xbegin`. Absent: the next instruction follows.
//
// RULES, for the few instructions whose effects depend on an operand's value or a prefix:
// `count` the last operand is a shift count (SDM Vol. 2, SAL/SAR/SHL/SHR, ROL/ROR, SHLD/SHRD): masked to
// 5 bits (6 with a 64-bit operand), a count of 0 affects no flags, a count of 1 is the row, a larger
// count or CL leaves OF undefined instead of modified. `rcount` the same for RCL/RCR, whose 8- and
// 16-bit forms rotate by the masked count modulo 9 or 17. `rep` a REP/REPE/REPNE prefix makes every
// access conditional (the count in rCX may be 0). `cmov` CMOVcc: the destination is conditionally
// written, except a 32-bit destination in 64-bit mode, which is always written (zero-extended).
extension InstructionMetadataText {
    static let table = """
    # ---- Binary arithmetic and logic (SDM Vol. 1, 7.3.2, 7.3.5) ----
    add                                     | M:oszapc            | rw r                |
    adc sbb                                 | T:c M:oszapc        | rw r                |
    sub [same]                              | 0:osac 1:zp         | w n                 |
    sub                                     | M:oszapc            | rw r                |
    cmp                                     | M:oszapc            | r r                 |
    inc dec                                 | M:oszap             | rw                  |
    neg                                     | M:oszapc            | rw                  |
    mul                                     | M:oc U:szap         | r                   |
    imul                                    | M:oc U:szap         | r / rw r / w r r    |
    div idiv                                | U:oszapc            | r                   |
    and or                                  | M:szp 0:oc U:a      | rw r                |
    xor [same]                              | 0:osc 1:zp U:a      | w n                 |
    xor                                     | M:szp 0:oc U:a      | rw r                |
    test                                    | M:szp 0:oc U:a      | r r                 |
    not                                     |                     | rw                  |
    xadd                                    | M:oszapc            | rw rw               |
    cmpxchg                                 | M:oszapc            | rcw r               |
    cmpxchg8b cmpxchg16b                    | M:z                 | rcw                 |
    adcx                                    | T:c M:c             | rw r                |
    adox                                    | T:o M:o             | rw r                |
    aadd aand aor axor                      |                     | rw r                |
    cmpoxadd cmpnoxadd cmpbxadd cmpnbxadd cmpzxadd cmpnzxadd cmpbexadd cmpnbexadd | M:oszapc | rw rw r |
    cmpsxadd cmpnsxadd cmppxadd cmpnpxadd cmplxadd cmpnlxadd cmplexadd cmpnlexadd | M:oszapc | rw rw r |

    # ---- Decimal arithmetic (7.3.3) ----
    aaa aas                                 | T:a M:ac U:oszp     | -                   |
    daa das                                 | T:ac M:szapc U:o    | -                   |
    aad aam                                 | M:szp U:oac         | r                   |

    # ---- Shifts and rotates (7.3.6): flags depend on the count ----
    rol ror                                 | M:oc                | rw r                | count
    rcl rcr                                 | T:c M:oc            | rw r                | rcount
    shl sal shr sar                         | M:oszpc U:a         | rw r                | count
    shld shrd                               | M:oszpc U:a         | rw r r              | count

    # ---- Bit and byte instructions (7.3.7), BMI1/BMI2, ABM ----
    bt                                      | M:c U:osap          | r r                 |
    bts btr btc                             | M:c U:osap          | rw r                |
    bsf bsr                                 | M:z U:osapc         | cw r                |
    lzcnt tzcnt                             | M:zc U:osap         | w r                 |
    popcnt                                  | M:z 0:osapc         | w r                 |
    seto setno                              | T:o                 | w                   |
    setb setae                              | T:c                 | w                   |
    sete setne                              | T:z                 | w                   |
    setbe seta                              | T:zc                | w                   |
    sets setns                              | T:s                 | w                   |
    setp setnp                              | T:p                 | w                   |
    setl setge                              | T:os                | w                   |
    setle setg                              | T:osz               | w                   |
    andn                                    | M:sz 0:oc U:ap      | w r r               |
    bextr                                   | M:z 0:oc U:sap      | w r r               |
    blsi blsr                               | M:szc 0:o U:ap      | w r                 |
    blsmsk                                  | M:sc 0:oz U:ap      | w r                 |
    bzhi                                    | M:szc 0:o U:ap      | w r r               |
    # PDEP/PEXT read only the source bits the mask selects: a conditional read, as iced has it.
    pdep pext                               |                     | w cr r              |
    rorx sarx shlx shrx                     |                     | w r r               |
    mulx                                    |                     | w w r               |

    # ---- Data transfer (7.3.1) ----
    mov [c*,*c]                             | U:oszapc            | w r                 |
    mov movzx movsx movsxd movbe            |                     | w r                 |
    cmovo cmovno                            | T:o                 | cw r                | cmov
    cmovb cmovae                            | T:c                 | cw r                | cmov
    cmove cmovne                            | T:z                 | cw r                | cmov
    cmovbe cmova                            | T:zc                | cw r                | cmov
    cmovs cmovns                            | T:s                 | cw r                | cmov
    cmovp cmovnp                            | T:p                 | cw r                | cmov
    cmovl cmovge                            | T:os                | cw r                | cmov
    cmovle cmovg                            | T:osz               | cw r                | cmov
    xchg                                    |                     | rw rw               |
    bswap                                   |                     | rw                  |
    push                                    |                     | r                   |
    pop                                     |                     | w                   |
    pusha pushad popa popad                 |                     | -                   |
    cbw cwde cdqe cwd cdq cqo               |                     | -                   |
    in                                      |                     | w r                 |
    out                                     |                     | r r                 |
    lea                                     |                     | w nma               |
    lds les lfs lgs lss                     |                     | w r                 |
    xlatb                                   |                     | r                   |
    enter bound                             |                     | r r                 |
    leave                                   |                     | -                   |
    crc32                                   |                     | rw r                |
    movdiri                                 |                     | w r                 |
    movdir64b                               |                     | r r                 |
    enqcmd enqcmds                          | M:z 0:osapc         | r r                 |
    nop                                     |                     | - / n               |
    reservednop                             |                     | n n                 |
    hreset                                  |                     | n                   |
    pause                                   |                     | -                   |

    # ---- Flag control (7.3.13) ----
    clc                                     | 0:c                 | -                   |
    stc                                     | 1:c                 | -                   |
    cmc                                     | T:c M:c             | -                   |
    cld                                     | 0:d                 | -                   |
    std                                     | 1:d                 | -                   |
    cli                                     | 0:i                 | -                   |
    sti                                     | 1:i                 | -                   |
    clac                                    | 0:A                 | -                   |
    stac                                    | 1:A                 | -                   |
    lahf                                    | T:szapc             | -                   |
    sahf                                    | M:szapc             | -                   |
    pushf                                   | T:oszapcdi          | -                   |
    pushfd pushfq                           | T:oszapcdiA         | -                   |
    popf                                    | M:oszapcdi          | -                   |
    popfd popfq                             | M:oszapcdiA         | -                   |
    salc                                    | T:c                 | -                   |

    # ---- String instructions (7.3.9): DF selects the direction ----
    movsb movsw movsq                       | T:d                 | w r                 | rep
    movsd [s*]                              | T:d                 | w r                 | rep
    cmpsb cmpsw cmpsq                       | T:d M:oszapc        | r r                 | rep
    cmpsd [s*]                              | T:d M:oszapc        | r r                 | rep
    scasb scasw scasd scasq                 | T:d M:oszapc        | r r                 | rep
    lodsb lodsw lodsd lodsq                 | T:d                 | w r                 | rep
    stosb stosw stosd stosq                 | T:d                 | w r                 | rep
    insb insw insd                          | T:d                 | w r                 | rep
    outsb outsw outsd                       | T:d                 | r r                 | rep

    # ---- Control transfer (7.3.8) ----
    jmp [b]                                 |                     | r                   | jmp
    jmp                                     |                     | r                   | indirectjmp
    call [b]                                |                     | r                   | call
    call                                    |                     | r                   | indirectcall
    ret retf                                |                     | - / r               | ret
    jo jno                                  | T:o                 | r                   | jcc
    jb jae                                  | T:c                 | r                   | jcc
    je jne                                  | T:z                 | r                   | jcc
    jbe ja                                  | T:zc                | r                   | jcc
    js jns                                  | T:s                 | r                   | jcc
    jp jnp                                  | T:p                 | r                   | jcc
    jl jge                                  | T:os                | r                   | jcc
    jle jg                                  | T:osz               | r                   | jcc
    jcxz jecxz jrcxz loop                   |                     | r                   | jcc
    loope loopne                            | T:z                 | r                   | jcc
    int                                     |                     | r                   | int
    int1 int3                               |                     | -                   | int
    into                                    | T:o                 | -                   | int
    iret                                    | M:oszapcdi          | -                   | ret
    iretd iretq                             | M:oszapcdiA         | -                   | ret
    ud0 ud1                                 |                     | n n                 | exception
    invalid                                 |                     | -                   | exception
    ud2                                     |                     | -                   | exception
    xbegin                                  |                     | r                   | xbegin
    xabort                                  |                     | r                   |
    xend                                    |                     | -                   |
    xtest                                   | M:z 0:osapc         | -                   |
    endbr32 endbr64                         |                     | -                   |

    # ---- System instructions (SDM Vol. 2; Vol. 3 chapter 2.8) ----
    syscall                                 | T:oszapcdiA M:oszapcdiA | -               | call
    sysret sysretq                          | M:oszapcdiA         | -                   | ret
    sysenter                                | 0:i                 | -                   | call
    sysexit sysexitq                        |                     | -                   | ret
    rsm erets eretu                         | M:oszapcdiA         | -                   | ret
    uiret                                   | M:oszapcdA 1:u      | -                   | ret
    lgdt lidt lldt ltr lmsw lkgs            |                     | r                   |
    sgdt sidt sldt str smsw                 |                     | w                   |
    lar lsl                                 | M:z                 | cw r                |
    verr verw                               | M:z                 | r                   |
    arpl                                    | M:z                 | rcw r               |
    invlpg                                  |                     | nma                 |
    invpcid                                 |                     | r r                 |
    clts hlt invd wbinvd wbnoinvd rdmsr wrmsr wrmsrns rdmsrlist wrmsrlist | | -       |
    rdtsc rdtscp rdpmc cpuid swapgs xgetbv xsetbv rdpkru wrpkru       |         | -       |
    lfence mfence sfence serialize monitor mwait monitorx mwaitx wait |         | -       |
    getsec getsecq clzero invlpga invlpgb tlbsync setssbsy xsusldtrk xresldtrk | | -    |
    clui                                    | 0:u                 | -                   |
    stui                                    | 1:u                 | -                   |
    testui                                  | T:u M:c 0:oszap     | -                   |
    senduipi                                |                     | r                   |
    rdfsbase rdgsbase rdpid                 |                     | w                   |
    wrfsbase wrgsbase ptwrite               |                     | r                   |
    rdrand rdseed                           | M:c 0:oszap         | w                   |
    rdpru mcommit                           | M:c 0:oszap         | -                   |
    tpause umwait                           | M:c 0:oszap         | r                   |
    umonitor                                |                     | r                   |
    clflush clflushopt clwb                 |                     | r                   |
    cldemote prefetch prefetchw prefetchwt1 prefetchnta prefetcht0 prefetcht1 prefetcht2 | | nma |
    prefetchit0 prefetchit1                 |                     | nma                 |
    # CET shadow stack
    clrssbsy rstorssp                       | M:c 0:oszap         | rw                  |
    saveprevssp                             | T:c                 | -                   |
    incsspd incsspq                         |                     | r                   |
    rdsspd rdsspq                           |                     | w                   |
    wrssd wrssq wrussd wrussq               |                     | w r                 |
    # State save and restore
    fxsave fxsave64 xsavec xsavec64 xsaves xsaves64 |             | w                   |
    xsave xsave64 xsaveopt xsaveopt64       |                     | rw                  |
    fxrstor fxrstor64 xrstor xrstor64 xrstors xrstors64 |         | r                   |
    ldmxcsr vldmxcsr                        |                     | r                   |
    stmxcsr vstmxcsr                        |                     | w                   |
    # VMX
    vmcall vmlaunch vmresume                | M:zc 0:osap         | -                   | call
    vmxoff                                  | M:zc 0:osap         | -                   |
    vmclear vmptrld vmxon                   | M:zc 0:osap         | r                   |
    vmptrst                                 | 0:oszapc            | w                   |
    vmread                                  | M:zc 0:osap         | w r                 |
    vmwrite invept invvpid                  | M:zc 0:osap         | r r                 |
    vmfunc                                  | M:oszapc            | -                   |
    # SVM, SEV-SNP, TDX
    vmrun                                   | T:oszapcdiA         | -                   | call
    vmmcall vmgexit tdcall                  |                     | -                   | call
    vmload vmsave stgi clgi                 |                     | -                   |
    skinit                                  | 0:oszapcdiA         | -                   | ret
    psmash rmpadjust rmpquery rmpupdate     | M:oszap             | -                   |
    pvalidate                               | M:oszapc            | -                   |
    seamcall                                | M:c 0:oszap         | -                   | call
    seamret                                 | M:zc 0:osap         | -                   | call
    seamops pconfig pbndkb                  | M:z 0:osapc         | -                   |
    # SGX
    encls enclu enclv                       | M:oszapc            | -                   |
    # Key Locker
    loadiwkey                               | M:z 0:osapc         | r r                 |
    aesenc128kl aesdec128kl aesenc256kl aesdec256kl | M:z 0:osapc | rw r                |
    aesencwide128kl aesdecwide128kl aesencwide256kl aesdecwide256kl | M:z 0:osapc | r   |
    encodekey128 encodekey256               | 0:oszapc            | w r                 |
    # AMX
    ldtilecfg tilerelease                   |                     | r / -               |
    sttilecfg tilezero                      |                     | w                   |
    tileloadd tileloaddt1 tilestored        |                     | w r                 |
    tdpbf16ps tdpbssd tdpbsud tdpbusd tdpbuud tdpfp16ps tcmmimfp16ps tcmmrlfp16ps | | rw r r |

    # ---- x87 FPU (SDM Vol. 1, chapter 8): C1 reports stack overflow/underflow or rounding ----
    # The waiting forms (FINIT = WAIT FNINIT, FSTSW = WAIT FNSTSW ...) decode as two instructions.
    fld fild fbld                           | M:C1 U:C0C2C3       | r                   |
    fst fstp fist fistp fbstp fstpnce       | M:C1 U:C0C2C3       | w                   |
    fisttp                                  | 0:C1 U:C0C2C3       | w                   |
    fxch                                    | 0:C1 U:C0C2C3       | rw rw               |
    fcmovb fcmovnb                          | T:c 0:C1 U:C0C2C3   | cw cr               |
    fcmove fcmovne                          | T:z 0:C1 U:C0C2C3   | cw cr               |
    fcmovbe fcmovnbe                        | T:zc 0:C1 U:C0C2C3  | cw cr               |
    fcmovu fcmovnu                          | T:p 0:C1 U:C0C2C3   | cw cr               |
    fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz | M:C1 U:C0C2C3   | -                   |
    fadd fsub fsubr fmul fdiv fdivr         | M:C1 U:C0C2C3       | r / rw r            |
    faddp fsubp fsubrp fmulp fdivp fdivrp   | M:C1 U:C0C2C3       | rw r                |
    fiadd fisub fisubr fimul fidiv fidivr   | M:C1 U:C0C2C3       | r                   |
    f2xm1 fyl2x fyl2xp1 fpatan fscale fsqrt frndint fxtract | M:C1 U:C0C2C3 | -       |
    fprem fprem1 fxam                       | M:C0C1C2C3          | -                   |
    fsin fcos fsincos fptan                 | M:C1C2 U:C0C3       | -                   |
    fabs fchs fincstp fdecstp               | 0:C1 U:C0C2C3       | -                   |
    fcom fcomp                              | M:C0C2C3 0:C1       | r / r r             |
    fucom fucomp                            | M:C0C2C3 0:C1       | r r                 |
    ficom ficomp                            | M:C0C2C3 0:C1       | r                   |
    fcompp fucompp ftst                     | M:C0C2C3 0:C1       | -                   |
    fcomi fcomip fucomi fucomip             | M:zpc 0:osaC1       | r r                 |
    fninit                                  | 0:C0C1C2C3          | -                   |
    fnclex                                  | U:C0C1C2C3          | -                   |
    fldcw                                   | U:C0C1C2C3          | r                   |
    fnstcw                                  | U:C0C1C2C3          | w                   |
    fnstenv fnstsw                          | T:C0C1C2C3 U:C0C1C2C3 | w                 |
    fldenv frstor                           | M:C0C1C2C3          | r                   |
    fnsave                                  | T:C0C1C2C3 0:C0C1C2C3 | w                 |
    ffree ffreep                            | U:C0C1C2C3          | n                   |
    fnop fndisi fneni fnsetpm               |                     | -                   |

    # ---- MMX, SSE, AVX: no flags except the compares below ----
    comiss comisd ucomiss ucomisd vcomiss vcomisd vucomiss vucomisd | M:zpc 0:osa | r r    |
    ptest vptest vtestps vtestpd            | M:zc 0:osap         | r r                 |
    kortestb kortestw kortestd kortestq ktestb ktestw ktestd ktestq | M:zc 0:osap | r r   |
    pcmpestri pcmpestri64 pcmpestrm pcmpestrm64 pcmpistri pcmpistrm | M:oszc 0:ap | r r r |
    vpcmpestri vpcmpestri64 vpcmpestrm vpcmpestrm64 vpcmpistri vpcmpistrm | M:oszc 0:ap | r r r |

    # Zeroing idioms: the destination does not depend on the (equal) sources.
    pxor xorps xorpd psubb psubw psubd psubq psubsb psubsw psubusb psubusw [same] | | w n |
    vpxor vxorps vxorpd vpsubb vpsubw vpsubd vpsubq vpsubsb vpsubsw vpsubusb vpsubusw [same] | | w n n |

    # Scalar moves merge into a register destination only from a register source.
    movss movsd [rr]                        |                     | rw r                |
    movss movsd                             |                     | w r                 |
    movlps movhps movlpd movhpd [r*]        |                     | rw r                |
    movlps movhps movlpd movhpd             |                     | w r                 |
    cmpsd                                   |                     | rw r r              |

    # Legacy SSE two-operand arithmetic: the destination is also a source.
    addps addpd addss addsd subps subpd subss subsd mulps mulpd mulss mulsd divps divpd divss divsd | | rw r |
    minps minpd minss minsd maxps maxpd maxss maxsd sqrtss sqrtsd rcpss rsqrtss | | rw r |
    addsubps addsubpd haddps haddpd hsubps hsubpd | | rw r |
    andps andpd andnps andnpd orps orpd xorps xorpd | | rw r |
    unpcklps unpcklpd unpckhps unpckhpd movhlps movlhps | | rw r |
    cvtsi2ss cvtsi2sd cvtss2sd cvtsd2ss cvtpi2ps | | rw r |
    blendvps blendvpd pblendvb              |                     | rw r                |
    paddb paddw paddd paddq paddsb paddsw paddusb paddusw | | rw r |
    psubb psubw psubd psubq psubsb psubsw psubusb psubusw | | rw r |
    pand pandn por pxor                     |                     | rw r                |
    pcmpeqb pcmpeqw pcmpeqd pcmpeqq pcmpgtb pcmpgtw pcmpgtd pcmpgtq | | rw r |
    packsswb packssdw packuswb packusdw     |                     | rw r                |
    punpcklbw punpcklwd punpckldq punpcklqdq punpckhbw punpckhwd punpckhdq punpckhqdq | | rw r |
    pmaddwd pmaddubsw pmulhw pmulhuw pmulhrsw pmullw pmulld pmuludq pmuldq | | rw r |
    pavgb pavgw psadbw pshufb psignb psignw psignd | | rw r |
    phaddw phaddd phaddsw phsubw phsubd phsubsw | | rw r |
    pminsb pminsw pminsd pminub pminuw pminud pmaxsb pmaxsw pmaxsd pmaxub pmaxuw pmaxud | | rw r |
    psllw pslld psllq psrlw psrld psrlq psraw psrad pslldq psrldq | | rw r |
    aesenc aesenclast aesdec aesdeclast gf2p8mulb | | rw r |
    sha1msg1 sha1msg2 sha1nexte sha256msg1 sha256msg2 sha256rnds2 | | rw r |
    extrq                                   |                     | rw r / rw r r       |
    insertq                                 |                     | rw r / w r r r      |
    cmpps cmppd cmpss shufps shufpd blendps blendpd pblendw dpps dppd mpsadbw | | rw r r |
    insertps palignr pclmulqdq pinsrb pinsrw pinsrd pinsrq roundss roundsd | | rw r r |
    gf2p8affineqb gf2p8affineinvqb sha1rnds4 | | rw r r |

    # Moves, conversions and other instructions that only write their destination.
    movaps movapd movups movupd movdqa movdqu movq movd movddup movshdup movsldup lddqu | | w r |
    movntps movntpd movntdq movntdqa movnti movntq movntss movntsd movq2dq movdq2q | | w r |
    movmskps movmskpd pmovmskb              |                     | w r                 |
    cvtdq2ps cvtdq2pd cvtps2dq cvtpd2dq cvttps2dq cvttpd2dq cvtps2pd cvtpd2ps | | w r |
    cvtpi2pd cvtps2pi cvtpd2pi cvttps2pi cvttpd2pi cvtss2si cvtsd2si cvttss2si cvttsd2si | | w r |
    sqrtps sqrtpd rcpps rsqrtps pabsb pabsw pabsd phminposuw aesimc | | w r |
    pmovsxbw pmovsxbd pmovsxbq pmovsxwd pmovsxwq pmovsxdq | | w r |
    pmovzxbw pmovzxbd pmovzxbq pmovzxwd pmovzxwq pmovzxdq | | w r |
    pshufd pshufhw pshuflw pshufw roundps roundpd extractps aeskeygenassist | | w r r |
    pextrb pextrw pextrd pextrq maskmovq maskmovdqu | | w r r |
    emms femms                              |                     | -                   |

    # VEX: three-operand forms write the destination and read the sources.
    vmovss vmovsd vmovlps vmovhps vmovlpd vmovhpd | | w r / w r r |
    vmovaps vmovapd vmovups vmovupd vmovdqa vmovdqu vmovq vmovd vmovddup vmovshdup vmovsldup vlddqu | | w r |
    vmovntps vmovntpd vmovntdq vmovntdqa vmovmskps vmovmskpd vpmovmskb | | w r |
    vcvtdq2ps vcvtdq2pd vcvtps2dq vcvtpd2dq vcvttps2dq vcvttpd2dq vcvtps2pd vcvtpd2ps vcvtph2ps | | w r |
    vcvtss2si vcvtsd2si vcvttss2si vcvttsd2si | | w r |
    vsqrtps vsqrtpd vrcpps vrsqrtps vpabsb vpabsw vpabsd vphminposuw vaesimc | | w r |
    vbroadcastss vbroadcastsd vbroadcastf128 vbroadcasti128 vpbroadcastb vpbroadcastw vpbroadcastd vpbroadcastq | | w r |
    vpmovsxbw vpmovsxbd vpmovsxbq vpmovsxwd vpmovsxwq vpmovsxdq | | w r |
    vpmovzxbw vpmovzxbd vpmovzxbq vpmovzxwd vpmovzxwq vpmovzxdq | | w r |
    vbcstnebf162ps vbcstnesh2ps vcvtneebf162ps vcvtneeph2ps vcvtneobf162ps vcvtneoph2ps vcvtneps2bf16 | | w r |
    kmovb kmovw kmovd kmovq knotb knotw knotd knotq | | w r |
    vaddps vaddpd vaddss vaddsd vsubps vsubpd vsubss vsubsd vmulps vmulpd vmulss vmulsd | | w r r |
    vdivps vdivpd vdivss vdivsd vminps vminpd vminss vminsd vmaxps vmaxpd vmaxss vmaxsd | | w r r |
    vsqrtss vsqrtsd vrcpss vrsqrtss vaddsubps vaddsubpd vhaddps vhaddpd vhsubps vhsubpd | | w r r |
    vandps vandpd vandnps vandnpd vorps vorpd vxorps vxorpd | | w r r |
    vunpcklps vunpcklpd vunpckhps vunpckhpd vmovhlps vmovlhps | | w r r |
    vcvtsi2ss vcvtsi2sd vcvtss2sd vcvtsd2ss vcvtps2ph | | w r r |
    vpaddb vpaddw vpaddd vpaddq vpaddsb vpaddsw vpaddusb vpaddusw | | w r r |
    vpsubb vpsubw vpsubd vpsubq vpsubsb vpsubsw vpsubusb vpsubusw | | w r r |
    vpand vpandn vpor vpxor                 |                     | w r r               |
    vpcmpeqb vpcmpeqw vpcmpeqd vpcmpeqq vpcmpgtb vpcmpgtw vpcmpgtd vpcmpgtq | | w r r |
    vpacksswb vpackssdw vpackuswb vpackusdw | | w r r |
    vpunpcklbw vpunpcklwd vpunpckldq vpunpcklqdq vpunpckhbw vpunpckhwd vpunpckhdq vpunpckhqdq | | w r r |
    vpmaddwd vpmaddubsw vpmulhw vpmulhuw vpmulhrsw vpmullw vpmulld vpmuludq vpmuldq | | w r r |
    vpavgb vpavgw vpsadbw vpshufb vpsignb vpsignw vpsignd | | w r r |
    vphaddw vphaddd vphaddsw vphsubw vphsubd vphsubsw | | w r r |
    vpminsb vpminsw vpminsd vpminub vpminuw vpminud vpmaxsb vpmaxsw vpmaxsd vpmaxub vpmaxuw vpmaxud | | w r r |
    vpsllw vpslld vpsllq vpsrlw vpsrld vpsrlq vpsraw vpsrad vpslldq vpsrldq | | w r r |
    vpsllvd vpsllvq vpsrlvd vpsrlvq vpsravd | | w r r |
    vpshufd vpshufhw vpshuflw vroundps vroundpd vextractps vextractf128 vextracti128 vaeskeygenassist | | w r r |
    vpextrb vpextrw vpextrd vpextrq vmaskmovdqu vmaskmovps vmaskmovpd vpmaskmovd vpmaskmovq | | w r r |
    vpermd vpermq vpermps vpermpd vpermilps vpermilpd | | w r r |
    vaesenc vaesenclast vaesdec vaesdeclast vgf2p8mulb vsm4key4 vsm4rnds4 | | w r r |
    kaddb kaddw kaddd kaddq kandb kandw kandd kandq kandnb kandnw kandnd kandnq | | w r r |
    korb korw kord korq kxorb kxorw kxord kxorq kxnorb kxnorw kxnord kxnorq | | w r r |
    kshiftlb kshiftlw kshiftld kshiftlq kshiftrb kshiftrw kshiftrd kshiftrq kunpckbw kunpckwd kunpckdq | | w r r |
    vcmpps vcmppd vcmpss vcmpsd vshufps vshufpd vblendps vblendpd vblendvps vblendvpd | | w r r r |
    vpblendw vpblendd vpblendvb vdpps vdppd vmpsadbw vinsertps vpalignr vpclmulqdq | | w r r r |
    vpinsrb vpinsrw vpinsrd vpinsrq vroundss vroundsd vinsertf128 vinserti128 vperm2f128 vperm2i128 | | w r r r |
    vgf2p8affineqb vgf2p8affineinvqb       |                     | w r r r             |
    vfmaddps vfmaddpd vfmaddss vfmaddsd vfmsubps vfmsubpd vfmsubss vfmsubsd | | w r r r |
    vfnmaddps vfnmaddpd vfnmaddss vfnmaddsd vfnmsubps vfnmsubpd vfnmsubss vfnmsubsd | | w r r r |
    vfmaddsubps vfmaddsubpd vfmsubaddps vfmsubaddpd | | w r r r |
    vpermil2ps vpermil2pd                   |                     | w r r r r           |
    vfmadd132ps vfmadd132pd vfmadd132ss vfmadd132sd vfmadd213ps vfmadd213pd vfmadd213ss vfmadd213sd | | rw r r |
    vfmadd231ps vfmadd231pd vfmadd231ss vfmadd231sd vfmsub132ps vfmsub132pd vfmsub132ss vfmsub132sd | | rw r r |
    vfmsub213ps vfmsub213pd vfmsub213ss vfmsub213sd vfmsub231ps vfmsub231pd vfmsub231ss vfmsub231sd | | rw r r |
    vfnmadd132ps vfnmadd132pd vfnmadd132ss vfnmadd132sd vfnmadd213ps vfnmadd213pd vfnmadd213ss vfnmadd213sd | | rw r r |
    vfnmadd231ps vfnmadd231pd vfnmadd231ss vfnmadd231sd vfnmsub132ps vfnmsub132pd vfnmsub132ss vfnmsub132sd | | rw r r |
    vfnmsub213ps vfnmsub213pd vfnmsub213ss vfnmsub213sd vfnmsub231ps vfnmsub231pd vfnmsub231ss vfnmsub231sd | | rw r r |
    vfmaddsub132ps vfmaddsub132pd vfmaddsub213ps vfmaddsub213pd vfmaddsub231ps vfmaddsub231pd | | rw r r |
    vfmsubadd132ps vfmsubadd132pd vfmsubadd213ps vfmsubadd213pd vfmsubadd231ps vfmsubadd231pd | | rw r r |
    vpdpbusd vpdpbusds vpdpwssd vpdpwssds vpdpbssd vpdpbssds vpdpbsud vpdpbsuds vpdpbuud vpdpbuuds | | rw r r |
    vpdpwsud vpdpwsuds vpdpwusd vpdpwusds vpdpwuud vpdpwuuds vpmadd52luq vpmadd52huq | | rw r r |
    vsha512rnds2 vsm3msg1 vsm3msg2          |                     | rw r r              |
    vsha512msg1 vsha512msg2                 |                     | rw r                |
    vsm3rnds2                               |                     | rw r r r            |
    vgatherdps vgatherdpd vgatherqps vgatherqpd vpgatherdd vpgatherdq vpgatherqd vpgatherqq | | rw r rw |
    vzeroupper vzeroall                     |                     | -                   |

    # VIA PadLock
    xstore xcryptecb xcryptcbc xcryptctr xcryptcfb xcryptofb xsha1 xsha256 xsha512 montmul | | - |
    ccs_hash ccs_encrypt xstore_alt xsha512_alt undoc |           | -                   |
    """
}
