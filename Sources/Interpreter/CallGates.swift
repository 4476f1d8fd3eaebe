import X86State

// Far CALL and JMP through call gates, and far RET to an outer privilege level (SDM Vol. 3, 5.8.2-5.8.6
// "Calling Procedures Using Call Gates", "Returning from a Called Procedure"; Vol. 2, CALL, JMP and
// RET pseudocode).
//
// - Legacy and compatibility-free protected mode: 16-bit (type 4) and 32-bit (type 0Ch) gates. A CALL to
//   a more privileged non-conforming code segment switches to the stack the current TSS names for the
//   target ring, pushes the caller's SS:ESP, copies the gate's parameter count of words or doublewords
//   from the caller's stack, and pushes the return CS:EIP; the gate's size sets the size of every push.
// - IA-32e mode: only 64-bit gates (type 0Ch, 16 bytes; the upper half's type field must be 0) to
//   64-bit code segments. The inner stack is the TSS's RSPn with a null SS (RPL = new CPL); SS, RSP,
//   CS and RIP are pushed as quadwords; there is no parameter copy.
// - JMP through a gate never changes privilege.
//
// Faults leave the CPU state as it was: checks come first, then the state is switched, and the pushes
// onto the new stack restore the old CS, SS and rSP if one faults.

extension Interpreter {
    /// A far CALL or JMP whose selector names a call gate (descriptor `gate`, type 4 or 0Ch).
    func farTransferThroughCallGate(_ gateSelector: UInt16, _ gate: UInt64, call: Bool) throws(CPUException) {
        let gateCode = UInt32(gateSelector & 0xFFFC)
        let longMode = core.pointee.cpu.msr.efer & 0x400 != 0
        let type = (gate >> 40) & 0x1F
        let gateDPL = UInt8((gate >> 45) & 3)
        let pl = cpl
        var target = (gate & 0xFFFF) | ((gate >> 32) & 0xFFFF_0000)
        if longMode {
            // IA-32e mode knows only 64-bit call gates, whose upper 8 bytes have type 0 (SDM Vol. 3, 5.8.3.1).
            if type != 0x0C { throw .generalProtection(gateCode) }
            let high = try readDescriptorUpperHalf(gateSelector)
            if (high >> 40) & 0x1F != 0 { throw .generalProtection(gateCode) }
            target |= (high & 0xFFFF_FFFF) << 32
        } else if type == 0x04 {
            target &= 0xFFFF
        }
        if gateDPL < pl || UInt8(gateSelector & 3) > gateDPL { throw .generalProtection(gateCode) }
        if gate & (1 << 47) == 0 { throw .notPresent(gateCode) }

        let csSelector = UInt16((gate >> 16) & 0xFFFF)
        if csSelector & 0xFFFC == 0 { throw .generalProtection(0) }
        let d = try readDescriptor(csSelector)
        let cs = segmentFromDescriptor(csSelector, d)
        let csCode = UInt32(csSelector & 0xFFFC)
        if cs.attributes & 0x18 != 0x18 || cs.dpl > pl { throw .generalProtection(csCode) }
        if longMode && (!cs.long || cs.defaultBig) { throw .generalProtection(csCode) }
        let conforming = cs.attributes & 4 != 0
        // JMP: conforming DPL <= CPL (checked above) or non-conforming DPL = CPL.
        if !call && !conforming && cs.dpl != pl { throw .generalProtection(csCode) }
        if !cs.present { throw .notPresent(csCode) }

        let morePrivileged = call && !conforming && cs.dpl < pl
        if morePrivileged {
            if longMode {
                try callGateInward64(cs, descriptor: d, target: target)
            } else {
                try callGateInward(cs, descriptor: d, target: target, gate32: type == 0x0C, parameters: Int((gate >> 32) & 0x1F))
            }
            return
        }
        try checkGateTarget(target, cs, longMode: longMode)
        if call {
            // Same privilege: the return address on the current stack, in the gate's size.
            let size = longMode ? 8 : type == 0x0C ? 4 : 2
            try pushFarReturnAddress(core.pointee.cpu.segments.1.selector, core.pointee.nextRIP, size: size)
        }
        try markAccessed(csSelector, d)
        core.pointee.cpu.segments.1 = codeSegmentRegister(cs, selector: csSelector, privilege: pl)
        core.pointee.cpu.rip = target
    }

    /// The gate's target must lie inside the code segment (or be canonical in IA-32e mode): #GP(0).
    func checkGateTarget(_ target: UInt64, _ cs: SegmentRegister, longMode: Bool) throws(CPUException) {
        if longMode {
            if (target &+ (1 << 47)) >> 48 != 0 { throw .generalProtection(0) }
        } else if target > UInt64(cs.limit) {
            throw .generalProtection(0)
        }
    }

