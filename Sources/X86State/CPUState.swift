/// The architectural state of one virtual CPU, in one portable representation that every engine
/// loads and saves (interpreter, translator, KVM): what snapshots, the debugger stub and moving a
/// running guest between engines are built on.
///
/// A plain value with no references. Engines that need speed keep it behind one stable pointer.
public struct CPUState: Sendable {
    /// RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15, in encoding order (SDM Vol. 1, 3.4.1.1).
    public var gpr: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// RIP.
    public var rip: UInt64 = 0xFFF0
    /// RFLAGS (bit 1 always reads 1).
    public var rflags: UInt64 = 0x2

    /// ES, CS, SS, DS, FS, GS in encoding order.
    public var segments: (SegmentRegister, SegmentRegister, SegmentRegister,
                          SegmentRegister, SegmentRegister, SegmentRegister) =
        (.real(0), SegmentRegister(selector: 0xF000, base: 0xFFFF_0000, limit: 0xFFFF, attributes: 0x9B),
         .real(0), .real(0), .real(0), .real(0))
    /// LDTR and TR: selector plus hidden cache.
    public var ldtr = SegmentRegister(attributes: 0x82)
    public var tr = SegmentRegister(attributes: 0x8B)
    public var gdtr = DescriptorTableRegister()
    public var idtr = DescriptorTableRegister(base: 0, limit: 0x3FF)

    /// CR0 (reset value 0x60000010: CD, NW, ET), CR2, CR3, CR4; CR8 is the TPR.
    public var cr0: UInt64 = 0x6000_0010
    public var cr2: UInt64 = 0
    public var cr3: UInt64 = 0
    public var cr4: UInt64 = 0
    public var cr8: UInt64 = 0
    /// XCR0 (XSETBV): x87 is always enabled.
    public var xcr0: UInt64 = 1

    /// DR0-DR3, DR6, DR7.
    public var dr: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    public var dr6: UInt64 = 0xFFFF_0FF0
    public var dr7: UInt64 = 0x400

    /// The model-specific registers a Linux kernel uses.
    public var msr = ModelSpecificRegisters()
    /// x87, MMX and SSE state.
    public var fpu = FPUState()

    /// The CPU is halted (HLT) until an interrupt.
    public var halted = false
    /// Interrupts are inhibited for one instruction (after STI or MOV SS) (SDM Vol. 3, 6.8.3).
    public var interruptShadow = false

    public init() {}

    /// General-purpose register `i` (0-15).
    @inlinable public subscript(gpr i: Int) -> UInt64 {
        get { withUnsafeBytes(of: gpr) { $0.load(fromByteOffset: (i & 15) * 8, as: UInt64.self) } }
        set { withUnsafeMutableBytes(of: &gpr) { $0.storeBytes(of: newValue, toByteOffset: (i & 15) * 8, as: UInt64.self) } }
    }

    /// Segment register `i` (ES=0 ... GS=5).
    @inlinable public subscript(segment i: Int) -> SegmentRegister {
        get {
            switch i {
            case 0: segments.0
            case 1: segments.1
            case 2: segments.2
            case 3: segments.3
            case 4: segments.4
            default: segments.5
            }
        }
        set {
            switch i {
            case 0: segments.0 = newValue
            case 1: segments.1 = newValue
            case 2: segments.2 = newValue
            case 3: segments.3 = newValue
            case 4: segments.4 = newValue
            default: segments.5 = newValue
            }
        }
    }

    /// DR0-DR3 by index.
    public subscript(debug i: Int) -> UInt64 {
        get { withUnsafeBytes(of: dr) { $0.load(fromByteOffset: (i & 3) * 8, as: UInt64.self) } }
        set { withUnsafeMutableBytes(of: &dr) { $0.storeBytes(of: newValue, toByteOffset: (i & 3) * 8, as: UInt64.self) } }
    }
}

/// MSRs the monitor models (SDM Vol. 4 names).
public struct ModelSpecificRegisters: Sendable, Equatable {
    /// IA32_EFER (C000_0080h): SCE, LME, LMA, NXE.
    public var efer: UInt64 = 0
    /// IA32_STAR, IA32_LSTAR, IA32_CSTAR, IA32_FMASK (SYSCALL/SYSRET).
    public var star: UInt64 = 0, lstar: UInt64 = 0, cstar: UInt64 = 0, fmask: UInt64 = 0
    /// IA32_FS_BASE and IA32_GS_BASE are the FS/GS segment bases; this is IA32_KERNEL_GS_BASE (SWAPGS).
    public var kernelGSBase: UInt64 = 0
    /// IA32_SYSENTER_CS, _ESP, _EIP.
    public var sysenterCS: UInt64 = 0, sysenterESP: UInt64 = 0, sysenterEIP: UInt64 = 0
    /// IA32_APIC_BASE: 0xFEE00000, enabled, bootstrap processor.
    public var apicBase: UInt64 = 0xFEE0_0900
    /// IA32_PAT (power-on value).
    public var pat: UInt64 = 0x0007_0406_0007_0406
    /// IA32_TSC_AUX (RDTSCP, RDPID).
    public var tscAux: UInt64 = 0
    /// IA32_MISC_ENABLE.
    public var miscEnable: UInt64 = 1
    /// IA32_TSC_DEADLINE (local APIC timer).
    public var tscDeadline: UInt64 = 0
    /// Offset added to virtual time to give the TSC (IA32_TIME_STAMP_COUNTER writes set it).
    public var tscOffset: Int64 = 0

    public init() {}
}

/// x87 FPU, MMX and SSE state, laid out as the FXSAVE image's fields (SDM Vol. 1, 10.5.1).
public struct FPUState: Sendable {
    /// FCW (reset 0x037F after FNINIT; 0x0040 at power-on).
    public var controlWord: UInt16 = 0x037F
    /// FSW, including TOP in bits 11-13.
    public var statusWord: UInt16 = 0
    /// Full tag word, 2 bits per physical register (11 = empty).
    public var tagWord: UInt16 = 0xFFFF
    /// Last instruction opcode (11 bits), instruction and data pointers.
    public var lastOpcode: UInt16 = 0
    public var lastInstructionPointer: UInt64 = 0
    public var lastDataPointer: UInt64 = 0
    /// MXCSR (reset 0x1F80).
    public var mxcsr: UInt32 = 0x1F80
    /// ST0-ST7 / MM0-MM7 as physical registers R0-R7, 10 bytes each padded to 16.
    public var st: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>,
                    SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>) =
        (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    /// XMM0-XMM15 (the low halves of YMM0-YMM15).
    public var xmm: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>,
                     SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>,
                     SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>,
                     SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>) =
        (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero,
         .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)

    public init() {}
}
