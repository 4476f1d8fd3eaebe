import X86State

extension Interpreter {
    /// Reads the 8-byte descriptor a selector names from the GDT or LDT; #GP(selector) past the limit.
    func readDescriptor(_ selector: UInt16) throws(CPUException) -> UInt64 {
        let cpu = core.pointee.cpu
        let index = UInt64(selector & 0xFFF8)
        let (base, limit): (UInt64, UInt64) = selector & 4 != 0
            ? (cpu.ldtr.base, UInt64(cpu.ldtr.limit)) : (cpu.gdtr.base, UInt64(cpu.gdtr.limit))
        if selector & 4 != 0 && cpu.ldtr.selector & 0xFFFC == 0 { throw .generalProtection(UInt32(selector & 0xFFFC)) }
        if index + 7 > limit { throw .generalProtection(UInt32(selector & 0xFFFC)) }
        // A descriptor-table access is a supervisor-mode access at any CPL (SDM Vol. 3, 4.6.1).
        return try asSupervisor { () throws(CPUException) in try readLinear(base &+ index, 8) }
    }

    /// The hidden-cache form of an 8-byte segment descriptor (SDM Vol. 3, 3.4.5).
    func segmentFromDescriptor(_ selector: UInt16, _ d: UInt64) -> SegmentRegister {
        let base = ((d >> 16) & 0xFF_FFFF) | (((d >> 56) & 0xFF) << 24)
        var limit = UInt32((d & 0xFFFF) | ((d >> 32) & 0xF_0000))
        let attributes = UInt16((d >> 40) & 0xFF) | UInt16((d >> 52) & 0xF) << 8
        if attributes & 0x800 != 0 { limit = (limit << 12) | 0xFFF }
        return SegmentRegister(selector: selector, base: base, limit: limit, attributes: attributes)
    }

    /// Sets the accessed bit of a descriptor in memory if it is clear.
    func markAccessed(_ selector: UInt16, _ d: UInt64) throws(CPUException) {
        guard d & (1 << 40) == 0 else { return }
        let cpu = core.pointee.cpu
        let table = selector & 4 != 0 ? cpu.ldtr.base : cpu.gdtr.base
        try asSupervisor { () throws(CPUException) in try writeLinear(table &+ UInt64(selector & 0xFFF8) &+ 5, 1, ((d >> 40) & 0xFF) | 1) }
    }

    /// The CS register of a far transfer into the code segment `seg`: the selector's RPL is the
    /// privilege the code runs at, and the accessed bit is set (as in the descriptor).
    func codeSegmentRegister(_ seg: SegmentRegister, selector: UInt16, privilege: UInt8) -> SegmentRegister {
        var cs = seg
        cs.selector = (selector & 0xFFFC) | UInt16(privilege)
        cs.attributes |= 1
        return cs
    }

    /// Pushes the return address of a far CALL, CS then the instruction pointer, in `size` bytes each;
    /// RSP is as it was if a push faults.
    func pushFarReturnAddress(_ cs: UInt16, _ ip: UInt64, size: Int) throws(CPUException) {
        let savedSP = gpr[4]
        do throws(CPUException) {
            try push(UInt64(cs), size: size)
            try push(ip, size: size)
        } catch {
            gpr[4] = savedSP
            throw error
        }
    }

