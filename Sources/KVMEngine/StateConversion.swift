import KVM
import X86State

// The portable CPUState in KVM's terms and back. Every field either maps exactly, or the mapping
// is described where it is not (the TSC, the FPU tag word, unusable segments).

extension kvm_segment {
    /// A KVM segment from a CPUState segment. The 12 attribute bits spread into KVM's fields;
    /// a segment that is not present is "unusable" (VMX's term for a null-selector load).
    init(_ s: SegmentRegister) {
        let a = s.attributes
        self.init()
        base = s.base
        limit = s.limit
        selector = s.selector
        type = UInt8(a & 0xF)
        self.s = UInt8((a >> 4) & 1)
        dpl = UInt8((a >> 5) & 3)
        present = UInt8((a >> 7) & 1)
        avl = UInt8((a >> 8) & 1)
        l = UInt8((a >> 9) & 1)
        db = UInt8((a >> 10) & 1)
        g = UInt8((a >> 11) & 1)
        unusable = present == 0 ? 1 : 0
    }

    /// The CPUState segment. An unusable segment reads as not present (P = 0), whatever other
    /// attribute bits KVM reports for it.
    var portable: SegmentRegister {
        var a = UInt16(type & 0xF) | UInt16(s & 1) << 4 | UInt16(dpl & 3) << 5 | UInt16(present & 1) << 7
        a |= UInt16(avl & 1) << 8 | UInt16(l & 1) << 9 | UInt16(db & 1) << 10 | UInt16(g & 1) << 11
        if unusable != 0 { a &= ~0x80 }
        return SegmentRegister(selector: selector, base: base, limit: limit, attributes: a)
    }
}

extension kvm_dtable {
    init(_ t: DescriptorTableRegister) {
        self.init()
        base = t.base
        limit = t.limit
    }

    var portable: DescriptorTableRegister { DescriptorTableRegister(base: base, limit: limit) }
}

extension kvm_regs {
    /// RAX..R15, RIP, RFLAGS (KVM orders the first eight A, B, C, D, SI, DI, SP, BP).
    init(_ s: CPUState) {
        self.init()
        rax = s[gpr: 0]; rcx = s[gpr: 1]; rdx = s[gpr: 2]; rbx = s[gpr: 3]
        rsp = s[gpr: 4]; rbp = s[gpr: 5]; rsi = s[gpr: 6]; rdi = s[gpr: 7]
        r8 = s[gpr: 8]; r9 = s[gpr: 9]; r10 = s[gpr: 10]; r11 = s[gpr: 11]
        r12 = s[gpr: 12]; r13 = s[gpr: 13]; r14 = s[gpr: 14]; r15 = s[gpr: 15]
        rip = s.rip
        rflags = s.rflags | 2
    }

    func store(into s: inout CPUState) {
        s.gpr = (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15)
        s.rip = rip
        s.rflags = rflags
    }
}

extension kvm_sregs {
    init(_ s: CPUState) {
        self.init()
        es = kvm_segment(s.segments.0)
        cs = kvm_segment(s.segments.1)
        ss = kvm_segment(s.segments.2)
        ds = kvm_segment(s.segments.3)
        fs = kvm_segment(s.segments.4)
        gs = kvm_segment(s.segments.5)
        ldt = kvm_segment(s.ldtr)
        tr = kvm_segment(s.tr)
        gdt = kvm_dtable(s.gdtr)
        idt = kvm_dtable(s.idtr)
        cr0 = s.cr0; cr2 = s.cr2; cr3 = s.cr3; cr4 = s.cr4; cr8 = s.cr8
        efer = s.msr.efer
        apic_base = s.msr.apicBase
        // interrupt_bitmap stays zero: no external interrupt is pending in a CPUState.
    }

    func store(into s: inout CPUState) {
        s.segments = (es.portable, cs.portable, ss.portable, ds.portable, fs.portable, gs.portable)
        s.ldtr = ldt.portable
        s.tr = tr.portable
        s.gdtr = gdt.portable
        s.idtr = idt.portable
        s.cr0 = cr0; s.cr2 = cr2; s.cr3 = cr3; s.cr4 = cr4; s.cr8 = cr8
        s.msr.efer = efer
        s.msr.apicBase = apic_base
    }
}

extension kvm_debugregs {
    init(_ s: CPUState) {
        self.init()
        db = s.dr
        dr6 = s.dr6
        dr7 = s.dr7
    }

    func store(into s: inout CPUState) {
        s.dr = db
        s.dr6 = dr6
        s.dr7 = dr7
    }
}

