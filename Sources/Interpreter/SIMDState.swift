import X86Decoder
import X86ISA
import X86State

// The x87/MMX/SSE register file and the architectural controls over it (SDM Vol. 3, 2.5 and 13.1-13.5;
// Vol. 1, 8.1 and 12.1): where the registers live in `Core`, the CR0/CR4 checks that raise #UD, #NM and
// #MF, x87 stack and tag bookkeeping, the MMX aliasing of the x87 registers, and vector memory access.

/// A 128-bit XMM value (an MMX value is its low 8 bytes), element 0 in the lowest bytes.
typealias Vec = SIMD16<UInt8>

extension SIMD16 where Scalar == UInt8 {
    @inline(__always) init(lo: UInt64, hi: UInt64) { self = unsafeBitCast(SIMD2<UInt64>(lo, hi), to: Vec.self) }
    /// The value reinterpreted as other lane types (the host is little-endian like the guest).
    @inline(__always) var q: SIMD2<UInt64> { unsafeBitCast(self, to: SIMD2<UInt64>.self) }
    @inline(__always) var d: SIMD4<UInt32> { unsafeBitCast(self, to: SIMD4<UInt32>.self) }
    @inline(__always) var w: SIMD8<UInt16> { unsafeBitCast(self, to: SIMD8<UInt16>.self) }
    @inline(__always) var sb: SIMD16<Int8> { unsafeBitCast(self, to: SIMD16<Int8>.self) }
    @inline(__always) var sw: SIMD8<Int16> { unsafeBitCast(self, to: SIMD8<Int16>.self) }
    @inline(__always) var sd: SIMD4<Int32> { unsafeBitCast(self, to: SIMD4<Int32>.self) }
    @inline(__always) var sq: SIMD2<Int64> { unsafeBitCast(self, to: SIMD2<Int64>.self) }
    @inline(__always) var lo: UInt64 { q[0] }
    @inline(__always) var hi: UInt64 { q[1] }
}

/// Reinterprets any 16-byte SIMD value as a `Vec`.
@inline(__always) func vec<T: SIMD>(_ v: T) -> Vec { unsafeBitCast(v, to: Vec.self) }

/// An x87 data register: 64-bit significand (explicit integer bit) and sign plus 15-bit exponent.
struct X87Register: Equatable {
    var significand: UInt64
    var signExponent: UInt16

    var exponent: UInt16 { signExponent & 0x7FFF }
    var sign: Bool { signExponent & 0x8000 != 0 }

    /// The QNaN floating-point indefinite (SDM Vol. 1, Table 4-3): the masked response to invalid operations.
    static let indefinite = X87Register(significand: 0xC000_0000_0000_0000, signExponent: 0xFFFF)
    static let zero = X87Register(significand: 0, signExponent: 0)

    /// The 2-bit tag the value gets (SDM Vol. 1, 8.1.7): 00 valid, 01 zero, 10 special (NaN, infinity,
    /// denormal, unsupported format).
    var tag: UInt16 {
        let e = exponent
        if e == 0 { return significand == 0 ? 1 : 2 }
        if e == 0x7FFF { return 2 }
        return significand >> 63 == 0 ? 2 : 0  // unnormals are unsupported
    }

    /// The FXAM class in C3, C2, C0 (SDM Vol. 2, FXAM): 000 unsupported, 001 NaN, 010 normal, 011 infinity,
    /// 100 zero, 110 denormal (101, empty, is the caller's).
    var examineClass: UInt16 {
        let e = exponent
        let integer = significand >> 63 != 0
        if e == 0 { return significand == 0 ? 0x4000 : 0x4400 }
        if e == 0x7FFF {
            if !integer { return 0 }
            return significand << 1 == 0 ? 0x0500 : 0x0100
        }
        return integer ? 0x0400 : 0
    }
}

extension Interpreter {
    // MARK: - Where the registers are

    /// Byte offsets inside `Core` of the x87/MMX registers R0-R7 and of XMM0-XMM15 (16 bytes each).
    static let fpuRegisterOffset = MemoryLayout<Core>.offset(of: \Core.cpu.fpu.st)!
    static let xmmOffset = MemoryLayout<Core>.offset(of: \Core.cpu.fpu.xmm)!

    /// XMM register `n` (0-15).
    @inline(__always) func xmm(_ n: Int) -> Vec {
        // SAFETY: `core` is valid for the engine's life; the offset and `n & 15` stay inside `fpu.xmm`.
        (UnsafeMutableRawPointer(core) + Self.xmmOffset + (n & 15) &* 16).load(as: Vec.self)
    }

