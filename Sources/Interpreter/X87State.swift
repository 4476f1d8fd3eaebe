import X86Decoder
import X86ISA
import X86State

// The x87 instructions that need no floating-point arithmetic (SDM Vol. 1, chapter 8; Vol. 2): control
// and status, environment and state save/restore, stack and tag management, register copies, constants,
// sign operations, classification, FCMOVcc and FWAIT. The arithmetic, conversions and comparisons come
// with the SoftFloat-based unit; until then they fall through to #UD.

extension Interpreter {
    /// Executes an x87 instruction of this set; returns false for the others.
    func executeX87(_ ins: Instruction) throws(CPUException) -> Bool {
        let c = core
        switch ins.mnemonic {
        // MARK: Control (no-wait forms do not check for pending exceptions)
        case .fninit:
            try x87Check(waiting: false)
            x87Initialize()
        case .fnclex:
            try x87Check(waiting: false)
            c.pointee.cpu.fpu.statusWord &= 0x7F00  // exception flags, SF, ES and B
        case .fnstsw:
            try x87Check(waiting: false)
            let sw = UInt64(c.pointee.cpu.fpu.statusWord)
            if ins.op0.kind == .register { writeGPR(0, size: 2, sw) } else { try writeOperand(ins, 0, sw) }
        case .fnstcw:
            try x87Check(waiting: false)
            try writeOperand(ins, 0, UInt64(c.pointee.cpu.fpu.controlWord))
        case .fldcw:
            try x87Check()
            let v = UInt16(truncatingIfNeeded: try readOperand(ins, 0))
            c.pointee.cpu.fpu.controlWord = Self.x87ControlWord(v)
            x87UpdateSummary()
        case .fnstenv:
            try x87Check(waiting: false)
            let size = Int(ins.op0.size)
            let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), size, .write)
            try x87StoreEnvironment(linear, size: size)
            c.pointee.cpu.fpu.controlWord |= 0x3F  // then masks all exceptions
        case .fldenv:
            try x87Check()
            let size = Int(ins.op0.size)
            let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), size, .read)
            try x87LoadEnvironment(linear, size: size)
        case .fnsave:
            try x87Check(waiting: false)
            let size = Int(ins.op0.size)
            let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), size, .write)
            let env = size == 94 ? 14 : 28
            try x87StoreEnvironment(linear, size: env)
            for i in 0..<8 {
                let r = st(i)
                try writeLinear(linear &+ UInt64(env + i * 10), 8, r.significand)
                try writeLinear(linear &+ UInt64(env + i * 10 + 8), 2, UInt64(r.signExponent))
            }
            x87Initialize()
        case .frstor:
            try x87Check()
            let size = Int(ins.op0.size)
            let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), size, .read)
            let env = size == 94 ? 14 : 28
            var regs = [X87Register](repeating: .zero, count: 8)
            for i in 0..<8 {
                regs[i] = X87Register(significand: try readLinear(linear &+ UInt64(env + i * 10), 8),
                                      signExponent: UInt16(truncatingIfNeeded: try readLinear(linear &+ UInt64(env + i * 10 + 8), 2)))
            }
            try x87LoadEnvironment(linear, size: env, registers: regs)

        // MARK: Stack management
        case .ffree, .ffreep:
            try x87Check()
            x87NoteInstruction(ins)
            setFPUTag(physical: stPhysical(Int(ins.op0.register.number)), 3)
            if ins.mnemonic == .ffreep { x87Pop() }
        case .fincstp, .fdecstp:
            try x87Check()
            x87NoteInstruction(ins)
            setFPUTop(fpuTop &+ (ins.mnemonic == .fincstp ? 1 : -1))
            x87SetConditions(0, mask: 0x200)
        case .fnop:
            try x87Check()
            x87NoteInstruction(ins)
        case .fneni, .fndisi, .fnsetpm:
            // 8087/80287 controls: no-ops since the 80387.
            try x87Check(waiting: false)

        // MARK: Register copies
        case .fxch:
            try x87Check()
            x87NoteInstruction(ins)
            let i = Int(ins.operandCount > 1 ? ins.op1.register.number : 1)
            var a = st(0), b = st(i)
            let e0 = stEmpty(0), ei = stEmpty(i)
            if e0 || ei {
                if !x87StackFault(overflow: false) { return true }
                if e0 { a = .indefinite }
                if ei { b = .indefinite }
            } else {
                x87SetConditions(0, mask: 0x200)
            }
            setST(0, b)
            setST(i, a)
        case .fld:
            if ins.op0.kind == .register {
                try x87Check()
                x87NoteInstruction(ins)
                let i = Int(ins.op0.register.number)
                let source = st(i)
                let empty = stEmpty(i)
                try x87PushChecked(empty ? nil : source)
            } else if ins.op0.size == 10 {
                try x87Check()
                let seg = segmentIndex(ins.memory.segment)
                let linear = try blockAccess(seg, effectiveAddress(ins), 10, .read)
                let v = X87Register(significand: try readLinear(linear, 8),
                                    signExponent: UInt16(truncatingIfNeeded: try readLinear(linear &+ 8, 2)))
                x87NoteInstruction(ins)
                try x87PushChecked(v)
            } else {
                return false
            }
        case .fst, .fstp, .fstpnce:
            let pop = ins.mnemonic != .fst
            if ins.op0.kind == .register {
                try x87Check()
                x87NoteInstruction(ins)
                let i = Int(ins.op0.register.number)
                if stEmpty(0) {
                    if !x87StackFault(overflow: false) { return true }
                    setST(i, .indefinite)
                } else {
                    setST(i, st(0))
                    x87SetConditions(0, mask: 0x200)
                }
                if pop { x87Pop() }
            } else if ins.op0.size == 10 && pop {
                try x87Check()
                let linear = try blockAccess(segmentIndex(ins.memory.segment), effectiveAddress(ins), 10, .write)
                var v = st(0)
                if stEmpty(0) {
                    // The stack fault is recorded only once the store is known not to fault.
                    if c.pointee.cpu.fpu.controlWord & 1 == 0 {
                        x87NoteInstruction(ins)
                        _ = x87StackFault(overflow: false)
                        return true
                    }
                    v = .indefinite
                    _ = x87StackFault(overflow: false)
                } else {
                    x87SetConditions(0, mask: 0x200)
                }
                try writeLinear(linear, 8, v.significand)
                try writeLinear(linear &+ 8, 2, UInt64(v.signExponent))
                x87NoteInstruction(ins)
                x87Pop()
            } else {
                return false
            }

        // MARK: Constants (SDM Vol. 1, 8.3.8; the rounding control picks between two 64-bit roundings)
        case .fld1, .fldz, .fldpi, .fldl2t, .fldl2e, .fldlg2, .fldln2:
            try x87Check()
            x87NoteInstruction(ins)
            try x87PushChecked(x87Constant(ins.mnemonic))

        // MARK: Sign and classification
        case .fchs, .fabs:
            try x87Check()
            x87NoteInstruction(ins)
            if stEmpty(0) {
                if x87StackFault(overflow: false) { setST(0, .indefinite) }
                return true
            }
            var v = st(0)
            v.signExponent = ins.mnemonic == .fchs ? v.signExponent ^ 0x8000 : v.signExponent & 0x7FFF
            setST(0, v)
            x87SetConditions(0, mask: 0x200)
        case .fxam:
            try x87Check()
            x87NoteInstruction(ins)
            let v = st(0)
            let sign: UInt16 = v.sign ? 0x200 : 0
            x87SetConditions((stEmpty(0) ? 0x4100 : v.examineClass) | sign)
        case .ftst:
            try x87Check()
            x87NoteInstruction(ins)
            x87CompareWithZero()
        case .fcmovb, .fcmove, .fcmovbe, .fcmovu, .fcmovnb, .fcmovne, .fcmovnbe, .fcmovnu:
            try x87Check()
            x87NoteInstruction(ins)
            let i = Int(ins.op1.register.number)
            if stEmpty(0) || stEmpty(i) {
                if x87StackFault(overflow: false) { setST(0, .indefinite) }
                return true
            }
            let cc: UInt8
            switch ins.mnemonic {
            case .fcmovb: cc = 0x2
            case .fcmovnb: cc = 0x3
            case .fcmove: cc = 0x4
            case .fcmovne: cc = 0x5
            case .fcmovbe: cc = 0x6
            case .fcmovnbe: cc = 0x7
            case .fcmovu: cc = 0xA
            default: cc = 0xB
            }
            if condition(cc) { setST(0, st(i)) }
        default:
            return false
        }
        return true
    }

    /// FWAIT: #NM when CR0.MP and CR0.TS are both set, then any pending unmasked x87 exception.
    func x87Wait() throws(CPUException) {
        if core.pointee.cpu.cr0 & 0xA == 0xA { throw .deviceNotAvailable }
        try x87PendingCheck()
    }

    /// FNINIT (SDM Vol. 1, Table 8-1): FCW 037Fh, FSW 0, all registers empty, pointers and opcode 0.
    func x87Initialize() {
        let c = core
        c.pointee.cpu.fpu.controlWord = 0x037F
        c.pointee.cpu.fpu.statusWord = 0
        c.pointee.cpu.fpu.tagWord = 0xFFFF
        c.pointee.cpu.fpu.lastOpcode = 0
        c.pointee.cpu.fpu.lastInstructionPointer = 0
        c.pointee.cpu.fpu.lastDataPointer = 0
    }

    /// FLDCW: bits 6 (reads as 1), 7 and 13-15 are reserved.
    static func x87ControlWord(_ v: UInt16) -> UInt16 { (v & ~0xE0C0) | 0x40 }

    /// Pushes `v` (nil: an empty source register, stack underflow) with the stack-overflow check: a
    /// full ST(7) or an empty source raises #IS; masked, the indefinite QNaN is pushed instead.
    func x87PushChecked(_ v: X87Register?) throws(CPUException) {
        // An empty source is reported as underflow (C1 = 0) even when ST(7) is full too (measured on the host).
        guard let v else {
            if x87StackFault(overflow: false) { x87Push(.indefinite) }
            return
        }
        if !stEmpty(7) {
            if x87StackFault(overflow: true) { x87Push(.indefinite) }
            return
        }
        x87Push(v)
        x87SetConditions(0, mask: 0x200)
    }

    /// The load-constant instructions' values: 64-bit significands of the 66-bit internal constants,
    /// rounded by FCW.RC (round to nearest gives the first; the others as the SDM's table shows).
    func x87Constant(_ m: Mnemonic) -> X87Register {
        let rc = (core.pointee.cpu.fpu.controlWord >> 10) & 3  // 0 nearest, 1 down, 2 up, 3 toward zero
        let downOrZero = rc == 1 || rc == 3
        switch m {
        case .fld1: return X87Register(significand: 0x8000_0000_0000_0000, signExponent: 0x3FFF)
        case .fldz: return .zero
        case .fldpi: return X87Register(significand: downOrZero ? 0xC90F_DAA2_2168_C234 : 0xC90F_DAA2_2168_C235, signExponent: 0x4000)
        case .fldl2t: return X87Register(significand: rc == 2 ? 0xD49A_784B_CD1B_8AFF : 0xD49A_784B_CD1B_8AFE, signExponent: 0x4000)
        case .fldl2e: return X87Register(significand: downOrZero ? 0xB8AA_3B29_5C17_F0BB : 0xB8AA_3B29_5C17_F0BC, signExponent: 0x3FFF)
        case .fldlg2: return X87Register(significand: downOrZero ? 0x9A20_9A84_FBCF_F798 : 0x9A20_9A84_FBCF_F799, signExponent: 0x3FFD)
        default: return X87Register(significand: downOrZero ? 0xB172_17F7_D1CF_79AB : 0xB172_17F7_D1CF_79AC, signExponent: 0x3FFE)  // ln 2
        }
    }

    /// FTST: compares ST(0) with +0.0 by classification. C3 C2 C0 = 000 greater, 001 less, 100 equal,
    /// 111 unordered (a NaN, an unsupported format, or an empty register); C1 = 0. A denormal raises DE.
    func x87CompareWithZero() {
        x87SetConditions(0, mask: 0x200)
        if stEmpty(0) {
            // Unordered even when IE is unmasked (measured on the host, as for FCOM).
            _ = x87StackFault(overflow: false)
            x87SetConditions(0x4500)
            return
        }
        let v = st(0)
        let e = v.exponent
        let integer = v.significand >> 63 != 0
        // As FCOM, the condition codes are set even when IE or DE is unmasked (measured on the host).
        if e == 0x7FFF && (!integer || v.significand << 1 != 0) || (e != 0 && e != 0x7FFF && !integer) {
            // NaN (quiet or signalling), pseudo-NaN/pseudo-infinity or unnormal: invalid operand.
            x87Raise(1)
            x87SetConditions(0x4500)
            return
        }
        if e == 0 && v.significand == 0 {
            x87SetConditions(0x4000)
            return
        }
        if e == 0 { x87Raise(2) }  // denormal operand
        x87SetConditions(v.sign ? 0x0100 : 0)
    }

    // MARK: - Environment images (SDM Vol. 1, 8.1.10, Figures 8-9 to 8-12)

    /// Stores the 14-byte (16-bit) or 28-byte (32-bit) x87 environment at `linear` (already checked), in
    /// the protected-mode or the real-mode layout by the current mode. Reserved halves are written as ones,
    /// the selectors (deprecated) as zero.
    func x87StoreEnvironment(_ linear: UInt64, size: Int) throws(CPUException) {
        let f = core.pointee.cpu.fpu
        let tw = UInt64(x87StoredTagWord())
        let fip = f.lastInstructionPointer, fdp = f.lastDataPointer
        let fop = UInt64(f.lastOpcode & 0x7FF)
        let real = !protectedMode
        if size == 14 {
            let words: [UInt64]
            if real {
                words = [UInt64(f.controlWord), UInt64(f.statusWord), tw, fip & 0xFFFF, ((fip >> 16) & 0xF) << 12 | fop,
                         fdp & 0xFFFF, ((fdp >> 16) & 0xF) << 12]
            } else {
                words = [UInt64(f.controlWord), UInt64(f.statusWord), tw, fip & 0xFFFF, 0, fdp & 0xFFFF, 0]
            }
            for (i, w) in words.enumerated() { try writeLinear(linear &+ UInt64(i * 2), 2, w) }
        } else {
            let high: UInt64 = 0xFFFF_0000
            let dwords: [UInt64]
            if real {
                dwords = [high | UInt64(f.controlWord), high | UInt64(f.statusWord), high | tw, high | (fip & 0xFFFF),
                          ((fip >> 16) & 0xFFFF) << 12 | fop, high | (fdp & 0xFFFF), ((fdp >> 16) & 0xFFFF) << 12]
            } else {
                dwords = [high | UInt64(f.controlWord), high | UInt64(f.statusWord), high | tw, fip & 0xFFFF_FFFF,
                          fop << 16, fdp & 0xFFFF_FFFF, high]
            }
            for (i, d) in dwords.enumerated() { try writeLinear(linear &+ UInt64(i * 4), 4, d) }
        }
    }

    /// Loads an x87 environment (FLDENV), or a whole state when `registers` (ST0-ST7 in stack order
    /// of the loaded TOP) is given (FRSTOR). Everything is read before anything changes.
    func x87LoadEnvironment(_ linear: UInt64, size: Int, registers: [X87Register]? = nil) throws(CPUException) {
        let real = !protectedMode
        var cw: UInt16, sw: UInt16, tw: UInt16
        var fip: UInt64, fdp: UInt64, fop: UInt16
        if size == 14 {
            var w = [UInt64](repeating: 0, count: 7)
            for i in 0..<7 { w[i] = try readLinear(linear &+ UInt64(i * 2), 2) }
            cw = UInt16(w[0]); sw = UInt16(w[1]); tw = UInt16(w[2])
            if real {
                fip = w[3] | ((w[4] >> 12) << 16)
                fop = UInt16(w[4] & 0x7FF)
                fdp = w[5] | ((w[6] >> 12) << 16)
            } else {
                fip = w[3]; fop = core.pointee.cpu.fpu.lastOpcode; fdp = w[5]
            }
        } else {
            var d = [UInt64](repeating: 0, count: 7)
            for i in 0..<7 { d[i] = try readLinear(linear &+ UInt64(i * 4), 4) }
            cw = UInt16(truncatingIfNeeded: d[0]); sw = UInt16(truncatingIfNeeded: d[1]); tw = UInt16(truncatingIfNeeded: d[2])
            if real {
                fip = (d[3] & 0xFFFF) | (((d[4] >> 12) & 0xFFFF) << 16)
                fop = UInt16(d[4] & 0x7FF)
                fdp = (d[5] & 0xFFFF) | (((d[6] >> 12) & 0xFFFF) << 16)
            } else {
                fip = d[3]; fop = UInt16((d[4] >> 16) & 0x7FF); fdp = d[5]
            }
        }
        let c = core
        c.pointee.cpu.fpu.controlWord = Self.x87ControlWord(cw)
        c.pointee.cpu.fpu.statusWord = sw
        c.pointee.cpu.fpu.lastInstructionPointer = fip
        c.pointee.cpu.fpu.lastDataPointer = fdp
        c.pointee.cpu.fpu.lastOpcode = fop
        if let registers {
            for i in 0..<8 { setFPURegister(physical: (fpuTop &+ i) & 7, registers[i]) }
        }
        x87LoadTagWord(tw)
        x87UpdateSummary()
    }
}
