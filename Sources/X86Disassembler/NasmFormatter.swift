import X86Decoder
import X86ISA

/// Formats decoded instructions in NASM syntax as iced's NASM formatter does.
///
/// The default `Options` are those of iced's NASM test vectors (`Nasm/Test*_MemDefault.txt`, iced's
/// `create_memdefault`), which `NasmFormatterTests` checks line by line: lower-case `0x` hex, memory size
/// keywords only where the operands do not imply the size, `byte`/`qword` on sign-extended immediates, no
/// `short`/`near` branch keywords, `[rip+disp]` for RIP-relative operands, no space after commas.
/// `Options.icedDefaults` gives iced's own defaults (`0A5h` hex, `[rel 0x...]`, no sign-extension
/// keywords) except `short`/`near` branch keywords, which this formatter does not print.
public struct NasmFormatter: Sendable {
    /// The iced `FormatterOptions` this formatter supports.
    public struct Options: Sendable {
        /// `[rip+0x12]` (true) or `[rel 0x7ff...]` with the absolute target (false, iced's default).
        public var ripRelativeAddresses = true
        /// `add rax,byte 0xff..` (true) or `add rax,0xff..` (false, iced's default).
        public var showSignExtendedImmediateSize = true
        /// `add eax,ecx` (false) or `add eax, ecx` (true).
        public var spaceAfterOperandSeparator = false
        /// Hex digits `A`-`F` (true, iced's default) or `a`-`f`.
        public var uppercaseHex = false
        /// Text before a hex number (`0x`; iced's NASM default is none).
        public var hexPrefix = "0x"
        /// Text after a hex number (iced's NASM default is `h`).
        public var hexSuffix = ""

        public init() {}

        /// iced's `FormatterOptions::with_nasm()` (but no `short`/`near` branch keywords).
        public static var icedDefaults: Options {
            var o = Options()
            o.ripRelativeAddresses = false
            o.showSignExtendedImmediateSize = false
            o.uppercaseHex = true
            o.hexPrefix = ""
            o.hexSuffix = "h"
            return o
        }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// The mnemonic as printed (without prefixes), lower case as NASM spells it.
    public func mnemonicText(_ ins: Instruction) -> String {
        Rules(ins, options, address: 0).layout().mnemonic
    }

    /// The whole instruction, given the address it was decoded at (for branch targets and RIP-relative
    /// operands).
    public func format(_ ins: Instruction, address: UInt64) -> String {
        let l = Rules(ins, options, address: address).layout()
        var s = ""
        for p in l.prefixes {
            s += p
            s += " "
        }
        s += l.mnemonic
        for (i, op) in l.operands.enumerated() {
            s += i == 0 ? " " : (options.spaceAfterOperandSeparator ? ", " : ",")
            s += text(op, ins, address: address)
        }
        return s
    }

    // MARK: - Operand text

    func text(_ op: FOperand, _ ins: Instruction, address: UInt64) -> String {
        switch op {
        case .register(let r): return r.nasmName
        case .text(let t): return t
        case .immediate(let v, let bits, let keyword):
            let n = number(v, bits: bits)
            return keyword.map { $0 + " " + n } ?? n
        case .branch(let target, let bits):
            return number(target, bits: bits, leadingZeros: true)
        case .far(let selector, let offset, let bits):
            return number(selector, bits: 16, leadingZeros: true) + ":" + number(offset, bits: bits, leadingZeros: true)
        case .memory(let m):
            return memoryText(m, ins, address: address)
        }
    }

    /// iced's number formatting: 0-9 in decimal, otherwise hex (branch targets padded with zeros to
    /// their width); a leading `0` where there is no prefix and the number starts with a letter.
    func number(_ v: UInt64, bits: Int, leadingZeros: Bool = false) -> String {
        let masked = bits >= 64 ? v : v & ((1 << UInt64(bits)) - 1)
        if masked <= 9 { return String(masked) }
        var digits = String(masked, radix: 16, uppercase: options.uppercaseHex)
        if leadingZeros && digits.count < bits / 4 {
            digits = String(repeating: "0", count: bits / 4 - digits.count) + digits
        }
        if options.hexPrefix.isEmpty, let first = digits.first, first.isLetter { digits = "0" + digits }
        return options.hexPrefix + digits + options.hexSuffix
    }

    func memoryText(_ m: FMemory, _ ins: Instruction, address: UInt64) -> String {
        var s = ""
        if let k = m.sizeKeyword { s += k + " " }
        s += "["
        if let k = m.innerKeyword { s += k + " " }
        var base = m.base
        var displacement = m.displacement
        var addressSize = m.addressSize
        if (base == .rip || base == .eip) && !options.ripRelativeAddresses {
            // iced: `[rel 0x...]`, and `[dword rel 0x...]` for a 32-bit (EIP-relative) address.
            if base == .eip && m.innerKeyword == nil { s += "dword " }
            s += "rel "
            let target = address &+ UInt64(ins.length) &+ UInt64(bitPattern: displacement)
            displacement = Int64(bitPattern: base == .eip ? target & 0xFFFF_FFFF : target)
            addressSize = base == .eip ? 4 : 8
            base = .none
        }
        if let seg = m.segment { s += seg.nasmName + ":" }
        var needPlus = false
        if base != .none {
            s += base.nasmName
            needPlus = true
        }
        if m.index != .none {
            if needPlus { s += "+" }
            s += m.index.nasmName
            if m.scale != 1 || base == .none { s += "*" + String(m.scale) }
            needPlus = true
        }
        if !needPlus {
            let bits = addressSize == 2 ? 16 : addressSize == 4 ? 32 : 64
            s += number(UInt64(bitPattern: displacement), bits: bits)
        } else if m.displacementSize != 0 && displacement != 0 {
            var magnitude: UInt64
            var negative = false
            switch addressSize {
            case 2:
                let d = Int16(truncatingIfNeeded: displacement)
                negative = d < 0
                magnitude = UInt64(UInt16(bitPattern: negative ? 0 &- d : d))
            case 4:
                let d = Int32(truncatingIfNeeded: displacement)
                negative = d < 0
                magnitude = UInt64(UInt32(bitPattern: negative ? 0 &- d : d))
            default:
                negative = displacement < 0
                magnitude = UInt64(bitPattern: negative ? 0 &- displacement : displacement)
            }
            s += negative ? "-" : "+"
            s += number(magnitude, bits: 64)
        }
        s += "]"
        return s
    }
}

/// A formatted operand before it becomes text.
enum FOperand {
    case register(Register)
    case text(String)
    /// An immediate shown in `bits` bits, with an optional size keyword (`byte`, `qword` ...).
    case immediate(UInt64, bits: Int, keyword: String?)
    case branch(UInt64, bits: Int)
    case far(selector: UInt64, offset: UInt64, bits: Int)
    case memory(FMemory)
}

/// A memory operand as printed.
struct FMemory {
    var sizeKeyword: String?
    /// A keyword inside the brackets (`[dword 0x12345678]` for a moffs of another address size).
    var innerKeyword: String?
    var segment: Register?
    var base: Register = .none
    var index: Register = .none
    var scale: UInt8 = 1
    var displacementSize: UInt8 = 0
    var displacement: Int64 = 0
    var addressSize: UInt8 = 8
}

/// How iced's NASM formatter lays an instruction out: prefixes, mnemonic, operands.
struct Layout {
    var prefixes: [String] = []
    var mnemonic: String
    var operands: [FOperand] = []

    init(mnemonic: String) { self.mnemonic = mnemonic }
}
