import Foundation
import Testing
import X86Decoder
import X86ISA

/// The instruction metadata (RFLAGS effects, x87 condition codes, control flow, operand access) agrees
/// with iced's InstructionInfo vectors (`../shared/testdata/iced/InstructionInfo`).
///
/// Each line iced decodes with default options and Popek decodes to the same mnemonic is checked;
/// EVEX, XOP, MVEX and 3DNow! lines, lines needing decoder options and lines the decoder cannot decode
/// yet are skipped. Disagreements are written to `info-report-MODE.txt` in `$POPEK_REPORT_DIR` (or
/// `.build/`); the test fails on any not listed, with a reason, in `Resources/info-known-differences.txt`.
@Suite struct InstructionInfoTests {
    /// iced's flag letters: RFLAGS `o s z a c p d i t A`, `u` UIF (no RFLAGS bit: ignored), and the x87
    /// condition codes `0 1 2 3`.
    static func parseFlags(_ s: Substring) -> (RFlags, X87ConditionCodes)? {
        var x: X87ConditionCodes = []
        var letters = ""
        for ch in s {
            switch ch {
            case "0": x.insert(.c0)
            case "1": x.insert(.c1)
            case "2": x.insert(.c2)
            case "3": x.insert(.c3)
            default: letters.append(ch)
            }
        }
        guard let f = RFlags(letters: letters[...]) else { return nil }
        return (f, x)
    }

    static func x87Letters(_ x: X87ConditionCodes) -> String {
        var s = ""
        if x.contains(.c0) { s += "0" }
        if x.contains(.c1) { s += "1" }
        if x.contains(.c2) { s += "2" }
        if x.contains(.c3) { s += "3" }
        return s
    }

    /// iced's Code -> Mnemonic, from the decoder vectors (to skip lines Popek decodes differently).
    static let mnemonicOfCode: [Substring: String] = {
        var d: [Substring: String] = [:]
        for file in ["DecoderTest16.txt", "DecoderTest32.txt", "DecoderTest64.txt",
                     "DecoderTestMisc16.txt", "DecoderTestMisc32.txt", "DecoderTestMisc64.txt"] {
            for line in (try? TestData.lines("iced/Decoder/\(file)")) ?? [] where !line.hasPrefix("#") {
                let p = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
                guard p.count >= 3 else { continue }
                let code = p[1].trimmingCharacters(in: .whitespaces)
                if d[code[...]] == nil { d[code[...]] = p[2].trimmingCharacters(in: .whitespaces).lowercased() }
            }
        }
        return d
    }()

    enum Outcome {
        /// Not applicable: comments, EVEX/XOP/MVEX/3DNow!, decoder options.
        case skipped
        /// Popek does not decode the line (yet) as iced does.
        case notDecoded(String)
        case agrees
        case differs(String)
    }

