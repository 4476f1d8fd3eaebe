// The x87 escape opcodes D8-DF: Intel SDM Vol. 2, Appendix A.4 "Escape Opcode Instructions"
// (Tables ), in the manual's notation (see OpcodeTableParser for the grammar).
// Memory forms are selected by ModRM.reg; register forms (mod = 11) by the whole ModRM byte,
// `C0+i` meaning ST(i) in ModRM.rm. The undocumented aliases real CPUs (and iced) decode are
// included: FCOM/FCOMP at DC D0/D8 and DE D0, FXCH at DD C8 and DF C8, FSTP at DF D0/D8,
// FSTPNCE at D9 D8 (FSTP1), FFREEP at DF C0. 9B (WAIT/FWAIT) is in the one-byte map.
// Encodings left out raise #UD (for example D9 D1, D9 /1 with memory, DB E5 FRSTPM of the 80287).
extension OpcodeTableText {
    static let x87 = """
    # D8: single-precision real memory operand, or ST(0) with ST(i)
    D8 /0 mem | fadd Md
    D8 /1 mem | fmul Md
    D8 /2 mem | fcom Md
    D8 /3 mem | fcomp Md
    D8 /4 mem | fsub Md
    D8 /5 mem | fsubr Md
    D8 /6 mem | fdiv Md
    D8 /7 mem | fdivr Md
    D8 C0+i | fadd ST0,STi
    D8 C8+i | fmul ST0,STi
    D8 D0+i | fcom ST0,STi
    D8 D8+i | fcomp ST0,STi
    D8 E0+i | fsub ST0,STi
    D8 E8+i | fsubr ST0,STi
    D8 F0+i | fdiv ST0,STi
    D8 F8+i | fdivr ST0,STi

    # D9: loads and stores of single-precision reals, environment and control word; constants and functions
    D9 /0 mem | fld Md
    D9 /2 mem | fst Md
    D9 /3 mem | fstp Md
    D9 /4 mem | fldenv Mfpenv
    D9 /5 mem | fldcw Mw
    D9 /6 mem | fnstenv Mfpenv
    D9 /7 mem | fnstcw Mw
    D9 C0+i | fld STi
    D9 C8+i | fxch ST0,STi
    D9 D0 | fnop
    D9 D8+i | fstpnce STi
    D9 E0 | fchs
    D9 E1 | fabs
    D9 E4 | ftst
    D9 E5 | fxam
    D9 E8 | fld1
    D9 E9 | fldl2t
    D9 EA | fldl2e
    D9 EB | fldpi
    D9 EC | fldlg2
    D9 ED | fldln2
    D9 EE | fldz
    D9 F0 | f2xm1
    D9 F1 | fyl2x
    D9 F2 | fptan
    D9 F3 | fpatan
    D9 F4 | fxtract
    D9 F5 | fprem1
    D9 F6 | fdecstp
    D9 F7 | fincstp
    D9 F8 | fprem
    D9 F9 | fyl2xp1
    D9 FA | fsqrt
    D9 FB | fsincos
    D9 FC | frndint
    D9 FD | fscale
    D9 FE | fsin
    D9 FF | fcos

    # DA: 32-bit integer memory operand; FCMOVcc
    DA /0 mem | fiadd Md
    DA /1 mem | fimul Md
    DA /2 mem | ficom Md
    DA /3 mem | ficomp Md
    DA /4 mem | fisub Md
    DA /5 mem | fisubr Md
    DA /6 mem | fidiv Md
    DA /7 mem | fidivr Md
    DA C0+i | fcmovb ST0,STi
    DA C8+i | fcmove ST0,STi
    DA D0+i | fcmovbe ST0,STi
    DA D8+i | fcmovu ST0,STi
    DA E9 | fucompp

    # DB: 32-bit integer loads and stores, 80-bit real; FCMOVNcc, control, FUCOMI/FCOMI
    DB /0 mem | fild Md
    DB /1 mem | fisttp Md
    DB /2 mem | fist Md
    DB /3 mem | fistp Md
    DB /5 mem | fld Mt
    DB /7 mem | fstp Mt
    DB C0+i | fcmovnb ST0,STi
    DB C8+i | fcmovne ST0,STi
    DB D0+i | fcmovnbe ST0,STi
    DB D8+i | fcmovnu ST0,STi
    DB E0 | fneni
    DB E1 | fndisi
    DB E2 | fnclex
    DB E3 | fninit
    DB E4 | fnsetpm
    DB E8+i | fucomi ST0,STi
    DB F0+i | fcomi ST0,STi

    # DC: double-precision real memory operand, or ST(i) with ST(0)
    DC /0 mem | fadd Mq
    DC /1 mem | fmul Mq
    DC /2 mem | fcom Mq
    DC /3 mem | fcomp Mq
    DC /4 mem | fsub Mq
    DC /5 mem | fsubr Mq
    DC /6 mem | fdiv Mq
    DC /7 mem | fdivr Mq
    DC C0+i | fadd STi,ST0
    DC C8+i | fmul STi,ST0
    DC D0+i | fcom ST0,STi
    DC D8+i | fcomp ST0,STi
    DC E0+i | fsubr STi,ST0
    DC E8+i | fsub STi,ST0
    DC F0+i | fdivr STi,ST0
    DC F8+i | fdiv STi,ST0

    # DD: double-precision loads and stores, state save/restore, status word; FFREE, FST/FSTP ST(i), FUCOM
    DD /0 mem | fld Mq
    DD /1 mem | fisttp Mq
    DD /2 mem | fst Mq
    DD /3 mem | fstp Mq
    DD /4 mem | frstor Mfpstate
    DD /6 mem | fnsave Mfpstate
    DD /7 mem | fnstsw Mw
    DD C0+i | ffree STi
    DD C8+i | fxch ST0,STi
    DD D0+i | fst STi
    DD D8+i | fstp STi
    DD E0+i | fucom ST0,STi
    DD E8+i | fucomp ST0,STi

    # DE: 16-bit integer memory operand; arithmetic with pop
    DE /0 mem | fiadd Mw
    DE /1 mem | fimul Mw
    DE /2 mem | ficom Mw
    DE /3 mem | ficomp Mw
    DE /4 mem | fisub Mw
    DE /5 mem | fisubr Mw
    DE /6 mem | fidiv Mw
    DE /7 mem | fidivr Mw
    DE C0+i | faddp STi,ST0
    DE C8+i | fmulp STi,ST0
    DE D9 | fcompp
    DE D0+i | fcomp ST0,STi
    DE E0+i | fsubrp STi,ST0
    DE E8+i | fsubp STi,ST0
    DE F0+i | fdivrp STi,ST0
    DE F8+i | fdivp STi,ST0

    # DF: 16- and 64-bit integer loads and stores, packed BCD; FNSTSW AX, FUCOMIP/FCOMIP
    DF /0 mem | fild Mw
    DF /1 mem | fisttp Mw
    DF /2 mem | fist Mw
    DF /3 mem | fistp Mw
    DF /4 mem | fbld Mt
    DF /5 mem | fild Mq
    DF /6 mem | fbstp Mt
    DF /7 mem | fistp Mq
    DF C0+i | ffreep STi
    DF C8+i | fxch ST0,STi
    DF D0+i | fstp STi
    DF D8+i | fstp STi
    DF E0 | fnstsw AX
    DF E8+i | fucomip ST0,STi
    DF F0+i | fcomip ST0,STi
    """
}
