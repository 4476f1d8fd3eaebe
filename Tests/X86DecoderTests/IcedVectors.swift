import Foundation
import X86Decoder
import X86ISA

/// Where `../shared/testdata` is: beside the package root, or `$POPEK_TESTDATA`.
enum TestData {
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["POPEK_TESTDATA"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/testdata")
    }

    static func lines(_ relative: String) throws -> [Substring] {
        let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
    }
}

/// One line of iced's `DecoderTest{16,32,64}.txt` and the comparison of Popek's decoding with it.
struct IcedDecoderVector {
    var line: Substring
    var bytes: [UInt8]
    var code: Substring
    var mnemonic: Substring
    var operands: [Substring]
    var options: [Substring]

    /// Parses a line; nil for comments and lines that need non-default iced decoder options.
    init?(_ line: Substring) {
        if line.hasPrefix("#") { return nil }
        let parts = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return nil }
        let hex = parts[0].filter { !$0.isWhitespace }
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
            bytes.append(b)
            i = j
        }
        self.line = line
        self.bytes = bytes
        code = parts[1].trimmingCharacters(in: .whitespaces)[...]
        mnemonic = parts[2].trimmingCharacters(in: .whitespaces)[...]
        let rest = parts.count > 4 ? parts[4].split(separator: " ") : []
        operands = rest.filter { $0.hasPrefix("op") && $0.contains("=") }
        options = rest.filter { !($0.hasPrefix("op") && $0.contains("=")) }
        if options.contains(where: { $0.hasPrefix("decopt=") }) { return nil }
    }

    /// EVEX, MVEX, XOP and 3DNow! encodings: Popek reports them unsupported but must agree on length.
    var isLengthOnly: Bool {
        code.hasPrefix("EVEX_") || code.hasPrefix("MVEX_") || code.hasPrefix("XOP_") || code.hasPrefix("D3NOW_")
    }

    var expectsInvalid: Bool { code == "INVALID" }
    var expectsTruncated: Bool { options.contains("err=NoMoreBytes") }

    /// The address iced decodes at (its tests' IP).
    static func ip(_ mode: CPUMode) -> UInt64 {
        switch mode {
        case .bits16: 0x7FF0
        case .bits32: 0x7FFF_FFF0
        case .bits64: 0x7FFF_FFFF_FFFF_FFF0
        }
    }

    /// The address the line is decoded at: its `ip=` option, or iced's default for the mode.
    func address(_ mode: CPUMode) -> UInt64 {
        for o in options where o.hasPrefix("ip=") {
            if let v = IcedOperand.hexValue(o.dropFirst(3)) { return v }
        }
        return Self.ip(mode)
    }

    /// Compares Popek's decoding with the vector; returns a description of the first difference.
    func check(_ decoder: Decoder) -> String? {
        let ip = address(decoder.mode)
        let (status, ins) = decoder.decode(bytes)
        if expectsTruncated {
            return status == .truncated ? nil : "expected truncated, got \(status)"
        }
        if expectsInvalid {
            let lengthOnlyCode = options.contains { o in
                ["code=EVEX_", "code=MVEX_", "code=XOP_", "code=D3NOW_"].contains { o.hasPrefix($0) }
            }
            if lengthOnlyCode && status == .unsupported { return nil }
            return status == .invalid ? nil : "expected invalid, got \(status) \(ins.mnemonic.name) len \(ins.length)"
        }
        if isLengthOnly {
            if status != .unsupported && status != .ok { return "expected a length, got \(status)" }
            return Int(ins.length) == bytes.count ? nil : "length \(ins.length), expected \(bytes.count)"
        }
        guard status == .ok else { return "expected \(mnemonic), got \(status)" }
        if Int(ins.length) != bytes.count { return "length \(ins.length), expected \(bytes.count)" }
        let expectedMnemonic = mnemonic.lowercased()
        if ins.mnemonic.name != expectedMnemonic { return "mnemonic \(ins.mnemonic.name), expected \(expectedMnemonic)" }
        if Int(ins.operandCount) != operands.count {
            return "operand count \(ins.operandCount), expected \(operands.count)"
        }
        for (i, op) in operands.enumerated() {
            let value = op[op.index(after: op.firstIndex(of: "=")!)...]
            if let diff = IcedOperand.compare(value, ins, i, mode: decoder.mode, ip: ip) { return "op\(i): \(diff)" }
        }
        return nil
    }
}

/// Compares one iced operand description with Popek's operand.
enum IcedOperand {
    /// Byte sizes of iced's `MemorySize` names; nil where the name carries no comparable size.
    static func memorySize(_ name: Substring) -> Int? {
        switch name {
        case "UInt8", "Int8": return 1
        case "UInt16", "Int16", "Float16", "WordOffset", "BFloat16": return 2
        case "UInt32", "Int32", "Float32", "DwordOffset", "SegPtr16": return 4
        case "UInt64", "Int64", "Float64", "QwordOffset", "Bound32_DwordDword", "Bnd32": return 8
        case "UInt128", "Int128", "Float128", "Bnd64": return 16
        case "UInt256": return 32
        case "UInt512": return 64
        case "Float80", "Bcd", "SegPtr64", "Fword10": return 10
        case "SegPtr32", "Fword6": return 6
        case "Bound16_WordWord": return 4
        case "FpuEnv14": return 14
        case "FpuEnv28": return 28
        case "FpuState94": return 94
        case "FpuState108": return 108
        case "Fxsave_512Byte", "Fxsave64_512Byte": return 512
        case "Xsave", "Xsave64", "Unknown": return 0
        default:
            if name.hasPrefix("Packed"), let end = name.firstIndex(of: "_"),
               let bits = Int(name[name.index(name.startIndex, offsetBy: 6)..<end]) {
                return bits / 8
            }
            return nil
        }
    }

