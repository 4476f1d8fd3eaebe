/// The CPUID model: what the virtual CPU reports about itself, the same whichever engine runs it.
/// The interpreter answers CPUID from it directly; the KVM engine loads the same answers into the
/// kernel with KVM_SET_CPUID2 (`entries()`), so a guest cannot tell the engines apart by CPUID.
///
/// A coherent model that advertises only what the interpreter implements so far (integer
/// long-mode CPU with the x87 FPU, MMX, SSE through SSE4.2, AES-NI, PCLMULQDQ, BMI1, BMI2, ADX, FXSAVE and
/// XSAVE). Edit `query` to change it.
public enum CPUIDModel {
    /// CPUID(leaf, subleaf) -> (EAX, EBX, ECX, EDX) (SDM Vol. 2, CPUID).
    public static func query(leaf: UInt32, subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        // "PopekVMPopek" in EBX, EDX, ECX order.
        let vendor: (UInt32, UInt32, UInt32) = (0x6570_6F50, 0x504D_566B, 0x6B65_706F)
        switch leaf {
        case 0: return (0xD, vendor.0, vendor.2, vendor.1)
        case 1:
            // Family 6, model 0: EDX = FPU (0), DE (2), PSE (3), TSC (4), MSR (5), PAE (6), CX8 (8), APIC (9),
            // SEP (11), PGE (13), CMOV (15), PAT (16), CLFSH (19), MMX (23), FXSR (24), SSE (25), SSE2 (26).
            // ECX = SSE3 (0), PCLMULQDQ (1), SSSE3 (9), CX16 (13), SSE4.1 (19), SSE4.2 (20), POPCNT (23),
            // AES (25), XSAVE (26); OSXSAVE (27) mirrors CR4.OSXSAVE (the engine sets it). EBX[15:8]:
            // CLFLUSH line size in 8-byte units. The SSE3-and-later bits rest on the differential runs of
            // Documentation/FPU-SIMD.md (100,000 sequences per family, no mismatch). Not advertised:
            // MONITOR (3) and the VEX-encoded vector extensions (AVX, FMA, F16C); the VEX-encoded BMI1/BMI2
            // are in leaf 7.
            let edx: UInt32 = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 11)
                | (1 << 13) | (1 << 15) | (1 << 16) | (1 << 19) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26)
            let ecx: UInt32 = (1 << 0) | (1 << 1) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 23) | (1 << 25) | (1 << 26)
            return (0x0000_0600, 8 << 8, ecx, edx)
        case 7 where subleaf == 0:
            // EBX: BMI1 (3), SMEP (7), BMI2 (8), FCS and FDS deprecated (13): FSTENV/FXSAVE/XSAVE
            // store them as zero, ADX (19), SMAP (20) with STAC/CLAC (the interpreter's SMEPSMAP.swift).
            // BMI1/BMI2/ADX are VEX- or legacy-encoded GPR instructions (the interpreter's
            // BitManipulation.swift; TZCNT): they need no AVX state, so AVX stays unadvertised.
            return (0, (1 << 3) | (1 << 7) | (1 << 8) | (1 << 13) | (1 << 19) | (1 << 20), 0, 0)
        case 0xD:
            // XSAVE (SDM Vol. 1, 13.2): x87 and SSE only; the area is the 512-byte legacy region plus
            // the 64-byte header in both formats. Subleaf 1: XSAVEOPT (0), XSAVEC (1), XSAVES (3);
            // IA32_XSS supports nothing.
            switch subleaf {
            case 0: return (3, 576, 576, 0)
            case 1: return (0xB, 576, 0, 0)
            default: return (0, 0, 0, 0)
            }
        case 0x8000_0000: return (0x8000_0008, vendor.0, vendor.2, vendor.1)
        case 0x8000_0001:
            // EDX: SYSCALL (11), NX (20), LM (29). ECX: LAHF/SAHF in 64-bit (0), LZCNT (5).
            return (0, 0, (1 << 0) | (1 << 5), (1 << 11) | (1 << 20) | (1 << 29))
        case 0x8000_0002...0x8000_0004:
            // The processor brand string, 48 bytes of ASCII NUL-padded, 16 per leaf in EAX, EBX, ECX, EDX.
            let bytes = Array(brandString.utf8) + [UInt8](repeating: 0, count: 48 - brandString.utf8.count)
            let offset = Int(leaf - 0x8000_0002) * 16
            func word(_ i: Int) -> UInt32 {
                (0..<4).reduce(0) { $0 | UInt32(bytes[offset + i * 4 + $1]) << (8 * $1) }
            }
            return (word(0), word(1), word(2), word(3))
        case 0x8000_0008:
            // Address sizes: 36 physical bits (64 GiB: the machine's RAM limit, Machine/MemoryLimits.swift),
            // 48 linear bits.
            return (0x3024, 0, 0, 0)
        default: return (0, 0, 0, 0)
        }
    }

    /// What leaves 80000002h-80000004h spell (at most 47 characters).
    public static let brandString = "Popek virtual CPU (x86-64 interpreter model)"

    /// Leaves whose answer depends on the subleaf in ECX (SDM Vol. 2, CPUID: leaves 4, 7, 0Bh,
    /// 0Dh, 0Fh, 10h, 12h, 14h, 17h, 18h, 1Dh, 1Eh, 1Fh, 20h, 23h, 24h; 8000001Dh, 80000020h, 80000026h).
    public static let subleafIndexed: Set<UInt32> = [
        0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1E, 0x1F, 0x20, 0x23, 0x24,
        0x8000_001D, 0x8000_0020, 0x8000_0026,
    ]

    /// One answer of the model, as a table entry for engines that need the whole table up front.
    public struct Entry: Sendable, Equatable {
        public var leaf: UInt32
        public var subleaf: UInt32
        /// The answer depends on the subleaf (KVM_CPUID_FLAG_SIGNIFCANT_INDEX).
        public var indexed: Bool
        public var eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32
    }

    /// Every leaf up to the maximum basic (leaf 0's EAX) and extended (80000000h's EAX) leaf;
    /// subleaf-indexed leaves are enumerated up to the first all-zero subleaf after subleaf 0
    /// (at most 64), which is what a CPU returns beyond the last valid subleaf.
    public static func entries() -> [Entry] {
        var out: [Entry] = []
        func add(_ leaf: UInt32) {
            if subleafIndexed.contains(leaf) {
                for sub in UInt32(0)..<64 {
                    let r = query(leaf: leaf, subleaf: sub)
                    if sub > 0 && r == (0, 0, 0, 0) { break }
                    out.append(Entry(leaf: leaf, subleaf: sub, indexed: true, eax: r.0, ebx: r.1, ecx: r.2, edx: r.3))
                }
            } else {
                let r = query(leaf: leaf, subleaf: 0)
                out.append(Entry(leaf: leaf, subleaf: 0, indexed: false, eax: r.0, ebx: r.1, ecx: r.2, edx: r.3))
            }
        }
        let maxBasic = min(query(leaf: 0, subleaf: 0).0, 0xFF)
        for leaf in 0...maxBasic { add(leaf) }
        let maxExtended = query(leaf: 0x8000_0000, subleaf: 0).0
        if maxExtended >= 0x8000_0000 {
            for leaf in 0x8000_0000...min(maxExtended, 0x8000_00FF) { add(leaf) }
        }
        return out
    }
}
