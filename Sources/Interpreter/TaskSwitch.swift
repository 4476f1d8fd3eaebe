import X86State

/// What started a task switch (SDM Vol. 3, 7.3 "Task Switching"): it decides the busy-bit,
/// back-link and NT handling.
enum TaskSwitchSource {
    /// JMP to a TSS descriptor or task gate: the old task stops being busy.
    case jump
    /// CALL to a TSS or task gate: nested, the new task links back to the old.
    case call
    /// An interrupt or exception through a task gate: nested, with an optional error code to push.
    case interrupt(errorCode: UInt32?)
    /// IRET with NT set: back to the task in the back-link field.
    case interruptReturn
}

extension Interpreter {
    /// A far JMP/CALL whose selector names a system descriptor: a call gate (CallGates.swift), a TSS
    /// or a task gate.
    func farTransferThroughSystemDescriptor(_ selector: UInt16, _ d: UInt64, call: Bool) throws(CPUException) {
        let code = UInt32(selector & 0xFFFC)
        let type = (d >> 40) & 0x1F
        if type == 0x04 || type == 0x0C {
            try farTransferThroughCallGate(selector, d, call: call)
            return
        }
        let dpl = UInt8((d >> 45) & 3)
        let rpl = UInt8(selector & 3)
        guard codeMode != .bits64 else { throw .generalProtection(code) }  // no tasks in IA-32e mode
        switch type {
        case 0x01, 0x09:  // available 16/32-bit TSS
            if dpl < cpl || dpl < rpl { throw .generalProtection(code) }
            if d & (1 << 47) == 0 { throw .notPresent(code) }
            try taskSwitch(to: selector, descriptor: d, source: call ? .call : .jump)
        case 0x05:  // task gate
            if dpl < cpl || dpl < rpl { throw .generalProtection(code) }
            if d & (1 << 47) == 0 { throw .notPresent(code) }
            let tss = UInt16((d >> 16) & 0xFFFF)
            if tss & 4 != 0 { throw .generalProtection(UInt32(tss & 0xFFFC)) }
            let td = try readDescriptor(tss)
            let tt = (td >> 40) & 0x1F
            guard tt == 0x01 || tt == 0x09 else { throw .generalProtection(UInt32(tss & 0xFFFC)) }
            if td & (1 << 47) == 0 { throw .notPresent(UInt32(tss & 0xFFFC)) }
            try taskSwitch(to: tss, descriptor: td, source: call ? .call : .jump)
        default:
            throw .generalProtection(code)
        }
    }

