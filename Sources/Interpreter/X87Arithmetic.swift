import SoftFloat
import X86Decoder
import X86ISA

// The x87 instructions that compute (SDM Vol. 1, chapter 8; Vol. 2): arithmetic, comparisons,
// conversions to and from memory, and the transcendental functions. SoftFloat computes values, flags
// and condition codes under the control word; this file fetches the operands, applies the stack
// rules of X87State/SIMDState (empty registers, #IS, pushes and pops), merges the flags into FSW
// and records FIP/FDP/FOP.
//
// Responses (SDM Vol. 1, 8.5 and 8.7):
// - Masked exceptions deliver SoftFloat's result (the QNaN indefinite, a bias-free rounded value...).
// - An unmasked IE, DE or ZE leaves the destination and TOP unchanged (no push, no pop); the flag, ES
//   and B are set and the next waiting x87 instruction raises #MF (X87State's `x87PendingCheck`).
// - An unmasked OE or UE with a register destination stores the bias-adjusted result and completes.
// - A memory destination is not written after an unmasked IE, OE or UE; the stack is not popped.
// - Comparisons set their condition codes (or ZF/PF/CF) even after an unmasked IE or DE, as the
//   hardware does.

extension X87Register {
    @inline(__always) init(_ e: Extended80) { self.init(significand: e.significand, signExponent: e.signExponent) }
    @inline(__always) var extended: Extended80 { Extended80(signExponent: signExponent, significand: significand) }
}

/// The two-operand arithmetic operations, in `dest = dest OP src` terms (R: reversed operands).
enum X87BinaryOperation: UInt8 {
    case add, subtract, subtractReversed, multiply, divide, divideReversed
}

extension Interpreter {
    /// Executes an x87 arithmetic, comparison, conversion or transcendental instruction; returns false
    /// for any other instruction.
    func executeX87Arithmetic(_ ins: Instruction) throws(CPUException) -> Bool {
        switch ins.mnemonic {
        // MARK: Basic arithmetic
        case .fadd: try x87Binary(ins, .add, pop: false)
        case .faddp: try x87Binary(ins, .add, pop: true)
        case .fiadd: try x87Binary(ins, .add, pop: false, integer: true)
        case .fsub: try x87Binary(ins, .subtract, pop: false)
        case .fsubp: try x87Binary(ins, .subtract, pop: true)
        case .fisub: try x87Binary(ins, .subtract, pop: false, integer: true)
        case .fsubr: try x87Binary(ins, .subtractReversed, pop: false)
        case .fsubrp: try x87Binary(ins, .subtractReversed, pop: true)
        case .fisubr: try x87Binary(ins, .subtractReversed, pop: false, integer: true)
        case .fmul: try x87Binary(ins, .multiply, pop: false)
        case .fmulp: try x87Binary(ins, .multiply, pop: true)
        case .fimul: try x87Binary(ins, .multiply, pop: false, integer: true)
        case .fdiv: try x87Binary(ins, .divide, pop: false)
        case .fdivp: try x87Binary(ins, .divide, pop: true)
        case .fidiv: try x87Binary(ins, .divide, pop: false, integer: true)
        case .fdivr: try x87Binary(ins, .divideReversed, pop: false)
        case .fdivrp: try x87Binary(ins, .divideReversed, pop: true)
        case .fidivr: try x87Binary(ins, .divideReversed, pop: false, integer: true)

        // MARK: Comparisons
        case .fcom: try x87Compare(ins, quiet: false, pops: 0)
        case .fcomp: try x87Compare(ins, quiet: false, pops: 1)
        case .fcompp: try x87Compare(ins, quiet: false, pops: 2)
        case .fucom: try x87Compare(ins, quiet: true, pops: 0)
        case .fucomp: try x87Compare(ins, quiet: true, pops: 1)
        case .fucompp: try x87Compare(ins, quiet: true, pops: 2)
        case .ficom: try x87Compare(ins, quiet: false, pops: 0, integer: true)
        case .ficomp: try x87Compare(ins, quiet: false, pops: 1, integer: true)
        case .fcomi: try x87Compare(ins, quiet: false, pops: 0, eflags: true)
        case .fcomip: try x87Compare(ins, quiet: false, pops: 1, eflags: true)
        case .fucomi: try x87Compare(ins, quiet: true, pops: 0, eflags: true)
        case .fucomip: try x87Compare(ins, quiet: true, pops: 1, eflags: true)

        // MARK: One operand, result in ST(0)
        case .fsqrt, .frndint, .f2xm1, .fsin, .fcos:
            try x87Unary(ins)
        case .fprem, .fprem1, .fscale:
            try x87WithST1(ins)
        case .fyl2x, .fyl2xp1, .fpatan:
            try x87IntoST1AndPop(ins)
        case .fxtract, .fptan, .fsincos:
            try x87Pushing(ins)

        // MARK: Loads and stores with conversion
        case .fld:
            guard ins.op0.kind == .memory, ins.op0.size == 4 || ins.op0.size == 8 else { return false }
            try x87LoadReal(ins)
        case .fild, .fbld:
            try x87LoadExact(ins)
        case .fst, .fstp:
            guard ins.op0.kind == .memory, ins.op0.size == 4 || ins.op0.size == 8 else { return false }
            try x87Store(ins, pop: ins.mnemonic == .fstp)
        case .fist: try x87Store(ins, pop: false)
        case .fistp, .fisttp, .fbstp: try x87Store(ins, pop: true)
        default:
            return false
        }
        return true
    }

