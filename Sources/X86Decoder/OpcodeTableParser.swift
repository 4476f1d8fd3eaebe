import X86ISA

/// Parses opcode-table lines written in the Intel SDM's notation:
///
///     OPCODE | mnemonic OPERANDS | ATTRIBUTES
///
/// OPCODE: `[VEX.L.pp.map.W] [NP|66|F2|F3] [REX.W] [0F [38|3A]] XX[+r] [/r|/digit|XX|XX+i] [mem|reg] [o16|o32|o64|a16|a32|a64]`
/// (a byte after the opcode is an exact ModRM byte with mod = 11; `C0+i` leaves r/m free).
/// OPERANDS: Appendix A codes (`Eb`, `Gv`, `Iz`, `Jb`, `Vx`, `Wps` ...), fixed registers in capitals
/// (`AL`, `DX`, `ES`, `ST0`, `XMM0`), `rAX`-style GPRs sized by operand size, `eAX` sized by `z`,
/// `STi`, and `1`. A mnemonic `a/b/c` names the 16-, 32- and 64-bit operand-size variants.
/// ATTRIBUTES: `d64 f64 i64 o64 lock asz wsel y priv sens ...` (see `EntryAttributes`).
enum OpcodeTableParser {
    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var reason: String
        var description: String { "opcode table: \(reason) in line: \(line)" }
    }

    static func parse(_ line: String) throws -> OpcodeEntry {
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters() }
        guard fields.count >= 2 else { throw ParseError(line: line, reason: "expected 'opcode | mnemonic operands'") }
        var e = OpcodeEntry()
        try parseOpcode(fields[0], into: &e, line: line)
        try parseInstruction(fields[1], into: &e, line: line)
        if fields.count > 2 { try parseAttributes(fields[2], into: &e, line: line) }
        return e
    }

    private static func hexByte(_ s: Substring) -> UInt8? {
        guard s.count == 2 else { return nil }
        return UInt8(s, radix: 16)
    }

    private static func parseOpcode(_ text: Substring, into e: inout OpcodeEntry, line: String) throws {
        var tokens = text.split(separator: " ")[...]
        var isVEX = false
        var map: UInt8 = 0
        if let t = tokens.first, t.hasPrefix("VEX.") {
            isVEX = true
            tokens = tokens.dropFirst()
            e.prefix = .none
            for part in t.split(separator: ".").dropFirst() {
                switch part {
                case "128", "L0", "LZ": e.l = 0
                case "256", "L1": e.l = 1
                case "LIG": e.l = 0xFF
                case "66": e.prefix = .p66
                case "F3": e.prefix = .pF3
                case "F2": e.prefix = .pF2
                case "NP": e.prefix = .none
                case "0F": map = 1
                case "0F38": map = 2
                case "0F3A": map = 3
                case "W0": e.w = 0
                case "W1": e.w = 1
                case "WIG": e.w = 0xFF
                case "NDS", "NDD", "DDS": break
                default: throw ParseError(line: line, reason: "unknown VEX field \(part)")
                }
            }
            guard map != 0 else { throw ParseError(line: line, reason: "VEX without a map") }
        }
        // Mandatory prefix.
        if !isVEX, let t = tokens.first, tokens.count > 1, ["NP", "66", "F2", "F3"].contains(t) {
            e.prefix = t == "NP" ? .none : t == "66" ? .p66 : t == "F3" ? .pF3 : .pF2
            tokens = tokens.dropFirst()
        }
        if let t = tokens.first, t == "REX.W" { e.w = 1; tokens = tokens.dropFirst() }
        if !isVEX, let t = tokens.first, t == "0F" || t == "0F38" || t == "0F3A" {
            tokens = tokens.dropFirst()
            map = 1
            if t == "0F38" { map = 2 } else if t == "0F3A" { map = 3 }
            if map == 1, tokens.count > 1, let n = tokens.first, n == "38" || n == "3A" {
                map = n == "38" ? 2 : 3
                tokens = tokens.dropFirst()
            }
        }
        guard let opTok = tokens.first else { throw ParseError(line: line, reason: "no opcode byte") }
        tokens = tokens.dropFirst()
        if opTok.hasSuffix("+r") {
            guard let b = hexByte(opTok.dropLast(2)), b & 7 == 0 else { throw ParseError(line: line, reason: "bad +r opcode") }
            e.opcode = b
            e.opcodeRegister = true
        } else {
            guard let b = hexByte(opTok) else { throw ParseError(line: line, reason: "bad opcode byte \(opTok)") }
            e.opcode = b
        }
        e.table = isVEX ? 3 + map : map
        for t in tokens {
            switch t {
            case "/r": e.hasModRM = true
            case "/0", "/1", "/2", "/3", "/4", "/5", "/6", "/7":
                e.hasModRM = true
                e.reg = UInt8(t.last!.wholeNumberValue!)
            case "mem": e.mod = 1
            case "reg": e.mod = 2
            case "o16": e.operandSize = 2
            case "o32": e.operandSize = 4
            case "o64": e.operandSize = 8
            case "a16": e.addressSize = 2
            case "a32": e.addressSize = 4
            case "a64": e.addressSize = 8
            case "W0": e.w = 0
            case "W1": e.w = 1
            case "ib", "iw", "id", "io", "cb", "cw", "cd", "cp", "/is4": break
            default:
                if t.hasSuffix("+i"), let b = hexByte(t.dropLast(2)), b >= 0xC0, b & 7 == 0 {
                    e.hasModRM = true
                    e.mod = 2
                    e.reg = (b >> 3) & 7
                } else if let b = hexByte(t), b >= 0xC0 {
                    e.hasModRM = true
                    e.mod = 2
                    e.reg = (b >> 3) & 7
                    e.rm = b & 7
                } else {
                    throw ParseError(line: line, reason: "unknown opcode token \(t)")
                }
            }
        }
    }

    private static let gprNames: [Substring: UInt8] = ["AX": 0, "CX": 1, "DX": 2, "BX": 3, "SP": 4, "BP": 5, "SI": 6, "DI": 7]

    static func parseOperand(_ t: Substring, line: String) throws -> OperandSpec {
        var s = OperandSpec()
        if t == "1" { s.method = .one; s.type = .b; return s }
        if t == "STi" { s.method = .STi; return s }
        if t == "Xlat" { s.method = .xlat; s.type = .b; return s }
        if t.count == 3, t.first == "r" || t.first == "e", let n = gprNames[t.dropFirst()] {
            s.method = .fixedGPR
            s.type = t.first == "r" ? .v : .z
            s.fixed = n
            return s
        }
        if t.allSatisfy({ $0.isUppercase || $0.isNumber }), let r = Register(name: String(t)) {
            s.method = .fixedRegister
            s.fixed = r.rawValue
            return s
        }
        if t.hasPrefix("Bnd") {
            s.method = t == "Bndr" ? .bndReg : .bndRM
            s.type = .bnd
            return s
        }
        // `vm32x:d`: VSIB memory, SDM notation (vm32x vm32y vm64x vm64y: index size and XMM/YMM index
        // register), then the element size. `[rDI]:dq`: implicit seg:[rDI] memory of that size.
        if let colon = t.firstIndex(of: ":"), t.hasPrefix("vm") || t.hasPrefix("[rDI]") {
            let head = t[..<colon]
            if head == "[rDI]" {
                s.method = .segDI
            } else if head.count == 5, ["vm32", "vm64"].contains(head.prefix(4)), head.last == "x" || head.last == "y" {
                s.method = .vsib
                s.fixed = head.last == "x" ? 16 : 32
            } else {
                throw ParseError(line: line, reason: "bad operand \(t)")
            }
            let sizeTypes: [Substring: OperandType] = ["b": .b, "w": .w, "d": .d, "q": .q, "dq": .dq, "qq": .qq]
            guard let ty = sizeTypes[t[t.index(after: colon)...]] else { throw ParseError(line: line, reason: "bad operand \(t)") }
            s.type = ty
            return s
        }
        guard let first = t.first, first.isUppercase else { throw ParseError(line: line, reason: "bad operand \(t)") }
        let methods: [Character: AddressingMethod] = [
            "A": .A, "B": .B, "C": .C, "D": .D, "E": .E, "G": .G, "H": .H, "I": .I, "J": .J, "L": .L,
            "M": .M, "N": .N, "O": .O, "P": .P, "Q": .Q, "R": .R, "S": .S, "T": .T, "U": .U, "V": .V,
            "W": .W, "X": .X, "Y": .Y, "Z": .Z,
        ]
        guard let m = methods[first] else { throw ParseError(line: line, reason: "unknown addressing method \(t)") }
        s.method = m
        let typeText = t.dropFirst()
        let types: [Substring: OperandType] = [
            "": .none, "b": .b, "w": .w, "d": .d, "q": .q, "dq": .dq, "qq": .qq, "v": .v, "z": .z, "y": .y,
            "x": .x, "p": .p, "s": .s, "a": .a, "t": .t, "ps": .ps, "pd": .pd, "ss": .ss, "sd": .sd,
            "vw": .vw, "yb": .yb, "yw": .yw, "db": .db, "dw": .dw, "xw": .xw, "xd": .xd, "xq": .xq, "xh": .xh,
            "xqtr": .xqtr, "xe": .xe,
            "fpenv": .fpenv, "fpstate": .fpstate, "fx": .fx, "xsave": .xsave, "unknown": .unknown,
            "bs": .bs, "b2": .b2, "yd": .yd, "b4": .b4,
            "k": .k, "kb": .kb, "kw": .kw, "kd": .kd, "kq": .kq, "tmm": .tmm, "sib": .sib, "m512": .m512, "m384": .m384,
        ]
        guard let ty = types[typeText] else { throw ParseError(line: line, reason: "unknown operand type \(t)") }
        s.type = ty
        return s
    }

    private static func parseInstruction(_ text: Substring, into e: inout OpcodeEntry, line: String) throws {
        let trimmed = text.trimmingCharacters()
        let nameEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        let names = trimmed[..<nameEnd].split(separator: "/").map(String.init)
        var ms: [Mnemonic] = []
        for n in names {
            guard let m = Mnemonic(name: n) else {
                throw ParseError(line: line, reason: "unknown mnemonic \(n) (run Scripts/gen-mnemonics.py)")
            }
            ms.append(m)
        }
        switch ms.count {
        case 1: e.mnemonics = (ms[0], ms[0], ms[0])
        case 2: e.mnemonics = (ms[0], ms[0], ms[1])
        case 3: e.mnemonics = (ms[0], ms[1], ms[2])
        default: throw ParseError(line: line, reason: "bad mnemonic list")
        }
        let rest = trimmed[nameEnd...].trimmingCharacters()
        if rest.isEmpty { return }
        let ops = rest.split(separator: ",")
        guard ops.count <= 5 else { throw ParseError(line: line, reason: "more than 5 operands") }
        for (i, o) in ops.enumerated() {
            e.setOperand(i, try parseOperand(o.trimmingCharacters(), line: line))
        }
        e.operandCount = UInt8(ops.count)
    }

    private static func parseAttributes(_ text: Substring, into e: inout OpcodeEntry, line: String) throws {
        for t in text.split(separator: " ") {
            switch t {
            case "d64": e.attributes.insert(.default64)
            case "f64": e.attributes.insert(.force64)
            case "i64": e.attributes.insert(.invalid64)
            case "o64": e.attributes.insert(.only64)
            case "lock": e.attributes.insert(.lock)
            case "asz": e.attributes.insert(.mnemonicByAddressSize)
            case "wsel": e.attributes.insert(.mnemonicByW)
            case "y": e.attributes.insert(.operandSizeY)
            case "lockcr8": e.attributes.insert(.lockAsCR8)
            case "f32": e.attributes.insert(.force32)
            case "no66": e.attributes.insert(.no66)
            case "keep66": e.attributes.insert(.keeps66)
            case "norexb": e.attributes.insert(.noRexB)
            case "widebranch": e.attributes.insert(.wideBranch)
            case "norep": e.attributes.insert(.noRep)
            case "priv": e.pgClass = .privileged
            case "sens": e.pgClass = .sensitiveUnprivileged
            default: throw ParseError(line: line, reason: "unknown attribute \(t)")
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingCharacters() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
