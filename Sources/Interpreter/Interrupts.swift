import X86State

/// Where an interrupt comes from; decides the privilege checks and error-code EXT bit.
enum InterruptKind {
    /// An external interrupt (INTR): no DPL check.
    case external
    /// An exception raised by an instruction: no DPL check.
    case exception
    /// INT n: the gate's DPL must be >= CPL; IOPL-sensitive in virtual-8086 mode.
    case software
    /// INT3, INTO, INT1: DPL-checked like INT n.
    case breakpoint
}

extension Interpreter {
    /// INT n, INT3, INTO, INT1: RIP already points past the instruction, which is what is pushed.
    func softwareInterrupt(_ vector: UInt8, kind: InterruptKind = .software) throws(CPUException) {
        if core.pointee.cpu.rflags & 0x2_0000 != 0 && kind == .software && (core.pointee.cpu.rflags >> 12) & 3 != 3 {
            throw .generalProtection(0)
        }
        try deliverInterrupt(vector: vector, errorCode: nil, kind: kind)
    }

    /// Delivers an interrupt or exception through the IVT (real mode) or the IDT (SDM Vol. 3, 6.12).
    /// The return address is the current RIP (the faulting instruction for faults, the next one for traps).
    func deliverInterrupt(vector: UInt8, errorCode: UInt32?, kind: InterruptKind) throws(CPUException) {
        let c = core
        c.pointee.cpu.halted = false
        c.pointee.eventDelivered = true  // no single-step trap after this instruction (DebugExceptions.swift)
        if c.pointee.cpu.cr0 & 1 == 0 {
            // Real mode: the IVT entry is offset:segment at IDTR.base + 4 * vector (SDM Vol. 3, 20.1.4).
            let entry = UInt64(vector) * 4
            if entry + 3 > UInt64(c.pointee.cpu.idtr.limit) { throw .generalProtection(UInt32(vector) * 8 + 2) }
            let ivt = try readLinear(c.pointee.cpu.idtr.base &+ entry, 4)
            let flags = flagsImage()
            try push(flags, size: 2)
            try push(UInt64(c.pointee.cpu.segments.1.selector), size: 2)
            try push(c.pointee.cpu.rip, size: 2)
            c.pointee.cpu.rflags &= ~0x4_0300  // IF, TF, AC
            c.pointee.cpu.segments.1 = realModeCode(UInt16(ivt >> 16))
            c.pointee.cpu.rip = ivt & 0xFFFF
            return
        }
        // IDT, TSS and descriptor reads are supervisor-mode accesses at any CPL, and so are the pushes
        // onto the stack of the ring the handler runs in (SDM Vol. 3, 4.6.1; handlers for CPL 3,
        // through conforming or DPL-3 code segments, are not told apart).
        try asSupervisor { () throws(CPUException) in
            if c.pointee.cpu.msr.efer & 0x400 != 0 {
                try deliverLongMode(vector: vector, errorCode: errorCode, kind: kind)
            } else {
                try deliverProtectedMode(vector: vector, errorCode: errorCode, kind: kind)
            }
        }
    }

    /// The IDT error code for a fault while delivering through gate `vector`.
    func idtErrorCode(_ vector: UInt8, _ kind: InterruptKind) -> UInt32 {
        UInt32(vector) * 8 + 2 + (kind == .external || kind == .exception ? 1 : 0)
    }

    /// Stack pointer and selector for ring `ring` from the 32-bit TSS (SDM Vol. 3, 7.2.1).
    func tssStack32(_ ring: UInt8) throws(CPUException) -> (UInt16, UInt64) {
        let tr = core.pointee.cpu.tr
        let offset = UInt64(ring) * 8 + 4
        if offset + 7 > UInt64(tr.limit) { throw .invalidTSS(UInt32(tr.selector & 0xFFFC)) }
        let esp = try readLinear(tr.base &+ offset, 4)
        let ss = try readLinear(tr.base &+ offset + 4, 2)
        return (UInt16(ss), esp)
    }

