// The three-byte opcode maps 0F 38 and 0F 3A, legacy (non-VEX) encodings: Intel SDM Vol. 2, Appendix A,
// Tables, in the manual's notation (see OpcodeTableParser for the grammar). SSSE3, SSE4.1,
// SSE4.2, AES-NI, PCLMULQDQ, SHA, GFNI, Key Locker, MOVDIR64B/ENQCMD, HRESET. Implicit XMM0 operands
// (PBLENDVB, BLENDVPS, BLENDVPD, SHA256RNDS2) are not listed, as in iced. The integer instructions of
// 0F 38 F0-FF (MOVBE, CRC32, ADCX, ...) and INVEPT/INVVPID/INVPCID live with the other maps' tables.
extension OpcodeTableText {
    static let threeByte = """
    # 0F 38: SSSE3, MMX (NP) and XMM (66) forms.
    NP 0F 38 00 /r | pshufb Pq,Qq
    66 0F 38 00 /r | pshufb Vdq,Wdq
    NP 0F 38 01 /r | phaddw Pq,Qq
    66 0F 38 01 /r | phaddw Vdq,Wdq
    NP 0F 38 02 /r | phaddd Pq,Qq
    66 0F 38 02 /r | phaddd Vdq,Wdq
    NP 0F 38 03 /r | phaddsw Pq,Qq
    66 0F 38 03 /r | phaddsw Vdq,Wdq
    NP 0F 38 04 /r | pmaddubsw Pq,Qq
    66 0F 38 04 /r | pmaddubsw Vdq,Wdq
    NP 0F 38 05 /r | phsubw Pq,Qq
    66 0F 38 05 /r | phsubw Vdq,Wdq
    NP 0F 38 06 /r | phsubd Pq,Qq
    66 0F 38 06 /r | phsubd Vdq,Wdq
    NP 0F 38 07 /r | phsubsw Pq,Qq
    66 0F 38 07 /r | phsubsw Vdq,Wdq
    NP 0F 38 08 /r | psignb Pq,Qq
    66 0F 38 08 /r | psignb Vdq,Wdq
    NP 0F 38 09 /r | psignw Pq,Qq
    66 0F 38 09 /r | psignw Vdq,Wdq
    NP 0F 38 0A /r | psignd Pq,Qq
    66 0F 38 0A /r | psignd Vdq,Wdq
    NP 0F 38 0B /r | pmulhrsw Pq,Qq
    66 0F 38 0B /r | pmulhrsw Vdq,Wdq
    NP 0F 38 1C /r | pabsb Pq,Qq
    66 0F 38 1C /r | pabsb Vdq,Wdq
    NP 0F 38 1D /r | pabsw Pq,Qq
    66 0F 38 1D /r | pabsw Vdq,Wdq
    NP 0F 38 1E /r | pabsd Pq,Qq
    66 0F 38 1E /r | pabsd Vdq,Wdq

    # 0F 38: SSE4.1 and SSE4.2. The variable blends also read XMM0.
    66 0F 38 10 /r | pblendvb Vdq,Wdq
    66 0F 38 14 /r | blendvps Vdq,Wdq
    66 0F 38 15 /r | blendvpd Vdq,Wdq
    66 0F 38 17 /r | ptest Vdq,Wdq
    66 0F 38 20 /r | pmovsxbw Vdq,Wq
    66 0F 38 21 /r | pmovsxbd Vdq,Wd
    66 0F 38 22 /r | pmovsxbq Vdq,Ww
    66 0F 38 23 /r | pmovsxwd Vdq,Wq
    66 0F 38 24 /r | pmovsxwq Vdq,Wd
    66 0F 38 25 /r | pmovsxdq Vdq,Wq
    66 0F 38 28 /r | pmuldq Vdq,Wdq
    66 0F 38 29 /r | pcmpeqq Vdq,Wdq
    66 0F 38 2A /r mem | movntdqa Vdq,Mdq
    66 0F 38 2B /r | packusdw Vdq,Wdq
    66 0F 38 30 /r | pmovzxbw Vdq,Wq
    66 0F 38 31 /r | pmovzxbd Vdq,Wd
    66 0F 38 32 /r | pmovzxbq Vdq,Ww
    66 0F 38 33 /r | pmovzxwd Vdq,Wq
    66 0F 38 34 /r | pmovzxwq Vdq,Wd
    66 0F 38 35 /r | pmovzxdq Vdq,Wq
    66 0F 38 37 /r | pcmpgtq Vdq,Wdq
    66 0F 38 38 /r | pminsb Vdq,Wdq
    66 0F 38 39 /r | pminsd Vdq,Wdq
    66 0F 38 3A /r | pminuw Vdq,Wdq
    66 0F 38 3B /r | pminud Vdq,Wdq
    66 0F 38 3C /r | pmaxsb Vdq,Wdq
    66 0F 38 3D /r | pmaxsd Vdq,Wdq
    66 0F 38 3E /r | pmaxuw Vdq,Wdq
    66 0F 38 3F /r | pmaxud Vdq,Wdq
    66 0F 38 40 /r | pmulld Vdq,Wdq
    66 0F 38 41 /r | phminposuw Vdq,Wdq

    # 0F 38: SHA (SHA256RNDS2 also reads XMM0), GFNI, AES-NI.
    NP 0F 38 C8 /r | sha1nexte Vdq,Wdq
    NP 0F 38 C9 /r | sha1msg1 Vdq,Wdq
    NP 0F 38 CA /r | sha1msg2 Vdq,Wdq
    NP 0F 38 CB /r | sha256rnds2 Vdq,Wdq
    NP 0F 38 CC /r | sha256msg1 Vdq,Wdq
    NP 0F 38 CD /r | sha256msg2 Vdq,Wdq
    66 0F 38 CF /r | gf2p8mulb Vdq,Wdq
    66 0F 38 DB /r | aesimc Vdq,Wdq
    66 0F 38 DC /r | aesenc Vdq,Wdq
    66 0F 38 DD /r | aesenclast Vdq,Wdq
    66 0F 38 DE /r | aesdec Vdq,Wdq
    66 0F 38 DF /r | aesdeclast Vdq,Wdq

    # 0F 38: Key Locker. The handles are 384 bits (AES-128) or 512 bits (AES-256).
    # LOADIWKEY is CPL 0 only (#GP otherwise).
    F3 0F 38 D8 /0 mem | aesencwide128kl Mm384
    F3 0F 38 D8 /1 mem | aesdecwide128kl Mm384
    F3 0F 38 D8 /2 mem | aesencwide256kl Mm512
    F3 0F 38 D8 /3 mem | aesdecwide256kl Mm512
    F3 0F 38 DC /r reg | loadiwkey Vdq,Udq | priv
    F3 0F 38 DC /r mem | aesenc128kl Vdq,Mm384
    F3 0F 38 DD /r mem | aesdec128kl Vdq,Mm384
    F3 0F 38 DE /r mem | aesenc256kl Vdq,Mm512
    F3 0F 38 DF /r mem | aesdec256kl Vdq,Mm512
    F3 0F 38 FA /r reg | encodekey128 Gd,Rd
    F3 0F 38 FB /r reg | encodekey256 Gd,Rd

    # 0F 38 F8: 64-byte stores; the destination address register has the address size.
    66 0F 38 F8 /r mem a16 | movdir64b Gw,Mm512
    66 0F 38 F8 /r mem a32 | movdir64b Gd,Mm512
    66 0F 38 F8 /r mem a64 | movdir64b Gq,Mm512
    F2 0F 38 F8 /r mem a16 | enqcmd Gw,Mm512
    F2 0F 38 F8 /r mem a32 | enqcmd Gd,Mm512
    F2 0F 38 F8 /r mem a64 | enqcmd Gq,Mm512
    F3 0F 38 F8 /r mem a16 | enqcmds Gw,Mm512
    F3 0F 38 F8 /r mem a32 | enqcmds Gd,Mm512
    F3 0F 38 F8 /r mem a64 | enqcmds Gq,Mm512

    # 0F 3A: SSE4.1, SSSE3 PALIGNR.
    66 0F 3A 08 /r ib | roundps Vdq,Wdq,Ib
    66 0F 3A 09 /r ib | roundpd Vdq,Wdq,Ib
    66 0F 3A 0A /r ib | roundss Vdq,Wss,Ib
    66 0F 3A 0B /r ib | roundsd Vdq,Wsd,Ib
    66 0F 3A 0C /r ib | blendps Vdq,Wdq,Ib
    66 0F 3A 0D /r ib | blendpd Vdq,Wdq,Ib
    66 0F 3A 0E /r ib | pblendw Vdq,Wdq,Ib
    NP 0F 3A 0F /r ib | palignr Pq,Qq,Ib
    66 0F 3A 0F /r ib | palignr Vdq,Wdq,Ib
    66 0F 3A 14 /r ib | pextrb Eyb,Vdq,Ib | y
    66 0F 3A 15 /r ib | pextrw Eyw,Vdq,Ib | y
    66 0F 3A 16 /r ib | pextrd/pextrq Ey,Vdq,Ib | y wsel
    66 0F 3A 17 /r ib | extractps Eyd,Vdq,Ib | y
    66 0F 3A 20 /r ib | pinsrb Vdq,Eyb,Ib | y
    66 0F 3A 21 /r ib | insertps Vdq,Wss,Ib
    66 0F 3A 22 /r ib | pinsrd/pinsrq Vdq,Ey,Ib | y wsel
    66 0F 3A 40 /r ib | dpps Vdq,Wdq,Ib
    66 0F 3A 41 /r ib | dppd Vdq,Wdq,Ib
    66 0F 3A 42 /r ib | mpsadbw Vdq,Wdq,Ib

    # 0F 3A: PCLMULQDQ, SSE4.2 string compares (REX.W: RCX/RAX lengths), SHA, GFNI, AES-NI.
    66 0F 3A 44 /r ib | pclmulqdq Vdq,Wdq,Ib
    66 0F 3A 60 /r ib | pcmpestrm/pcmpestrm64 Vdq,Wdq,Ib | wsel
    66 0F 3A 61 /r ib | pcmpestri/pcmpestri64 Vdq,Wdq,Ib | wsel
    66 0F 3A 62 /r ib | pcmpistrm Vdq,Wdq,Ib
    66 0F 3A 63 /r ib | pcmpistri Vdq,Wdq,Ib
    NP 0F 3A CC /r ib | sha1rnds4 Vdq,Wdq,Ib
    66 0F 3A CE /r ib | gf2p8affineqb Vdq,Wdq,Ib
    66 0F 3A CF /r ib | gf2p8affineinvqb Vdq,Wdq,Ib
    66 0F 3A DF /r ib | aeskeygenassist Vdq,Wdq,Ib

    # 0F 3A F0: HRESET is CPL 0 only (#GP otherwise).
    F3 0F 3A F0 C0 ib | hreset Ib | priv
    """
}
