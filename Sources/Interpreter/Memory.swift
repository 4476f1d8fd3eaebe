import X86State

/// How memory is accessed, for protection checks and page-fault error codes.
enum AccessKind {
    case read, write, execute
}

extension Interpreter {
    // MARK: - Physical memory

    /// Reads `size` bytes (1, 2, 4, 8) of guest physical memory: RAM, or the platform's MMIO.
    @inline(__always) func readPhysical(_ pa: UInt64, _ size: Int) -> UInt64 {
        let a = pa & physicalMask
        if isRAM(a, UInt64(size)) {  // RAM below and above the 32-bit hole (RAMLayout.swift)
            // SAFETY: [a, a + size) is RAM, inside the mapping; loadUnaligned tolerates any alignment.
            let p = ramBase + Int(a)
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        core.pointee.pollPlatform = true  // a device access may raise an interrupt or end the run
        return platform.mmioRead(a, size: size)
    }

    /// Writes guest physical memory.
    @inline(__always) func writePhysical(_ pa: UInt64, _ size: Int, _ value: UInt64) {
        let a = pa & physicalMask
        if isRAM(a, UInt64(size)) {  // RAM below and above the 32-bit hole (RAMLayout.swift)
            // Self-modifying code: a write to a page holding decoded code drops that code.
            let cc = code
            if cc.pointee.isCodePage(a >> 12) { codePageWritten(a >> 12) }
            if size > 1, cc.pointee.isCodePage((a &+ UInt64(size) &- 1) >> 12) { codePageWritten((a &+ UInt64(size) &- 1) >> 12) }
            // SAFETY: [a, a + size) is RAM, inside the mapping.
            let p = ramBase + Int(a)
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
            default: p.storeBytes(of: value, as: UInt64.self)
            }
            return
        }
        core.pointee.pollPlatform = true
        platform.mmioWrite(a, size: size, value: value)
    }

    // MARK: - Linear memory (paging)

