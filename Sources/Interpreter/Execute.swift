import X86Decoder
import X86ISA
import X86State

extension Interpreter {
    /// Fetches the instruction at CS:RIP into a buffer and decodes it.
    func fetchAndDecode() throws(CPUException) -> Instruction {
        let mode = codeMode
        let cs = core.pointee.cpu.segments.1
        let rip = core.pointee.cpu.rip
        let ipMask: UInt64 = mode == .bits16 ? 0xFFFF : mode == .bits32 ? 0xFFFF_FFFF : ~0
        var buffer: (UInt64, UInt64) = (0, 0)
        var count = 0
        var pendingFault: CPUException? = nil
        withUnsafeMutableBytes(of: &buffer) { raw in
            for i in 0..<15 {
                let offset = (rip &+ UInt64(i)) & ipMask
                if mode != .bits64 && model != .i8086 && offset > UInt64(cs.limit) {
                    pendingFault = .generalProtection(0)
                    break
                }
                let linear = mode == .bits64 ? offset : (cs.base &+ offset) & (model == .x86_64 ? 0xFFFF_FFFF : ~0)
                do throws(CPUException) {
                    let pa = try translate(linear, .execute)
                    raw[i] = UInt8(truncatingIfNeeded: readPhysical(pa, 1))
                    count += 1
                } catch {
                    pendingFault = error
                    break
                }
            }
        }
        var ins = Instruction()
        let decoder = mode == .bits16 ? decoders.0 : mode == .bits32 ? decoders.1 : decoders.2
        var fixup = LegacyFixup.none
        var locks = 0
        let status = withUnsafeMutableBytes(of: &buffer) { raw -> DecodeStatus in
            var n = count
            if model != .x86_64 {
                locks = stripLock(raw, count: &n)
                fixup = remapLegacy(raw, count: n)
            }
            if fixup == .invalid { return .invalid }
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var status = decoder.decode(p, count: n, into: &ins)
            if fixup == .escape && (status == .invalid || status == .unsupported) {
                // An ESC encoding x87 leaves undefined: decode it as D8 /0, same ModRM-given length.
                var i = 0
                while i < n - 1 && raw[i] != 0xD8 && !(0xD9...0xDF).contains(raw[i]) { i += 1 }
                raw[i] = 0xD8
                raw[i + 1] &= 0xC7
                status = decoder.decode(p, count: n, into: &ins)
            }
            return status
        }
        switch status {
        case .ok:
            if locks > 0 {
                ins.length &+= UInt8(locks)
                ins.prefixes.insert(.lock)
            }
            // The 80286 limits an instruction to 10 bytes (redundant prefixes included): #GP(0).
            if model == .i80286 && ins.length > 10 { throw .generalProtection(0) }
            switch fixup {
            case .none, .invalid: break
            case .codeSegment: ins.op0.register = .cs
            case .escape:
                // ESC without a coprocessor: a no-op that still forms its address. The 80286 checks
                // the operand against the segment limit, as it would to transfer it for an 80287.
                if model == .i80286 {
                    for k in 0..<Int(ins.operandCount) where ins.operand(k).kind == .memory {
                        _ = try linearAddress(segmentIndex(ins.memory.segment), effectiveAddress(ins),
                                              max(1, Int(ins.operand(k).size)), .read)
                    }
                }
                ins.mnemonic = .nop
            }
            return ins
        case .truncated:
            throw pendingFault ?? .generalProtection(0)
        case .invalid, .unsupported:
            throw .invalidOpcode
        }
    }

    /// The 8086 and 80286 accept LOCK (8086: also F1) before any instruction, where later processors
    /// raise #UD: removes those prefix bytes before decoding (the caller adds them back to the length).
    func stripLock(_ raw: UnsafeMutableRawBufferPointer, count: inout Int) -> Int {
        var i = 0, removed = 0
        while i < count {
            let b = raw[i]
            if b == 0xF0 || (b == 0xF1 && model == .i8086) {
                for j in i..<count - 1 { raw[j] = raw[j + 1] }
                count -= 1
                removed += 1
            } else if b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF2 || b == 0xF3 {
                i += 1
            } else {
                return removed
            }
        }
        return removed
    }