    /// Loads a data or stack segment register (MOV/POP Sreg, LDS...): real-mode arithmetic, or the
    /// protected-mode descriptor checks of SDM Vol. 2, MOV ("IF SS is loaded ... IF DS, ES, FS, or GS").
    func loadSegment(_ index: Int, selector: UInt16) throws(CPUException) {
        if !protectedMode {
            var s = core.pointee.cpu[segment: index]
            s.selector = selector
            s.base = UInt64(selector) << 4
            if core.pointee.cpu.rflags & 0x2_0000 != 0 { s.limit = 0xFFFF; s.attributes = 0xF3 }
            core.pointee.cpu[segment: index] = s
            return
        }
        let rpl = UInt8(selector & 3)
        let pl = cpl
        if selector & 0xFFFC == 0 {
            if index == 2 && (codeMode != .bits64 || rpl != pl) { throw .generalProtection(0) }
            var s = SegmentRegister(selector: selector, base: 0, limit: 0, attributes: 0)
            if index >= 4 { s.base = core.pointee.cpu[segment: index].base }
            core.pointee.cpu[segment: index] = s
            return
        }
        let d = try readDescriptor(selector)
        let seg = segmentFromDescriptor(selector, d)
        let type = seg.attributes & 0xF
        let isCode = seg.attributes & 0x10 != 0 && type & 8 != 0
        let code = UInt32(selector & 0xFFFC)
        if seg.attributes & 0x10 == 0 { throw .generalProtection(code) }
        if index == 2 {
            if rpl != pl || isCode || type & 2 == 0 || seg.dpl != pl { throw .generalProtection(code) }
            if !seg.present { throw .stackFault(code) }
        } else {
            if isCode && type & 2 == 0 { throw .generalProtection(code) }
            let conforming = isCode && type & 4 != 0
            if !conforming && (rpl > seg.dpl || pl > seg.dpl) { throw .generalProtection(code) }
            if !seg.present { throw .notPresent(code) }
        }
        try markAccessed(selector, d)
        var loaded = seg
        loaded.attributes |= 1
        core.pointee.cpu[segment: index] = loaded
    }

    /// Loads CS for a far transfer to a code segment at `newCPL` (no gate). Checks the descriptor.
    func codeSegment(_ selector: UInt16, forTransfer: Bool = true) throws(CPUException) -> (SegmentRegister, UInt64) {
        if selector & 0xFFFC == 0 { throw .generalProtection(0) }
        let d = try readDescriptor(selector)
        let seg = segmentFromDescriptor(selector, d)
        return (seg, d)
    }

    /// JMP ptr16:16/32, JMP m16:16/32/64.
    func farJump(selector: UInt16, offset: UInt64, size: UInt8) throws(CPUException) {
        if !protectedMode {
            core.pointee.cpu.segments.1 = realModeCode(selector)
            core.pointee.cpu.rip = offset & sizeMask(size)
            return
        }
        let (seg, d) = try codeSegment(selector)
        let code = UInt32(selector & 0xFFFC)
        guard seg.attributes & 0x10 != 0 else {
            // A system descriptor: TSS or task gate (TaskSwitch.swift).
            try farTransferThroughSystemDescriptor(selector, d, call: false)
            return
        }
        guard seg.attributes & 0x18 == 0x18 else { throw .generalProtection(code) }
        try checkCodeTransfer(seg, selector: selector)
        try markAccessed(selector, d)
        let cs = codeSegmentRegister(seg, selector: selector, privilege: cpl)
        let target = offset & sizeMask(size)
        if !(cs.long && core.pointee.cpu.msr.efer & 0x400 != 0) && target > UInt64(cs.limit) { throw .generalProtection(0) }
        core.pointee.cpu.segments.1 = cs
        core.pointee.cpu.rip = target
    }

    /// CALL ptr16:16/32, CALL m16:16/32/64.
    func farCall(selector: UInt16, offset: UInt64, size: UInt8) throws(CPUException) {
        let cs = core.pointee.cpu.segments.1
        let returnIP = core.pointee.nextRIP
        if !protectedMode {
            try push(UInt64(cs.selector), size: Int(size))
            try push(returnIP, size: Int(size))
            core.pointee.cpu.segments.1 = realModeCode(selector)
            core.pointee.cpu.rip = offset & sizeMask(size)
            return
        }
        let (seg, d) = try codeSegment(selector)
        let code = UInt32(selector & 0xFFFC)
        guard seg.attributes & 0x10 != 0 else {
            try farTransferThroughSystemDescriptor(selector, d, call: true)
            return
        }
        guard seg.attributes & 0x18 == 0x18 else { throw .generalProtection(code) }
        try checkCodeTransfer(seg, selector: selector)
        let target = offset & sizeMask(size)
        let newLong = seg.long && core.pointee.cpu.msr.efer & 0x400 != 0
        if !newLong && target > UInt64(seg.limit) { throw .generalProtection(0) }
        try pushFarReturnAddress(cs.selector, returnIP, size: Int(size))
        try markAccessed(selector, d)
        core.pointee.cpu.segments.1 = codeSegmentRegister(seg, selector: selector, privilege: cpl)
        core.pointee.cpu.rip = target
    }