    /// Walks the page tables for a linear address (SDM Vol. 3, chapter 4 "Paging"), setting accessed
    /// and dirty bits, or raises #PF with CR2 set. `walk` receives what the software TLB needs to
    /// cache the translation (`translate` in SoftTLB.swift is the entry point; paging must be on).
    func pageWalk(_ linear: UInt64, _ access: AccessKind, _ walk: inout PageWalk) throws(CPUException) -> UInt64 {
        let cpu = core.pointee.cpu
        let user = userAccess  // CPL 3, unless an implicit supervisor-mode access (SDM Vol. 3, 4.6.1)
        let write = access == .write
        let wp = cpu.cr0 & 0x1_0000 != 0
        let nxe = cpu.msr.efer & 0x800 != 0
        func fault(_ present: Bool, reserved: Bool = false) -> CPUException {
            core.pointee.cpu.cr2 = linear
            var code: UInt32 = present ? 1 : 0
            if write { code |= 2 }
            if user { code |= 4 }
            if reserved { code |= 8 }
            // I/D: instruction fetches, when XD (PAE/4-level with NXE) or SMEP can fault them (SDM Vol. 3, 4.7).
            if access == .execute && ((nxe && cpu.cr4 & 0x20 != 0) || cpu.cr4 & 0x10_0000 != 0) { code |= 0x10 }
            return .pageFault(code)
        }
        var userOK = true, writeOK = true, executeOK = true
        // The addresses of the entries used, in walk order (at most 4; no allocation).
        var entryAddresses: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var entryCount = 0
        func used(_ a: UInt64) {
            switch entryCount {
            case 0: entryAddresses.0 = a
            case 1: entryAddresses.1 = a
            case 2: entryAddresses.2 = a
            default: entryAddresses.3 = a
            }
            entryCount += 1
        }
        var pageBase: UInt64 = 0
        var pageMask: UInt64 = 0xFFF
        if cpu.cr4 & 0x20 != 0 {
            // PAE or 4-level paging: 8-byte entries.
            let longMode = cpu.msr.efer & 0x400 != 0
            var table: UInt64
            // Levels from the top: 4-level paging 39, 30, 21, 12; PAE (after the PDPTE) 21, 12.
            let firstShift: Int
            if longMode {
                table = cpu.cr3 & 0x000F_FFFF_FFFF_F000
                firstShift = 39
            } else {
                let pdpteAddress = (cpu.cr3 & 0xFFFF_FFE0) + ((linear >> 30) & 3) * 8
                let pdpte = readPhysical(pdpteAddress, 8)
                if pdpte & 1 == 0 { throw fault(false) }
                table = pdpte & 0x000F_FFFF_FFFF_F000
                firstShift = 21
            }
            for shift in stride(from: firstShift, through: 12, by: -9) {
                let address = table + ((linear >> UInt64(shift)) & 0x1FF) * 8
                let e = readPhysical(address, 8)
                if e & 1 == 0 { throw fault(false) }
                if e & 2 == 0 { writeOK = false }
                if e & 4 == 0 { userOK = false }
                if nxe && e & (1 << 63) != 0 { executeOK = false }
                used(address)
                let last = shift == 12
                if !last && (shift == 21 || shift == 30) && e & 0x80 != 0 {
                    pageMask = (1 << UInt64(shift)) - 1
                    pageBase = e & 0x000F_FFFF_FFFF_F000 & ~pageMask
                    break
                }
                if last {
                    pageBase = e & 0x000F_FFFF_FFFF_F000
                } else {
                    table = e & 0x000F_FFFF_FFFF_F000
                }
            }
        } else {
            // 32-bit paging: 4-byte entries; 4 MiB pages with CR4.PSE.
            let pdeAddress = (cpu.cr3 & 0xFFFF_F000) + ((linear >> 22) & 0x3FF) * 4
            let pde = readPhysical(pdeAddress, 4)
            if pde & 1 == 0 { throw fault(false) }
            if pde & 2 == 0 { writeOK = false }
            if pde & 4 == 0 { userOK = false }
            used(pdeAddress)
            if pde & 0x80 != 0 && cpu.cr4 & 0x10 != 0 {
                pageMask = 0x3F_FFFF
                pageBase = (pde & 0xFFC0_0000) | ((pde & 0x1_E000) << 19)
            } else {
                let pteAddress = (pde & 0xFFFF_F000) + ((linear >> 12) & 0x3FF) * 4
                let pte = readPhysical(pteAddress, 4)
                if pte & 1 == 0 { throw fault(false) }
                if pte & 2 == 0 { writeOK = false }
                if pte & 4 == 0 { userOK = false }
                used(pteAddress)
                pageBase = pte & 0xFFFF_F000
            }
        }
        if user && !userOK { throw fault(true) }
        // Supervisor-mode accesses to user-mode pages: SMEP and SMAP (SDM Vol. 3, 4.6.1).
        let smep = !user && userOK && cpu.cr4 & 0x10_0000 != 0
        let smap = !user && userOK && cpu.cr4 & 0x20_0000 != 0
        if smep && access == .execute { throw fault(true) }
        if smap && access != .execute && !smapAllowsData { throw fault(true) }
        if write && !writeOK && (user || wp) { throw fault(true) }
        if access == .execute && !executeOK { throw fault(true) }
        // Accessed bits on every level, dirty on the last on a write (SDM Vol. 3, 4.8).
        let entrySize = cpu.cr4 & 0x20 != 0 ? 8 : 4
        var leaf: UInt64 = 0
        for i in 0..<entryCount {
            let a = i == 0 ? entryAddresses.0 : i == 1 ? entryAddresses.1 : i == 2 ? entryAddresses.2 : entryAddresses.3
            var e = readPhysical(a, entrySize)
            var updated = e | 0x20
            if i == entryCount - 1 && write { updated |= 0x40 }
            if updated != e { e = updated; writePhysical(a, entrySize, e) }
            leaf = e
        }
        walk.writable = (user ? userOK && writeOK : writeOK || !wp) && !smap
        walk.executable = (!user || userOK) && executeOK && !smep
        // Whether a supervisor access may read depends on RFLAGS.AC under SMAP: no cached entry.
        walk.readable = !smap
        walk.dirty = leaf & 0x40 != 0
        walk.global = leaf & 0x100 != 0 && cpu.cr4 & 0x80 != 0
        walk.large = pageMask != 0xFFF
        return pageBase | (linear & pageMask)
    }

    /// Reads linear memory, splitting accesses that cross a page.
    @inline(__always)
    func readLinear(_ linear: UInt64, _ size: Int, _ access: AccessKind = .read) throws(CPUException) -> UInt64 {
        if _slowPath(core.pointee.watchingBreakpoints) && access != .execute { noteDataAccess(linear, size, write: false) }
        if core.pointee.cpu.cr0 & 0x8000_0000 == 0 { return readPhysical(linear, size) }
        // The software TLB: one compare (also false for an access crossing into the next page).
        let e = tlbEntries[SoftTLB.index(linear, user: userAccess)]
        if (access == .execute ? e.execute : e.read) == (linear &+ UInt64(size &- 1)) & ~0xFFF {
            return hostLoad(e.addend &+ linear, size)
        }
        return try readLinearSlow(linear, size, access)
    }

    /// `readLinear` after a TLB miss: walks, and splits accesses that cross a page.
    @inline(never)
    func readLinearSlow(_ linear: UInt64, _ size: Int, _ access: AccessKind) throws(CPUException) -> UInt64 {
        if (linear & 0xFFF) &+ UInt64(size) <= 0x1000 {
            return readPhysical(try translate(linear, access), size)
        }
        var v: UInt64 = 0
        for i in 0..<size {
            let pa = try translate(linear &+ UInt64(i), access)
            v |= readPhysical(pa, 1) << (8 * UInt64(i))
        }
        return v
    }