    /// What `remapLegacy` asks of the decoded instruction.
    enum LegacyFixup {
        case none
        /// The bytes raise #UD on this model.
        case invalid
        /// Decoded with DS in place of CS (8086 POP CS, MOV CS): make the segment operand CS.
        case codeSegment
        /// ESC (D8-DF) without a coprocessor: executed as a no-op (encodings x87 leaves undefined are
        /// decoded as D8 /0, whose length the ModRM byte gives the same way).
        case escape
    }

    /// Maps the 8086's and 80286's opcode space onto the shared decoder, which knows the modern one,
    /// by rewriting bytes before decoding:
    ///
    /// - 8086 (no #UD; every byte sequence does something): 60-6F alias 70-7F; C0/C1 alias C2/C3 and
    ///   C8/C9 alias CA/CB; 0F is POP CS; 8C/8E use only ModRM.reg bits 0-1 (8E /1 is MOV CS);
    ///   8F, C6 and C7 ignore ModRM.reg; FF /7 aliases FF /6 (PUSH).
    /// - 80286: 64-67 and the 386 two-byte opcodes raise #UD, as do segment registers 4-7 and MOV CS.
    /// - Both: ESC D8-DF execute as no-ops (no coprocessor); C4/C5 with a register operand are #UD.
    func remapLegacy(_ raw: UnsafeMutableRawBufferPointer, count: Int) -> LegacyFixup {
        let is8086 = model == .i8086
        var i = 0
        while i < count {
            switch raw[i] {
            case 0x26, 0x2E, 0x36, 0x3E, 0xF2, 0xF3: i += 1; continue
            default: break
            }
            break
        }
        guard i < count else { return .none }
        let op = raw[i]
        let hasModRM = i + 1 < count
        let reg = hasModRM ? (raw[i + 1] >> 3) & 7 : 0
        func setReg(_ r: UInt8) { if hasModRM { raw[i + 1] = (raw[i + 1] & 0xC7) | (r << 3) } }
        switch op {
        case 0xD8...0xDF:
            return .escape
        case 0xC4...0xC5 where hasModRM && raw[i + 1] >= 0xC0:
            // LES/LDS with a register operand (not VEX: no VEX before the 80386's successors).
            // #UD on the 80286; undefined on the 8086, where the test sets leave it out.
            return .invalid
        case 0x8C, 0x8E:
            if is8086 {
                setReg(reg & 3)
                if op == 0x8E && reg & 3 == 1 { setReg(3); return .codeSegment }
            } else if reg >= 4 || (op == 0x8E && reg == 1) {
                return .invalid
            }
            return .none
        default: break
        }
        if is8086 {
            switch op {
            case 0x60...0x6F: raw[i] = op + 0x10
            case 0xC0, 0xC1, 0xC8, 0xC9: raw[i] = op + 2
            case 0x0F: raw[i] = 0x1F; return .codeSegment
            case 0x8F, 0xC6, 0xC7: setReg(0)
            case 0xFF where reg == 7: setReg(6)
            default: break
            }
            return .none
        }
        switch op {
        case 0x64...0x67: return .invalid
        case 0x0F:
            guard i + 1 < count else { return .none }
            switch raw[i + 1] {
            case 0x00:
                // SLDT STR LLDT LTR VERR VERW: protected mode only; /6 /7 undefined.
                return cpuStateProtected ? ((i + 2 < count && (raw[i + 2] >> 3) & 7 >= 6) ? .invalid : .none) : .invalid
            case 0x01:
                // SGDT SIDT LGDT LIDT SMSW LMSW: /5 and /7 undefined; only SMSW/LMSW take a register.
                guard i + 2 < count else { return .none }
                let m = raw[i + 2], r = (m >> 3) & 7
                if r == 5 || r == 7 { return .invalid }
                if m >= 0xC0 && r != 4 && r != 6 { return .invalid }
                return .none
            case 0x02, 0x03: return cpuStateProtected ? .none : .invalid  // LAR, LSL
            case 0x05, 0x06: return .none  // LOADALL, CLTS
            default: return .invalid
            }
        default: return .none
        }
    }

    /// CR0.PE (the 80286's MSW.PE).
    var cpuStateProtected: Bool { core.pointee.cpu.cr0 & 1 != 0 }