    static func hexValue(_ s: Substring) -> UInt64? {
        var t = s
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t = t.dropFirst(2) }
        return UInt64(t, radix: 16) ?? UInt64(s)
    }

    static func register(_ name: Substring) -> Register? {
        if name.isEmpty { return Register.none }
        return Register(name: String(name))
    }

    static func compare(_ text: Substring, _ ins: Instruction, _ i: Int, mode: CPUMode, ip: UInt64) -> String? {
        let o = ins.operand(i)
        let f = text.split(separator: ";", omittingEmptySubsequences: false)
        let kind = f[0]
        switch kind {
        case "r":
            guard o.kind == .register else { return "expected register \(f[1]), got \(o.kind)" }
            guard let r = register(f[1]) else { return "unknown register \(f[1])" }
            return o.register == r ? nil : "register \(o.register), expected \(f[1])"
        case "m":
            guard o.kind == .memory else { return "expected memory, got \(o.kind)" }
            let m = ins.memory
            guard let seg = register(f[1]), let base = register(f[2]), let index = register(f[3]) else {
                return "unknown register in \(text)"
            }
            if m.segment != seg { return "segment \(m.segment), expected \(f[1])" }
            if m.base != base { return "base \(m.base), expected \(f[2])" }
            if m.index != index { return "index \(m.index), expected \(f[3])" }
            if index != .none, let scale = UInt8(f[4]), m.scale != scale { return "scale \(m.scale), expected \(f[4])" }
            guard let disp = hexValue(f[5]), let dispSize = UInt8(f[6]) else { return "bad displacement \(text)" }
            var ours = UInt64(bitPattern: m.displacement)
            if base == .rip || base == .eip {
                ours = ins.ripRelativeTarget(at: ip)
            }
            let mask: UInt64 = ins.addressSize == 2 ? 0xFFFF : ins.addressSize == 4 ? 0xFFFF_FFFF : ~0
            if (ours & mask) != (disp & mask) { return "displacement 0x\(String(ours, radix: 16)), expected \(f[5])" }
            if m.displacementSize != dispSize && !(dispSize == 0 && m.displacementSize == 0) {
                // iced reports 8-bit displacements of 16-bit forms as 1 and RIP-relative as 4 or 8.
                if !((base == .rip || base == .eip) && m.displacementSize == 4) {
                    return "displacement size \(m.displacementSize), expected \(dispSize)"
                }
            }
            if let size = memorySize(f[7]), Int(o.size) != size { return "memory size \(o.size), expected \(f[7])" }
            return nil
        case "i8", "i16", "i32", "i64", "i8to16", "i8to32", "i8to64", "i32to64", "i8_2nd":
            guard o.kind == .immediate else { return "expected immediate, got \(o.kind)" }
            guard let v = hexValue(f[1]) else { return "bad immediate \(text)" }
            let ours = kind == "i8_2nd" ? ins.immediate2 : (o.register == .rip ? ins.immediate2 : ins.immediate)
            let extended: UInt16
            switch kind {
            case "i8": extended = 1
            case "i16", "i8to16": extended = 2
            case "i32", "i8to32": extended = 4
            default: extended = kind == "i8_2nd" ? 1 : 8
            }
            if o.size != extended { return "immediate size \(o.size), expected \(kind)" }
            let mask: UInt64 = extended == 1 ? 0xFF : extended == 2 ? 0xFFFF : extended == 4 ? 0xFFFF_FFFF : ~0
            return ours & mask == v & mask ? nil : "immediate 0x\(String(ours, radix: 16)), expected \(f[1])"
        case "nb16", "nb32", "nb64":
            guard o.kind == .nearBranch else { return "expected near branch, got \(o.kind)" }
            guard let t = hexValue(f[1]) else { return "bad target" }
            let size: UInt8 = kind == "nb16" ? 2 : kind == "nb32" ? 4 : 8
            if ins.operandSize != size { return "branch operand size \(ins.operandSize), expected \(kind)" }
            let ours = ins.branchTarget(at: ip)
            return ours == t ? nil : "target 0x\(String(ours, radix: 16)), expected \(f[1])"
        case "fb16", "fb32":
            guard o.kind == .farBranch else { return "expected far branch, got \(o.kind)" }
            guard let sel = hexValue(f[1]), let off = hexValue(f[2]) else { return "bad far target" }
            return ins.immediate2 == sel && ins.immediate == off ? nil : "far \(ins.immediate2):\(ins.immediate), expected \(f[1]):\(f[2])"
        case "esdi", "esedi", "esrdi":
            guard o.kind == .memoryESDI else { return "expected es:[rdi], got \(o.kind)" }
            let asz: UInt8 = kind == "esdi" ? 2 : kind == "esedi" ? 4 : 8
            if ins.addressSize != asz { return "address size \(ins.addressSize), expected \(kind)" }
            if let size = memorySize(f[1]), Int(o.size) != size { return "memory size \(o.size), expected \(f[1])" }
            return nil
        case "segsi", "segesi", "segrsi", "segdi", "segedi", "segrdi":
            let wantsDI = kind.hasSuffix("di")
            guard o.kind == .memorySegSI || (wantsDI && o.kind == .memory) else { return "expected seg:[rsi], got \(o.kind)" }
            let asz: UInt8 = kind.hasPrefix("segs") || kind.hasPrefix("segd") ? 2 : kind.hasPrefix("sege") ? 4 : 8
            if ins.addressSize != asz { return "address size \(ins.addressSize), expected \(kind)" }
            if let size = memorySize(f[2]), Int(o.size) != size { return "memory size \(o.size), expected \(f[2])" }
            return nil
        default:
            return "operand kind \(kind) not compared"
        }
    }
}