    @inline(__always) func setXMM(_ n: Int, _ v: Vec) {
        (UnsafeMutableRawPointer(core) + Self.xmmOffset + (n & 15) &* 16).storeBytes(of: v, as: Vec.self)
    }

    /// Physical x87 register R`phys` (0-7) as a raw pointer to its 16-byte slot (10 bytes used).
    @inline(__always) func fpuSlot(_ phys: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(core) + Self.fpuRegisterOffset + (phys & 7) &* 16
    }

    @inline(__always) func fpuRegister(physical phys: Int) -> X87Register {
        let p = fpuSlot(phys)
        return X87Register(significand: p.load(as: UInt64.self), signExponent: p.load(fromByteOffset: 8, as: UInt16.self))
    }

    @inline(__always) func setFPURegister(physical phys: Int, _ v: X87Register) {
        let p = fpuSlot(phys)
        p.storeBytes(of: v.significand, as: UInt64.self)
        p.storeBytes(of: v.signExponent, toByteOffset: 8, as: UInt16.self)
    }

    // MARK: - Architectural controls (SDM Vol. 3, 2.5 and Table 2-2; Vol. 1, 13.1)

    /// An x87 instruction: #NM if CR0.EM or CR0.TS; then, for a waiting instruction, #MF if an unmasked
    /// exception is pending.
    @inline(__always) func x87Check(waiting: Bool = true) throws(CPUException) {
        if core.pointee.cpu.cr0 & 0xC != 0 { throw .deviceNotAvailable }
        if waiting { try x87PendingCheck() }
    }

    /// A pending unmasked x87 exception (FSW.ES) is reported as #MF when CR0.NE is set. With CR0.NE
    /// clear it is reported through FERR# before the instruction starts (`executeWithPendingX87Error`),
    /// and the instruction gets here only when the machine asserts IGNNE#: it goes on.
    @inline(__always) func x87PendingCheck() throws(CPUException) {
        if core.pointee.cpu.fpu.statusWord & 0x80 != 0 && core.pointee.cpu.cr0 & 0x20 != 0 {
            throw .floatingPointError
        }
    }

    /// An MMX instruction: #UD if CR0.EM, #NM if CR0.TS, #MF for a pending x87 exception.
    @inline(__always) func mmxCheck() throws(CPUException) {
        let cr0 = core.pointee.cpu.cr0
        if cr0 & 4 != 0 { throw .invalidOpcode }
        if cr0 & 8 != 0 { throw .deviceNotAvailable }
        try x87PendingCheck()
    }

    /// An SSE-family instruction: #UD if CR0.EM or not CR4.OSFXSR, #NM if CR0.TS.
    @inline(__always) func sseCheck() throws(CPUException) {
        let cr0 = core.pointee.cpu.cr0
        if cr0 & 4 != 0 || core.pointee.cpu.cr4 & 0x200 == 0 { throw .invalidOpcode }
        if cr0 & 8 != 0 { throw .deviceNotAvailable }
    }

    /// The XSAVE family: #UD without CR4.OSXSAVE, #NM if CR0.TS.
    @inline(__always) func xsaveCheck() throws(CPUException) {
        if core.pointee.cpu.cr4 & 0x4_0000 == 0 { throw .invalidOpcode }
        if core.pointee.cpu.cr0 & 8 != 0 { throw .deviceNotAvailable }
    }

    // MARK: - x87 stack and tags

    @inline(__always) var fpuTop: Int { Int((core.pointee.cpu.fpu.statusWord >> 11) & 7) }

    @inline(__always) func setFPUTop(_ top: Int) {
        let sw = core.pointee.cpu.fpu.statusWord
        core.pointee.cpu.fpu.statusWord = (sw & ~0x3800) | UInt16((top & 7) << 11)
    }

    /// The physical register holding ST(i).
    @inline(__always) func stPhysical(_ i: Int) -> Int { (fpuTop &+ i) & 7 }

    @inline(__always) func fpuTag(physical phys: Int) -> UInt16 {
        (core.pointee.cpu.fpu.tagWord >> UInt16((phys & 7) * 2)) & 3
    }

    @inline(__always) func setFPUTag(physical phys: Int, _ tag: UInt16) {
        let shift = UInt16((phys & 7) * 2)
        let tw = core.pointee.cpu.fpu.tagWord
        core.pointee.cpu.fpu.tagWord = (tw & ~(3 << shift)) | ((tag & 3) << shift)
    }