    /// Same-privilege checks for a direct far JMP/CALL to a code segment (SDM Vol. 3, 5.8.1).
    func checkCodeTransfer(_ seg: SegmentRegister, selector: UInt16) throws(CPUException) {
        let code = UInt32(selector & 0xFFFC)
        let conforming = seg.attributes & 4 != 0
        let rpl = UInt8(selector & 3)
        if conforming {
            if seg.dpl > cpl { throw .generalProtection(code) }
        } else if rpl > cpl || seg.dpl != cpl {
            throw .generalProtection(code)
        }
        if !seg.present { throw .notPresent(code) }
    }

    /// RETF [imm16]: same privilege or to an outer ring (SDM Vol. 2, RET).
    func farReturn(size: UInt8, release: UInt64) throws(CPUException) {
        let n = Int(size)
        let offset = try peekStack(0, size: n)
        let selector = UInt16(truncatingIfNeeded: try peekStack(UInt64(n), size: n))
        if !protectedMode {
            _ = try pop(size: n)
            _ = try pop(size: n)
            core.pointee.cpu.segments.1 = realModeCode(selector)
            core.pointee.cpu.rip = offset & sizeMask(size)
            try adjustStack(release)
            return
        }
        let (seg, d) = try codeSegment(selector)
        let code = UInt32(selector & 0xFFFC)
        let rpl = UInt8(selector & 3)
        if seg.attributes & 0x18 != 0x18 || rpl < cpl { throw .generalProtection(code) }
        if seg.attributes & 4 != 0 ? seg.dpl > rpl : seg.dpl != rpl { throw .generalProtection(code) }
        if !seg.present { throw .notPresent(code) }
        let newLong = seg.long && core.pointee.cpu.msr.efer & 0x400 != 0
        let target = offset & sizeMask(size)
        if !newLong && target > UInt64(seg.limit) { throw .generalProtection(0) }
        if rpl == cpl {
            _ = try pop(size: n)
            _ = try pop(size: n)
            try adjustStack(release)
            try markAccessed(selector, d)
            var cs = seg
            cs.attributes |= 1
            core.pointee.cpu.segments.1 = cs
            core.pointee.cpu.rip = target
            return
        }
        // Return to an outer privilege level: SS:rSP follow the CS:rIP and the released parameters
        // (CallGates.swift).
        try returnToOuterPrivilege(cs: seg, descriptor: d, selector: selector, target: offset & sizeMask(size),
                                   size: n, release: release)
    }

    /// After a return to an outer ring, data segments more privileged than the new CPL become null
    /// (SDM Vol. 2, RET "FOR each of segment register ES, FS, GS, and DS").
    func invalidateDataSegmentsForOuterRing() {
        let pl = cpl
        for i in [0, 3, 4, 5] {
            let s = core.pointee.cpu[segment: i]
            let conformingCode = s.attributes & 0x1C == 0x1C
            if s.attributes & 0x10 != 0 && !conformingCode && s.dpl < pl {
                core.pointee.cpu[segment: i] = SegmentRegister(selector: 0, base: 0, limit: 0, attributes: 0)
            }
        }
    }

    /// CS as a real-mode or virtual-8086 far transfer leaves it.
    func realModeCode(_ selector: UInt16) -> SegmentRegister {
        var cs = core.pointee.cpu.segments.1
        cs.selector = selector
        cs.base = UInt64(selector) << 4
        if core.pointee.cpu.rflags & 0x2_0000 != 0 { cs.limit = 0xFFFF; cs.attributes = 0xF3 }
        return cs
    }
}