    /// Protected-mode delivery through a 32- or 16-bit interrupt or trap gate.
    func deliverProtectedMode(vector: UInt8, errorCode: UInt32?, kind: InterruptKind) throws(CPUException) {
        let c = core
        let gateOffset = UInt64(vector) * 8
        let ext = idtErrorCode(vector, kind)
        if gateOffset + 7 > UInt64(c.pointee.cpu.idtr.limit) { throw .generalProtection(ext) }
        let gate = try readLinear(c.pointee.cpu.idtr.base &+ gateOffset, 8)
        let type = (gate >> 40) & 0x1F
        let dpl = UInt8((gate >> 45) & 3)
        guard [0x05, 0x06, 0x07, 0x0E, 0x0F].contains(type) else { throw .generalProtection(ext) }
        if (kind == .software || kind == .breakpoint) && dpl < cpl { throw .generalProtection(ext) }
        if gate & (1 << 47) == 0 { throw .notPresent(ext) }
        if type == 0x05 {
            // Task gate: the handler is another task (SDM Vol. 3, 6.12.2).
            let tss = UInt16((gate >> 16) & 0xFFFF)
            if tss & 4 != 0 { throw .invalidTSS(UInt32(tss & 0xFFFC)) }
            let td = try readDescriptor(tss)
            let tt = (td >> 40) & 0x1F
            guard tt == 0x01 || tt == 0x09 else { throw .invalidTSS(UInt32(tss & 0xFFFC)) }
            if td & (1 << 47) == 0 { throw .notPresent(UInt32(tss & 0xFFFC)) }
            try taskSwitch(to: tss, descriptor: td, source: .interrupt(errorCode: errorCode))
            return
        }
        let selector = UInt16((gate >> 16) & 0xFFFF)
        let offset = (gate & 0xFFFF) | ((gate >> 32) & 0xFFFF_0000)
        let is32 = type & 8 != 0
        let size = is32 ? 4 : 2
        if selector & 0xFFFC == 0 { throw .generalProtection(UInt32(kind == .external ? 1 : 0)) }
        let d = try readDescriptor(selector)
        let cs = segmentFromDescriptor(selector, d)
        if cs.attributes & 0x18 != 0x18 || cs.dpl > cpl { throw .generalProtection(UInt32(selector & 0xFFFC)) }
        if !cs.present { throw .notPresent(UInt32(selector & 0xFFFC)) }
        let oldFlags = flagsImage() | (c.pointee.faultResume ? Self.resumeFlag : 0)  // SDM Vol. 3, 17.3.1.1
        let oldCS = c.pointee.cpu.segments.1
        let oldSS = c.pointee.cpu.segments.2
        let oldSP = gpr[4]
        let fromV86 = oldFlags & 0x2_0000 != 0
        let conforming = cs.attributes & 4 != 0
        let newCPL = conforming ? cpl : cs.dpl
        if newCPL < cpl || fromV86 {
            // Inter-privilege: switch to the inner stack from the TSS.
            let (ssSel, sp) = try tssStack32(newCPL)
            let ssDesc = try readDescriptor(ssSel)
            var ss = segmentFromDescriptor(ssSel, ssDesc)
            ss.attributes |= 1
            var newCS = cs
            newCS.selector = (selector & 0xFFFC) | UInt16(newCPL)
            newCS.attributes |= 1
            c.pointee.cpu.segments.1 = newCS
            c.pointee.cpu.segments.2 = ss
            c.pointee.cpu.rflags &= ~0x2_0000
            gpr[4] = ss.defaultBig ? sp : (gpr[4] & ~0xFFFF) | (sp & 0xFFFF)
            do throws(CPUException) {
                if fromV86 {
                    for i in [5, 4, 3, 0] { try push(UInt64(c.pointee.cpu[segment: i].selector), size: size) }
                }
                try push(UInt64(oldSS.selector), size: size)
                try push(oldSP, size: size)
                try push(oldFlags, size: size)
                try push(UInt64(oldCS.selector), size: size)
                try push(c.pointee.cpu.rip, size: size)
                if let e = errorCode { try push(UInt64(e), size: size) }
            } catch {
                c.pointee.cpu.segments.1 = oldCS
                c.pointee.cpu.segments.2 = oldSS
                gpr[4] = oldSP
                c.pointee.cpu.rflags = oldFlags & ~(c.pointee.faultResume ? Self.resumeFlag : 0)  // RF was only in the image
                throw error
            }
            if fromV86 {
                for i in [0, 3, 4, 5] { c.pointee.cpu[segment: i] = SegmentRegister(selector: 0, base: 0, limit: 0, attributes: 0) }
            }
        } else {
            do throws(CPUException) {
                try push(oldFlags, size: size)
                try push(UInt64(oldCS.selector), size: size)
                try push(c.pointee.cpu.rip, size: size)
                if let e = errorCode { try push(UInt64(e), size: size) }
            } catch {
                gpr[4] = oldSP
                throw error
            }
            var newCS = cs
            newCS.selector = (selector & 0xFFFC) | UInt16(newCPL)
            newCS.attributes |= 1
            c.pointee.cpu.segments.1 = newCS
        }
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = oldFlags & ~UInt64(0x3_4100)  // TF, NT, RF, VM
        if type & 1 == 0 { c.pointee.cpu.rflags &= ~0x200 }  // interrupt gate clears IF
        c.pointee.cpu.rip = is32 ? offset : offset & 0xFFFF
    }

