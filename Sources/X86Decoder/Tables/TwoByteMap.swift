// The two-byte opcode map (0F xx), general-purpose instructions: Intel SDM Vol. 2, Appendix A, Table A-3,
// in the manual's notation (see OpcodeTableParser for the grammar), plus the integer instructions of
// 0F 38 F0-FF. System instructions (0F 00, 0F 01, MOV CR/DR, MSRs, VMX, SYSCALL...) are in System.swift;
// MMX/SSE forms in SSE.swift. Names and operand forms follow iced (RESERVEDNOP for the hint space
// 0F 0D/0F 18-0F 1F, VIA PadLock, FEMMS).
extension OpcodeTableText {
    static let twoByte = """
    # Undefined opcodes of this map are #UD, but (like iced) the decoder reads a ModRM byte for them, so
    # an instruction cut off right after the opcode is reported truncated. 0F 04/05/07 (LOADALL,
    # STOREALL) and 0F 24/26 (MOV TRn) are only decoded by iced on request.
    0F 04 /r | invalid
    0F 0A /r | invalid
    0F 0C /r | invalid
    0F 24 /r | invalid
    0F 25 /r | invalid
    0F 26 /r | invalid
    0F 27 /r | invalid
    0F 36 /r | invalid
    0F 39 /r | invalid
    0F 3B /r | invalid
    0F 3C /r | invalid
    0F 3D /r | invalid
    0F 3E /r | invalid
    0F 3F /r | invalid

    0F 0B | ud2
    0F 0E | femms

    # 0F 0D: AMD prefetch group; /3-/7 are aliases. Register forms are hint NOPs.
    0F 0D /0 mem | prefetch Mb
    0F 0D /1 mem | prefetchw Mb
    0F 0D /2 mem | prefetchwt1 Mb
    0F 0D /3 mem | prefetchw Mb
    0F 0D /4 mem | prefetch Mb
    0F 0D /5 mem | prefetch Mb
    0F 0D /6 mem | prefetch Mb
    0F 0D /7 mem | prefetch Mb
    0F 0D /r | reservednop Ev,Gv

    # 0F 18-0F 1F: prefetch hints, CLDEMOTE, CET, NOP; everything else is a reserved hint NOP
    # (SDM Vol. 2, NOP; iced's Reservednop). MPX (0F 1A/1B) is not decoded, as in iced by default.
    0F 18 /0 mem | prefetchnta Mb
    0F 18 /1 mem | prefetcht0 Mb
    0F 18 /2 mem | prefetcht1 Mb
    0F 18 /3 mem | prefetcht2 Mb
    0F 18 /6 mem | prefetchit1 Mb
    0F 18 /7 mem | prefetchit0 Mb
    0F 18 /r | reservednop Ev,Gv
    0F 19 /r | reservednop Ev,Gv
    0F 1A /r | reservednop Ev,Gv
    0F 1B /r | reservednop Ev,Gv
    NP 0F 1C /0 mem | cldemote Mb
    0F 1C /r | reservednop Ev,Gv
    0F 1D /r | reservednop Ev,Gv
    F3 0F 1E FA | endbr64
    F3 0F 1E FB | endbr32
    F3 0F 1E /1 reg | rdsspd/rdsspq Ry | wsel
    0F 1E /r | reservednop Ev,Gv
    0F 1F /0 | nop Ev
    0F 1F /r | reservednop Ev,Gv

    0F 40 /r | cmovo Gv,Ev
    0F 41 /r | cmovno Gv,Ev
    0F 42 /r | cmovb Gv,Ev
    0F 43 /r | cmovae Gv,Ev
    0F 44 /r | cmove Gv,Ev
    0F 45 /r | cmovne Gv,Ev
    0F 46 /r | cmovbe Gv,Ev
    0F 47 /r | cmova Gv,Ev
    0F 48 /r | cmovs Gv,Ev
    0F 49 /r | cmovns Gv,Ev
    0F 4A /r | cmovp Gv,Ev
    0F 4B /r | cmovnp Gv,Ev
    0F 4C /r | cmovl Gv,Ev
    0F 4D /r | cmovge Gv,Ev
    0F 4E /r | cmovle Gv,Ev
    0F 4F /r | cmovg Gv,Ev

    0F 80 | jo Jz | f64
    0F 81 | jno Jz | f64
    0F 82 | jb Jz | f64
    0F 83 | jae Jz | f64
    0F 84 | je Jz | f64
    0F 85 | jne Jz | f64
    0F 86 | jbe Jz | f64
    0F 87 | ja Jz | f64
    0F 88 | js Jz | f64
    0F 89 | jns Jz | f64
    0F 8A | jp Jz | f64
    0F 8B | jnp Jz | f64
    0F 8C | jl Jz | f64
    0F 8D | jge Jz | f64
    0F 8E | jle Jz | f64
    0F 8F | jg Jz | f64

    0F 90 /r | seto Eb
    0F 91 /r | setno Eb
    0F 92 /r | setb Eb
    0F 93 /r | setae Eb
    0F 94 /r | sete Eb
    0F 95 /r | setne Eb
    0F 96 /r | setbe Eb
    0F 97 /r | seta Eb
    0F 98 /r | sets Eb
    0F 99 /r | setns Eb
    0F 9A /r | setp Eb
    0F 9B /r | setnp Eb
    0F 9C /r | setl Eb
    0F 9D /r | setge Eb
    0F 9E /r | setle Eb
    0F 9F /r | setg Eb

    0F A0 | push FS | d64 sens
    0F A1 | pop FS | d64 sens
    0F A2 | cpuid
    0F A3 /r | bt Ev,Gv
    0F A4 /r | shld Ev,Gv,Ib
    0F A5 /r | shld Ev,Gv,CL

    # 0F A6/A7: VIA PadLock (REP-prefixed; XSTORE also without). MONTMUL needs 32/64-bit addressing;
    # with 64-bit addressing iced accepts only ModRM C0 (its fuzzing showed C1-C7 invalid there).
    F3 0F A6 C0+i a32 | montmul
    F3 0F A6 C0 a64 | montmul
    F3 0F A6 C8+i | xsha1
    F3 0F A6 D0+i | xsha256
    F3 0F A6 D8+i | xsha512_alt
    F3 0F A6 E0+i | xsha512
    F3 0F A6 E8+i | ccs_hash
    F3 0F A6 F0+i | undoc
    F3 0F A6 F8+i | undoc
    0F A7 C0+i | xstore
    F3 0F A7 C8+i | xcryptecb
    F3 0F A7 D0+i | xcryptcbc
    F3 0F A7 D8+i | xcryptctr
    F3 0F A7 E0+i | xcryptcfb
    F3 0F A7 E8+i | xcryptofb
    F3 0F A7 F0+i | ccs_encrypt
    F3 0F A7 F8+i | xstore_alt

    0F A8 | push GS | d64 sens
    0F A9 | pop GS | d64 sens
    0F AB /r | bts Ev,Gv | lock
    0F AC /r | shrd Ev,Gv,Ib
    0F AD /r | shrd Ev,Gv,CL

    # 0F AE: group 15. FSGSBASE, CET, WAITPKG, PTWRITE, cache and fence instructions, x87/SSE/XSAVE state.
    F3 0F AE /0 reg | rdfsbase Ry | o64
    F3 0F AE /1 reg | rdgsbase Ry | o64
    F3 0F AE /2 reg | wrfsbase Ry | o64
    F3 0F AE /3 reg | wrgsbase Ry | o64
    F3 0F AE /4 | ptwrite Ey | no66
    F3 0F AE /5 reg | incsspd/incsspq Ry | wsel
    F3 0F AE /6 mem | clrssbsy Mq | priv
    F3 0F AE /6 reg a16 | umonitor Rw
    F3 0F AE /6 reg a32 | umonitor Rd
    F3 0F AE /6 reg a64 | umonitor Rq
    66 0F AE /6 mem | clwb Mb
    66 0F AE /6 reg | tpause Ry
    F2 0F AE /6 reg | umwait Ry
    66 0F AE /7 mem | clflushopt Mb
    NP 0F AE E8+i | lfence
    NP 0F AE F0+i | mfence
    NP 0F AE F8+i | sfence
    NP 0F AE /0 mem | fxsave/fxsave64 Mfx | wsel
    NP 0F AE /1 mem | fxrstor/fxrstor64 Mfx | wsel
    NP 0F AE /2 mem | ldmxcsr Md
    NP 0F AE /3 mem | stmxcsr Md
    NP 0F AE /4 mem | xsave/xsave64 Mxsave | wsel
    NP 0F AE /5 mem | xrstor/xrstor64 Mxsave | wsel
    NP 0F AE /6 mem | xsaveopt/xsaveopt64 Mxsave | wsel
    NP 0F AE /7 mem | clflush Mb

    0F AF /r | imul Gv,Ev
    0F B0 /r | cmpxchg Eb,Gb | lock
    0F B1 /r | cmpxchg Ev,Gv | lock
    # LSS/LFS/LGS load a segment register (descriptor and privilege checks): sensitive, like MOV Sreg.
    0F B2 /r mem | lss Gv,Mp | sens
    0F B3 /r | btr Ev,Gv | lock
    0F B4 /r mem | lfs Gv,Mp | sens
    0F B5 /r mem | lgs Gv,Mp | sens
    0F B6 /r | movzx Gv,Eb
    0F B7 /r | movzx Gv,Ew
    F3 0F B8 /r | popcnt Gv,Ev
    0F B9 /r | ud1 Gv,Ev
    0F BA /4 | bt Ev,Ib
    0F BA /5 | bts Ev,Ib | lock
    0F BA /6 | btr Ev,Ib | lock
    0F BA /7 | btc Ev,Ib | lock
    0F BB /r | btc Ev,Gv | lock
    F3 0F BC /r | tzcnt Gv,Ev
    0F BC /r | bsf Gv,Ev
    F3 0F BD /r | lzcnt Gv,Ev
    0F BD /r | bsr Gv,Ev
    0F BE /r | movsx Gv,Eb
    0F BF /r | movsx Gv,Ew
    0F C0 /r | xadd Eb,Gb | lock
    0F C1 /r | xadd Ev,Gv | lock
    NP 0F C3 /r mem | movnti My,Gy
    0F C8+r | bswap Zv
    0F FF /r | ud0 Gv,Ev

    # 0F 38 F0-FF: integer instructions (MOVBE, CRC32, CET shadow-stack writes, ADX, MOVDIRI, RAO-INT).
    # MOVDIR64B/ENQCMD(S), ENCODEKEY and 0F 3A F0 HRESET are in ThreeByteMaps.swift.
    F2 0F 38 F0 /r | crc32 Gy,Eb
    F2 0F 38 F1 /r | crc32 Gy,Ev
    F3 0F 38 F0 /r | invalid
    F3 0F 38 F1 /r | invalid
    0F 38 F0 /r mem | movbe Gv,Mv
    0F 38 F1 /r mem | movbe Mv,Gv
    66 0F 38 F5 /r mem | wrussd/wrussq My,Gy | wsel priv
    NP 0F 38 F6 /r mem | wrssd/wrssq My,Gy | wsel
    66 0F 38 F6 /r | adcx Gy,Ey
    F3 0F 38 F6 /r | adox Gy,Ey
    NP 0F 38 F9 /r mem | movdiri My,Gy
    NP 0F 38 FC /r mem | aadd My,Gy
    66 0F 38 FC /r mem | aand My,Gy
    F3 0F 38 FC /r mem | axor My,Gy
    F2 0F 38 FC /r mem | aor My,Gy
    """
}