    // MARK: - Flags and operands

    /// A SoftFloat context for the current control word.
    @inline(__always) var x87Context: X87Context { X87Context(controlWord: core.pointee.cpu.fpu.controlWord) }

    /// Merges an operation's exception flags into FSW (with ES and B when one of them is unmasked) and
    /// sets C1 from the context.
    @inline(__always) func x87Merge(_ ctx: X87Context) {
        var sw = core.pointee.cpu.fpu.statusWord | UInt16(ctx.flags.rawValue)
        sw = ctx.c1 ? sw | 0x200 : sw & ~0x200
        if !ctx.unmaskedFlags.isEmpty { sw |= 0x8080 }
        core.pointee.cpu.fpu.statusWord = sw
    }

    /// The memory operand as a floating-point operand: m32fp or m64fp converted exactly, an SNaN kept
    /// signalling (so that the operation selects NaNs as the hardware does) and a denormal normalised
    /// and reported in `denormal` (the operation raises DE for it); m16int, m32int or m64int exactly.
    func x87ReadOperand(_ ins: Instruction, integer: Bool) throws(CPUException) -> (value: Extended80, denormal: Bool) {
        let size = Int(ins.op0.size)
        let raw = try read(segmentIndex(ins.memory.segment), effectiveAddress(ins), size)
        if integer {
            let shift = UInt64(64 - 8 * size)
            return (Extended80(integer: Int64(bitPattern: raw << shift) >> Int64(shift)), false)
        }
        return size == 4 ? Self.x87Unpack(raw, fractionBits: 23, exponentBits: 8)
                         : Self.x87Unpack(raw, fractionBits: 52, exponentBits: 11)
    }

    /// The exact extended value of IEEE single or double bits, NaNs unquieted.
    static func x87Unpack(_ bits: UInt64, fractionBits f: Int, exponentBits w: Int) -> (value: Extended80, denormal: Bool) {
        let sign = bits >> UInt64(f + w) & 1 != 0
        let e = Int32(truncatingIfNeeded: bits >> UInt64(f)) & ((1 << Int32(w)) - 1)
        let frac = bits & ((1 << UInt64(f)) - 1)
        let emax: Int32 = (1 << Int32(w)) - 1
        let bias = emax >> 1
        if e == emax {
            return (Extended80(sign: sign, biasedExponent: 0x7FFF, significand: 1 << 63 | frac << UInt64(63 - f)), false)
        }
        if e == 0 {
            if frac == 0 { return (.zero(negative: sign), false) }
            let lz = frac.leadingZeroBitCount
            let exp = 64 - bias - Int32(f) - Int32(lz)
            return (Extended80(sign: sign, biasedExponent: UInt16(exp + Extended80.bias), significand: frac << UInt64(lz)), true)
        }
        return (Extended80(sign: sign, biasedExponent: UInt16(e - bias + Extended80.bias), significand: 1 << 63 | frac << UInt64(63 - f)), false)
    }