    /// IA-32e delivery through a 16-byte 64-bit gate, with IST (SDM Vol. 3, 6.14).
    func deliverLongMode(vector: UInt8, errorCode: UInt32?, kind: InterruptKind) throws(CPUException) {
        let c = core
        let gateOffset = UInt64(vector) * 16
        let ext = idtErrorCode(vector, kind)
        if gateOffset + 15 > UInt64(c.pointee.cpu.idtr.limit) { throw .generalProtection(ext) }
        let low = try readLinear(c.pointee.cpu.idtr.base &+ gateOffset, 8)
        let high = try readLinear(c.pointee.cpu.idtr.base &+ gateOffset + 8, 8)
        let type = (low >> 40) & 0x1F
        let dpl = UInt8((low >> 45) & 3)
        guard type == 0x0E || type == 0x0F else { throw .generalProtection(ext) }
        if (kind == .software || kind == .breakpoint) && dpl < cpl { throw .generalProtection(ext) }
        if low & (1 << 47) == 0 { throw .notPresent(ext) }
        let selector = UInt16((low >> 16) & 0xFFFF)
        let target = (low & 0xFFFF) | ((low >> 32) & 0xFFFF_0000) | (high << 32)
        let ist = Int((low >> 32) & 7)
        let d = try readDescriptor(selector)
        let cs = segmentFromDescriptor(selector, d)
        if cs.attributes & 0x18 != 0x18 || !cs.long || cs.defaultBig || cs.dpl > cpl {
            throw .generalProtection(UInt32(selector & 0xFFFC))
        }
        if !cs.present { throw .notPresent(UInt32(selector & 0xFFFC)) }
        let oldFlags = flagsImage() | (c.pointee.faultResume ? Self.resumeFlag : 0)  // SDM Vol. 3, 17.3.1.1
        let oldCS = c.pointee.cpu.segments.1
        let oldSS = c.pointee.cpu.segments.2
        let oldSP = gpr[4]
        let newCPL = cs.attributes & 4 != 0 ? cpl : cs.dpl
        var sp = oldSP
        let tr = c.pointee.cpu.tr
        if ist != 0 {
            sp = try readLinear(tr.base &+ 0x24 &+ UInt64(ist - 1) * 8, 8)
        } else if newCPL < cpl {
            sp = try readLinear(tr.base &+ 4 &+ UInt64(newCPL) * 8, 8)
        }
        sp &= ~0xF  // the stack is aligned to 16 bytes (SDM Vol. 3, 6.14.2)
        var frame: [UInt64] = [UInt64(oldSS.selector), oldSP, oldFlags, UInt64(oldCS.selector), c.pointee.cpu.rip]
        if let e = errorCode { frame.append(UInt64(e)) }
        for v in frame {
            sp &-= 8
            try writeLinear(sp, 8, v)
        }
        if newCPL < cpl {
            c.pointee.cpu.segments.2 = SegmentRegister(selector: UInt16(newCPL), base: 0, limit: 0xFFFF_FFFF, attributes: 0x493 | UInt16(newCPL) << 5)
        }
        var newCS = cs
        newCS.selector = (selector & 0xFFFC) | UInt16(newCPL)
        newCS.attributes |= 1
        c.pointee.cpu.segments.1 = newCS
        gpr[4] = sp
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = oldFlags & ~UInt64(0x3_4100)
        if type & 1 == 0 { c.pointee.cpu.rflags &= ~0x200 }
        c.pointee.cpu.rip = target
    }