    @inline(__always) func stEmpty(_ i: Int) -> Bool { fpuTag(physical: stPhysical(i)) == 3 }

    @inline(__always) func st(_ i: Int) -> X87Register { fpuRegister(physical: stPhysical(i)) }

    /// Writes ST(i) and tags it by its value.
    @inline(__always) func setST(_ i: Int, _ v: X87Register) {
        let phys = stPhysical(i)
        setFPURegister(physical: phys, v)
        setFPUTag(physical: phys, v.tag)
    }

    /// Pushes a value: TOP - 1, then ST(0) = v. The caller has checked for stack overflow.
    func x87Push(_ v: X87Register) {
        setFPUTop(fpuTop &- 1)
        setST(0, v)
    }

    /// Pops: marks ST(0) empty and increments TOP.
    func x87Pop() {
        setFPUTag(physical: fpuTop, 3)
        setFPUTop(fpuTop &+ 1)
    }

    /// The full tag word as FSTENV/FSAVE store it: empty registers 11, the others classified by their
    /// contents (processors keep only the empty/non-empty bit; SDM Vol. 1, 8.1.7).
    func x87StoredTagWord() -> UInt16 {
        var tw: UInt16 = 0
        for phys in 0..<8 {
            let tag = fpuTag(physical: phys) == 3 ? 3 : fpuRegister(physical: phys).tag
            tw |= tag << UInt16(phys * 2)
        }
        return tw
    }

    /// The abridged tag word of FXSAVE/XSAVE: bit i set when physical register i is not empty.
    func x87AbridgedTagWord() -> UInt8 {
        var t: UInt8 = 0
        for phys in 0..<8 where fpuTag(physical: phys) != 3 { t |= 1 << UInt8(phys) }
        return t
    }

    /// Loads the tag word from a memory image: empty stays empty, other registers are tagged by their
    /// contents (FLDENV, FRSTOR; FXRSTOR/XRSTOR pass an abridged word expanded to 00/11 pairs).
    func x87LoadTagWord(_ tw: UInt16) {
        var full: UInt16 = 0
        for phys in 0..<8 {
            let empty = (tw >> UInt16(phys * 2)) & 3 == 3
            full |= (empty ? 3 : fpuRegister(physical: phys).tag) << UInt16(phys * 2)
        }
        core.pointee.cpu.fpu.tagWord = full
    }

    /// Sets FSW.ES and FSW.B from the exception flags and masks (after FLDCW, FLDENV, FRSTOR, FXRSTOR...).
    @inline(__always) func x87UpdateSummary() {
        let f = core.pointee.cpu.fpu
        let unmasked = f.statusWord & ~f.controlWord & 0x3F
        core.pointee.cpu.fpu.statusWord = unmasked != 0 ? f.statusWord | 0x8080 : f.statusWord & ~0x8080
    }

    /// Raises x87 exception flags (IE 1, DE 2, ZE 4, OE 8, UE 0x10, PE 0x20, SF 0x40). Returns true if
    /// all of them are masked, so that the instruction delivers its masked response; otherwise the
    /// summary bits are set and the #MF comes with the next waiting instruction.
    @discardableResult
    func x87Raise(_ flags: UInt16) -> Bool {
        core.pointee.cpu.fpu.statusWord |= flags
        if flags & 0x3F & ~core.pointee.cpu.fpu.controlWord != 0 {
            core.pointee.cpu.fpu.statusWord |= 0x8080
            return false
        }
        return true
    }

    /// Sets the condition code bits C0 (0x100), C1 (0x200), C2 (0x400), C3 (0x4000) in `mask` to `bits`.
    @inline(__always) func x87SetConditions(_ bits: UInt16, mask: UInt16 = 0x4700) {
        let sw = core.pointee.cpu.fpu.statusWord
        core.pointee.cpu.fpu.statusWord = (sw & ~mask) | (bits & mask)
    }

    /// Stack overflow or underflow (#IS: IE and SF, C1 = 1 for overflow). Returns true when the invalid
    /// exception is masked (the instruction then writes the indefinite QNaN).
    func x87StackFault(overflow: Bool) -> Bool {
        x87SetConditions(overflow ? 0x200 : 0, mask: 0x200)
        return x87Raise(0x41)
    }