    /// Compares one vector line with Popek's decoding and metadata.
    static func check(_ line: Substring, _ decoder: Decoder) -> Outcome {
        if line.hasPrefix("#") { return .skipped }
        let parts = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return .skipped }
        let code = parts[1].trimmingCharacters(in: .whitespaces)
        let encoding = parts[2].trimmingCharacters(in: .whitespaces)
        if encoding != "Legacy" && encoding != "VEX" { return .skipped }
        let keys = parts.count > 4 ? parts[4].split(separator: " ") : []
        if keys.contains(where: { $0.hasPrefix("decopt=") }) { return .skipped }
        let hex = parts[0].filter { !$0.isWhitespace }
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            guard let b = UInt8(hex[i..<j], radix: 16) else { return .skipped }
            bytes.append(b)
            i = j
        }
        if bytes.isEmpty { return .skipped }
        let (status, ins) = decoder.decode(bytes)
        if code.hasPrefix("Declare") { return .skipped }
        if code == "INVALID" {
            guard status == .invalid else { return .notDecoded("\(status)") }
        } else {
            // iced builds its `special` lines with its encoder: the waiting x87 forms (9B D9 30, FSTENV)
            // are two instructions to a decoder, WAIT and FNSTENV; POP CS (0F) exists only on the 8086.
            let decodedWhole = status == .ok && Int(ins.length) == bytes.count && ins.mnemonic != .wait
            if keys.contains("special") && !decodedWhole { return .skipped }
            guard status == .ok, Int(ins.length) == bytes.count else { return .notDecoded("\(status) length \(ins.length)") }
            if let expected = mnemonicOfCode[code[...]], expected != ins.mnemonic.name {
                return .notDecoded("mnemonic \(ins.mnemonic.name), iced \(expected)")
            }
        }

        var expected = FlagEffects()
        var expectedX87 = X87ConditionCodeEffects()
        var flow = "Next"
        var access: [Int: Substring] = [:]
        for k in keys {
            guard let eq = k.firstIndex(of: "=") else { continue }
            let key = k[..<eq], value = k[k.index(after: eq)...]
            switch key {
            case "fr", "fw", "fu", "fc", "fs":
                guard let (f, x) = parseFlags(value) else { return .differs("unknown flag letter in \(k)") }
                // A key may repeat (FCOMI: `fc=1 ... fc=aos`): the sets add up.
                switch key {
                case "fr": expected.read.formUnion(f); expectedX87.read.formUnion(x)
                case "fw": expected.written.formUnion(f); expectedX87.written.formUnion(x)
                case "fu": expected.undefined.formUnion(f); expectedX87.undefined.formUnion(x)
                case "fc": expected.cleared.formUnion(f); expectedX87.cleared.formUnion(x)
                default: expected.set.formUnion(f); expectedX87.set.formUnion(x)
                }
            case "flow":
                flow = String(value)
            default:
                if key.count == 3, key.hasPrefix("op"), let n = Int(key.dropFirst(2)) { access[n] = value }
            }
        }

        let meta = ins.metadata
        var diffs: [String] = []
        let f = meta.flags
        let names: [(String, RFlags, RFlags)] = [
            ("fr", expected.read, f.read), ("fw", expected.written, f.written), ("fu", expected.undefined, f.undefined),
            ("fc", expected.cleared, f.cleared), ("fs", expected.set, f.set),
        ]
        for (name, want, got) in names where want != got {
            diffs.append("\(name)=\(got.letters) expected \(want.letters)")
        }
        let x = meta.x87ConditionCodes
        let x87: [(String, X87ConditionCodes, X87ConditionCodes)] = [
            ("fr", expectedX87.read, x.read), ("fw", expectedX87.written, x.written),
            ("fu", expectedX87.undefined, x.undefined), ("fc", expectedX87.cleared, x.cleared),
            ("fs", expectedX87.set, x.set),
        ]
        for (name, want, got) in x87 where want != got {
            diffs.append("x87 \(name)=\(x87Letters(got)) expected \(x87Letters(want))")
        }
        if meta.controlFlow.description != flow { diffs.append("flow=\(meta.controlFlow) expected \(flow)") }
        if code != "INVALID" {
            let icedCount = (access.keys.max() ?? -1) + 1
            if icedCount != Int(ins.operandCount) {
                diffs.append("operand count \(ins.operandCount) expected \(icedCount)")
            } else {
                for n in 0..<icedCount {
                    let got = meta.operandAccess(n).description
                    if let want = access[n], want != got { diffs.append("op\(n)=\(got) expected \(want)") }
                }
            }
        }
        if !meta.isKnown && code != "INVALID" { diffs.append("no metadata row for \(ins.mnemonic.name)") }
        return diffs.isEmpty ? .agrees : .differs(diffs.joined(separator: "; "))
    }

    static func knownDifferences() -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/info-known-differences.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var set = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            // "MODE | iced line | difference | reason": the line itself contains commas but no '|'.
            let parts = line.split(separator: "|", maxSplits: 3).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count >= 2 { set.insert(parts[0] + "|" + parts[1]) }
        }
        return set
    }

    @Test("iced instruction info vectors", arguments: [
        ("InstructionInfoTest_16.txt", CPUMode.bits16), ("InstructionInfoTest_32.txt", .bits32),
        ("InstructionInfoTest_64.txt", .bits64),
    ])
    func instructionInfo(file: String, mode: CPUMode) throws {
        let decoder = Decoder(mode: mode)
        let known = Self.knownDifferences()
        var checked = 0, agree = 0, skipped = 0
        var differences: [(String, String)] = []
        var undecoded: [(String, String)] = []
        var agreeing = Set<String>()
        for line in try TestData.lines("iced/InstructionInfo/\(file)") where !line.hasPrefix("#") {
            switch Self.check(line, decoder) {
            case .skipped: skipped += 1
            case .notDecoded(let why):
                skipped += 1
                undecoded.append((line.trimmingCharacters(in: .whitespaces), why))
            case .agrees:
                checked += 1; agree += 1
                agreeing.insert("\(mode.rawValue)|\(line.trimmingCharacters(in: .whitespaces))")
            case .differs(let d):
                checked += 1
                differences.append((line.trimmingCharacters(in: .whitespaces), d))
            }
        }
        var report = "\(file): \(checked) checked, \(agree) agree, \(differences.count) differ, \(skipped) skipped\n"
        for (line, d) in differences { report += "\(mode.rawValue) | \(line) | \(d)\n" }
        report += "\n# Skipped: not decoded as iced does (\(undecoded.count) lines)\n"
        for (line, d) in undecoded { report += "\(mode.rawValue) | \(line) | \(d)\n" }
        if mode == .bits64 {
            report += "\n# Table mnemonics the decoder does not produce: \(InstructionMetadataDiagnostics.unknownMnemonics.joined(separator: " "))\n"
            report += "# Decoder mnemonics without metadata: \(InstructionMetadataDiagnostics.mnemonicsWithoutMetadata.map(\.name).joined(separator: " "))\n"
        }
        let reportDir = ProcessInfo.processInfo.environment["POPEK_REPORT_DIR"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build").path
        let reportURL = URL(fileURLWithPath: reportDir).appendingPathComponent("info-report-\(mode.rawValue).txt")
        try? report.write(to: reportURL, atomically: true, encoding: .utf8)
        let unexpected = differences.filter { !known.contains("\(mode.rawValue)|\($0.0)") }
        let nowAgreeing = known.filter { agreeing.contains($0) }
        print("\(file): \(checked) checked, \(agree) agree, \(differences.count) differ, \(skipped) skipped (\(undecoded.count) not decoded yet; \(unexpected.count) unexpected)")
        let first = unexpected.prefix(5).map { "\($0.0) -> \($0.1)" }.joined(separator: "; ")
        let unexpectedCount = unexpected.count, nowAgreeingCount = nowAgreeing.count
        #expect(unexpectedCount == 0, "metadata differs from iced (report: \(reportURL.path)); first: \(first)")
        #expect(nowAgreeingCount == 0, "known differences that now agree; remove them: \(nowAgreeing.prefix(5).joined(separator: "; "))")
    }

    @Test("metadata table parses and covers every mnemonic the decoder produces")
    func tableParses() {
        #expect(InstructionMetadataDiagnostics.errors.isEmpty, "\(InstructionMetadataDiagnostics.errors.prefix(5))")
        let missing = InstructionMetadataDiagnostics.mnemonicsWithoutMetadata.map(\.name)
        #expect(missing.isEmpty, "add rows to Sources/X86Decoder/FlagsTable.swift for: \(missing.joined(separator: " "))")
    }

    @Test("metadata examples")
    func examples() {
        let d64 = Decoder(mode: .bits64)
        // add [rax], ebx: memory read and written, all six status flags written.
        let (_, add) = d64.decode([0x01, 0x18])
        #expect(add.flagEffects.written == RFlags.status)
        #expect(add.memoryAccess == .readWrite)
        #expect(add.controlFlow == .next)
        // xor eax, eax: the zeroing idiom writes eax without reading it.
        let (_, xor) = d64.decode([0x31, 0xC0])
        #expect(xor.operandAccess(0) == .write && xor.operandAccess(1) == .none)
        #expect(xor.flagEffects.set == [.zero, .parity])
        // shl eax, 0: no flags.
        let (_, shl0) = d64.decode([0xC1, 0xE0, 0x00])
        #expect(shl0.flagEffects.modified == [])
        // jmp rax / jmp rel8 / ret / int3 / ud2.
        #expect(d64.decode([0xFF, 0xE0]).1.controlFlow == .indirectBranch)
        #expect(d64.decode([0xEB, 0x00]).1.controlFlow == .unconditionalBranch)
        #expect(d64.decode([0xC3]).1.controlFlow == .return)
        #expect(d64.decode([0xCC]).1.controlFlow == .interrupt)
        #expect(d64.decode([0x0F, 0x0B]).1.controlFlow == .exception)
        // rep movsb: both accesses conditional; DF read.
        let (_, movsb) = d64.decode([0xF3, 0xA4])
        #expect(movsb.operandAccess(0) == .conditionalWrite && movsb.operandAccess(1) == .conditionalRead)
        #expect(movsb.flagsRead == .direction)
    }
}
