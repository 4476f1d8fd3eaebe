// MMX, SSE, SSE2, SSE3 and AMD SSE4a in the two-byte map (0F), legacy encodings: Intel SDM Vol. 2,
// Appendix A, Table A-3 "Two-byte Opcode Map", rows 1, 2, 5-7 and C-F, with the mandatory prefixes
// NP/66/F3/F2 of the manual's columns (see OpcodeTableParser for the grammar). A prefix column left
// empty in the manual is #UD. MMX registers ignore REX.B/REX.R (SDM Vol. 2, 2.2.1.7).
extension OpcodeTableText {
    static let sse = """
    # 0F 10-17: moves and unpacks
    NP 0F 10 /r | movups Vps,Wps
    66 0F 10 /r | movupd Vpd,Wpd
    F3 0F 10 /r | movss Vss,Wss
    F2 0F 10 /r | movsd Vsd,Wsd
    NP 0F 11 /r | movups Wps,Vps
    66 0F 11 /r | movupd Wpd,Vpd
    F3 0F 11 /r | movss Wss,Vss
    F2 0F 11 /r | movsd Wsd,Vsd
    NP 0F 12 /r mem | movlps Vq,Mq
    NP 0F 12 /r reg | movhlps Vdq,Udq
    66 0F 12 /r mem | movlpd Vq,Mq
    F3 0F 12 /r | movsldup Vdq,Wdq
    F2 0F 12 /r | movddup Vdq,Wq
    NP 0F 13 /r mem | movlps Mq,Vq
    66 0F 13 /r mem | movlpd Mq,Vq
    NP 0F 14 /r | unpcklps Vps,Wps
    66 0F 14 /r | unpcklpd Vpd,Wpd
    NP 0F 15 /r | unpckhps Vps,Wps
    66 0F 15 /r | unpckhpd Vpd,Wpd
    NP 0F 16 /r mem | movhps Vq,Mq
    NP 0F 16 /r reg | movlhps Vdq,Udq
    66 0F 16 /r mem | movhpd Vq,Mq
    F3 0F 16 /r | movshdup Vdq,Wdq
    NP 0F 17 /r mem | movhps Mq,Vq
    66 0F 17 /r mem | movhpd Mq,Vq

    # 0F 28-2F: aligned moves, conversions with MMX and general registers, non-temporal stores, compares
    NP 0F 28 /r | movaps Vps,Wps
    66 0F 28 /r | movapd Vpd,Wpd
    NP 0F 29 /r | movaps Wps,Vps
    66 0F 29 /r | movapd Wpd,Vpd
    NP 0F 2A /r | cvtpi2ps Vps,Qq
    66 0F 2A /r | cvtpi2pd Vpd,Qq
    F3 0F 2A /r | cvtsi2ss Vss,Ey | y
    F2 0F 2A /r | cvtsi2sd Vsd,Ey | y
    NP 0F 2B /r mem | movntps Mps,Vps
    66 0F 2B /r mem | movntpd Mpd,Vpd
    F3 0F 2B /r mem | movntss Md,Vss
    F2 0F 2B /r mem | movntsd Mq,Vsd
    NP 0F 2C /r | cvttps2pi Pq,Wq
    66 0F 2C /r | cvttpd2pi Pq,Wpd
    F3 0F 2C /r | cvttss2si Gy,Wss | y
    F2 0F 2C /r | cvttsd2si Gy,Wsd | y
    NP 0F 2D /r | cvtps2pi Pq,Wq
    66 0F 2D /r | cvtpd2pi Pq,Wpd
    F3 0F 2D /r | cvtss2si Gy,Wss | y
    F2 0F 2D /r | cvtsd2si Gy,Wsd | y
    NP 0F 2E /r | ucomiss Vss,Wss
    66 0F 2E /r | ucomisd Vsd,Wsd
    NP 0F 2F /r | comiss Vss,Wss
    66 0F 2F /r | comisd Vsd,Wsd

    # 0F 50-5F: sign masks, arithmetic, logic, conversions
    NP 0F 50 /r reg | movmskps Gy,Ups | y
    66 0F 50 /r reg | movmskpd Gy,Upd | y
    NP 0F 51 /r | sqrtps Vps,Wps
    66 0F 51 /r | sqrtpd Vpd,Wpd
    F3 0F 51 /r | sqrtss Vss,Wss
    F2 0F 51 /r | sqrtsd Vsd,Wsd
    NP 0F 52 /r | rsqrtps Vps,Wps
    F3 0F 52 /r | rsqrtss Vss,Wss
    NP 0F 53 /r | rcpps Vps,Wps
    F3 0F 53 /r | rcpss Vss,Wss
    NP 0F 54 /r | andps Vps,Wps
    66 0F 54 /r | andpd Vpd,Wpd
    NP 0F 55 /r | andnps Vps,Wps
    66 0F 55 /r | andnpd Vpd,Wpd
    NP 0F 56 /r | orps Vps,Wps
    66 0F 56 /r | orpd Vpd,Wpd
    NP 0F 57 /r | xorps Vps,Wps
    66 0F 57 /r | xorpd Vpd,Wpd
    NP 0F 58 /r | addps Vps,Wps
    66 0F 58 /r | addpd Vpd,Wpd
    F3 0F 58 /r | addss Vss,Wss
    F2 0F 58 /r | addsd Vsd,Wsd
    NP 0F 59 /r | mulps Vps,Wps
    66 0F 59 /r | mulpd Vpd,Wpd
    F3 0F 59 /r | mulss Vss,Wss
    F2 0F 59 /r | mulsd Vsd,Wsd
    NP 0F 5A /r | cvtps2pd Vpd,Wq
    66 0F 5A /r | cvtpd2ps Vps,Wpd
    F3 0F 5A /r | cvtss2sd Vsd,Wss
    F2 0F 5A /r | cvtsd2ss Vss,Wsd
    NP 0F 5B /r | cvtdq2ps Vps,Wdq
    66 0F 5B /r | cvtps2dq Vdq,Wps
    F3 0F 5B /r | cvttps2dq Vdq,Wps
    NP 0F 5C /r | subps Vps,Wps
    66 0F 5C /r | subpd Vpd,Wpd
    F3 0F 5C /r | subss Vss,Wss
    F2 0F 5C /r | subsd Vsd,Wsd
    NP 0F 5D /r | minps Vps,Wps
    66 0F 5D /r | minpd Vpd,Wpd
    F3 0F 5D /r | minss Vss,Wss
    F2 0F 5D /r | minsd Vsd,Wsd
    NP 0F 5E /r | divps Vps,Wps
    66 0F 5E /r | divpd Vpd,Wpd
    F3 0F 5E /r | divss Vss,Wss
    F2 0F 5E /r | divsd Vsd,Wsd
    NP 0F 5F /r | maxps Vps,Wps
    66 0F 5F /r | maxpd Vpd,Wpd
    F3 0F 5F /r | maxss Vss,Wss
    F2 0F 5F /r | maxsd Vsd,Wsd

    # 0F 60-6F: unpacks, packs, compares (MMX with NP, SSE2 with 66), MOVD/MOVQ, MOVDQA/MOVDQU
    NP 0F 60 /r | punpcklbw Pq,Qd
    66 0F 60 /r | punpcklbw Vx,Wx
    NP 0F 61 /r | punpcklwd Pq,Qd
    66 0F 61 /r | punpcklwd Vx,Wx
    NP 0F 62 /r | punpckldq Pq,Qd
    66 0F 62 /r | punpckldq Vx,Wx
    NP 0F 63 /r | packsswb Pq,Qq
    66 0F 63 /r | packsswb Vx,Wx
    NP 0F 64 /r | pcmpgtb Pq,Qq
    66 0F 64 /r | pcmpgtb Vx,Wx
    NP 0F 65 /r | pcmpgtw Pq,Qq
    66 0F 65 /r | pcmpgtw Vx,Wx
    NP 0F 66 /r | pcmpgtd Pq,Qq
    66 0F 66 /r | pcmpgtd Vx,Wx
    NP 0F 67 /r | packuswb Pq,Qq
    66 0F 67 /r | packuswb Vx,Wx
    NP 0F 68 /r | punpckhbw Pq,Qq
    66 0F 68 /r | punpckhbw Vx,Wx
    NP 0F 69 /r | punpckhwd Pq,Qq
    66 0F 69 /r | punpckhwd Vx,Wx
    NP 0F 6A /r | punpckhdq Pq,Qq
    66 0F 6A /r | punpckhdq Vx,Wx
    NP 0F 6B /r | packssdw Pq,Qq
    66 0F 6B /r | packssdw Vx,Wx
    66 0F 6C /r | punpcklqdq Vx,Wx
    66 0F 6D /r | punpckhqdq Vx,Wx
    NP 0F 6E /r | movd/movq Pq,Ey | wsel y
    66 0F 6E /r | movd/movq Vdq,Ey | wsel y
    NP 0F 6F /r | movq Pq,Qq
    66 0F 6F /r | movdqa Vx,Wx
    F3 0F 6F /r | movdqu Vx,Wx

    # 0F 70-7F: shuffles, shift-by-immediate groups 12-14, compares, EMMS, SSE4a, horizontal ops, moves
    NP 0F 70 /r | pshufw Pq,Qq,Ib
    66 0F 70 /r | pshufd Vx,Wx,Ib
    F3 0F 70 /r | pshufhw Vx,Wx,Ib
    F2 0F 70 /r | pshuflw Vx,Wx,Ib
    NP 0F 71 /2 reg | psrlw Nq,Ib
    66 0F 71 /2 reg | psrlw Ux,Ib
    NP 0F 71 /4 reg | psraw Nq,Ib
    66 0F 71 /4 reg | psraw Ux,Ib
    NP 0F 71 /6 reg | psllw Nq,Ib
    66 0F 71 /6 reg | psllw Ux,Ib
    NP 0F 72 /2 reg | psrld Nq,Ib
    66 0F 72 /2 reg | psrld Ux,Ib
    NP 0F 72 /4 reg | psrad Nq,Ib
    66 0F 72 /4 reg | psrad Ux,Ib
    NP 0F 72 /6 reg | pslld Nq,Ib
    66 0F 72 /6 reg | pslld Ux,Ib
    NP 0F 73 /2 reg | psrlq Nq,Ib
    66 0F 73 /2 reg | psrlq Ux,Ib
    66 0F 73 /3 reg | psrldq Ux,Ib
    NP 0F 73 /6 reg | psllq Nq,Ib
    66 0F 73 /6 reg | psllq Ux,Ib
    66 0F 73 /7 reg | pslldq Ux,Ib
    NP 0F 74 /r | pcmpeqb Pq,Qq
    66 0F 74 /r | pcmpeqb Vx,Wx
    NP 0F 75 /r | pcmpeqw Pq,Qq
    66 0F 75 /r | pcmpeqw Vx,Wx
    NP 0F 76 /r | pcmpeqd Pq,Qq
    66 0F 76 /r | pcmpeqd Vx,Wx
    NP 0F 77 | emms
    66 0F 78 /0 reg | extrq Udq,Ib,Ib2
    F2 0F 78 /r reg | insertq Vdq,Udq,Ib,Ib2
    66 0F 79 /r reg | extrq Vdq,Udq
    F2 0F 79 /r reg | insertq Vdq,Udq
    66 0F 7C /r | haddpd Vpd,Wpd
    F2 0F 7C /r | haddps Vps,Wps
    66 0F 7D /r | hsubpd Vpd,Wpd
    F2 0F 7D /r | hsubps Vps,Wps
    NP 0F 7E /r | movd/movq Ey,Pq | wsel y
    66 0F 7E /r | movd/movq Ey,Vdq | wsel y
    F3 0F 7E /r | movq Vdq,Wq
    NP 0F 7F /r | movq Qq,Pq
    66 0F 7F /r | movdqa Wx,Vx
    F3 0F 7F /r | movdqu Wx,Vx

    # 0F C2-C6: compare with predicate, word insert/extract, shuffle
    NP 0F C2 /r | cmpps Vps,Wps,Ib
    66 0F C2 /r | cmppd Vpd,Wpd,Ib
    F3 0F C2 /r | cmpss Vss,Wss,Ib
    F2 0F C2 /r | cmpsd Vsd,Wsd,Ib
    NP 0F C4 /r | pinsrw Pq,Eyw,Ib | y
    66 0F C4 /r | pinsrw Vdq,Eyw,Ib | y
    NP 0F C5 /r reg | pextrw Gy,Nq,Ib | y
    66 0F C5 /r reg | pextrw Gy,Udq,Ib | y
    NP 0F C6 /r | shufps Vps,Wps,Ib
    66 0F C6 /r | shufpd Vpd,Wpd,Ib

    # 0F D0-DF
    66 0F D0 /r | addsubpd Vpd,Wpd
    F2 0F D0 /r | addsubps Vps,Wps
    NP 0F D1 /r | psrlw Pq,Qq
    66 0F D1 /r | psrlw Vx,Wx
    NP 0F D2 /r | psrld Pq,Qq
    66 0F D2 /r | psrld Vx,Wx
    NP 0F D3 /r | psrlq Pq,Qq
    66 0F D3 /r | psrlq Vx,Wx
    NP 0F D4 /r | paddq Pq,Qq
    66 0F D4 /r | paddq Vx,Wx
    NP 0F D5 /r | pmullw Pq,Qq
    66 0F D5 /r | pmullw Vx,Wx
    66 0F D6 /r | movq Wq,Vdq
    F3 0F D6 /r reg | movq2dq Vdq,Nq
    F2 0F D6 /r reg | movdq2q Pq,Udq
    NP 0F D7 /r reg | pmovmskb Gy,Nq | y
    66 0F D7 /r reg | pmovmskb Gy,Udq | y
    NP 0F D8 /r | psubusb Pq,Qq
    66 0F D8 /r | psubusb Vx,Wx
    NP 0F D9 /r | psubusw Pq,Qq
    66 0F D9 /r | psubusw Vx,Wx
    NP 0F DA /r | pminub Pq,Qq
    66 0F DA /r | pminub Vx,Wx
    NP 0F DB /r | pand Pq,Qq
    66 0F DB /r | pand Vx,Wx
    NP 0F DC /r | paddusb Pq,Qq
    66 0F DC /r | paddusb Vx,Wx
    NP 0F DD /r | paddusw Pq,Qq
    66 0F DD /r | paddusw Vx,Wx
    NP 0F DE /r | pmaxub Pq,Qq
    66 0F DE /r | pmaxub Vx,Wx
    NP 0F DF /r | pandn Pq,Qq
    66 0F DF /r | pandn Vx,Wx

    # 0F E0-EF
    NP 0F E0 /r | pavgb Pq,Qq
    66 0F E0 /r | pavgb Vx,Wx
    NP 0F E1 /r | psraw Pq,Qq
    66 0F E1 /r | psraw Vx,Wx
    NP 0F E2 /r | psrad Pq,Qq
    66 0F E2 /r | psrad Vx,Wx
    NP 0F E3 /r | pavgw Pq,Qq
    66 0F E3 /r | pavgw Vx,Wx
    NP 0F E4 /r | pmulhuw Pq,Qq
    66 0F E4 /r | pmulhuw Vx,Wx
    NP 0F E5 /r | pmulhw Pq,Qq
    66 0F E5 /r | pmulhw Vx,Wx
    66 0F E6 /r | cvttpd2dq Vdq,Wpd
    F3 0F E6 /r | cvtdq2pd Vpd,Wq
    F2 0F E6 /r | cvtpd2dq Vdq,Wpd
    NP 0F E7 /r mem | movntq Mq,Pq
    66 0F E7 /r mem | movntdq Mx,Vx
    NP 0F E8 /r | psubsb Pq,Qq
    66 0F E8 /r | psubsb Vx,Wx
    NP 0F E9 /r | psubsw Pq,Qq
    66 0F E9 /r | psubsw Vx,Wx
    NP 0F EA /r | pminsw Pq,Qq
    66 0F EA /r | pminsw Vx,Wx
    NP 0F EB /r | por Pq,Qq
    66 0F EB /r | por Vx,Wx
    NP 0F EC /r | paddsb Pq,Qq
    66 0F EC /r | paddsb Vx,Wx
    NP 0F ED /r | paddsw Pq,Qq
    66 0F ED /r | paddsw Vx,Wx
    NP 0F EE /r | pmaxsw Pq,Qq
    66 0F EE /r | pmaxsw Vx,Wx
    NP 0F EF /r | pxor Pq,Qq
    66 0F EF /r | pxor Vx,Wx

    # 0F F0-FE
    F2 0F F0 /r mem | lddqu Vx,Mx
    NP 0F F1 /r | psllw Pq,Qq
    66 0F F1 /r | psllw Vx,Wx
    NP 0F F2 /r | pslld Pq,Qq
    66 0F F2 /r | pslld Vx,Wx
    NP 0F F3 /r | psllq Pq,Qq
    66 0F F3 /r | psllq Vx,Wx
    NP 0F F4 /r | pmuludq Pq,Qq
    66 0F F4 /r | pmuludq Vx,Wx
    NP 0F F5 /r | pmaddwd Pq,Qq
    66 0F F5 /r | pmaddwd Vx,Wx
    NP 0F F6 /r | psadbw Pq,Qq
    66 0F F6 /r | psadbw Vx,Wx
    NP 0F F7 /r reg | maskmovq [rDI]:q,Pq,Nq
    66 0F F7 /r reg | maskmovdqu [rDI]:dq,Vdq,Udq
    NP 0F F8 /r | psubb Pq,Qq
    66 0F F8 /r | psubb Vx,Wx
    NP 0F F9 /r | psubw Pq,Qq
    66 0F F9 /r | psubw Vx,Wx
    NP 0F FA /r | psubd Pq,Qq
    66 0F FA /r | psubd Vx,Wx
    NP 0F FB /r | psubq Pq,Qq
    66 0F FB /r | psubq Vx,Wx
    NP 0F FC /r | paddb Pq,Qq
    66 0F FC /r | paddb Vx,Wx
    NP 0F FD /r | paddw Pq,Qq
    66 0F FD /r | paddw Vx,Wx
    NP 0F FE /r | paddd Pq,Qq
    66 0F FE /r | paddd Vx,Wx
    """
}
