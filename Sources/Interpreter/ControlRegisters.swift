import X86ISA
import X86State

extension Interpreter {
    /// MOV from CRn (SDM Vol. 2, MOV—Move to/from Control Registers).
    func readControlRegister(_ n: Int) throws(CPUException) -> UInt64 {
        if cpl != 0 { throw .generalProtection(0) }
        let cpu = core.pointee.cpu
        switch n {
        case 0: return cpu.cr0
        case 2: return cpu.cr2
        case 3: return cpu.cr3
        case 4: return cpu.cr4
        case 8 where codeMode == .bits64: return platform.taskPriorityClass.map { UInt64($0) } ?? cpu.cr8
        default: throw .invalidOpcode
        }
    }

    /// MOV from DRn.
    func readDebugRegister(_ n: Int) throws(CPUException) -> UInt64 {
        if cpl != 0 { throw .generalProtection(0) }
        try checkDebugRegisterAccess(n)  // CR4.DE, DR7.GD (DebugExceptions.swift)
        let cpu = core.pointee.cpu
        switch n {
        case 0...3: return cpu[debug: n]
        case 4, 6: return cpu.dr6
        case 5, 7: return cpu.dr7
        default: throw .invalidOpcode
        }
    }

    /// MOV to CRn / DRn, with the reserved-bit and consistency checks that raise #GP
    /// (SDM Vol. 3, 2.5 and 9.8.5 "Initializing IA-32e Mode").
    func moveToSystemRegister(_ r: Register, _ value: UInt64) throws(CPUException) {
        if cpl != 0 { throw .generalProtection(0) }
        let c = core
        let raw = r.rawValue
        if raw >= Register.first_dr && raw < Register.first_tr {
            let n = Int(raw - Register.first_dr)
            try checkDebugRegisterAccess(n)  // CR4.DE, DR7.GD (DebugExceptions.swift)
            // DR6 and DR7 bits 63:32 are reserved: #GP(0) when set (SDM Vol. 2, MOV DRn, 64-bit mode).
            if n >= 4 && value >> 32 != 0 { throw .generalProtection(0) }
            switch n {
            case 0...3: c.pointee.cpu[debug: n] = value
            case 4, 6: c.pointee.cpu.dr6 = (value & 0xF00F) | 0xFFFF_0FF0
            default: c.pointee.cpu.dr7 = (value & 0xFFFF_2BFF) | 0x400
            }
            return
        }
        let n = Int(raw - Register.first_cr)
        let efer = c.pointee.cpu.msr.efer
        switch n {
        case 0:
            var v = value
            if model == .x86_64 && v >> 32 != 0 { throw .generalProtection(0) }
            if v & 0x8000_0000 != 0 && v & 1 == 0 { throw .generalProtection(0) }  // PG without PE
            if v & 0x2000_0000 != 0 && v & 0x4000_0000 == 0 { throw .generalProtection(0) }  // NW without CD
            let enablingPaging = v & 0x8000_0000 != 0 && c.pointee.cpu.cr0 & 0x8000_0000 == 0
            if enablingPaging && efer & 0x100 != 0 {
                // Activating IA-32e mode needs PAE (SDM Vol. 3, 9.8.5).
                if c.pointee.cpu.cr4 & 0x20 == 0 { throw .generalProtection(0) }
                c.pointee.cpu.msr.efer |= 0x400
            }
            if v & 0x8000_0000 == 0 && c.pointee.cpu.cr0 & 0x8000_0000 != 0 {
                if codeMode == .bits64 { throw .generalProtection(0) }
                c.pointee.cpu.msr.efer &= ~0x400
            }
            v |= 0x10  // ET is fixed to 1
            // PG, WP or PE changes drop every cached translation (SDM Vol. 3, 4.10.4.1).
            if (v ^ c.pointee.cpu.cr0) & 0x8001_0001 != 0 { flushTranslations(global: true) }
            c.pointee.cpu.cr0 = v
        case 2: c.pointee.cpu.cr2 = value
        case 3:
            if efer & 0x400 == 0 { c.pointee.cpu.cr3 = value & 0xFFFF_FFFF } else { c.pointee.cpu.cr3 = value }
            flushTranslations(global: false)
        case 4:
            // Allowed: VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT UMIP FSGSBASE OSXSAVE SMEP SMAP.
            let allowed: UInt64 = 0x1FF | 0x600 | 0x800 | 0x1_0000 | 0x4_0000 | 0x10_0000 | 0x20_0000
            if value & ~allowed != 0 { throw .generalProtection(0) }
            if efer & 0x400 != 0 && value & 0x20 == 0 { throw .generalProtection(0) }
            // PSE, PAE, PGE, PCIDE, SMEP, SMAP changes drop every cached translation (SDM Vol. 3, 4.10.4.1).
            if (value ^ c.pointee.cpu.cr4) & 0x32_00B0 != 0 { flushTranslations(global: true) }
            c.pointee.cpu.cr4 = value
        case 8:
            if codeMode != .bits64 { throw .invalidOpcode }
            if value >> 4 != 0 { throw .generalProtection(0) }
            c.pointee.cpu.cr8 = value
            // CR8 is the local APIC's TPR[7:4]: a raised priority holds back interrupts at once.
            platform.setTaskPriorityClass(UInt8(value))
            c.pointee.pollPlatform = true
        default:
            throw .invalidOpcode
        }
    }

