// System instructions of the two-byte map and the 0F 38 map: descriptor tables, control and debug
// registers, MSRs, fast system calls, VMX, SVM, SGX, TDX/SEV-SNP, UINTR, FRED (Intel SDM Vol. 2,
// Appendix A, Tables A-3 and A-6 "Opcode Extensions"; AMD APM Vol. 3), in the manual's notation (see
// OpcodeTableParser for the grammar). Popek-Goldberg class: `priv` faults outside CPL 0 (or traps to a
// VMM), `sens` reads or changes privileged state without faulting.
extension OpcodeTableText {
    static let system = """
    # 0F 00: group 6. JMPE (0F 00 /6 without F2) is IA-64 only; iced decodes it only on request.
    0F 00 /0 | sldt Evw | sens
    0F 00 /1 | str Evw | sens
    0F 00 /2 | lldt Evw | priv
    0F 00 /3 | ltr Evw | priv
    0F 00 /4 | verr Evw | sens
    0F 00 /5 | verw Evw | sens
    F2 0F 00 /6 | lkgs Evw | o64 priv

    # 0F 01: group 7, memory forms.
    0F 01 /0 mem | sgdt Ms | sens
    0F 01 /1 mem | sidt Ms | sens
    0F 01 /2 mem | lgdt Ms | priv
    0F 01 /3 mem | lidt Ms | priv
    0F 01 /4 | smsw Evw | sens
    F3 0F 01 /5 mem | rstorssp Mq
    0F 01 /6 | lmsw Evw | priv
    0F 01 /7 mem | invlpg Munknown | priv

    # 0F 01: group 7, register forms (exact ModRM bytes). VMCALL, VMMCALL and VMGEXIT exit to the VMM at
    # any CPL (privileged: they trap); VMFUNC runs in VMX non-root operation at any CPL without an exit.
    # MONITOR/MWAIT are #UD at CPL > 0 unless a model-specific enable is set (iced calls them unprivileged).
    NP 0F 01 C0 | enclv | priv
    NP 0F 01 C1 | vmcall | priv
    NP 0F 01 C2 | vmlaunch | priv
    NP 0F 01 C3 | vmresume | priv
    NP 0F 01 C4 | vmxoff | priv
    NP 0F 01 C5 | pconfig | priv
    F2 0F 01 C6 | rdmsrlist | o64 priv
    F3 0F 01 C6 | wrmsrlist | o64 priv
    NP 0F 01 C6 | wrmsrns | priv
    NP 0F 01 C7 | pbndkb | o64 priv
    NP 0F 01 C8 | monitor | priv
    NP 0F 01 C9 | mwait | priv
    F3 0F 01 CA | eretu | o64 priv
    F2 0F 01 CA | erets | o64 priv
    NP 0F 01 CA | clac | priv
    NP 0F 01 CB | stac | priv
    66 0F 01 CC | tdcall | priv
    66 0F 01 CD | seamret | o64 priv
    66 0F 01 CE | seamops | o64 priv
    66 0F 01 CF | seamcall | o64 priv
    NP 0F 01 CF | encls | priv
    NP 0F 01 D0 | xgetbv
    NP 0F 01 D1 | xsetbv | priv
    NP 0F 01 D4 | vmfunc
    NP 0F 01 D5 | xend
    NP 0F 01 D6 | xtest
    NP 0F 01 D7 | enclu
    0F 01 D8 | vmrun | priv
    F3 0F 01 D9 | vmgexit | priv
    F2 0F 01 D9 | vmgexit | priv
    0F 01 D9 | vmmcall | priv
    0F 01 DA | vmload | priv
    0F 01 DB | vmsave | priv
    0F 01 DC | stgi | priv
    0F 01 DD | clgi | priv
    0F 01 DE | skinit | priv
    0F 01 DF | invlpga | priv
    F3 0F 01 E8 | setssbsy | priv
    F2 0F 01 E8 | xsusldtrk
    NP 0F 01 E8 | serialize
    F2 0F 01 E9 | xresldtrk
    F3 0F 01 EA | saveprevssp
    F3 0F 01 EC | uiret | o64
    F3 0F 01 ED | testui | o64
    F3 0F 01 EE | clui | o64
    NP 0F 01 EE | rdpkru
    F3 0F 01 EF | stui | o64
    NP 0F 01 EF | wrpkru
    0F 01 F8 | swapgs | o64 priv
    0F 01 F9 | rdtscp
    F3 0F 01 FA | mcommit
    NP 0F 01 FA | monitorx
    NP 0F 01 FB | mwaitx
    0F 01 FC | clzero
    F3 0F 01 FD | rmpquery | o64 priv
    NP 0F 01 FD | rdpru
    F3 0F 01 FE | rmpadjust | o64 priv
    F2 0F 01 FE | rmpupdate | o64 priv
    NP 0F 01 FE | invlpgb | priv
    F3 0F 01 FF | psmash | o64 priv
    F2 0F 01 FF | pvalidate | priv
    NP 0F 01 FF | tlbsync | priv

    0F 02 /r | lar Gv,Evw | sens
    0F 03 /r | lsl Gv,Evw | sens
    # SYSCALL and SYSENTER enter CPL 0 through MSR state without faulting at CPL 3: sensitive, like INT n.
    0F 05 | syscall | sens
    0F 06 | clts | priv
    0F 07 | sysret/sysretq | wsel priv
    0F 08 | invd | priv
    F3 0F 09 | wbnoinvd | priv
    0F 09 | wbinvd | priv

    # MOV to/from control and debug registers: the r/m field is always a register (mod is ignored),
    # 32 bits outside 64-bit mode and 64 in it. MOV TRn (0F 24/0F 26, 386/486) is decoded by iced only
    # on request: #UD here.
    0F 20 /r | mov Ry,Cy | f64 f32 lockcr8 priv
    0F 21 /r | mov Ry,Dy | f64 f32 priv
    0F 22 /r | mov Cy,Ry | f64 f32 lockcr8 priv
    0F 23 /r | mov Dy,Ry | f64 f32 priv

    0F 30 | wrmsr | priv
    0F 31 | rdtsc
    0F 32 | rdmsr | priv
    0F 33 | rdpmc
    0F 34 | sysenter | sens
    0F 35 | sysexit/sysexitq | wsel priv
    # GETSEC: only the CAPABILITIES leaf runs at CPL > 0, and VMX always exits on it; unprivileged, as iced.
    NP 0F 37 | getsec/getsecq | wsel
    NP 0F 78 /r | vmread Ey,Gy | f64 priv
    NP 0F 79 /r | vmwrite Gy,Ey | f64 priv
    0F AA | rsm | priv

    # 0F C7: group 9.
    REX.W 0F C7 /1 mem | cmpxchg16b Mdq | lock
    0F C7 /1 mem | cmpxchg8b Mq | lock
    NP 0F C7 /3 mem | xrstors/xrstors64 Mxsave | wsel priv
    NP 0F C7 /4 mem | xsavec/xsavec64 Mxsave | wsel
    NP 0F C7 /5 mem | xsaves/xsaves64 Mxsave | wsel priv
    NP 0F C7 /6 mem | vmptrld Mq | priv
    66 0F C7 /6 mem | vmclear Mq | priv
    F3 0F C7 /6 mem | vmxon Mq | priv
    NP 0F C7 /7 mem | vmptrst Mq | priv
    F3 0F C7 /6 reg | senduipi Rq | o64
    0F C7 /6 reg | rdrand Rv | norep
    F3 0F C7 /7 reg | rdpid Ry | f64
    0F C7 /7 reg | rdseed Rv | norep

    # 0F 38 80-82: VMX/process-context TLB invalidation (64-bit register in 64-bit mode, else 32).
    66 0F 38 80 /r mem | invept Gy,Mdq | f64 priv
    66 0F 38 81 /r mem | invvpid Gy,Mdq | f64 priv
    66 0F 38 82 /r mem | invpcid Gy,Mdq | f64 priv
    """
}