    /// The upper 8 bytes of a 16-byte system descriptor (IA-32e call gates): #GP(selector) past the
    /// table's limit.
    func readDescriptorUpperHalf(_ selector: UInt16) throws(CPUException) -> UInt64 {
        let cpu = core.pointee.cpu
        let table = selector & 4 != 0 ? cpu.ldtr : SegmentRegister(selector: 0, base: cpu.gdtr.base, limit: UInt32(cpu.gdtr.limit), attributes: 0)
        let index = UInt64(selector & 0xFFF8) + 8
        if index + 7 > UInt64(table.limit) { throw .generalProtection(UInt32(selector & 0xFFFC)) }
        return try asSupervisor { () throws(CPUException) in try readLinear(table.base &+ index, 8) }
    }

    /// CALL through a 16/32-bit gate to a more privileged non-conforming code segment (SDM Vol. 2,
    /// CALL "MORE-PRIVILEGE"): the inner stack from the TSS, the checks that raise #TS and #SS with the
    /// new SS selector, the parameter copy, the pushes.
    func callGateInward(_ cs: SegmentRegister, descriptor d: UInt64, target: UInt64, gate32: Bool, parameters count: Int) throws(CPUException) {
        let c = core
        let newCPL = cs.dpl
        let tr = c.pointee.cpu.tr
        let trCode = UInt32(tr.selector & 0xFFFC)
        // The TSS's SSn:ESPn (32-bit TSS) or SSn:SPn (16-bit TSS): an implicit supervisor access.
        let (ssSelector, newSP): (UInt16, UInt64) = try asSupervisor { () throws(CPUException) -> (UInt16, UInt64) in
            if tr.attributes & 8 != 0 {
                let offset = UInt64(newCPL) * 8 + 4
                if offset + 5 > UInt64(tr.limit) { throw .invalidTSS(trCode) }
                return (UInt16(try readLinear(tr.base &+ offset &+ 4, 2)), try readLinear(tr.base &+ offset, 4))
            }
            let offset = UInt64(newCPL) * 4 + 2
            if offset + 3 > UInt64(tr.limit) { throw .invalidTSS(trCode) }
            return (UInt16(try readLinear(tr.base &+ offset &+ 2, 2)), try readLinear(tr.base &+ offset, 2))
        }
        var ss = try innerStackSegment(ssSelector, privilege: newCPL)
        let size = gate32 ? 4 : 2
        let room = UInt64((count + 4) * size)
        if !stackHasRoom(ss, newSP, room) { throw .stackFault(UInt32(ssSelector & 0xFFFC)) }
        try checkGateTarget(target, cs, longMode: false)
        // The parameters, from the caller's stack (at the caller's privilege), first one nearest the top.
        let oldSS = c.pointee.cpu.segments.2
        let oldSP = gpr[4]
        var parameters: [UInt64] = []
        parameters.reserveCapacity(count)
        for i in 0..<count { parameters.append(try peekStack(UInt64(i * size), size: size)) }
        // Switch CS and the stack, then push; a fault while pushing puts everything back.
        let oldCS = c.pointee.cpu.segments.1
        let returnIP = c.pointee.nextRIP
        ss.attributes |= 1
        c.pointee.cpu.segments.1 = codeSegmentRegister(cs, selector: cs.selector, privilege: newCPL)
        c.pointee.cpu.segments.2 = ss
        gpr[4] = ss.defaultBig ? newSP & 0xFFFF_FFFF : (oldSP & ~0xFFFF) | (newSP & 0xFFFF)
        do throws(CPUException) {
            try push(UInt64(oldSS.selector), size: size)
            try push(oldSP, size: size)
            for v in parameters.reversed() { try push(v, size: size) }
            try push(UInt64(oldCS.selector), size: size)
            try push(returnIP, size: size)
            try markAccessed(cs.selector, d)
        } catch {
            c.pointee.cpu.segments.1 = oldCS
            c.pointee.cpu.segments.2 = oldSS
            gpr[4] = oldSP
            throw error
        }
        c.pointee.cpu.rip = target
    }

    /// CALL through a 64-bit gate to a more privileged code segment (SDM Vol. 2, CALL, IA-32e mode):
    /// RSP from the TSS's RSPn, SS null with RPL = new CPL, SS:RSP and CS:RIP pushed as quadwords.
    func callGateInward64(_ cs: SegmentRegister, descriptor d: UInt64, target: UInt64) throws(CPUException) {
        let c = core
        let newCPL = cs.dpl
        let tr = c.pointee.cpu.tr
        let offset = UInt64(newCPL) * 8 + 4
        if offset + 7 > UInt64(tr.limit) { throw .invalidTSS(UInt32(tr.selector & 0xFFFC)) }
        let newSP = try asSupervisor { () throws(CPUException) in try readLinear(tr.base &+ offset, 8) }
        if (newSP &+ (1 << 47)) >> 48 != 0 { throw .stackFault(0) }
        try checkGateTarget(target, cs, longMode: true)
        let oldCS = c.pointee.cpu.segments.1
        let oldSS = c.pointee.cpu.segments.2
        let oldSP = gpr[4]
        let returnIP = c.pointee.nextRIP
        c.pointee.cpu.segments.1 = codeSegmentRegister(cs, selector: cs.selector, privilege: newCPL)
        c.pointee.cpu.segments.2 = SegmentRegister(selector: UInt16(newCPL), base: 0, limit: 0xFFFF_FFFF, attributes: 0x493 | UInt16(newCPL) << 5)
        gpr[4] = newSP
        do throws(CPUException) {
            try push(UInt64(oldSS.selector), size: 8)
            try push(oldSP, size: 8)
            try push(UInt64(oldCS.selector), size: 8)
            try push(returnIP, size: 8)
            try markAccessed(cs.selector, d)
        } catch {
            c.pointee.cpu.segments.1 = oldCS
            c.pointee.cpu.segments.2 = oldSS
            gpr[4] = oldSP
            throw error
        }
        c.pointee.cpu.rip = target
    }