    /// Records the last x87 instruction for FSTENV/FXSAVE (non-control instructions, SDM Vol. 1, 8.1.8):
    /// opcode (11 bits), instruction pointer, and the data pointer when there is a memory operand. In
    /// real and virtual-8086 mode the pointers are 20-bit linear addresses, else offsets; the selectors
    /// are not kept (CPUID.(EAX=7,ECX=0):EBX[13], FCS and FDS deprecated).
    func x87NoteInstruction(_ ins: Instruction) {
        let c = core
        c.pointee.cpu.fpu.lastOpcode = (UInt16(ins.opcode & 7) << 8) | UInt16(ins.modrm)
        let real = !protectedMode
        var ip = c.pointee.instructionStart
        if real { ip = (ip &+ c.pointee.cpu.segments.1.base) & 0xF_FFFF }
        c.pointee.cpu.fpu.lastInstructionPointer = ip
        if ins.hasModRM && ins.modrm < 0xC0 {
            var dp = effectiveAddress(ins)
            if real { dp = (dp &+ c.pointee.cpu[segment: segmentIndex(ins.memory.segment)].base) & 0xF_FFFF }
            c.pointee.cpu.fpu.lastDataPointer = dp
        }
    }

    // MARK: - MMX aliasing (SDM Vol. 1, 9.5 and 9.6.1)

    /// MMX register `n`: the significand of physical register R`n`.
    @inline(__always) func mm(_ n: Int) -> UInt64 { fpuSlot(n).load(as: UInt64.self) }

    /// Writes MMX register `n`: the significand, with the exponent and sign field set to all ones.
    @inline(__always) func setMM(_ n: Int, _ v: UInt64) {
        let p = fpuSlot(n)
        p.storeBytes(of: v, as: UInt64.self)
        p.storeBytes(of: 0xFFFF as UInt16, toByteOffset: 8, as: UInt16.self)
    }

    /// Every MMX instruction but EMMS: TOP = 0 and all registers valid.
    @inline(__always) func mmxTransition() {
        core.pointee.cpu.fpu.statusWord &= ~0x3800
        core.pointee.cpu.fpu.tagWord = 0
    }

    // MARK: - Vector memory access

    /// Checks an access of `size` bytes at `segment:offset` (segment limit, and every page it touches,
    /// so that nothing is written before all of it is known to be writable). Returns the linear address.
    func blockAccess(_ segment: Int, _ offset: UInt64, _ size: Int, _ access: AccessKind) throws(CPUException) -> UInt64 {
        let linear = try linearAddress(segment, offset, size, access)
        try probePages(linear, size, access)
        return linear
    }

    /// Translates every page of `size` bytes at `linear` (raising their page faults first).
    func probePages(_ linear: UInt64, _ size: Int, _ access: AccessKind) throws(CPUException) {
        if core.pointee.cpu.cr0 & 0x8000_0000 != 0 {
            let last = (linear &+ UInt64(size &- 1)) & ~0xFFF
            var page = linear & ~0xFFF
            _ = try translate(linear, access)
            while page != last {
                page &+= 0x1000
                _ = try translate(page, access)
            }
        }
    }

    /// Reads a vector memory operand of 1-16 bytes (zero-extended). `aligned`: a 16-byte operand must be
    /// 16-byte aligned (legacy SSE, SDM Vol. 2, 2.4 exception types 1 and 4), else #GP(0).
    func readVectorMemory(_ ins: Instruction, size: Int, aligned: Bool) throws(CPUException) -> Vec {
        let seg = segmentIndex(ins.memory.segment)
        let ea = effectiveAddress(ins)
        switch size {
        case 16:
            let linear = try linearAddress(seg, ea, 16, .read)
            if aligned && linear & 15 != 0 { throw .generalProtection(0) }
            let lo = try readLinear(linear, 8)
            let hi = try readLinear(linear &+ 8, 8)
            return Vec(lo: lo, hi: hi)
        default:
            return Vec(lo: try read(seg, ea, size), hi: 0)
        }
    }

    /// Writes a vector memory operand of 1-16 bytes; all or nothing.
    func writeVectorMemory(_ ins: Instruction, size: Int, aligned: Bool, _ v: Vec) throws(CPUException) {
        let seg = segmentIndex(ins.memory.segment)
        let ea = effectiveAddress(ins)
        switch size {
        case 16:
            let linear = try linearAddress(seg, ea, 16, .write)
            if aligned && linear & 15 != 0 { throw .generalProtection(0) }
            try probePages(linear, 16, .write)
            try writeLinear(linear, 8, v.lo)
            try writeLinear(linear &+ 8, 8, v.hi)
        default:
            try write(seg, ea, size, v.lo)
        }
    }
}