    /// Writes linear memory; a write that crosses a page checks both pages before writing either.
    @inline(__always)
    func writeLinear(_ linear: UInt64, _ size: Int, _ value: UInt64) throws(CPUException) {
        if _slowPath(core.pointee.watchingBreakpoints) { noteDataAccess(linear, size, write: true) }
        if core.pointee.cpu.cr0 & 0x8000_0000 == 0 { writePhysical(linear, size, value); return }
        let e = tlbEntries[SoftTLB.index(linear, user: userAccess)]
        if e.write == (linear &+ UInt64(size &- 1)) & ~0xFFF {
            hostStore(e.addend &+ linear, size, value)
            return
        }
        try writeLinearSlow(linear, size, value)
    }

    /// `writeLinear` after a TLB miss (or to a code page): walks, and checks both pages of an access
    /// that crosses a page before writing either.
    @inline(never)
    func writeLinearSlow(_ linear: UInt64, _ size: Int, _ value: UInt64) throws(CPUException) {
        if (linear & 0xFFF) &+ UInt64(size) <= 0x1000 {
            writePhysical(try translate(linear, .write), size, value)
            return
        }
        let first = try translate(linear, .write)
        let second = try translate((linear | 0xFFF) &+ 1, .write)
        let n = Int(0x1000 - (linear & 0xFFF))
        for i in 0..<size {
            let pa = i < n ? first &+ UInt64(i) : second &+ UInt64(i - n)
            writePhysical(pa, 1, (value >> (8 * UInt64(i))) & 0xFF)
        }
    }

    // MARK: - Segmented memory

    /// The linear address of `segment:offset` after the segment checks (SDM Vol. 3, 5.3 "Limit
    /// Checking"; 3.4.4 for 64-bit mode). Stack-segment violations raise #SS, others #GP.
    @inline(__always)
    func linearAddress(_ segment: Int, _ offset: UInt64, _ size: Int, _ access: AccessKind) throws(CPUException) -> UInt64 {
        let seg = core.pointee.cpu[segment: segment]
        if codeMode == .bits64 {
            let linear = (segment >= 4 ? seg.base : 0) &+ offset
            // Canonical check (48-bit linear addresses).
            let top = Int64(bitPattern: linear) >> 47
            if top != 0 && top != -1 { throw segment == 2 ? .stackFault(0) : .generalProtection(0) }
            return linear
        }
        if model == .i8086 { return seg.base &+ offset }
        let last = offset &+ UInt64(size) &- 1
        if protectedMode {
            if seg.selector & 0xFFFC == 0 && segment != 1 && segment != 2 { throw .generalProtection(0) }
            let type = seg.attributes & 0xF
            let isCode = type & 8 != 0
            if access == .write && (isCode || type & 2 == 0) { throw segment == 2 ? .stackFault(0) : .generalProtection(0) }
            if access == .read && isCode && type & 2 == 0 { throw .generalProtection(0) }
            if !isCode && type & 4 != 0 {
                // Expand-down: valid offsets are limit+1 ... 0xFFFF or 0xFFFFFFFF.
                let upper: UInt64 = seg.defaultBig ? 0xFFFF_FFFF : 0xFFFF
                if offset <= UInt64(seg.limit) || last > upper { throw segment == 2 ? .stackFault(0) : .generalProtection(0) }
                return (seg.base &+ offset) & 0xFFFF_FFFF
            }
        }
        if last > UInt64(seg.limit) || last < offset {
            // The 80286 in real mode raises #GP (interrupt 13) for any segment overrun, SS included.
            throw segment == 2 && (protectedMode || model != .i80286) ? .stackFault(0) : .generalProtection(0)
        }
        return (seg.base &+ offset) & 0xFFFF_FFFF
    }

    /// Reads `size` bytes at `segment:offset`.
    @inline(__always)
    func read(_ segment: Int, _ offset: UInt64, _ size: Int) throws(CPUException) -> UInt64 {
        if model == .i8086 && size > 1 {
            // The 8086 has no limit checks: a word at offset FFFFh takes its high byte from offset 0.
            var v: UInt64 = 0
            for i in 0..<size {
                let lin = try linearAddress(segment, (offset &+ UInt64(i)) & 0xFFFF, 1, .read)
                v |= readPhysical(lin, 1) << (8 * UInt64(i))
            }
            return v
        }
        return try readLinear(try linearAddress(segment, offset, size, .read), size)
    }

    /// Writes `size` bytes at `segment:offset`.
    @inline(__always)
    func write(_ segment: Int, _ offset: UInt64, _ size: Int, _ value: UInt64) throws(CPUException) {
        if model == .i8086 && size > 1 {
            for i in 0..<size {
                let lin = try linearAddress(segment, (offset &+ UInt64(i)) & 0xFFFF, 1, .write)
                writePhysical(lin, 1, (value >> (8 * UInt64(i))) & 0xFF)
            }
            return
        }
        try writeLinear(try linearAddress(segment, offset, size, .write), size, value)
    }
}