    /// DE for a denormal m32fp/m64fp operand, raised where the hardware raises it: not when the other
    /// operand is a NaN or unsupported (they take precedence), nor for `denormal / 0` (ZE only).
    /// Returns false when DE is unmasked, which ends the instruction (the flags are merged).
    @inline(__always)
    func x87SourceDenormal(_ ctx: inout X87Context, other a: Extended80, divisorIsOther: Bool) -> Bool {
        if a.isNaN || a.isUnsupported || (divisorIsOther && a.isZero) { return true }
        ctx.flags.insert(.denormal)
        if !ctx.masks.contains(.denormal) {
            x87Merge(ctx)
            return false
        }
        return true
    }

    // MARK: - FADD, FSUB, FSUBR, FMUL, FDIV, FDIVR and their P and I forms

    func x87Binary(_ ins: Instruction, _ op: X87BinaryOperation, pop: Bool, integer: Bool = false) throws(CPUException) {
        try x87Check()
        var dest = 0
        let b: Extended80
        var sourceDenormal = false
        if ins.op0.kind == .memory {
            (b, sourceDenormal) = try x87ReadOperand(ins, integer: integer)
            x87NoteInstruction(ins)
            if stEmpty(0) {
                if x87StackFault(overflow: false) { setST(0, .indefinite) }
                return
            }
        } else {
            dest = Int(ins.op0.register.number)
            let src = Int(ins.op1.register.number)
            x87NoteInstruction(ins)
            if stEmpty(dest) || stEmpty(src) {
                if x87StackFault(overflow: false) {
                    setST(dest, .indefinite)
                    if pop { x87Pop() }
                }
                return
            }
            b = st(src).extended
        }
        let a = st(dest).extended
        var ctx = x87Context
        if sourceDenormal && !x87SourceDenormal(&ctx, other: a, divisorIsOther: op == .divideReversed) { return }
        let r: Extended80
        switch op {
        case .add: r = ctx.add(a, b)
        case .subtract: r = ctx.subtract(a, b)
        case .subtractReversed: r = ctx.subtract(b, a)
        case .multiply: r = ctx.multiply(a, b)
        case .divide: r = ctx.divide(a, b)
        case .divideReversed: r = ctx.divide(b, a)
        }
        x87Merge(ctx)
        if ctx.suppressesRegisterResult { return }
        setST(dest, X87Register(r))
        if pop { x87Pop() }
    }

    // MARK: - FCOM, FUCOM, FICOM, FCOMI, FUCOMI and their P and PP forms

    func x87Compare(_ ins: Instruction, quiet: Bool, pops: Int, integer: Bool = false, eflags: Bool = false) throws(CPUException) {
        try x87Check()
        let b: Extended80
        var sourceDenormal = false
        if ins.operandCount > 0 && ins.op0.kind == .memory {
            (b, sourceDenormal) = try x87ReadOperand(ins, integer: integer)
            x87NoteInstruction(ins)
            if stEmpty(0) {
                x87CompareFault(eflags: eflags, pops: pops)
                return
            }
        } else {
            let i = ins.operandCount > 1 ? Int(ins.op1.register.number) : 1
            x87NoteInstruction(ins)
            if stEmpty(0) || stEmpty(i) {
                x87CompareFault(eflags: eflags, pops: pops)
                return
            }
            b = st(i).extended
        }
        let a = st(0).extended
        var ctx = x87Context
        let result = ctx.compare(a, b, quiet: quiet)
        if sourceDenormal && result != .unordered && !a.isUnsupported {
            ctx.flags.insert(.denormal)
        }
        x87Merge(ctx)
        x87SetComparison(result, eflags: eflags)
        if ctx.suppressesRegisterResult { return }
        for _ in 0..<pops { x87Pop() }
    }

    /// A comparison with an empty operand: #IS. The result is unordered even when IE is unmasked
    /// (measured); the pops happen only when it is masked.
    func x87CompareFault(eflags: Bool, pops: Int) {
        let masked = x87StackFault(overflow: false)
        x87SetComparison(.unordered, eflags: eflags)
        if masked { for _ in 0..<pops { x87Pop() } }
    }

    /// FCOM/FUCOM: C3 C2 C0 (C1 is cleared by the merge); FCOMI/FUCOMI: ZF PF CF, with OF SF AF cleared.
    func x87SetComparison(_ r: CompareResult, eflags: Bool) {
        if eflags {
            commitFlags()
            let f = core.pointee.cpu.rflags & ~0x8D5
            core.pointee.cpu.rflags = f | UInt64(r.eflagsBits)
        } else {
            x87SetConditions(r.statusWordBits, mask: 0x4500)
        }
    }

