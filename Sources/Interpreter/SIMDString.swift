import X86Decoder
import X86ISA

// SSE4.2 string compares PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM (SDM Vol. 2, 4.1 "Imm8 Control
// Byte Operation for PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM").

extension Interpreter {
    func stringCompare(_ ins: Instruction) throws(CPUException) {
        try sseCheck()
        let m = ins.mnemonic
        // The memory operand need not be aligned (SDM Vol. 2, 2.4, exception type 4 note).
        let b = try vectorOperand(ins, 1, aligned: false)
        let a = xmm(Int(ins.op0.register.number))
        let imm = UInt8(truncatingIfNeeded: ins.immediate)
        let words = imm & 1 != 0
        let signed = imm & 2 != 0
        let count = words ? 8 : 16
        func element(_ v: Vec, _ i: Int) -> Int {
            words ? (signed ? Int(v.sw[i]) : Int(v.w[i])) : (signed ? Int(v.sb[i]) : Int(v[i]))
        }
        // Valid lengths: explicit in EAX/EDX (RAX/RDX with REX.W), absolute value saturated to the
        // element count; implicit up to the first null element.
        var lengthA = count, lengthB = count
        if m == .pcmpestri || m == .pcmpestrm || m == .pcmpestri64 || m == .pcmpestrm64 {
            let wide = m == .pcmpestri64 || m == .pcmpestrm64
            func length(_ r: UInt64) -> Int {
                let v = wide ? Int64(bitPattern: r) : Int64(Int32(truncatingIfNeeded: r))
                return v.magnitude >= UInt64(count) ? count : Int(v.magnitude)
            }
            lengthA = length(gpr[0])
            lengthB = length(gpr[2])
        } else {
            for i in 0..<count where element(a, i) == 0 { lengthA = i; break }
            for i in 0..<count where element(b, i) == 0 { lengthB = i; break }
        }
        // Aggregation (imm[3:2]) over BoolRes[j][i] = compare(a[i], b[j]), with the overrides for
        // invalid elements of SDM Vol. 2, Table 4-7.
        var result: UInt32 = 0
        switch (imm >> 2) & 3 {
        case 0:  // equal any: b[j] is one of a's valid elements
            for j in 0..<lengthB {
                for i in 0..<lengthA where element(a, i) == element(b, j) { result |= 1 << UInt32(j); break }
            }
        case 1:  // ranges: a holds pairs [low, high]
            for j in 0..<lengthB {
                var i = 0
                while i + 1 < lengthA {
                    let x = element(b, j)
                    if element(a, i) <= x && x <= element(a, i + 1) { result |= 1 << UInt32(j); break }
                    i += 2
                }
            }
        case 2:  // equal each: a[j] == b[j]; both invalid is true, one invalid false
            for j in 0..<count {
                let validA = j < lengthA, validB = j < lengthB
                if (!validA && !validB) || (validA && validB && element(a, j) == element(b, j)) { result |= 1 << UInt32(j) }
            }
        default:  // equal ordered: the substring a starts at b[j]
            for j in 0..<count {
                var match = true
                var i = 0
                while i < count - j && match {
                    let validA = i < lengthA, validB = j + i < lengthB
                    if !validA { break }  // a ended: matched so far
                    if !validB || element(a, i) != element(b, j + i) { match = false }
                    i += 1
                }
                if match { result |= 1 << UInt32(j) }
            }
        }
        // Polarity (imm[5:4]): negate all, or only the valid elements of b.
        let all: UInt32 = (1 << UInt32(count)) - 1
        switch (imm >> 4) & 3 {
        case 1: result ^= all
        case 3: result ^= (1 << UInt32(lengthB)) - 1
        default: break
        }
        // Output: an index in ECX, or a mask in XMM0 (imm[6]: most significant bit / expanded mask).
        if m == .pcmpestri || m == .pcmpestri64 || m == .pcmpistri {
            let index: Int
            if result == 0 {
                index = count
            } else {
                index = imm & 0x40 != 0 ? 31 - result.leadingZeroBitCount : result.trailingZeroBitCount
            }
            writeGPR(1, size: 4, UInt64(index))
        } else if imm & 0x40 != 0 {
            var r = Vec()
            for i in 0..<count where result & (1 << UInt32(i)) != 0 {
                if words { r[2 * i] = 0xFF; r[2 * i + 1] = 0xFF } else { r[i] = 0xFF }
            }
            setXMM(0, r)
        } else {
            setXMM(0, Vec(lo: UInt64(result), hi: 0))
        }
        // CF: result non-zero; ZF: b has an invalid element; SF: a has one; OF: result bit 0.
        commitFlags()
        var f = core.pointee.cpu.rflags & ~0x8D5
        if result != 0 { f |= 0x01 }
        if lengthB < count { f |= 0x40 }
        if lengthA < count { f |= 0x80 }
        if result & 1 != 0 { f |= 0x800 }
        core.pointee.cpu.rflags = f
    }
}