    /// Switches to the task whose TSS descriptor is `d` (SDM Vol. 3, 7.3, steps 1-14).
    func taskSwitch(to newSelector: UInt16, descriptor d: UInt64, source: TaskSwitchSource) throws(CPUException) {
        let c = core
        let newTSS = segmentFromDescriptor(newSelector, d)
        let newType = newTSS.attributes & 0xF
        let new32 = newType & 8 != 0
        let busy = newType & 2 != 0
        let newCode = UInt32(newSelector & 0xFFFC)
        if case .interruptReturn = source {
            if !busy { throw .invalidTSS(newCode) }
        } else if busy {
            throw .generalProtection(newCode)
        }
        if newTSS.limit < (new32 ? 0x67 : 0x2B) { throw .invalidTSS(newCode) }

        // Save the current state into the old TSS.
        let old = c.pointee.cpu.tr
        let old32 = old.attributes & 8 != 0
        var flags = flagsImage()
        if case .interruptReturn = source { flags &= ~0x4000 }
        if old32 {
            try writeLinear(old.base &+ 0x20, 4, c.pointee.cpu.rip & 0xFFFF_FFFF)
            try writeLinear(old.base &+ 0x24, 4, flags & 0xFFFF_FFFF)
            for r in 0..<8 { try writeLinear(old.base &+ 0x28 &+ UInt64(r) * 4, 4, gpr[r] & 0xFFFF_FFFF) }
            for s in 0..<6 { try writeLinear(old.base &+ 0x48 &+ UInt64(s) * 4, 2, UInt64(c.pointee.cpu[segment: s].selector)) }
        } else {
            try writeLinear(old.base &+ 0x0E, 2, c.pointee.cpu.rip & 0xFFFF)
            try writeLinear(old.base &+ 0x10, 2, flags & 0xFFFF)
            for r in 0..<8 { try writeLinear(old.base &+ 0x12 &+ UInt64(r) * 2, 2, gpr[r] & 0xFFFF) }
            for s in 0..<4 { try writeLinear(old.base &+ 0x22 &+ UInt64(s) * 2, 2, UInt64(c.pointee.cpu[segment: s].selector)) }
        }
        // Busy bits and the back-link.
        let gdt = c.pointee.cpu.gdtr.base
        switch source {
        case .jump, .interruptReturn:
            let a = gdt &+ UInt64(old.selector & 0xFFF8) &+ 5
            try writeLinear(a, 1, try readLinear(a, 1) & ~2)
        case .call, .interrupt:
            try writeLinear(newTSS.base, 2, UInt64(old.selector))
        }
        if case .interruptReturn = source {} else {
            let a = gdt &+ UInt64(newSelector & 0xFFF8) &+ 5
            try writeLinear(a, 1, try readLinear(a, 1) | 2)
        }

        // Read the new task's state.
        let b = newTSS.base
        var eip: UInt64, eflags: UInt64, cr3: UInt64 = c.pointee.cpu.cr3
        var regs = [UInt64](repeating: 0, count: 8)
        var sels = [UInt16](repeating: 0, count: 6)
        let ldt: UInt16
        if new32 {
            cr3 = try readLinear(b &+ 0x1C, 4)
            eip = try readLinear(b &+ 0x20, 4)
            eflags = try readLinear(b &+ 0x24, 4)
            for r in 0..<8 { regs[r] = try readLinear(b &+ 0x28 &+ UInt64(r) * 4, 4) }
            for s in 0..<6 { sels[s] = UInt16(try readLinear(b &+ 0x48 &+ UInt64(s) * 4, 2)) }
            ldt = UInt16(try readLinear(b &+ 0x60, 2))
        } else {
            eip = try readLinear(b &+ 0x0E, 2)
            eflags = (c.pointee.cpu.rflags & ~0xFFFF) | (try readLinear(b &+ 0x10, 2))
            for r in 0..<8 { regs[r] = (gpr[r] & ~0xFFFF) | (try readLinear(b &+ 0x12 &+ UInt64(r) * 2, 2)) }
            for s in 0..<4 { sels[s] = UInt16(try readLinear(b &+ 0x22 &+ UInt64(s) * 2, 2)) }
            ldt = UInt16(try readLinear(b &+ 0x2A, 2))
        }
        switch source {
        case .call, .interrupt: eflags |= 0x4000
        default: break
        }

        // Commit: from here on faults belong to the new task (SDM Vol. 3, 7.3 step 12).
        var tr = newTSS
        tr.attributes |= 2
        c.pointee.cpu.tr = tr
        c.pointee.cpu.cr0 |= 8  // TS
        if new32 && c.pointee.cpu.cr0 & 0x8000_0000 != 0 { loadCR3ForTaskSwitch(cr3) }
        c.pointee.flags.op = .none
        c.pointee.cpu.rflags = fixedFlags(eflags)
        for r in 0..<8 { gpr[r] = new32 ? regs[r] & 0xFFFF_FFFF : regs[r] }
        c.pointee.cpu.rip = eip
        // Selectors first with empty caches, so a fault while loading leaves the new task's values.
        for s in 0..<6 {
            var seg = SegmentRegister(selector: sels[s], base: 0, limit: 0, attributes: 0)
            if s == 1 || !new32 && s >= 4 { seg = c.pointee.cpu[segment: s]; seg.selector = s == 1 ? sels[1] : seg.selector }
            c.pointee.cpu[segment: s] = seg
        }
        // LDTR.
        if ldt & 0xFFFC == 0 {
            c.pointee.cpu.ldtr = SegmentRegister(selector: ldt, base: 0, limit: 0, attributes: 0)
        } else {
            if ldt & 4 != 0 { throw .invalidTSS(UInt32(ldt & 0xFFFC)) }
            let ld = try readDescriptor(ldt)
            let l = segmentFromDescriptor(ldt, ld)
            if l.attributes & 0x1F != 0x02 { throw .invalidTSS(UInt32(ldt & 0xFFFC)) }
            if !l.present { throw .invalidTSS(UInt32(ldt & 0xFFFC)) }
            c.pointee.cpu.ldtr = l
        }
        if eflags & 0x2_0000 != 0 {
            // Into virtual-8086 mode: every segment is real-mode style.
            for s in 0..<6 {
                c.pointee.cpu[segment: s] = SegmentRegister(selector: sels[s], base: UInt64(sels[s]) << 4, limit: 0xFFFF, attributes: 0xF3)
            }
        } else {
            // CS: a present code segment; its RPL is the new CPL.
            let csSel = sels[1]
            if csSel & 0xFFFC == 0 { throw .invalidTSS(0) }
            let cd = try readDescriptor(csSel)
            var cs = segmentFromDescriptor(csSel, cd)
            if cs.attributes & 0x18 != 0x18 { throw .invalidTSS(UInt32(csSel & 0xFFFC)) }
            let rpl = UInt8(csSel & 3)
            if cs.attributes & 4 != 0 ? cs.dpl > rpl : cs.dpl != rpl { throw .invalidTSS(UInt32(csSel & 0xFFFC)) }
            if !cs.present { throw .notPresent(UInt32(csSel & 0xFFFC)) }
            cs.attributes |= 1
            c.pointee.cpu.segments.1 = cs
            // SS and the data segments, with the ordinary checks at the new CPL; failures are #TS.
            for s in [2, 0, 3, 4, 5] where s < 4 || new32 {
                do throws(CPUException) {
                    try loadSegment(s, selector: sels[s])
                } catch {
                    throw error.vector == 13 || error.vector == 12 ? .invalidTSS(UInt32(sels[s] & 0xFFFC)) : error
                }
            }
        }
        if case .interrupt(let e?) = source {
            try push(UInt64(e), size: new32 ? 4 : 2)
        }
    }

    /// CR3 for the new task. Goes through the same path as MOV CR3 (minus the CPL check), so any
    /// translation caches are flushed.
    func loadCR3ForTaskSwitch(_ value: UInt64) {
        core.pointee.cpu.cr3 = value & 0xFFFF_FFFF
        flushTranslations(global: false)
    }
}