    /// RDMSR for the MSRs this CPU model has; others raise #GP(0) as on hardware.
    func readMSR(_ index: UInt32) throws(CPUException) -> UInt64 {
        // MSRs a device owns (the local APIC's) come from the platform.
        if let v = platform.readMSR(index) { return v }
        let m = core.pointee.cpu.msr
        let cpu = core.pointee.cpu
        switch index {
        case 0x10: return timeStampCounter()
        case 0x1B: return m.apicBase
        case 0x174: return m.sysenterCS
        case 0x175: return m.sysenterESP
        case 0x176: return m.sysenterEIP
        case 0x1A0: return m.miscEnable
        case 0x277: return m.pat
        case 0x6E0: return m.tscDeadline
        case 0xDA0: return 0  // IA32_XSS: no supervisor state component is supported
        case 0xC000_0080: return m.efer
        case 0xC000_0081: return m.star
        case 0xC000_0082: return m.lstar
        case 0xC000_0083: return m.cstar
        case 0xC000_0084: return m.fmask
        case 0xC000_0100: return cpu.segments.4.base
        case 0xC000_0101: return cpu.segments.5.base
        case 0xC000_0102: return m.kernelGSBase
        case 0xC000_0103: return m.tscAux
        default: throw .generalProtection(0)
        }
    }

    /// WRMSR, with #GP(0) for unknown MSRs and reserved bits.
    func writeMSR(_ index: UInt32, _ v: UInt64) throws(CPUException) {
        let c = core
        if platform.writeMSR(index, v) {
            if index == 0x1B { c.pointee.cpu.msr.apicBase = v }
            if index == 0x6E0 { c.pointee.cpu.msr.tscDeadline = v }
            return
        }
        func canonical(_ a: UInt64) throws(CPUException) {
            let top = Int64(bitPattern: a) >> 47
            if top != 0 && top != -1 { throw .generalProtection(0) }
        }
        switch index {
        case 0x10:
            c.pointee.cpu.msr.tscOffset = Int64(bitPattern: v) &- Int64(bitPattern: c.pointee.instructions)
        case 0x1B: c.pointee.cpu.msr.apicBase = v
        case 0x174: c.pointee.cpu.msr.sysenterCS = v & 0xFFFF
        case 0x175: try canonical(v); c.pointee.cpu.msr.sysenterESP = v
        case 0x176: try canonical(v); c.pointee.cpu.msr.sysenterEIP = v
        case 0x1A0: c.pointee.cpu.msr.miscEnable = v
        case 0x277: c.pointee.cpu.msr.pat = v
        case 0x6E0: c.pointee.cpu.msr.tscDeadline = v
        case 0xDA0: if v != 0 { throw .generalProtection(0) }  // IA32_XSS
        case 0xC000_0080:
            // SCE (0), LME (8), LMA (10, read-only), NXE (11).
            if v & ~0xD01 != 0 { throw .generalProtection(0) }
            let lma = c.pointee.cpu.msr.efer & 0x400
            if c.pointee.cpu.cr0 & 0x8000_0000 != 0 && (v ^ c.pointee.cpu.msr.efer) & 0x100 != 0 { throw .generalProtection(0) }
            // NXE decides whether XD bits count: cached permissions change with it.
            if (v ^ c.pointee.cpu.msr.efer) & 0x900 != 0 { flushTranslations(global: true) }
            c.pointee.cpu.msr.efer = (v & ~0x400) | lma
        case 0xC000_0081: c.pointee.cpu.msr.star = v
        case 0xC000_0082: try canonical(v); c.pointee.cpu.msr.lstar = v
        case 0xC000_0083: try canonical(v); c.pointee.cpu.msr.cstar = v
        case 0xC000_0084: c.pointee.cpu.msr.fmask = v & 0xFFFF_FFFF
        case 0xC000_0100: try canonical(v); c.pointee.cpu.segments.4.base = v
        case 0xC000_0101: try canonical(v); c.pointee.cpu.segments.5.base = v
        case 0xC000_0102: try canonical(v); c.pointee.cpu.msr.kernelGSBase = v
        case 0xC000_0103: c.pointee.cpu.msr.tscAux = v & 0xFFFF_FFFF
        default: throw .generalProtection(0)
        }
    }

    /// CPUID: the shared model in X86State/CPUIDModel.swift (the KVM engine loads the same one).
    func cpuid(leaf: UInt32, subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        var r = CPUIDModel.query(leaf: leaf, subleaf: subleaf)
        // OSXSAVE (leaf 1 ECX bit 27) reflects CR4.OSXSAVE.
        if leaf == 1 && core.pointee.cpu.cr4 & 0x4_0000 != 0 { r.2 |= 1 << 27 }
        return r
    }
}