    /// Executes one instruction at CS:RIP.
    func executeOne() throws(CPUException) {
        let ins = try fetchAndDecode()
        let c = core
        let mode = codeMode
        let ipMask: UInt64 = mode == .bits16 ? 0xFFFF : mode == .bits32 ? 0xFFFF_FFFF : ~0
        let next = (c.pointee.cpu.rip &+ UInt64(ins.length)) & ipMask
        c.pointee.nextRIP = next
        switch ins.popekGoldbergClass {
        case .innocuous: break
        case .privileged: c.pointee.privilegedExecuted &+= 1
        case .sensitiveUnprivileged: c.pointee.sensitiveExecuted &+= 1
        }
        // Most instructions fall through to the next; control transfers set RIP themselves.
        c.pointee.cpu.rip = next
        do throws(CPUException) {
            try execute(ins)
        } catch {
            c.pointee.cpu.rip = c.pointee.instructionStart
            throw error
        }
    }

    /// Sets the lazy flags for an arithmetic result.
    @inline(__always) func setFlags(_ op: FlagOp, _ size: UInt8, _ dst: UInt64, _ src: UInt64, _ result: UInt64, carryIn: UInt64 = 0) {
        core.pointee.flags = LazyFlags(op: op, size: size, dst: dst, src: src, result: result, carryIn: carryIn)
    }

    @inline(__always) var carryFlag: Bool { core.pointee.flags.carry(core.pointee.cpu.rflags) }

    /// Evaluates a condition code (SDM Vol. 1, Appendix B): 0 O, 1 NO, 2 B, 3 AE, 4 E, 5 NE, 6 BE,
    /// 7 A, 8 S, 9 NS, A P, B NP, C L, D GE, E LE, F G.
    @inline(__always) func condition(_ cc: UInt8) -> Bool {
        let f = core.pointee.flags
        let r = core.pointee.cpu.rflags
        let v: Bool
        switch cc >> 1 {
        case 0: v = f.overflow(r)
        case 1: v = f.carry(r)
        case 2: v = f.zero(r)
        case 3: v = f.carry(r) || f.zero(r)
        case 4: v = f.sign(r)
        case 5: v = f.parity(r)
        case 6: v = f.sign(r) != f.overflow(r)
        default: v = f.zero(r) || (f.sign(r) != f.overflow(r))
        }
        return cc & 1 == 0 ? v : !v
    }

    /// Sets RIP to a branch target, truncated to the operand size.
    @inline(__always) func jump(_ target: UInt64, size: UInt8) throws(CPUException) {
        let t = target & sizeMask(size)
        if codeMode != .bits64 && model != .i8086 && t > UInt64(core.pointee.cpu.segments.1.limit) {
            throw .generalProtection(0)
        }
        if codeMode == .bits64 {
            let top = Int64(bitPattern: t) >> 47
            if top != 0 && top != -1 { throw .generalProtection(0) }
        }
        core.pointee.cpu.rip = t
    }

    /// Writes RFLAGS as POPF/IRET/SAHF may (SDM Vol. 2, POPF: which bits each mode may change).
    func writeFlags(_ value: UInt64, size: Int, allowIOPL: Bool, allowIF: Bool) {
        commitFlags()
        var changeable: UInt64 = 0x0000_4FD5 | 0x3000  // status, TF, IF, DF, IOPL, NT
        if size >= 4 { changeable |= 0x0024_0000 | 0x1_0000 }  // AC, ID, RF (VM, VIF, VIP only by IRET/task switch)
        if !allowIOPL { changeable &= ~0x3000 }
        if !allowIF { changeable &= ~0x200 }
        if size == 2 { changeable &= 0xFFFF }
        var f = (core.pointee.cpu.rflags & ~changeable) | (value & changeable)
        f = fixedFlags(f)
        core.pointee.cpu.rflags = f
    }

    /// Applies the always-one and always-zero bits of the model's FLAGS.
    @inline(__always) func fixedFlags(_ value: UInt64) -> UInt64 {
        var f = (value | 2) & ~0x28
        switch model {
        case .i8086: f |= 0xF000
        case .i80286: if !protectedMode { f &= ~0xF000 } else { f &= ~0x8000 }
        case .x86_64: f &= 0x3F_7FD7
        }
        return f
    }

    /// RFLAGS as PUSHF and interrupts store it.
    @inline(__always) func flagsImage() -> UInt64 {
        fixedFlags(materializedFlags())
    }
}
