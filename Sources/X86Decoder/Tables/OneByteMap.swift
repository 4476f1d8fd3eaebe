// The one-byte opcode map: Intel SDM Vol. 2, Appendix A, Table A-2, in the manual's notation
// (see OpcodeTableParser for the grammar). The x87 escapes D8-DF are in X87.swift.
extension OpcodeTableText {
    static let oneByte = """
    00 /r | add Eb,Gb | lock
    01 /r | add Ev,Gv | lock
    02 /r | add Gb,Eb
    03 /r | add Gv,Ev
    04 | add AL,Ib
    05 | add rAX,Iz
    06 | push ES | i64 sens
    07 | pop ES | i64 sens
    08 /r | or Eb,Gb | lock
    09 /r | or Ev,Gv | lock
    0A /r | or Gb,Eb
    0B /r | or Gv,Ev
    0C | or AL,Ib
    0D | or rAX,Iz
    0E | push CS | i64 sens
    10 /r | adc Eb,Gb | lock
    11 /r | adc Ev,Gv | lock
    12 /r | adc Gb,Eb
    13 /r | adc Gv,Ev
    14 | adc AL,Ib
    15 | adc rAX,Iz
    16 | push SS | i64 sens
    17 | pop SS | i64 sens
    18 /r | sbb Eb,Gb | lock
    19 /r | sbb Ev,Gv | lock
    1A /r | sbb Gb,Eb
    1B /r | sbb Gv,Ev
    1C | sbb AL,Ib
    1D | sbb rAX,Iz
    1E | push DS | i64 sens
    1F | pop DS | i64 sens
    20 /r | and Eb,Gb | lock
    21 /r | and Ev,Gv | lock
    22 /r | and Gb,Eb
    23 /r | and Gv,Ev
    24 | and AL,Ib
    25 | and rAX,Iz
    27 | daa | i64
    28 /r | sub Eb,Gb | lock
    29 /r | sub Ev,Gv | lock
    2A /r | sub Gb,Eb
    2B /r | sub Gv,Ev
    2C | sub AL,Ib
    2D | sub rAX,Iz
    2F | das | i64
    30 /r | xor Eb,Gb | lock
    31 /r | xor Ev,Gv | lock
    32 /r | xor Gb,Eb
    33 /r | xor Gv,Ev
    34 | xor AL,Ib
    35 | xor rAX,Iz
    37 | aaa | i64
    38 /r | cmp Eb,Gb
    39 /r | cmp Ev,Gv
    3A /r | cmp Gb,Eb
    3B /r | cmp Gv,Ev
    3C | cmp AL,Ib
    3D | cmp rAX,Iz
    3F | aas | i64
    40+r | inc Zv | i64
    48+r | dec Zv | i64
    50+r | push Zv | d64
    58+r | pop Zv | d64
    60 | pusha/pushad/pushad | i64
    61 | popa/popad/popad | i64
    62 /r mem | bound Gv,Ma | i64
    63 /r | arpl Evw,Gv | i64
    63 /r | movsxd Gv,Ez | o64
    68 | push Iz | d64
    69 /r | imul Gv,Ev,Iz
    6A | push Ibs | d64
    6B /r | imul Gv,Ev,Ibs
    6C | insb Yb,DX | priv
    6D | insw/insd/insd Yz,DX | priv
    6E | outsb DX,Xb | priv
    6F | outsw/outsd/outsd DX,Xz | priv
    70 | jo Jb | f64
    71 | jno Jb | f64
    72 | jb Jb | f64
    73 | jae Jb | f64
    74 | je Jb | f64
    75 | jne Jb | f64
    76 | jbe Jb | f64
    77 | ja Jb | f64
    78 | js Jb | f64
    79 | jns Jb | f64
    7A | jp Jb | f64
    7B | jnp Jb | f64
    7C | jl Jb | f64
    7D | jge Jb | f64
    7E | jle Jb | f64
    7F | jg Jb | f64
    80 /0 | add Eb,Ib | lock
    80 /1 | or Eb,Ib | lock
    80 /2 | adc Eb,Ib | lock
    80 /3 | sbb Eb,Ib | lock
    80 /4 | and Eb,Ib | lock
    80 /5 | sub Eb,Ib | lock
    80 /6 | xor Eb,Ib | lock
    80 /7 | cmp Eb,Ib
    81 /0 | add Ev,Iz | lock
    81 /1 | or Ev,Iz | lock
    81 /2 | adc Ev,Iz | lock
    81 /3 | sbb Ev,Iz | lock
    81 /4 | and Ev,Iz | lock
    81 /5 | sub Ev,Iz | lock
    81 /6 | xor Ev,Iz | lock
    81 /7 | cmp Ev,Iz
    82 /0 | add Eb,Ib | lock i64
    82 /1 | or Eb,Ib | lock i64
    82 /2 | adc Eb,Ib | lock i64
    82 /3 | sbb Eb,Ib | lock i64
    82 /4 | and Eb,Ib | lock i64
    82 /5 | sub Eb,Ib | lock i64
    82 /6 | xor Eb,Ib | lock i64
    82 /7 | cmp Eb,Ib | i64
    83 /0 | add Ev,Ibs | lock
    83 /1 | or Ev,Ibs | lock
    83 /2 | adc Ev,Ibs | lock
    83 /3 | sbb Ev,Ibs | lock
    83 /4 | and Ev,Ibs | lock
    83 /5 | sub Ev,Ibs | lock
    83 /6 | xor Ev,Ibs | lock
    83 /7 | cmp Ev,Ibs
    84 /r | test Eb,Gb
    85 /r | test Ev,Gv
    86 /r | xchg Eb,Gb | lock
    87 /r | xchg Ev,Gv | lock
    88 /r | mov Eb,Gb
    89 /r | mov Ev,Gv
    8A /r | mov Gb,Eb
    8B /r | mov Gv,Ev
    8C /r | mov Evw,Sw | sens
    8D /r mem | lea Gv,Munknown
    8E /0 | mov Sw,Evw | sens
    8E /2 | mov Sw,Evw | sens
    8E /3 | mov Sw,Evw | sens
    8E /4 | mov Sw,Evw | sens
    8E /5 | mov Sw,Evw | sens
    8F /0 | pop Ev | d64
    F3 90 | pause
    90 | nop | norexb
    90+r | xchg Zv,rAX
    98 | cbw/cwde/cdqe
    99 | cwd/cdq/cqo
    9A | call Ap | i64 sens
    9B | wait
    9C | pushf/pushfd/pushfq | d64 sens
    9D | popf/popfd/popfq | d64 sens
    9E | sahf
    9F | lahf
    A0 | mov AL,Ob
    A1 | mov rAX,Ov
    A2 | mov Ob,AL
    A3 | mov Ov,rAX
    A4 | movsb Yb,Xb
    A5 | movsw/movsd/movsq Yv,Xv
    A6 | cmpsb Xb,Yb
    A7 | cmpsw/cmpsd/cmpsq Xv,Yv
    A8 | test AL,Ib
    A9 | test rAX,Iz
    AA | stosb Yb,AL
    AB | stosw/stosd/stosq Yv,rAX
    AC | lodsb AL,Xb
    AD | lodsw/lodsd/lodsq rAX,Xv
    AE | scasb AL,Yb
    AF | scasw/scasd/scasq rAX,Yv
    B0+r | mov Zb,Ib
    B8+r | mov Zv,Iv
    C0 /0 | rol Eb,Ib
    C0 /1 | ror Eb,Ib
    C0 /2 | rcl Eb,Ib
    C0 /3 | rcr Eb,Ib
    C0 /4 | shl Eb,Ib
    C0 /5 | shr Eb,Ib
    C0 /6 | sal Eb,Ib
    C0 /7 | sar Eb,Ib
    C1 /0 | rol Ev,Ib
    C1 /1 | ror Ev,Ib
    C1 /2 | rcl Ev,Ib
    C1 /3 | rcr Ev,Ib
    C1 /4 | shl Ev,Ib
    C1 /5 | shr Ev,Ib
    C1 /6 | sal Ev,Ib
    C1 /7 | sar Ev,Ib
    C2 | ret Iw | f64
    C3 | ret | f64
    C4 /r mem | les Gv,Mp | i64
    C5 /r mem | lds Gv,Mp | i64
    C6 F8 | xabort Ib
    C6 /0 | mov Eb,Ib
    C7 F8 | xbegin Jz | widebranch
    C7 /0 | mov Ev,Iz
    C8 | enter Iw,Ib2 | d64
    C9 | leave | d64
    CA | retf Iw | sens
    CB | retf | sens
    CC | int3 | sens
    CD | int Ib | sens
    CE | into | i64 sens
    CF | iret/iretd/iretq | sens
    D0 /0 | rol Eb,1
    D0 /1 | ror Eb,1
    D0 /2 | rcl Eb,1
    D0 /3 | rcr Eb,1
    D0 /4 | shl Eb,1
    D0 /5 | shr Eb,1
    D0 /6 | sal Eb,1
    D0 /7 | sar Eb,1
    D1 /0 | rol Ev,1
    D1 /1 | ror Ev,1
    D1 /2 | rcl Ev,1
    D1 /3 | rcr Ev,1
    D1 /4 | shl Ev,1
    D1 /5 | shr Ev,1
    D1 /6 | sal Ev,1
    D1 /7 | sar Ev,1
    D2 /0 | rol Eb,CL
    D2 /1 | ror Eb,CL
    D2 /2 | rcl Eb,CL
    D2 /3 | rcr Eb,CL
    D2 /4 | shl Eb,CL
    D2 /5 | shr Eb,CL
    D2 /6 | sal Eb,CL
    D2 /7 | sar Eb,CL
    D3 /0 | rol Ev,CL
    D3 /1 | ror Ev,CL
    D3 /2 | rcl Ev,CL
    D3 /3 | rcr Ev,CL
    D3 /4 | shl Ev,CL
    D3 /5 | shr Ev,CL
    D3 /6 | sal Ev,CL
    D3 /7 | sar Ev,CL
    D4 | aam Ib | i64
    D5 | aad Ib | i64
    D6 | salc | i64
    D7 | xlatb Xlat
    E0 | loopne Jb | f64
    E1 | loope Jb | f64
    E2 | loop Jb | f64
    E3 | jcxz/jecxz/jrcxz Jb | f64 asz
    E4 | in AL,Ib | priv
    E5 | in eAX,Ib | priv
    E6 | out Ib,AL | priv
    E7 | out Ib,eAX | priv
    E8 | call Jz | f64
    E9 | jmp Jz | f64
    EA | jmp Ap | i64 sens
    EB | jmp Jb | f64
    EC | in AL,DX | priv
    ED | in eAX,DX | priv
    EE | out DX,AL | priv
    EF | out DX,eAX | priv
    F1 | int1
    F4 | hlt | priv
    F5 | cmc
    F6 /0 | test Eb,Ib
    F6 /1 | test Eb,Ib
    F6 /2 | not Eb | lock
    F6 /3 | neg Eb | lock
    F6 /4 | mul Eb
    F6 /5 | imul Eb
    F6 /6 | div Eb
    F6 /7 | idiv Eb
    F7 /0 | test Ev,Iz
    F7 /1 | test Ev,Iz
    F7 /2 | not Ev | lock
    F7 /3 | neg Ev | lock
    F7 /4 | mul Ev
    F7 /5 | imul Ev
    F7 /6 | div Ev
    F7 /7 | idiv Ev
    F8 | clc
    F9 | stc
    FA | cli | priv
    FB | sti | priv
    FC | cld
    FD | std
    FE /0 | inc Eb | lock
    FE /1 | dec Eb | lock
    FF /0 | inc Ev | lock
    FF /1 | dec Ev | lock
    FF /2 | call Ev | f64
    FF /3 mem | call Mp | sens
    FF /4 | jmp Ev | f64
    FF /5 mem | jmp Mp | sens
    FF /6 | push Ev | d64
    """
}
