import ArgumentParser
import Foundation
import X86Decoder
import X86Disassembler
import X86ISA

/// `popek disasm`: decode a code image, or hex lines from standard input.
struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disassemble x86 code to NASM syntax.",
        discussion: """
            With FILE, prints address, bytes and text for each instruction of the raw image.
            With --hex, reads one instruction per standard-input line as hex bytes \
            (spaces allowed); --json prints one JSON object per line.
            """
    )

    @Argument(help: "A raw code image (flat binary).")
    var file: String?

    @Option(help: "Decoding mode: 16, 32 or 64.")
    var mode: Int = 64

    @Option(help: "Address of the first byte (decimal or 0x hex).")
    var origin: String = "0"

    @Flag(help: "Read hex-encoded instructions from standard input, one per line.")
    var hex = false

    @Flag(help: "With --hex: print JSON objects.")
    var json = false

    func validate() throws {
        guard CPUMode(bits: mode) != nil else { throw ValidationError("--mode must be 16, 32 or 64, not \(mode)") }
        guard parseAddress(origin) != nil else { throw ValidationError("--origin: '\(origin)' is not a number") }
        if !hex && file == nil { throw ValidationError("give a FILE, or --hex to read standard input") }
        if hex && file != nil { throw ValidationError("--hex reads standard input; do not give a FILE too") }
        if json && !hex { throw ValidationError("--json goes with --hex") }
    }

    func run() throws {
        let cpuMode = CPUMode(bits: mode)!
        let decoder = Decoder(mode: cpuMode)
        let formatter = NasmFormatter()
        var out = OutputBuffer()
        if hex {
            while let line = readLine() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                guard let bytes = parseHex(trimmed) else {
                    out.write(json ? #"{"error":"bad hex"}"# : "error: bad hex: \(trimmed)")
                    continue
                }
                let (status, ins) = decoder.decode(bytes)
                switch status {
                case .ok:
                    let text = formatter.format(ins, address: 0)
                    if json {
                        out.write(#"{"length":\#(ins.length),"mnemonic":"\#(formatter.mnemonicText(ins))","text":"\#(jsonEscape(text))","class":"\#(ins.popekGoldbergClass)"}"#)
                    } else {
                        out.write(text)
                    }
                case .invalid: out.write(json ? #"{"error":"invalid"}"# : "(bad)")
                case .truncated: out.write(json ? #"{"error":"truncated"}"# : "(truncated)")
                case .unsupported:
                    out.write(json ? #"{"error":"unsupported","length":\#(ins.length)}"# : "(unsupported, \(ins.length) bytes)")
                }
            }
        } else {
            let data = try readFile(file!)
            var address = parseAddress(origin)!
            data.withUnsafeBufferPointer { buf in
                var offset = 0
                var ins = Instruction()
                while offset < buf.count {
                    let status = decoder.decode(buf.baseAddress! + offset, count: buf.count - offset, into: &ins)
                    let n = status == .ok || status == .unsupported ? Int(ins.length) : 1
                    let bytes = buf[offset..<min(offset + n, buf.count)].map { String(format: "%02X", $0) }.joined()
                    let text: String
                    switch status {
                    case .ok: text = formatter.format(ins, address: address)
                    case .unsupported: text = "(unsupported)"
                    case .invalid: text = "(bad)"
                    case .truncated: text = "(truncated)"
                    }
                    out.write(String(format: "%016llX  %-30@ %@", address, bytes as NSString, text as NSString))
                    offset += n
                    address &+= UInt64(n)
                }
            }
        }
        out.flush()
    }
}

/// `popek analyze`: count instructions by Popek-Goldberg class.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count the instructions of each Popek-Goldberg class in a code image.",
        discussion: "Decodes the image linearly from its first byte and lists the sensitive-unprivileged instructions."
    )

    @Argument(help: "A raw code image (flat binary).")
    var file: String

    @Option(help: "Decoding mode: 16, 32 or 64.")
    var mode: Int = 64

    @Option(help: "Address of the first byte (decimal or 0x hex).")
    var origin: String = "0"

    func validate() throws {
        guard CPUMode(bits: mode) != nil else { throw ValidationError("--mode must be 16, 32 or 64, not \(mode)") }
        guard parseAddress(origin) != nil else { throw ValidationError("--origin: '\(origin)' is not a number") }
    }

    func run() throws {
        let data = try readFile(file)
        let decoder = Decoder(mode: CPUMode(bits: mode)!)
        let formatter = NasmFormatter()
        let base = parseAddress(origin)!
        var counts = [PopekGoldbergClass: Int]()
        var invalid = 0, unsupported = 0
        var sensitive: [(UInt64, String)] = []
        data.withUnsafeBufferPointer { buf in
            var offset = 0
            var ins = Instruction()
            while offset < buf.count {
                let status = decoder.decode(buf.baseAddress! + offset, count: buf.count - offset, into: &ins)
                switch status {
                case .ok:
                    let c = ins.popekGoldbergClass
                    counts[c, default: 0] += 1
                    if c == .sensitiveUnprivileged {
                        sensitive.append((base &+ UInt64(offset), formatter.format(ins, address: base &+ UInt64(offset))))
                    }
                    offset += Int(ins.length)
                case .unsupported:
                    unsupported += 1
                    offset += Int(ins.length)
                case .invalid, .truncated:
                    invalid += 1
                    offset += 1
                }
            }
        }
        var out = OutputBuffer()
        for c in PopekGoldbergClass.allCases {
            out.write("\(c.description.padding(toLength: 12, withPad: " ", startingAt: 0)) \(counts[c, default: 0])")
        }
        out.write("unsupported  \(unsupported)")
        out.write("undecodable  \(invalid)")
        if !sensitive.isEmpty { out.write("sensitive-unprivileged instructions:") }
        for (a, t) in sensitive { out.write(String(format: "  %016llX  %@", a, t as NSString)) }
        out.flush()
    }
}

/// Buffered standard output: one write per 64 KiB rather than per line.
struct OutputBuffer {
    private var buffer: [UInt8] = []

    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count > 65536 { flush() }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

func readFile(_ path: String) throws -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read '\(path)'")
    }
    return [UInt8](d)
}

func parseAddress(_ s: String) -> UInt64? {
    if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
    return UInt64(s)
}

func parseHex(_ s: String) -> [UInt8]? {
    let digits = s.filter { !$0.isWhitespace }
    guard digits.count % 2 == 0, !digits.isEmpty, digits.count <= 64 else { return nil }
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        guard let b = UInt8(digits[i..<j], radix: 16) else { return nil }
        out.append(b)
        i = j
    }
    return out
}

func jsonEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
}