    /// The stack segment a call gate switches to (SDM Vol. 2, CALL): null #TS(0); outside the table,
    /// RPL or DPL other than the new CPL, not a writable data segment #TS(selector); absent #SS(selector).
    func innerStackSegment(_ selector: UInt16, privilege pl: UInt8) throws(CPUException) -> SegmentRegister {
        let code = UInt32(selector & 0xFFFC)
        if selector & 0xFFFC == 0 { throw .invalidTSS(0) }
        let d: UInt64
        do throws(CPUException) {
            d = try readDescriptor(selector)
        } catch {
            throw error.vector == 13 ? .invalidTSS(code) : error
        }
        let ss = segmentFromDescriptor(selector, d)
        if UInt8(selector & 3) != pl || ss.dpl != pl || ss.attributes & 0x1A != 0x12 { throw .invalidTSS(code) }
        if !ss.present { throw .stackFault(code) }
        try markAccessed(selector, d)
        return ss
    }

    /// Whether `bytes` can be pushed below `sp` on stack segment `ss` (expand-up or expand-down).
    func stackHasRoom(_ ss: SegmentRegister, _ sp: UInt64, _ bytes: UInt64) -> Bool {
        let mask: UInt64 = ss.defaultBig ? 0xFFFF_FFFF : 0xFFFF
        let low = (sp &- bytes) & mask
        let high = (sp &- 1) & mask
        if low > high { return ss.attributes & 4 == 0 && UInt64(ss.limit) >= mask }  // wraps: only a full segment
        if ss.attributes & 4 != 0 { return low > UInt64(ss.limit) }  // expand-down: above the limit
        return high <= UInt64(ss.limit)
    }

    /// RETF to an outer privilege level (SDM Vol. 2, RET "RETURN-TO-OUTER-PRIVILEGE-LEVEL"): the
    /// return CS (already checked) and rIP, then SS:rSP above the `release` bytes of parameters.
    /// Checks everything before changing anything; data segment registers the new CPL may not use
    /// become null.
    func returnToOuterPrivilege(cs seg: SegmentRegister, descriptor d: UInt64, selector: UInt16, target: UInt64,
                                size n: Int, release: UInt64) throws(CPUException) {
        let c = core
        let rpl = UInt8(selector & 3)
        let longMode = c.pointee.cpu.msr.efer & 0x400 != 0
        let to64 = longMode && seg.long && !seg.defaultBig
        let spOffset = UInt64(2 * n) &+ release
        // #SS(0) unless the whole frame is on the stack (the reads check it).
        let newSP = try peekStack(spOffset, size: n)
        let ssSelector = UInt16(truncatingIfNeeded: try peekStack(spOffset &+ UInt64(n), size: n))
        let ssCode = UInt32(ssSelector & 0xFFFC)
        var ss: SegmentRegister
        if ssSelector & 0xFFFC == 0 {
            // IA-32e mode allows a null SS for a 64-bit CPL 0-2 (SDM Vol. 2, RET).
            if !to64 || rpl == 3 { throw .generalProtection(0) }
            ss = SegmentRegister(selector: ssSelector, base: 0, limit: 0xFFFF_FFFF, attributes: 0x493 | UInt16(rpl) << 5)
        } else {
            let sd = try readDescriptor(ssSelector)
            ss = segmentFromDescriptor(ssSelector, sd)
            if UInt8(ssSelector & 3) != rpl || ss.dpl != rpl || ss.attributes & 0x1A != 0x12 { throw .generalProtection(ssCode) }
            if !ss.present { throw .stackFault(ssCode) }
            try markAccessed(ssSelector, sd)
            ss.attributes |= 1
        }
        try checkGateTarget(target, seg, longMode: to64)
        try markAccessed(selector, d)
        var cs = seg
        cs.attributes |= 1
        c.pointee.cpu.segments.1 = cs
        c.pointee.cpu.segments.2 = ss
        c.pointee.cpu.rip = target
        if n == 8 || to64 || ss.defaultBig {
            gpr[4] = n == 2 ? newSP & 0xFFFF : newSP
        } else {
            gpr[4] = (gpr[4] & ~0xFFFF) | (newSP & 0xFFFF)
        }
        try adjustStack(release)
        invalidateDataSegmentsForOuterRing()
    }
}