extension kvm_vcpu_events {
    /// No pending exception, interrupt or NMI; only the STI/MOV SS interrupt shadow.
    init(_ s: CPUState) {
        self.init()
        interrupt.shadow = s.interruptShadow ? 1 : 0  // KVM_X86_SHADOW_INT_MOV_SS | _STI: any nonzero
        flags = UInt32(KVM_VCPUEVENT_VALID_SHADOW)
    }

    func store(into s: inout CPUState) {
        s.interruptShadow = interrupt.shadow != 0
    }
}

// kvm_fpu layout (FXSAVE order): fpr[8][16] at 0 (ST0-ST7, stack order), fcw 128, fsw 130,
// ftwx 132 (abridged tag, one bit per physical register), last_opcode 134, last_ip 136,
// last_dp 144, xmm[16][16] at 152, mxcsr 408 (SDM Vol. 1, Table 10-2).
extension kvm_fpu {
    init(_ f: FPUState) {
        self.init()
        fcw = f.controlWord
        fsw = f.statusWord
        last_opcode = f.lastOpcode
        last_ip = f.lastInstructionPointer
        last_dp = f.lastDataPointer
        mxcsr = f.mxcsr
        var abridged: UInt8 = 0
        for p in 0..<8 where (f.tagWord >> (2 * p)) & 3 != 3 { abridged |= 1 << p }
        ftwx = abridged
        let top = Int((f.statusWord >> 11) & 7)
        withUnsafeBytes(of: f.st) { st in
            withUnsafeMutableBytes(of: &fpr) { fpr in
                // ST(i) is physical register (TOP + i) mod 8.
                for i in 0..<8 {
                    let p = (top + i) & 7
                    for b in 0..<10 { fpr[i * 16 + b] = st[p * 16 + b] }
                }
            }
        }
        withUnsafeBytes(of: f.xmm) { src in
            withUnsafeMutableBytes(of: &xmm) { $0.copyMemory(from: src) }
        }
    }

    var portable: FPUState {
        var f = FPUState()
        f.controlWord = fcw
        f.statusWord = fsw
        f.lastOpcode = last_opcode
        f.lastInstructionPointer = last_ip
        f.lastDataPointer = last_dp
        f.mxcsr = mxcsr
        let top = Int((fsw >> 11) & 7)
        var tags: UInt16 = 0
        withUnsafeBytes(of: fpr) { fpr in
            withUnsafeMutableBytes(of: &f.st) { st in
                for i in 0..<8 {
                    let p = (top + i) & 7
                    for b in 0..<10 { st[p * 16 + b] = fpr[i * 16 + b] }
                }
            }
        }
        // The full tag word from the abridged one, classifying each non-empty register as FSTENV
        // does (SDM Vol. 1, 8.1.7): 00 valid, 01 zero, 10 special (NaN, infinity, denormal,
        // unnormal), 11 empty.
        withUnsafeBytes(of: f.st) { st in
            for p in 0..<8 {
                var tag: UInt16 = 3
                if ftwx & (1 << p) != 0 {
                    let mantissa = st.load(fromByteOffset: p * 16, as: UInt64.self)
                    let exponent = UInt16(st[p * 16 + 8]) | UInt16(st[p * 16 + 9] & 0x7F) << 8
                    if exponent == 0x7FFF { tag = 2 }
                    else if exponent == 0 { tag = mantissa == 0 ? 1 : 2 }
                    else { tag = mantissa >> 63 == 0 ? 2 : 0 }
                }
                tags |= tag << (2 * p)
            }
        }
        f.tagWord = tags
        withUnsafeBytes(of: xmm) { src in
            withUnsafeMutableBytes(of: &f.xmm) { $0.copyMemory(from: src) }
        }
        return f
    }
}

/// The MSRs of `ModelSpecificRegisters` that live in KVM's MSR list (EFER and the APIC base travel
/// in kvm_sregs, FS/GS base in the segments). IA32_TSC is special: see `KVMEngine`.
enum ModelSpecificRegisterMap {
    static let tsc: UInt32 = 0x10

    static var all: [(index: UInt32, path: WritableKeyPath<ModelSpecificRegisters, UInt64>)] { [
        (0x174, \.sysenterCS), (0x175, \.sysenterESP), (0x176, \.sysenterEIP),
        (0x1A0, \.miscEnable), (0x277, \.pat),
        (0xC000_0081, \.star), (0xC000_0082, \.lstar), (0xC000_0083, \.cstar), (0xC000_0084, \.fmask),
        (0xC000_0102, \.kernelGSBase), (0xC000_0103, \.tscAux),
    ] }
}
