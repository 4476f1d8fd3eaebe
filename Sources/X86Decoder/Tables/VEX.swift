// VEX-encoded instructions (SDM Vol. 2, 2.3 "Intel Advanced Vector Extensions (AVX)"), one line per form as
// the instruction pages list them: AVX, AVX2, FMA3, F16C, BMI1/BMI2, AES/PCLMUL/GFNI on VEX, AVX-VNNI and later,
// and AMD's FMA4/VPERMIL2 forms iced decodes by default. Grammar: OpcodeTableParser and Documentation/DecoderTables.md.
// `VEX.128`/`VEX.256` (`L0`/`L1` where no vector register is involved) fix VEX.L, `LIG` ignores it;
// `W0`/`W1` fix VEX.W, `WIG` ignores it. Operand types `dq`/`qq` are XMM/YMM (or m128/m256); `Wd` `Wq` `Ww` `Wb`
// are XMM or memory of that size; `vm32x:d` ... VSIB memory; `k` opmask and `tmm` tile registers.
// `y` GPR operands are 64-bit only with VEX.W = 1 in 64-bit mode (VEX.W is ignored elsewhere), and
// `a/b` mnemonics follow the same rule (vmovd/vmovq, kmovd/kmovq, vpcmpestri/vpcmpestri64).
// The AMX tile instructions exist only in 64-bit mode (`o64`).
extension OpcodeTableText {
    static let vex = """
    # VEX map 0F
    VEX.128.NP.0F.WIG 10 /r | vmovups Vdq,Wdq
    VEX.256.NP.0F.WIG 10 /r | vmovups Vqq,Wqq
    VEX.128.66.0F.WIG 10 /r | vmovupd Vdq,Wdq
    VEX.256.66.0F.WIG 10 /r | vmovupd Vqq,Wqq
    VEX.LIG.F3.0F.WIG 10 /r reg | vmovss Vdq,Hdq,Udq
    VEX.LIG.F3.0F.WIG 10 /r mem | vmovss Vdq,Md
    VEX.LIG.F2.0F.WIG 10 /r reg | vmovsd Vdq,Hdq,Udq
    VEX.LIG.F2.0F.WIG 10 /r mem | vmovsd Vdq,Mq
    VEX.128.NP.0F.WIG 11 /r | vmovups Wdq,Vdq
    VEX.256.NP.0F.WIG 11 /r | vmovups Wqq,Vqq
    VEX.128.66.0F.WIG 11 /r | vmovupd Wdq,Vdq
    VEX.256.66.0F.WIG 11 /r | vmovupd Wqq,Vqq
    VEX.LIG.F3.0F.WIG 11 /r reg | vmovss Udq,Hdq,Vdq
    VEX.LIG.F3.0F.WIG 11 /r mem | vmovss Md,Vdq
    VEX.LIG.F2.0F.WIG 11 /r reg | vmovsd Udq,Hdq,Vdq
    VEX.LIG.F2.0F.WIG 11 /r mem | vmovsd Mq,Vdq
    VEX.128.NP.0F.WIG 12 /r reg | vmovhlps Vdq,Hdq,Udq
    VEX.128.NP.0F.WIG 12 /r mem | vmovlps Vdq,Hdq,Mq
    VEX.128.66.0F.WIG 12 /r mem | vmovlpd Vdq,Hdq,Mq
    VEX.128.F3.0F.WIG 12 /r | vmovsldup Vdq,Wdq
    VEX.256.F3.0F.WIG 12 /r | vmovsldup Vqq,Wqq
    VEX.128.F2.0F.WIG 12 /r | vmovddup Vdq,Wq
    VEX.256.F2.0F.WIG 12 /r | vmovddup Vqq,Wqq
    VEX.128.NP.0F.WIG 13 /r mem | vmovlps Mq,Vdq
    VEX.128.66.0F.WIG 13 /r mem | vmovlpd Mq,Vdq
    VEX.128.NP.0F.WIG 14 /r | vunpcklps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 14 /r | vunpcklps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 14 /r | vunpcklpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 14 /r | vunpcklpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 15 /r | vunpckhps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 15 /r | vunpckhps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 15 /r | vunpckhpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 15 /r | vunpckhpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 16 /r reg | vmovlhps Vdq,Hdq,Udq
    VEX.128.NP.0F.WIG 16 /r mem | vmovhps Vdq,Hdq,Mq
    VEX.128.66.0F.WIG 16 /r mem | vmovhpd Vdq,Hdq,Mq
    VEX.128.F3.0F.WIG 16 /r | vmovshdup Vdq,Wdq
    VEX.256.F3.0F.WIG 16 /r | vmovshdup Vqq,Wqq
    VEX.128.NP.0F.WIG 17 /r mem | vmovhps Mq,Vdq
    VEX.128.66.0F.WIG 17 /r mem | vmovhpd Mq,Vdq
    VEX.128.NP.0F.WIG 28 /r | vmovaps Vdq,Wdq
    VEX.256.NP.0F.WIG 28 /r | vmovaps Vqq,Wqq
    VEX.128.66.0F.WIG 28 /r | vmovapd Vdq,Wdq
    VEX.256.66.0F.WIG 28 /r | vmovapd Vqq,Wqq
    VEX.128.NP.0F.WIG 29 /r | vmovaps Wdq,Vdq
    VEX.256.NP.0F.WIG 29 /r | vmovaps Wqq,Vqq
    VEX.128.66.0F.WIG 29 /r | vmovapd Wdq,Vdq
    VEX.256.66.0F.WIG 29 /r | vmovapd Wqq,Vqq
    VEX.LIG.F3.0F.WIG 2A /r | vcvtsi2ss Vdq,Hdq,Ey
    VEX.LIG.F2.0F.WIG 2A /r | vcvtsi2sd Vdq,Hdq,Ey
    VEX.128.NP.0F.WIG 2B /r mem | vmovntps Mdq,Vdq
    VEX.256.NP.0F.WIG 2B /r mem | vmovntps Mqq,Vqq
    VEX.128.66.0F.WIG 2B /r mem | vmovntpd Mdq,Vdq
    VEX.256.66.0F.WIG 2B /r mem | vmovntpd Mqq,Vqq
    VEX.LIG.F3.0F.WIG 2C /r | vcvttss2si Gy,Wd
    VEX.LIG.F2.0F.WIG 2C /r | vcvttsd2si Gy,Wq
    VEX.LIG.F3.0F.WIG 2D /r | vcvtss2si Gy,Wd
    VEX.LIG.F2.0F.WIG 2D /r | vcvtsd2si Gy,Wq
    VEX.LIG.NP.0F.WIG 2E /r | vucomiss Vdq,Wd
    VEX.LIG.66.0F.WIG 2E /r | vucomisd Vdq,Wq
    VEX.LIG.NP.0F.WIG 2F /r | vcomiss Vdq,Wd
    VEX.LIG.66.0F.WIG 2F /r | vcomisd Vdq,Wq
    VEX.L1.NP.0F.W0 41 /r reg | kandw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 41 /r reg | kandq Vk,Hk,Uk
    VEX.L1.66.0F.W0 41 /r reg | kandb Vk,Hk,Uk
    VEX.L1.66.0F.W1 41 /r reg | kandd Vk,Hk,Uk
    VEX.L1.NP.0F.W0 42 /r reg | kandnw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 42 /r reg | kandnq Vk,Hk,Uk
    VEX.L1.66.0F.W0 42 /r reg | kandnb Vk,Hk,Uk
    VEX.L1.66.0F.W1 42 /r reg | kandnd Vk,Hk,Uk
    VEX.L0.NP.0F.W0 44 /r reg | knotw Vk,Uk
    VEX.L0.NP.0F.W1 44 /r reg | knotq Vk,Uk
    VEX.L0.66.0F.W0 44 /r reg | knotb Vk,Uk
    VEX.L0.66.0F.W1 44 /r reg | knotd Vk,Uk
    VEX.L1.NP.0F.W0 45 /r reg | korw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 45 /r reg | korq Vk,Hk,Uk
    VEX.L1.66.0F.W0 45 /r reg | korb Vk,Hk,Uk
    VEX.L1.66.0F.W1 45 /r reg | kord Vk,Hk,Uk
    VEX.L1.NP.0F.W0 46 /r reg | kxnorw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 46 /r reg | kxnorq Vk,Hk,Uk
    VEX.L1.66.0F.W0 46 /r reg | kxnorb Vk,Hk,Uk
    VEX.L1.66.0F.W1 46 /r reg | kxnord Vk,Hk,Uk
    VEX.L1.NP.0F.W0 47 /r reg | kxorw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 47 /r reg | kxorq Vk,Hk,Uk
    VEX.L1.66.0F.W0 47 /r reg | kxorb Vk,Hk,Uk
    VEX.L1.66.0F.W1 47 /r reg | kxord Vk,Hk,Uk
    VEX.L1.NP.0F.W0 4A /r reg | kaddw Vk,Hk,Uk
    VEX.L1.NP.0F.W1 4A /r reg | kaddq Vk,Hk,Uk
    VEX.L1.66.0F.W0 4A /r reg | kaddb Vk,Hk,Uk
    VEX.L1.66.0F.W1 4A /r reg | kaddd Vk,Hk,Uk
    VEX.L1.NP.0F.W0 4B /r reg | kunpckwd Vk,Hk,Uk
    VEX.L1.NP.0F.W1 4B /r reg | kunpckdq Vk,Hk,Uk
    VEX.L1.66.0F.W0 4B /r reg | kunpckbw Vk,Hk,Uk
    VEX.128.NP.0F.WIG 50 /r reg | vmovmskps Gy,Udq
    VEX.256.NP.0F.WIG 50 /r reg | vmovmskps Gy,Uqq
    VEX.128.66.0F.WIG 50 /r reg | vmovmskpd Gy,Udq
    VEX.256.66.0F.WIG 50 /r reg | vmovmskpd Gy,Uqq
    VEX.128.NP.0F.WIG 51 /r | vsqrtps Vdq,Wdq
    VEX.256.NP.0F.WIG 51 /r | vsqrtps Vqq,Wqq
    VEX.128.66.0F.WIG 51 /r | vsqrtpd Vdq,Wdq
    VEX.256.66.0F.WIG 51 /r | vsqrtpd Vqq,Wqq
    VEX.LIG.F3.0F.WIG 51 /r | vsqrtss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 51 /r | vsqrtsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 52 /r | vrsqrtps Vdq,Wdq
    VEX.256.NP.0F.WIG 52 /r | vrsqrtps Vqq,Wqq
    VEX.LIG.F3.0F.WIG 52 /r | vrsqrtss Vdq,Hdq,Wd
    VEX.128.NP.0F.WIG 53 /r | vrcpps Vdq,Wdq
    VEX.256.NP.0F.WIG 53 /r | vrcpps Vqq,Wqq
    VEX.LIG.F3.0F.WIG 53 /r | vrcpss Vdq,Hdq,Wd
    VEX.128.NP.0F.WIG 54 /r | vandps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 54 /r | vandps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 54 /r | vandpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 54 /r | vandpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 55 /r | vandnps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 55 /r | vandnps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 55 /r | vandnpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 55 /r | vandnpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 56 /r | vorps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 56 /r | vorps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 56 /r | vorpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 56 /r | vorpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 57 /r | vxorps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 57 /r | vxorps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 57 /r | vxorpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 57 /r | vxorpd Vqq,Hqq,Wqq
    VEX.128.NP.0F.WIG 58 /r | vaddps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 58 /r | vaddps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 58 /r | vaddpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 58 /r | vaddpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 58 /r | vaddss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 58 /r | vaddsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 59 /r | vmulps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 59 /r | vmulps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 59 /r | vmulpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 59 /r | vmulpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 59 /r | vmulss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 59 /r | vmulsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 5A /r | vcvtps2pd Vdq,Wq
    VEX.256.NP.0F.WIG 5A /r | vcvtps2pd Vqq,Wdq
    VEX.128.66.0F.WIG 5A /r | vcvtpd2ps Vdq,Wdq
    VEX.256.66.0F.WIG 5A /r | vcvtpd2ps Vdq,Wqq
    VEX.LIG.F3.0F.WIG 5A /r | vcvtss2sd Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 5A /r | vcvtsd2ss Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 5B /r | vcvtdq2ps Vdq,Wdq
    VEX.256.NP.0F.WIG 5B /r | vcvtdq2ps Vqq,Wqq
    VEX.128.66.0F.WIG 5B /r | vcvtps2dq Vdq,Wdq
    VEX.256.66.0F.WIG 5B /r | vcvtps2dq Vqq,Wqq
    VEX.128.F3.0F.WIG 5B /r | vcvttps2dq Vdq,Wdq
    VEX.256.F3.0F.WIG 5B /r | vcvttps2dq Vqq,Wqq
    VEX.128.NP.0F.WIG 5C /r | vsubps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 5C /r | vsubps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 5C /r | vsubpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 5C /r | vsubpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 5C /r | vsubss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 5C /r | vsubsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 5D /r | vminps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 5D /r | vminps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 5D /r | vminpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 5D /r | vminpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 5D /r | vminss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 5D /r | vminsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 5E /r | vdivps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 5E /r | vdivps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 5E /r | vdivpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 5E /r | vdivpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 5E /r | vdivss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 5E /r | vdivsd Vdq,Hdq,Wq
    VEX.128.NP.0F.WIG 5F /r | vmaxps Vdq,Hdq,Wdq
    VEX.256.NP.0F.WIG 5F /r | vmaxps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 5F /r | vmaxpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 5F /r | vmaxpd Vqq,Hqq,Wqq
    VEX.LIG.F3.0F.WIG 5F /r | vmaxss Vdq,Hdq,Wd
    VEX.LIG.F2.0F.WIG 5F /r | vmaxsd Vdq,Hdq,Wq
    VEX.128.66.0F.WIG 60 /r | vpunpcklbw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 60 /r | vpunpcklbw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 61 /r | vpunpcklwd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 61 /r | vpunpcklwd Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 62 /r | vpunpckldq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 62 /r | vpunpckldq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 63 /r | vpacksswb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 63 /r | vpacksswb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 64 /r | vpcmpgtb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 64 /r | vpcmpgtb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 65 /r | vpcmpgtw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 65 /r | vpcmpgtw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 66 /r | vpcmpgtd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 66 /r | vpcmpgtd Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 67 /r | vpackuswb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 67 /r | vpackuswb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 68 /r | vpunpckhbw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 68 /r | vpunpckhbw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 69 /r | vpunpckhwd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 69 /r | vpunpckhwd Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 6A /r | vpunpckhdq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 6A /r | vpunpckhdq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 6B /r | vpackssdw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 6B /r | vpackssdw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 6C /r | vpunpcklqdq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 6C /r | vpunpcklqdq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 6D /r | vpunpckhqdq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 6D /r | vpunpckhqdq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 6E /r | vmovd/vmovq Vdq,Ey
    VEX.128.66.0F.WIG 6F /r | vmovdqa Vdq,Wdq
    VEX.256.66.0F.WIG 6F /r | vmovdqa Vqq,Wqq
    VEX.128.F3.0F.WIG 6F /r | vmovdqu Vdq,Wdq
    VEX.256.F3.0F.WIG 6F /r | vmovdqu Vqq,Wqq
    VEX.128.66.0F.WIG 70 /r ib | vpshufd Vdq,Wdq,Ib
    VEX.256.66.0F.WIG 70 /r ib | vpshufd Vqq,Wqq,Ib
    VEX.128.F3.0F.WIG 70 /r ib | vpshufhw Vdq,Wdq,Ib
    VEX.256.F3.0F.WIG 70 /r ib | vpshufhw Vqq,Wqq,Ib
    VEX.128.F2.0F.WIG 70 /r ib | vpshuflw Vdq,Wdq,Ib
    VEX.256.F2.0F.WIG 70 /r ib | vpshuflw Vqq,Wqq,Ib
    VEX.128.66.0F.WIG 71 /2 reg ib | vpsrlw Hdq,Udq,Ib
    VEX.256.66.0F.WIG 71 /2 reg ib | vpsrlw Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 71 /4 reg ib | vpsraw Hdq,Udq,Ib
    VEX.256.66.0F.WIG 71 /4 reg ib | vpsraw Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 71 /6 reg ib | vpsllw Hdq,Udq,Ib
    VEX.256.66.0F.WIG 71 /6 reg ib | vpsllw Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 72 /2 reg ib | vpsrld Hdq,Udq,Ib
    VEX.256.66.0F.WIG 72 /2 reg ib | vpsrld Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 72 /4 reg ib | vpsrad Hdq,Udq,Ib
    VEX.256.66.0F.WIG 72 /4 reg ib | vpsrad Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 72 /6 reg ib | vpslld Hdq,Udq,Ib
    VEX.256.66.0F.WIG 72 /6 reg ib | vpslld Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 73 /2 reg ib | vpsrlq Hdq,Udq,Ib
    VEX.256.66.0F.WIG 73 /2 reg ib | vpsrlq Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 73 /3 reg ib | vpsrldq Hdq,Udq,Ib
    VEX.256.66.0F.WIG 73 /3 reg ib | vpsrldq Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 73 /6 reg ib | vpsllq Hdq,Udq,Ib
    VEX.256.66.0F.WIG 73 /6 reg ib | vpsllq Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 73 /7 reg ib | vpslldq Hdq,Udq,Ib
    VEX.256.66.0F.WIG 73 /7 reg ib | vpslldq Hqq,Uqq,Ib
    VEX.128.66.0F.WIG 74 /r | vpcmpeqb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 74 /r | vpcmpeqb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 75 /r | vpcmpeqw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 75 /r | vpcmpeqw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 76 /r | vpcmpeqd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 76 /r | vpcmpeqd Vqq,Hqq,Wqq
    VEX.L0.NP.0F.WIG 77 | vzeroupper
    VEX.256.NP.0F.WIG 77 | vzeroall
    VEX.128.66.0F.WIG 7C /r | vhaddpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 7C /r | vhaddpd Vqq,Hqq,Wqq
    VEX.128.F2.0F.WIG 7C /r | vhaddps Vdq,Hdq,Wdq
    VEX.256.F2.0F.WIG 7C /r | vhaddps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 7D /r | vhsubpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG 7D /r | vhsubpd Vqq,Hqq,Wqq
    VEX.128.F2.0F.WIG 7D /r | vhsubps Vdq,Hdq,Wdq
    VEX.256.F2.0F.WIG 7D /r | vhsubps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG 7E /r | vmovd/vmovq Ey,Vdq
    VEX.128.F3.0F.WIG 7E /r | vmovq Vdq,Wq
    VEX.128.66.0F.WIG 7F /r | vmovdqa Wdq,Vdq
    VEX.256.66.0F.WIG 7F /r | vmovdqa Wqq,Vqq
    VEX.128.F3.0F.WIG 7F /r | vmovdqu Wdq,Vdq
    VEX.256.F3.0F.WIG 7F /r | vmovdqu Wqq,Vqq
    VEX.L0.NP.0F.W0 90 /r | kmovw Vk,Wkw
    VEX.L0.NP.0F.W1 90 /r | kmovq Vk,Wkq
    VEX.L0.66.0F.W0 90 /r | kmovb Vk,Wkb
    VEX.L0.66.0F.W1 90 /r | kmovd Vk,Wkd
    VEX.L0.NP.0F.W0 91 /r mem | kmovw Mw,Vk
    VEX.L0.NP.0F.W1 91 /r mem | kmovq Mq,Vk
    VEX.L0.66.0F.W0 91 /r mem | kmovb Mb,Vk
    VEX.L0.66.0F.W1 91 /r mem | kmovd Md,Vk
    VEX.L0.NP.0F.W0 92 /r reg | kmovw Vk,Rd
    VEX.L0.66.0F.W0 92 /r reg | kmovb Vk,Rd
    VEX.L0.F2.0F.WIG 92 /r reg | kmovd/kmovq Vk,Ry
    VEX.L0.NP.0F.W0 93 /r reg | kmovw Gd,Uk
    VEX.L0.66.0F.W0 93 /r reg | kmovb Gd,Uk
    VEX.L0.F2.0F.WIG 93 /r reg | kmovd/kmovq Gy,Uk
    VEX.L0.NP.0F.W0 98 /r reg | kortestw Vk,Uk
    VEX.L0.NP.0F.W1 98 /r reg | kortestq Vk,Uk
    VEX.L0.66.0F.W0 98 /r reg | kortestb Vk,Uk
    VEX.L0.66.0F.W1 98 /r reg | kortestd Vk,Uk
    VEX.L0.NP.0F.W0 99 /r reg | ktestw Vk,Uk
    VEX.L0.NP.0F.W1 99 /r reg | ktestq Vk,Uk
    VEX.L0.66.0F.W0 99 /r reg | ktestb Vk,Uk
    VEX.L0.66.0F.W1 99 /r reg | ktestd Vk,Uk
    VEX.128.NP.0F.WIG AE /2 mem | vldmxcsr Md
    VEX.128.NP.0F.WIG AE /3 mem | vstmxcsr Md
    VEX.128.NP.0F.WIG C2 /r ib | vcmpps Vdq,Hdq,Wdq,Ib
    VEX.256.NP.0F.WIG C2 /r ib | vcmpps Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F.WIG C2 /r ib | vcmppd Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F.WIG C2 /r ib | vcmppd Vqq,Hqq,Wqq,Ib
    VEX.LIG.F3.0F.WIG C2 /r ib | vcmpss Vdq,Hdq,Wd,Ib
    VEX.LIG.F2.0F.WIG C2 /r ib | vcmpsd Vdq,Hdq,Wq,Ib
    VEX.128.66.0F.WIG C4 /r ib | vpinsrw Vdq,Hdq,Eyw,Ib
    VEX.128.66.0F.WIG C5 /r reg ib | vpextrw Gy,Udq,Ib
    VEX.128.NP.0F.WIG C6 /r ib | vshufps Vdq,Hdq,Wdq,Ib
    VEX.256.NP.0F.WIG C6 /r ib | vshufps Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F.WIG C6 /r ib | vshufpd Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F.WIG C6 /r ib | vshufpd Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F.WIG D0 /r | vaddsubpd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D0 /r | vaddsubpd Vqq,Hqq,Wqq
    VEX.128.F2.0F.WIG D0 /r | vaddsubps Vdq,Hdq,Wdq
    VEX.256.F2.0F.WIG D0 /r | vaddsubps Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG D1 /r | vpsrlw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D1 /r | vpsrlw Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG D2 /r | vpsrld Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D2 /r | vpsrld Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG D3 /r | vpsrlq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D3 /r | vpsrlq Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG D4 /r | vpaddq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D4 /r | vpaddq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG D5 /r | vpmullw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D5 /r | vpmullw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG D6 /r | vmovq Wq,Vdq
    VEX.128.66.0F.WIG D7 /r reg | vpmovmskb Gy,Udq
    VEX.256.66.0F.WIG D7 /r reg | vpmovmskb Gy,Uqq
    VEX.128.66.0F.WIG D8 /r | vpsubusb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D8 /r | vpsubusb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG D9 /r | vpsubusw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG D9 /r | vpsubusw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DA /r | vpminub Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DA /r | vpminub Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DB /r | vpand Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DB /r | vpand Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DC /r | vpaddusb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DC /r | vpaddusb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DD /r | vpaddusw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DD /r | vpaddusw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DE /r | vpmaxub Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DE /r | vpmaxub Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG DF /r | vpandn Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG DF /r | vpandn Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E0 /r | vpavgb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E0 /r | vpavgb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E1 /r | vpsraw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E1 /r | vpsraw Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG E2 /r | vpsrad Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E2 /r | vpsrad Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG E3 /r | vpavgw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E3 /r | vpavgw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E4 /r | vpmulhuw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E4 /r | vpmulhuw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E5 /r | vpmulhw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E5 /r | vpmulhw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E6 /r | vcvttpd2dq Vdq,Wdq
    VEX.256.66.0F.WIG E6 /r | vcvttpd2dq Vdq,Wqq
    VEX.128.F3.0F.WIG E6 /r | vcvtdq2pd Vdq,Wq
    VEX.256.F3.0F.WIG E6 /r | vcvtdq2pd Vqq,Wdq
    VEX.128.F2.0F.WIG E6 /r | vcvtpd2dq Vdq,Wdq
    VEX.256.F2.0F.WIG E6 /r | vcvtpd2dq Vdq,Wqq
    VEX.128.66.0F.WIG E7 /r mem | vmovntdq Mdq,Vdq
    VEX.256.66.0F.WIG E7 /r mem | vmovntdq Mqq,Vqq
    VEX.128.66.0F.WIG E8 /r | vpsubsb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E8 /r | vpsubsb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG E9 /r | vpsubsw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG E9 /r | vpsubsw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG EA /r | vpminsw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG EA /r | vpminsw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG EB /r | vpor Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG EB /r | vpor Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG EC /r | vpaddsb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG EC /r | vpaddsb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG ED /r | vpaddsw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG ED /r | vpaddsw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG EE /r | vpmaxsw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG EE /r | vpmaxsw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG EF /r | vpxor Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG EF /r | vpxor Vqq,Hqq,Wqq
    VEX.128.F2.0F.WIG F0 /r mem | vlddqu Vdq,Mdq
    VEX.256.F2.0F.WIG F0 /r mem | vlddqu Vqq,Mqq
    VEX.128.66.0F.WIG F1 /r | vpsllw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F1 /r | vpsllw Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG F2 /r | vpslld Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F2 /r | vpslld Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG F3 /r | vpsllq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F3 /r | vpsllq Vqq,Hqq,Wdq
    VEX.128.66.0F.WIG F4 /r | vpmuludq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F4 /r | vpmuludq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG F5 /r | vpmaddwd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F5 /r | vpmaddwd Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG F6 /r | vpsadbw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F6 /r | vpsadbw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG F7 /r reg | vmaskmovdqu [rDI]:dq,Vdq,Udq
    VEX.128.66.0F.WIG F8 /r | vpsubb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F8 /r | vpsubb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG F9 /r | vpsubw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG F9 /r | vpsubw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG FA /r | vpsubd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG FA /r | vpsubd Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG FB /r | vpsubq Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG FB /r | vpsubq Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG FC /r | vpaddb Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG FC /r | vpaddb Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG FD /r | vpaddw Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG FD /r | vpaddw Vqq,Hqq,Wqq
    VEX.128.66.0F.WIG FE /r | vpaddd Vdq,Hdq,Wdq
    VEX.256.66.0F.WIG FE /r | vpaddd Vqq,Hqq,Wqq
    # VEX map 0F38
    VEX.128.66.0F38.WIG 00 /r | vpshufb Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 00 /r | vpshufb Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 01 /r | vphaddw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 01 /r | vphaddw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 02 /r | vphaddd Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 02 /r | vphaddd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 03 /r | vphaddsw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 03 /r | vphaddsw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 04 /r | vpmaddubsw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 04 /r | vpmaddubsw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 05 /r | vphsubw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 05 /r | vphsubw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 06 /r | vphsubd Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 06 /r | vphsubd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 07 /r | vphsubsw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 07 /r | vphsubsw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 08 /r | vpsignb Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 08 /r | vpsignb Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 09 /r | vpsignw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 09 /r | vpsignw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 0A /r | vpsignd Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 0A /r | vpsignd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 0B /r | vpmulhrsw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 0B /r | vpmulhrsw Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 0C /r | vpermilps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 0C /r | vpermilps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 0D /r | vpermilpd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 0D /r | vpermilpd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 0E /r | vtestps Vdq,Wdq
    VEX.256.66.0F38.W0 0E /r | vtestps Vqq,Wqq
    VEX.128.66.0F38.W0 0F /r | vtestpd Vdq,Wdq
    VEX.256.66.0F38.W0 0F /r | vtestpd Vqq,Wqq
    VEX.128.66.0F38.W0 13 /r | vcvtph2ps Vdq,Wq
    VEX.256.66.0F38.W0 13 /r | vcvtph2ps Vqq,Wdq
    VEX.256.66.0F38.W0 16 /r | vpermps Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 17 /r | vptest Vdq,Wdq
    VEX.256.66.0F38.WIG 17 /r | vptest Vqq,Wqq
    VEX.128.66.0F38.W0 18 /r mem | vbroadcastss Vdq,Md
    VEX.128.66.0F38.W0 18 /r reg | vbroadcastss Vdq,Udq
    VEX.256.66.0F38.W0 18 /r mem | vbroadcastss Vqq,Md
    VEX.256.66.0F38.W0 18 /r reg | vbroadcastss Vqq,Udq
    VEX.256.66.0F38.W0 19 /r mem | vbroadcastsd Vqq,Mq
    VEX.256.66.0F38.W0 19 /r reg | vbroadcastsd Vqq,Udq
    VEX.256.66.0F38.W0 1A /r mem | vbroadcastf128 Vqq,Mdq
    VEX.128.66.0F38.WIG 1C /r | vpabsb Vdq,Wdq
    VEX.256.66.0F38.WIG 1C /r | vpabsb Vqq,Wqq
    VEX.128.66.0F38.WIG 1D /r | vpabsw Vdq,Wdq
    VEX.256.66.0F38.WIG 1D /r | vpabsw Vqq,Wqq
    VEX.128.66.0F38.WIG 1E /r | vpabsd Vdq,Wdq
    VEX.256.66.0F38.WIG 1E /r | vpabsd Vqq,Wqq
    VEX.128.66.0F38.WIG 20 /r | vpmovsxbw Vdq,Wq
    VEX.256.66.0F38.WIG 20 /r | vpmovsxbw Vqq,Wdq
    VEX.128.66.0F38.WIG 21 /r | vpmovsxbd Vdq,Wd
    VEX.256.66.0F38.WIG 21 /r | vpmovsxbd Vqq,Wq
    VEX.128.66.0F38.WIG 22 /r | vpmovsxbq Vdq,Ww
    VEX.256.66.0F38.WIG 22 /r | vpmovsxbq Vqq,Wd
    VEX.128.66.0F38.WIG 23 /r | vpmovsxwd Vdq,Wq
    VEX.256.66.0F38.WIG 23 /r | vpmovsxwd Vqq,Wdq
    VEX.128.66.0F38.WIG 24 /r | vpmovsxwq Vdq,Wd
    VEX.256.66.0F38.WIG 24 /r | vpmovsxwq Vqq,Wq
    VEX.128.66.0F38.WIG 25 /r | vpmovsxdq Vdq,Wq
    VEX.256.66.0F38.WIG 25 /r | vpmovsxdq Vqq,Wdq
    VEX.128.66.0F38.WIG 28 /r | vpmuldq Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 28 /r | vpmuldq Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 29 /r | vpcmpeqq Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 29 /r | vpcmpeqq Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 2A /r mem | vmovntdqa Vdq,Mdq
    VEX.256.66.0F38.WIG 2A /r mem | vmovntdqa Vqq,Mqq
    VEX.128.66.0F38.WIG 2B /r | vpackusdw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 2B /r | vpackusdw Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 2C /r mem | vmaskmovps Vdq,Hdq,Mdq
    VEX.256.66.0F38.W0 2C /r mem | vmaskmovps Vqq,Hqq,Mqq
    VEX.128.66.0F38.W0 2D /r mem | vmaskmovpd Vdq,Hdq,Mdq
    VEX.256.66.0F38.W0 2D /r mem | vmaskmovpd Vqq,Hqq,Mqq
    VEX.128.66.0F38.W0 2E /r mem | vmaskmovps Mdq,Hdq,Vdq
    VEX.256.66.0F38.W0 2E /r mem | vmaskmovps Mqq,Hqq,Vqq
    VEX.128.66.0F38.W0 2F /r mem | vmaskmovpd Mdq,Hdq,Vdq
    VEX.256.66.0F38.W0 2F /r mem | vmaskmovpd Mqq,Hqq,Vqq
    VEX.128.66.0F38.WIG 30 /r | vpmovzxbw Vdq,Wq
    VEX.256.66.0F38.WIG 30 /r | vpmovzxbw Vqq,Wdq
    VEX.128.66.0F38.WIG 31 /r | vpmovzxbd Vdq,Wd
    VEX.256.66.0F38.WIG 31 /r | vpmovzxbd Vqq,Wq
    VEX.128.66.0F38.WIG 32 /r | vpmovzxbq Vdq,Ww
    VEX.256.66.0F38.WIG 32 /r | vpmovzxbq Vqq,Wd
    VEX.128.66.0F38.WIG 33 /r | vpmovzxwd Vdq,Wq
    VEX.256.66.0F38.WIG 33 /r | vpmovzxwd Vqq,Wdq
    VEX.128.66.0F38.WIG 34 /r | vpmovzxwq Vdq,Wd
    VEX.256.66.0F38.WIG 34 /r | vpmovzxwq Vqq,Wq
    VEX.128.66.0F38.WIG 35 /r | vpmovzxdq Vdq,Wq
    VEX.256.66.0F38.WIG 35 /r | vpmovzxdq Vqq,Wdq
    VEX.256.66.0F38.W0 36 /r | vpermd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 37 /r | vpcmpgtq Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 37 /r | vpcmpgtq Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 38 /r | vpminsb Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 38 /r | vpminsb Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 39 /r | vpminsd Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 39 /r | vpminsd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3A /r | vpminuw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3A /r | vpminuw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3B /r | vpminud Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3B /r | vpminud Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3C /r | vpmaxsb Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3C /r | vpmaxsb Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3D /r | vpmaxsd Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3D /r | vpmaxsd Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3E /r | vpmaxuw Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3E /r | vpmaxuw Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 3F /r | vpmaxud Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 3F /r | vpmaxud Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 40 /r | vpmulld Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG 40 /r | vpmulld Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG 41 /r | vphminposuw Vdq,Wdq
    VEX.128.66.0F38.W0 45 /r | vpsrlvd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 45 /r | vpsrlvd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 45 /r | vpsrlvq Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 45 /r | vpsrlvq Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 46 /r | vpsravd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 46 /r | vpsravd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 47 /r | vpsllvd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 47 /r | vpsllvd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 47 /r | vpsllvq Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 47 /r | vpsllvq Vqq,Hqq,Wqq
    VEX.L0.NP.0F38.W0 49 /0 mem | ldtilecfg Mm512 | o64
    VEX.L0.NP.0F38.W0 49 C0 | tilerelease | o64
    VEX.L0.66.0F38.W0 49 /0 mem | sttilecfg Mm512 | o64
    VEX.L0.F2.0F38.W0 49 /r reg | tilezero Vtmm | o64
    VEX.L0.66.0F38.W0 4B /r mem | tileloaddt1 Vtmm,Msib | o64
    VEX.L0.F3.0F38.W0 4B /r mem | tilestored Msib,Vtmm | o64
    VEX.L0.F2.0F38.W0 4B /r mem | tileloadd Vtmm,Msib | o64
    VEX.128.66.0F38.W0 50 /r | vpdpbusd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 50 /r | vpdpbusd Vqq,Hqq,Wqq
    VEX.128.NP.0F38.W0 50 /r | vpdpbuud Vdq,Hdq,Wdq
    VEX.256.NP.0F38.W0 50 /r | vpdpbuud Vqq,Hqq,Wqq
    VEX.128.F3.0F38.W0 50 /r | vpdpbsud Vdq,Hdq,Wdq
    VEX.256.F3.0F38.W0 50 /r | vpdpbsud Vqq,Hqq,Wqq
    VEX.128.F2.0F38.W0 50 /r | vpdpbssd Vdq,Hdq,Wdq
    VEX.256.F2.0F38.W0 50 /r | vpdpbssd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 51 /r | vpdpbusds Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 51 /r | vpdpbusds Vqq,Hqq,Wqq
    VEX.128.NP.0F38.W0 51 /r | vpdpbuuds Vdq,Hdq,Wdq
    VEX.256.NP.0F38.W0 51 /r | vpdpbuuds Vqq,Hqq,Wqq
    VEX.128.F3.0F38.W0 51 /r | vpdpbsuds Vdq,Hdq,Wdq
    VEX.256.F3.0F38.W0 51 /r | vpdpbsuds Vqq,Hqq,Wqq
    VEX.128.F2.0F38.W0 51 /r | vpdpbssds Vdq,Hdq,Wdq
    VEX.256.F2.0F38.W0 51 /r | vpdpbssds Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 52 /r | vpdpwssd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 52 /r | vpdpwssd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 53 /r | vpdpwssds Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 53 /r | vpdpwssds Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 58 /r | vpbroadcastd Vdq,Wd
    VEX.256.66.0F38.W0 58 /r | vpbroadcastd Vqq,Wd
    VEX.128.66.0F38.W0 59 /r | vpbroadcastq Vdq,Wq
    VEX.256.66.0F38.W0 59 /r | vpbroadcastq Vqq,Wq
    VEX.256.66.0F38.W0 5A /r mem | vbroadcasti128 Vqq,Mdq
    VEX.L0.F3.0F38.W0 5C /r reg | tdpbf16ps Vtmm,Utmm,Htmm | o64
    VEX.L0.F2.0F38.W0 5C /r reg | tdpfp16ps Vtmm,Utmm,Htmm | o64
    VEX.L0.NP.0F38.W0 5E /r reg | tdpbuud Vtmm,Utmm,Htmm | o64
    VEX.L0.66.0F38.W0 5E /r reg | tdpbusd Vtmm,Utmm,Htmm | o64
    VEX.L0.F3.0F38.W0 5E /r reg | tdpbsud Vtmm,Utmm,Htmm | o64
    VEX.L0.F2.0F38.W0 5E /r reg | tdpbssd Vtmm,Utmm,Htmm | o64
    VEX.L0.66.0F38.W0 6C /r reg | tcmmimfp16ps Vtmm,Utmm,Htmm | o64
    VEX.L0.NP.0F38.W0 6C /r reg | tcmmrlfp16ps Vtmm,Utmm,Htmm | o64
    VEX.128.F3.0F38.W0 72 /r | vcvtneps2bf16 Vdq,Wdq
    VEX.256.F3.0F38.W0 72 /r | vcvtneps2bf16 Vdq,Wqq
    VEX.128.66.0F38.W0 78 /r | vpbroadcastb Vdq,Wb
    VEX.256.66.0F38.W0 78 /r | vpbroadcastb Vqq,Wb
    VEX.128.66.0F38.W0 79 /r | vpbroadcastw Vdq,Ww
    VEX.256.66.0F38.W0 79 /r | vpbroadcastw Vqq,Ww
    VEX.128.66.0F38.W0 8C /r mem | vpmaskmovd Vdq,Hdq,Mdq
    VEX.256.66.0F38.W0 8C /r mem | vpmaskmovd Vqq,Hqq,Mqq
    VEX.128.66.0F38.W1 8C /r mem | vpmaskmovq Vdq,Hdq,Mdq
    VEX.256.66.0F38.W1 8C /r mem | vpmaskmovq Vqq,Hqq,Mqq
    VEX.128.66.0F38.W0 8E /r mem | vpmaskmovd Mdq,Hdq,Vdq
    VEX.256.66.0F38.W0 8E /r mem | vpmaskmovd Mqq,Hqq,Vqq
    VEX.128.66.0F38.W1 8E /r mem | vpmaskmovq Mdq,Hdq,Vdq
    VEX.256.66.0F38.W1 8E /r mem | vpmaskmovq Mqq,Hqq,Vqq
    VEX.128.66.0F38.W0 90 /r mem | vpgatherdd Vdq,vm32x:d,Hdq
    VEX.256.66.0F38.W0 90 /r mem | vpgatherdd Vqq,vm32y:d,Hqq
    VEX.128.66.0F38.W1 90 /r mem | vpgatherdq Vdq,vm32x:q,Hdq
    VEX.256.66.0F38.W1 90 /r mem | vpgatherdq Vqq,vm32x:q,Hqq
    VEX.128.66.0F38.W0 91 /r mem | vpgatherqd Vdq,vm64x:d,Hdq
    VEX.256.66.0F38.W0 91 /r mem | vpgatherqd Vdq,vm64y:d,Hdq
    VEX.128.66.0F38.W1 91 /r mem | vpgatherqq Vdq,vm64x:q,Hdq
    VEX.256.66.0F38.W1 91 /r mem | vpgatherqq Vqq,vm64y:q,Hqq
    VEX.128.66.0F38.W0 92 /r mem | vgatherdps Vdq,vm32x:d,Hdq
    VEX.256.66.0F38.W0 92 /r mem | vgatherdps Vqq,vm32y:d,Hqq
    VEX.128.66.0F38.W1 92 /r mem | vgatherdpd Vdq,vm32x:q,Hdq
    VEX.256.66.0F38.W1 92 /r mem | vgatherdpd Vqq,vm32x:q,Hqq
    VEX.128.66.0F38.W0 93 /r mem | vgatherqps Vdq,vm64x:d,Hdq
    VEX.256.66.0F38.W0 93 /r mem | vgatherqps Vdq,vm64y:d,Hdq
    VEX.128.66.0F38.W1 93 /r mem | vgatherqpd Vdq,vm64x:q,Hdq
    VEX.256.66.0F38.W1 93 /r mem | vgatherqpd Vqq,vm64y:q,Hqq
    VEX.128.66.0F38.W0 96 /r | vfmaddsub132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 96 /r | vfmaddsub132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 96 /r | vfmaddsub132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 96 /r | vfmaddsub132pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 97 /r | vfmsubadd132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 97 /r | vfmsubadd132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 97 /r | vfmsubadd132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 97 /r | vfmsubadd132pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 98 /r | vfmadd132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 98 /r | vfmadd132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 98 /r | vfmadd132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 98 /r | vfmadd132pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 99 /r | vfmadd132ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 99 /r | vfmadd132sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 9A /r | vfmsub132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 9A /r | vfmsub132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 9A /r | vfmsub132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 9A /r | vfmsub132pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 9B /r | vfmsub132ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 9B /r | vfmsub132sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 9C /r | vfnmadd132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 9C /r | vfnmadd132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 9C /r | vfnmadd132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 9C /r | vfnmadd132pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 9D /r | vfnmadd132ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 9D /r | vfnmadd132sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 9E /r | vfnmsub132ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 9E /r | vfnmsub132ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 9E /r | vfnmsub132pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 9E /r | vfnmsub132pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 9F /r | vfnmsub132ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 9F /r | vfnmsub132sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 A6 /r | vfmaddsub213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 A6 /r | vfmaddsub213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 A6 /r | vfmaddsub213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 A6 /r | vfmaddsub213pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 A7 /r | vfmsubadd213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 A7 /r | vfmsubadd213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 A7 /r | vfmsubadd213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 A7 /r | vfmsubadd213pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 A8 /r | vfmadd213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 A8 /r | vfmadd213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 A8 /r | vfmadd213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 A8 /r | vfmadd213pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 A9 /r | vfmadd213ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 A9 /r | vfmadd213sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 AA /r | vfmsub213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 AA /r | vfmsub213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 AA /r | vfmsub213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 AA /r | vfmsub213pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 AB /r | vfmsub213ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 AB /r | vfmsub213sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 AC /r | vfnmadd213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 AC /r | vfnmadd213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 AC /r | vfnmadd213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 AC /r | vfnmadd213pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 AD /r | vfnmadd213ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 AD /r | vfnmadd213sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 AE /r | vfnmsub213ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 AE /r | vfnmsub213ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 AE /r | vfnmsub213pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 AE /r | vfnmsub213pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 AF /r | vfnmsub213ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 AF /r | vfnmsub213sd Vdq,Hdq,Wq
    VEX.128.NP.0F38.W0 B0 /r mem | vcvtneoph2ps Vdq,Mdq
    VEX.256.NP.0F38.W0 B0 /r mem | vcvtneoph2ps Vqq,Mqq
    VEX.128.66.0F38.W0 B0 /r mem | vcvtneeph2ps Vdq,Mdq
    VEX.256.66.0F38.W0 B0 /r mem | vcvtneeph2ps Vqq,Mqq
    VEX.128.F3.0F38.W0 B0 /r mem | vcvtneebf162ps Vdq,Mdq
    VEX.256.F3.0F38.W0 B0 /r mem | vcvtneebf162ps Vqq,Mqq
    VEX.128.F2.0F38.W0 B0 /r mem | vcvtneobf162ps Vdq,Mdq
    VEX.256.F2.0F38.W0 B0 /r mem | vcvtneobf162ps Vqq,Mqq
    VEX.128.66.0F38.W0 B1 /r mem | vbcstnesh2ps Vdq,Mw
    VEX.256.66.0F38.W0 B1 /r mem | vbcstnesh2ps Vqq,Mw
    VEX.128.F3.0F38.W0 B1 /r mem | vbcstnebf162ps Vdq,Mw
    VEX.256.F3.0F38.W0 B1 /r mem | vbcstnebf162ps Vqq,Mw
    VEX.128.66.0F38.W1 B4 /r | vpmadd52luq Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 B4 /r | vpmadd52luq Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 B5 /r | vpmadd52huq Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 B5 /r | vpmadd52huq Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 B6 /r | vfmaddsub231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 B6 /r | vfmaddsub231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 B6 /r | vfmaddsub231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 B6 /r | vfmaddsub231pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 B7 /r | vfmsubadd231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 B7 /r | vfmsubadd231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 B7 /r | vfmsubadd231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 B7 /r | vfmsubadd231pd Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 B8 /r | vfmadd231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 B8 /r | vfmadd231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 B8 /r | vfmadd231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 B8 /r | vfmadd231pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 B9 /r | vfmadd231ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 B9 /r | vfmadd231sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 BA /r | vfmsub231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 BA /r | vfmsub231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 BA /r | vfmsub231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 BA /r | vfmsub231pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 BB /r | vfmsub231ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 BB /r | vfmsub231sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 BC /r | vfnmadd231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 BC /r | vfnmadd231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 BC /r | vfnmadd231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 BC /r | vfnmadd231pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 BD /r | vfnmadd231ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 BD /r | vfnmadd231sd Vdq,Hdq,Wq
    VEX.128.66.0F38.W0 BE /r | vfnmsub231ps Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 BE /r | vfnmsub231ps Vqq,Hqq,Wqq
    VEX.128.66.0F38.W1 BE /r | vfnmsub231pd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W1 BE /r | vfnmsub231pd Vqq,Hqq,Wqq
    VEX.LIG.66.0F38.W0 BF /r | vfnmsub231ss Vdq,Hdq,Wd
    VEX.LIG.66.0F38.W1 BF /r | vfnmsub231sd Vdq,Hdq,Wq
    VEX.256.F2.0F38.W0 CB /r reg | vsha512rnds2 Vqq,Hqq,Udq
    VEX.256.F2.0F38.W0 CC /r reg | vsha512msg1 Vqq,Udq
    VEX.256.F2.0F38.W0 CD /r reg | vsha512msg2 Vqq,Uqq
    VEX.128.66.0F38.W0 CF /r | vgf2p8mulb Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 CF /r | vgf2p8mulb Vqq,Hqq,Wqq
    VEX.128.NP.0F38.W0 D2 /r | vpdpwuud Vdq,Hdq,Wdq
    VEX.256.NP.0F38.W0 D2 /r | vpdpwuud Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 D2 /r | vpdpwusd Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 D2 /r | vpdpwusd Vqq,Hqq,Wqq
    VEX.128.F3.0F38.W0 D2 /r | vpdpwsud Vdq,Hdq,Wdq
    VEX.256.F3.0F38.W0 D2 /r | vpdpwsud Vqq,Hqq,Wqq
    VEX.128.NP.0F38.W0 D3 /r | vpdpwuuds Vdq,Hdq,Wdq
    VEX.256.NP.0F38.W0 D3 /r | vpdpwuuds Vqq,Hqq,Wqq
    VEX.128.66.0F38.W0 D3 /r | vpdpwusds Vdq,Hdq,Wdq
    VEX.256.66.0F38.W0 D3 /r | vpdpwusds Vqq,Hqq,Wqq
    VEX.128.F3.0F38.W0 D3 /r | vpdpwsuds Vdq,Hdq,Wdq
    VEX.256.F3.0F38.W0 D3 /r | vpdpwsuds Vqq,Hqq,Wqq
    VEX.128.NP.0F38.W0 DA /r | vsm3msg1 Vdq,Hdq,Wdq
    VEX.128.66.0F38.W0 DA /r | vsm3msg2 Vdq,Hdq,Wdq
    VEX.128.F3.0F38.W0 DA /r | vsm4key4 Vdq,Hdq,Wdq
    VEX.256.F3.0F38.W0 DA /r | vsm4key4 Vqq,Hqq,Wqq
    VEX.128.F2.0F38.W0 DA /r | vsm4rnds4 Vdq,Hdq,Wdq
    VEX.256.F2.0F38.W0 DA /r | vsm4rnds4 Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG DB /r | vaesimc Vdq,Wdq
    VEX.128.66.0F38.WIG DC /r | vaesenc Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG DC /r | vaesenc Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG DD /r | vaesenclast Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG DD /r | vaesenclast Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG DE /r | vaesdec Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG DE /r | vaesdec Vqq,Hqq,Wqq
    VEX.128.66.0F38.WIG DF /r | vaesdeclast Vdq,Hdq,Wdq
    VEX.256.66.0F38.WIG DF /r | vaesdeclast Vqq,Hqq,Wqq
    VEX.L0.66.0F38.WIG E0 /r mem | cmpoxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E1 /r mem | cmpnoxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E2 /r mem | cmpbxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E3 /r mem | cmpnbxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E4 /r mem | cmpzxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E5 /r mem | cmpnzxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E6 /r mem | cmpbexadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E7 /r mem | cmpnbexadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E8 /r mem | cmpsxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG E9 /r mem | cmpnsxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG EA /r mem | cmppxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG EB /r mem | cmpnpxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG EC /r mem | cmplxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG ED /r mem | cmpnlxadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG EE /r mem | cmplexadd My,Gy,By | o64
    VEX.L0.66.0F38.WIG EF /r mem | cmpnlexadd My,Gy,By | o64
    VEX.L0.NP.0F38.WIG F2 /r | andn Gy,By,Ey
    VEX.L0.NP.0F38.WIG F3 /1 | blsr By,Ey
    VEX.L0.NP.0F38.WIG F3 /2 | blsmsk By,Ey
    VEX.L0.NP.0F38.WIG F3 /3 | blsi By,Ey
    VEX.L0.NP.0F38.WIG F5 /r | bzhi Gy,Ey,By
    VEX.L0.F3.0F38.WIG F5 /r | pext Gy,By,Ey
    VEX.L0.F2.0F38.WIG F5 /r | pdep Gy,By,Ey
    VEX.L0.F2.0F38.WIG F6 /r | mulx Gy,By,Ey
    VEX.L0.NP.0F38.WIG F7 /r | bextr Gy,Ey,By
    VEX.L0.66.0F38.WIG F7 /r | shlx Gy,Ey,By
    VEX.L0.F3.0F38.WIG F7 /r | sarx Gy,Ey,By
    VEX.L0.F2.0F38.WIG F7 /r | shrx Gy,Ey,By
    # VEX map 0F3A
    VEX.256.66.0F3A.W1 00 /r ib | vpermq Vqq,Wqq,Ib
    VEX.256.66.0F3A.W1 01 /r ib | vpermpd Vqq,Wqq,Ib
    VEX.128.66.0F3A.W0 02 /r ib | vpblendd Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.W0 02 /r ib | vpblendd Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.W0 04 /r ib | vpermilps Vdq,Wdq,Ib
    VEX.256.66.0F3A.W0 04 /r ib | vpermilps Vqq,Wqq,Ib
    VEX.128.66.0F3A.W0 05 /r ib | vpermilpd Vdq,Wdq,Ib
    VEX.256.66.0F3A.W0 05 /r ib | vpermilpd Vqq,Wqq,Ib
    VEX.256.66.0F3A.W0 06 /r ib | vperm2f128 Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 08 /r ib | vroundps Vdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 08 /r ib | vroundps Vqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 09 /r ib | vroundpd Vdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 09 /r ib | vroundpd Vqq,Wqq,Ib
    VEX.LIG.66.0F3A.WIG 0A /r ib | vroundss Vdq,Hdq,Wd,Ib
    VEX.LIG.66.0F3A.WIG 0B /r ib | vroundsd Vdq,Hdq,Wq,Ib
    VEX.128.66.0F3A.WIG 0C /r ib | vblendps Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 0C /r ib | vblendps Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 0D /r ib | vblendpd Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 0D /r ib | vblendpd Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 0E /r ib | vpblendw Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 0E /r ib | vpblendw Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 0F /r ib | vpalignr Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 0F /r ib | vpalignr Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 14 /r ib | vpextrb Eyb,Vdq,Ib
    VEX.128.66.0F3A.WIG 15 /r ib | vpextrw Eyw,Vdq,Ib
    VEX.128.66.0F3A.WIG 16 /r ib | vpextrd/vpextrq Ey,Vdq,Ib
    VEX.128.66.0F3A.WIG 17 /r ib | vextractps Eyd,Vdq,Ib
    VEX.256.66.0F3A.W0 18 /r ib | vinsertf128 Vqq,Hqq,Wdq,Ib
    VEX.256.66.0F3A.W0 19 /r ib | vextractf128 Wdq,Vqq,Ib
    VEX.128.66.0F3A.W0 1D /r ib | vcvtps2ph Wq,Vdq,Ib
    VEX.256.66.0F3A.W0 1D /r ib | vcvtps2ph Wdq,Vqq,Ib
    VEX.128.66.0F3A.WIG 20 /r ib | vpinsrb Vdq,Hdq,Eyb,Ib
    VEX.128.66.0F3A.WIG 21 /r ib | vinsertps Vdq,Hdq,Wd,Ib
    VEX.128.66.0F3A.WIG 22 /r ib | vpinsrd/vpinsrq Vdq,Hdq,Ey,Ib
    VEX.L0.66.0F3A.W1 30 /r reg ib | kshiftrw Vk,Uk,Ib
    VEX.L0.66.0F3A.W0 30 /r reg ib | kshiftrb Vk,Uk,Ib
    VEX.L0.66.0F3A.W1 31 /r reg ib | kshiftrq Vk,Uk,Ib
    VEX.L0.66.0F3A.W0 31 /r reg ib | kshiftrd Vk,Uk,Ib
    VEX.L0.66.0F3A.W1 32 /r reg ib | kshiftlw Vk,Uk,Ib
    VEX.L0.66.0F3A.W0 32 /r reg ib | kshiftlb Vk,Uk,Ib
    VEX.L0.66.0F3A.W1 33 /r reg ib | kshiftlq Vk,Uk,Ib
    VEX.L0.66.0F3A.W0 33 /r reg ib | kshiftld Vk,Uk,Ib
    VEX.256.66.0F3A.W0 38 /r ib | vinserti128 Vqq,Hqq,Wdq,Ib
    VEX.256.66.0F3A.W0 39 /r ib | vextracti128 Wdq,Vqq,Ib
    VEX.128.66.0F3A.WIG 40 /r ib | vdpps Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 40 /r ib | vdpps Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 41 /r ib | vdppd Vdq,Hdq,Wdq,Ib
    VEX.128.66.0F3A.WIG 42 /r ib | vmpsadbw Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 42 /r ib | vmpsadbw Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.WIG 44 /r ib | vpclmulqdq Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.WIG 44 /r ib | vpclmulqdq Vqq,Hqq,Wqq,Ib
    VEX.256.66.0F3A.W0 46 /r ib | vperm2i128 Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.W0 48 /r /is4 | vpermil2ps Vdq,Hdq,Wdq,Ldq,Ib4
    VEX.256.66.0F3A.W0 48 /r /is4 | vpermil2ps Vqq,Hqq,Wqq,Lqq,Ib4
    VEX.128.66.0F3A.W1 48 /r /is4 | vpermil2ps Vdq,Hdq,Ldq,Wdq,Ib4
    VEX.256.66.0F3A.W1 48 /r /is4 | vpermil2ps Vqq,Hqq,Lqq,Wqq,Ib4
    VEX.128.66.0F3A.W0 49 /r /is4 | vpermil2pd Vdq,Hdq,Wdq,Ldq,Ib4
    VEX.256.66.0F3A.W0 49 /r /is4 | vpermil2pd Vqq,Hqq,Wqq,Lqq,Ib4
    VEX.128.66.0F3A.W1 49 /r /is4 | vpermil2pd Vdq,Hdq,Ldq,Wdq,Ib4
    VEX.256.66.0F3A.W1 49 /r /is4 | vpermil2pd Vqq,Hqq,Lqq,Wqq,Ib4
    VEX.128.66.0F3A.W0 4A /r /is4 | vblendvps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 4A /r /is4 | vblendvps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W0 4B /r /is4 | vblendvpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 4B /r /is4 | vblendvpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W0 4C /r /is4 | vpblendvb Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 4C /r /is4 | vpblendvb Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W0 5C /r /is4 | vfmaddsubps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 5C /r /is4 | vfmaddsubps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 5C /r /is4 | vfmaddsubps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 5C /r /is4 | vfmaddsubps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 5D /r /is4 | vfmaddsubpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 5D /r /is4 | vfmaddsubpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 5D /r /is4 | vfmaddsubpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 5D /r /is4 | vfmaddsubpd Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 5E /r /is4 | vfmsubaddps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 5E /r /is4 | vfmsubaddps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 5E /r /is4 | vfmsubaddps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 5E /r /is4 | vfmsubaddps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 5F /r /is4 | vfmsubaddpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 5F /r /is4 | vfmsubaddpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 5F /r /is4 | vfmsubaddpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 5F /r /is4 | vfmsubaddpd Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.WIG 60 /r ib | vpcmpestrm/vpcmpestrm64 Vdq,Wdq,Ib
    VEX.128.66.0F3A.WIG 61 /r ib | vpcmpestri/vpcmpestri64 Vdq,Wdq,Ib
    VEX.128.66.0F3A.WIG 62 /r ib | vpcmpistrm Vdq,Wdq,Ib
    VEX.128.66.0F3A.WIG 63 /r ib | vpcmpistri Vdq,Wdq,Ib
    VEX.128.66.0F3A.W0 68 /r /is4 | vfmaddps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 68 /r /is4 | vfmaddps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 68 /r /is4 | vfmaddps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 68 /r /is4 | vfmaddps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 69 /r /is4 | vfmaddpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 69 /r /is4 | vfmaddpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 69 /r /is4 | vfmaddpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 69 /r /is4 | vfmaddpd Vqq,Hqq,Lqq,Wqq
    VEX.LIG.66.0F3A.W0 6A /r /is4 | vfmaddss Vdq,Hdq,Wd,Ldq
    VEX.LIG.66.0F3A.W1 6A /r /is4 | vfmaddss Vdq,Hdq,Ldq,Wd
    VEX.LIG.66.0F3A.W0 6B /r /is4 | vfmaddsd Vdq,Hdq,Wq,Ldq
    VEX.LIG.66.0F3A.W1 6B /r /is4 | vfmaddsd Vdq,Hdq,Ldq,Wq
    VEX.128.66.0F3A.W0 6C /r /is4 | vfmsubps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 6C /r /is4 | vfmsubps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 6C /r /is4 | vfmsubps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 6C /r /is4 | vfmsubps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 6D /r /is4 | vfmsubpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 6D /r /is4 | vfmsubpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 6D /r /is4 | vfmsubpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 6D /r /is4 | vfmsubpd Vqq,Hqq,Lqq,Wqq
    VEX.LIG.66.0F3A.W0 6E /r /is4 | vfmsubss Vdq,Hdq,Wd,Ldq
    VEX.LIG.66.0F3A.W1 6E /r /is4 | vfmsubss Vdq,Hdq,Ldq,Wd
    VEX.LIG.66.0F3A.W0 6F /r /is4 | vfmsubsd Vdq,Hdq,Wq,Ldq
    VEX.LIG.66.0F3A.W1 6F /r /is4 | vfmsubsd Vdq,Hdq,Ldq,Wq
    VEX.128.66.0F3A.W0 78 /r /is4 | vfnmaddps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 78 /r /is4 | vfnmaddps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 78 /r /is4 | vfnmaddps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 78 /r /is4 | vfnmaddps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 79 /r /is4 | vfnmaddpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 79 /r /is4 | vfnmaddpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 79 /r /is4 | vfnmaddpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 79 /r /is4 | vfnmaddpd Vqq,Hqq,Lqq,Wqq
    VEX.LIG.66.0F3A.W0 7A /r /is4 | vfnmaddss Vdq,Hdq,Wd,Ldq
    VEX.LIG.66.0F3A.W1 7A /r /is4 | vfnmaddss Vdq,Hdq,Ldq,Wd
    VEX.LIG.66.0F3A.W0 7B /r /is4 | vfnmaddsd Vdq,Hdq,Wq,Ldq
    VEX.LIG.66.0F3A.W1 7B /r /is4 | vfnmaddsd Vdq,Hdq,Ldq,Wq
    VEX.128.66.0F3A.W0 7C /r /is4 | vfnmsubps Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 7C /r /is4 | vfnmsubps Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 7C /r /is4 | vfnmsubps Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 7C /r /is4 | vfnmsubps Vqq,Hqq,Lqq,Wqq
    VEX.128.66.0F3A.W0 7D /r /is4 | vfnmsubpd Vdq,Hdq,Wdq,Ldq
    VEX.256.66.0F3A.W0 7D /r /is4 | vfnmsubpd Vqq,Hqq,Wqq,Lqq
    VEX.128.66.0F3A.W1 7D /r /is4 | vfnmsubpd Vdq,Hdq,Ldq,Wdq
    VEX.256.66.0F3A.W1 7D /r /is4 | vfnmsubpd Vqq,Hqq,Lqq,Wqq
    VEX.LIG.66.0F3A.W0 7E /r /is4 | vfnmsubss Vdq,Hdq,Wd,Ldq
    VEX.LIG.66.0F3A.W1 7E /r /is4 | vfnmsubss Vdq,Hdq,Ldq,Wd
    VEX.LIG.66.0F3A.W0 7F /r /is4 | vfnmsubsd Vdq,Hdq,Wq,Ldq
    VEX.LIG.66.0F3A.W1 7F /r /is4 | vfnmsubsd Vdq,Hdq,Ldq,Wq
    VEX.128.66.0F3A.W1 CE /r ib | vgf2p8affineqb Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.W1 CE /r ib | vgf2p8affineqb Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.W1 CF /r ib | vgf2p8affineinvqb Vdq,Hdq,Wdq,Ib
    VEX.256.66.0F3A.W1 CF /r ib | vgf2p8affineinvqb Vqq,Hqq,Wqq,Ib
    VEX.128.66.0F3A.W0 DE /r ib | vsm3rnds2 Vdq,Hdq,Wdq,Ib
    VEX.128.66.0F3A.WIG DF /r ib | vaeskeygenassist Vdq,Wdq,Ib
    VEX.128.F2.0F3A.WIG F0 /r ib | rorx Gy,Ey,Ib
    """
}