    /// IRET/IRETD/IRETQ (SDM Vol. 2, IRET): real mode, same or outer privilege, and 64-bit mode.
    func interruptReturn(size: UInt8) throws(CPUException) {
        let c = core
        let n = Int(size)
        if !protectedMode && c.pointee.cpu.rflags & 0x2_0000 == 0 {
            let ip = try peekStack(0, size: n)
            let cs = try peekStack(UInt64(n), size: n)
            let flags = try peekStack(UInt64(2 * n), size: n)
            if n == 4 && ip > 0xFFFF { throw .generalProtection(0) }
            for _ in 0..<3 { _ = try pop(size: n) }
            c.pointee.cpu.segments.1 = realModeCode(UInt16(truncatingIfNeeded: cs))
            c.pointee.cpu.rip = ip
            writeFlags(flags, size: n, allowIOPL: true, allowIF: true)
            if n == 4 { c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~0x1A_0000) | (flags & 0x1A_0000) }
            return
        }
        if c.pointee.cpu.rflags & 0x2_0000 != 0 {
            // Virtual-8086 mode: IRET is IOPL-sensitive.
            if (c.pointee.cpu.rflags >> 12) & 3 != 3 { throw .generalProtection(0) }
            let ip = try peekStack(0, size: n)
            let cs = try peekStack(UInt64(n), size: n)
            let flags = try peekStack(UInt64(2 * n), size: n)
            for _ in 0..<3 { _ = try pop(size: n) }
            c.pointee.cpu.segments.1 = realModeCode(UInt16(truncatingIfNeeded: cs))
            c.pointee.cpu.rip = ip & 0xFFFF
            writeFlags(flags, size: n, allowIOPL: false, allowIF: true)
            return
        }
        if c.pointee.cpu.rflags & 0x4000 != 0 && codeMode != .bits64 {
            // Nested task: return to the task in the back-link field (SDM Vol. 3, 7.3).
            let link = UInt16(try readLinear(c.pointee.cpu.tr.base, 2))
            if link & 4 != 0 || link & 0xFFFC == 0 { throw .invalidTSS(UInt32(link & 0xFFFC)) }
            let d = try readDescriptor(link)
            let t = (d >> 40) & 0x1F
            guard t == 0x03 || t == 0x0B else { throw .invalidTSS(UInt32(link & 0xFFFC)) }
            try taskSwitch(to: link, descriptor: d, source: .interruptReturn)
            return
        }
        let ip = try peekStack(0, size: n)
        let selector = UInt16(truncatingIfNeeded: try peekStack(UInt64(n), size: n))
        let flags = try peekStack(UInt64(2 * n), size: n)
        let oldCPL = cpl
        if flags & 0x2_0000 != 0 && oldCPL == 0 && n == 4 {
            // Return to virtual-8086 mode.
            let sp = try peekStack(12, size: 4)
            let ss = try peekStack(16, size: 4)
            let es = try peekStack(20, size: 4), ds = try peekStack(24, size: 4)
            let fs = try peekStack(28, size: 4), gs = try peekStack(32, size: 4)
            c.pointee.flags.op = .none
            c.pointee.cpu.rflags = fixedFlags(flags)
            let sels = [es, c.pointee.cpu.segments.1.selector == 0 ? 0 : 0, ss, ds, fs, gs]
            for (i, s) in sels.enumerated() where i != 1 {
                c.pointee.cpu[segment: i] = SegmentRegister(selector: UInt16(truncatingIfNeeded: s), base: (s & 0xFFFF) << 4, limit: 0xFFFF, attributes: 0xF3)
            }
            c.pointee.cpu.segments.1 = SegmentRegister(selector: selector, base: UInt64(selector) << 4, limit: 0xFFFF, attributes: 0xF3)
            c.pointee.cpu.rip = ip & 0xFFFF
            gpr[4] = sp & 0xFFFF
            return
        }
        let (seg, d) = try codeSegment(selector)
        let code = UInt32(selector & 0xFFFC)
        let rpl = UInt8(selector & 3)
        if seg.attributes & 0x18 != 0x18 || rpl < oldCPL { throw .generalProtection(code) }
        if seg.attributes & 4 != 0 ? seg.dpl > rpl : seg.dpl != rpl { throw .generalProtection(code) }
        if !seg.present { throw .notPresent(code) }
        let is64 = codeMode == .bits64
        var newSP: UInt64 = 0, newSS: UInt16 = 0
        let outer = rpl > oldCPL || is64
        if outer {
            newSP = try peekStack(UInt64(3 * n), size: n)
            newSS = UInt16(truncatingIfNeeded: try peekStack(UInt64(4 * n), size: n))
        }
        try markAccessed(selector, d)
        var cs = seg
        cs.attributes |= 1
        let iopl = UInt8((c.pointee.cpu.rflags >> 12) & 3)
        if !outer {
            for _ in 0..<3 { _ = try pop(size: n) }
        }
        let oldCS = c.pointee.cpu.segments.1
        c.pointee.cpu.segments.1 = cs
        if outer {
            // The new SS is checked at the new CPL (RPL of the CS selector) before anything is
            // committed: a #GP or #SS on it leaves CS, RIP, RFLAGS and RSP those of the IRET.
            do throws(CPUException) {
                if is64 && newSS & 0xFFFC == 0 && rpl != 3 {
                    c.pointee.cpu.segments.2 = SegmentRegister(selector: newSS, base: 0, limit: 0xFFFF_FFFF, attributes: 0x493 | UInt16(rpl) << 5)
                } else {
                    try loadSegment(2, selector: newSS)
                }
            } catch {
                c.pointee.cpu.segments.1 = oldCS
                throw error
            }
            gpr[4] = n == 2 ? (gpr[4] & ~0xFFFF) | (newSP & 0xFFFF) : newSP
        }
        c.pointee.cpu.rip = ip & sizeMask(size)
        writeFlags(flags, size: n, allowIOPL: oldCPL == 0, allowIF: oldCPL <= iopl)
        if n >= 4 && oldCPL == 0 { c.pointee.cpu.rflags = (c.pointee.cpu.rflags & ~0x18_0000) | (flags & 0x18_0000) }
        if outer && rpl > oldCPL { invalidateDataSegmentsForOuterRing() }
    }
}