    // MARK: - FSQRT, FRNDINT, F2XM1, FSIN, FCOS

    func x87Unary(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        x87NoteInstruction(ins)
        // FSIN and FCOS clear C2 whatever happens next (stack fault included), as measured.
        if ins.mnemonic == .fsin || ins.mnemonic == .fcos { x87SetConditions(0, mask: 0x400) }
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, .indefinite) }
            return
        }
        let a = st(0).extended
        var ctx = x87Context
        var r: Extended80
        switch ins.mnemonic {
        case .fsqrt: r = ctx.squareRoot(a)
        case .frndint: r = ctx.roundToIntegral(a)
        case .f2xm1: r = ctx.twoToXMinusOne(a)
        case .fsin, .fcos:
            let t = ins.mnemonic == .fsin ? ctx.sine(a) : ctx.cosine(a)
            r = t.value
            x87SetConditions(t.outOfRange ? 0x400 : 0, mask: 0x400)
            if t.outOfRange { r = a }
        default: return
        }
        x87Merge(ctx)
        if ctx.suppressesRegisterResult { return }
        setST(0, X87Register(r))
    }

    // MARK: - FPREM, FPREM1, FSCALE (ST(0) from ST(0) and ST(1))

    func x87WithST1(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        x87NoteInstruction(ins)
        // FPREM and FPREM1 clear C2 whatever happens next (stack fault included), as measured.
        if ins.mnemonic != .fscale { x87SetConditions(0, mask: 0x400) }
        if stEmpty(0) || stEmpty(1) {
            if x87StackFault(overflow: false) { setST(0, .indefinite) }
            return
        }
        let a = st(0).extended, b = st(1).extended
        var ctx = x87Context
        let r: Extended80
        if ins.mnemonic == .fscale {
            r = ctx.scale(a, by: b)
            x87Merge(ctx)
        } else {
            let rem = ctx.remainder(a, b, ieee: ins.mnemonic == .fprem1)
            r = rem.value
            x87Merge(ctx)
            // Without a quotient (a NaN result, or an unmasked exception) C0 and C3 are left as they
            // were (measured); C1 and C2 are cleared.
            if !ctx.suppressesRegisterResult && !r.isNaN { x87SetConditions(rem.statusWordBits, mask: 0x4700) }
        }
        if ctx.suppressesRegisterResult { return }
        setST(0, X87Register(r))
    }

    // MARK: - FYL2X, FYL2XP1, FPATAN (ST(1) from ST(1) and ST(0), then pop)

    func x87IntoST1AndPop(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        x87NoteInstruction(ins)
        if stEmpty(0) || stEmpty(1) {
            if x87StackFault(overflow: false) {
                setST(1, .indefinite)
                x87Pop()
            }
            return
        }
        let x = st(0).extended, y = st(1).extended
        var ctx = x87Context
        let r: Extended80
        switch ins.mnemonic {
        case .fyl2x: r = ctx.yLog2X(y: y, x: x)
        case .fyl2xp1: r = ctx.yLog2XPlusOne(y: y, x: x)
        default: r = ctx.arctangent(y: y, x: x)
        }
        x87Merge(ctx)
        if ctx.suppressesRegisterResult { return }
        setST(1, X87Register(r))
        x87Pop()
    }

    // MARK: - FXTRACT, FPTAN, FSINCOS (replace ST(0), then push)

    func x87Pushing(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        x87NoteInstruction(ins)
        let empty = stEmpty(0)
        if empty || !stEmpty(7) {
            // Stack underflow (ST(0) empty) or overflow (no room for the push): masked, both results
            // are the indefinite.
            if ins.mnemonic != .fxtract { x87SetConditions(0, mask: 0x400) }
            if x87StackFault(overflow: !empty) {
                setST(0, .indefinite)
                x87Push(.indefinite)
            }
            return
        }
        let a = st(0).extended
        var ctx = x87Context
        let first: Extended80, pushed: Extended80
        switch ins.mnemonic {
        case .fxtract:
            let r = ctx.extract(a)
            (first, pushed) = (r.exponent, r.significand)
        case .fptan:
            let r = ctx.tangent(a)
            x87SetConditions(r.outOfRange ? 0x400 : 0, mask: 0x400)
            if r.outOfRange {
                x87Merge(ctx)
                return
            }
            (first, pushed) = (r.value, r.pushed)
        default:
            let r = ctx.sineCosine(a)
            x87SetConditions(r.outOfRange ? 0x400 : 0, mask: 0x400)
            if r.outOfRange {
                x87Merge(ctx)
                return
            }
            (first, pushed) = (r.sin, r.cos)
        }
        x87Merge(ctx)
        if ctx.suppressesRegisterResult { return }
        setST(0, X87Register(first))
        x87Push(X87Register(pushed))
    }

    // MARK: - FLD m32fp/m64fp, FILD, FBLD

    func x87LoadReal(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        let raw = try read(segmentIndex(ins.memory.segment), effectiveAddress(ins), Int(ins.op0.size))
        x87NoteInstruction(ins)
        if !stEmpty(7) {
            if x87StackFault(overflow: true) { x87Push(.indefinite) }
            return
        }
        var ctx = x87Context
        let single = ins.op0.size == 4
        var v = single ? ctx.loadSingle(UInt32(truncatingIfNeeded: raw)) : ctx.loadDouble(raw)
        x87Merge(ctx)
        if ctx.flags.contains(.denormal) {
            // A denormal source is loaded (normalised) even when DE is unmasked (measured on the host).
            v = single ? Self.x87Unpack(raw & 0xFFFF_FFFF, fractionBits: 23, exponentBits: 8).value
                       : Self.x87Unpack(raw, fractionBits: 52, exponentBits: 11).value
        } else if ctx.suppressesRegisterResult {
            return
        }
        x87Push(X87Register(v))
    }

    /// FILD m16/m32/m64int and FBLD m80bcd: exact conversions, no exception but stack overflow.
    func x87LoadExact(_ ins: Instruction) throws(CPUException) {
        try x87Check()
        let v: Extended80
        if ins.mnemonic == .fbld {
            let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), 10, .read)
            let low = try readLinear(linear, 8)
            let high = UInt16(truncatingIfNeeded: try readLinear(linear &+ 8, 2))
            v = Extended80(packedBCDLow: low, high: high)
        } else {
            v = try x87ReadOperand(ins, integer: true).value
        }
        x87NoteInstruction(ins)
        try x87PushChecked(X87Register(v))
    }

    // MARK: - FST/FSTP m32fp/m64fp, FIST/FISTP, FISTTP, FBSTP

    func x87Store(_ ins: Instruction, pop: Bool) throws(CPUException) {
        try x87Check()
        let size = Int(ins.op0.size)
        let seg = segmentIndex(ins.memory.segment)
        let ea = effectiveAddress(ins)
        let m = ins.mnemonic
        var ctx = x87Context
        let empty = stEmpty(0)
        let a = st(0).extended
        var low: UInt64 = 0, high: UInt16 = 0
        if empty {
            if !ctx.masks.contains(.invalid) {
                // Unmasked stack underflow: nothing is stored, TOP is unchanged.
                x87NoteInstruction(ins)
                _ = x87StackFault(overflow: false)
                return
            }
            // Masked: the indefinite of the destination format.
            switch m {
            case .fst, .fstp: low = size == 4 ? 0xFFC0_0000 : 0xFFF8_0000_0000_0000
            case .fbstp: (low, high) = (0xC000_0000_0000_0000, 0xFFFF)
            default: low = 1 << UInt64(8 * size - 1)
            }
        } else {
            switch m {
            case .fst, .fstp: low = size == 4 ? UInt64(ctx.storeSingle(a)) : ctx.storeDouble(a)
            case .fbstp: (low, high) = ctx.toPackedBCD(a)
            default: low = UInt64(bitPattern: ctx.toInteger(a, bits: 8 * size, truncating: m == .fisttp))
            }
            if ctx.suppressesMemoryResult {
                x87NoteInstruction(ins)
                x87Merge(ctx)
                return
            }
        }
        if m == .fbstp {
            let linear = try blockAccess(seg, ea, 10, .write)
            try writeLinear(linear, 8, low)
            try writeLinear(linear &+ 8, 2, UInt64(high))
        } else {
            try write(seg, ea, size, low & sizeMask(UInt8(size)))
        }
        x87NoteInstruction(ins)
        if empty {
            _ = x87StackFault(overflow: false)
        } else {
            x87Merge(ctx)
        }
        if pop { x87Pop() }
    }
}
