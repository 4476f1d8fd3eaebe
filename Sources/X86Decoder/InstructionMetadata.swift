import X86ISA

// Per-instruction metadata for execution engines: which RFLAGS (and x87 condition codes) an instruction
// tests and changes, how it transfers control, and how it accesses each operand. The facts are the
// text table in FlagsTable.swift, parsed once into arrays indexed by `Mnemonic.rawValue`; a query is an
// array index plus, for the few operand-dependent instructions, a check of the decoded operands.

/// The metadata table as text (FlagsTable.swift).
enum InstructionMetadataText {}

/// How an instruction transfers control (the categories of iced's `FlowControl`).
public enum ControlFlow: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Execution continues with the next instruction.
    case next = 0
    /// JMP to a target encoded in the instruction (relative or far pointer).
    case unconditionalBranch
    /// JMP through a register or memory.
    case indirectBranch
    /// Jcc, JrCXZ, LOOP/LOOPE/LOOPNE: either the target or the next instruction.
    case conditionalBranch
    /// RET, RETF, IRET, SYSRET, SYSEXIT, RSM and the like.
    case `return`
    /// CALL to a target encoded in the instruction; also transfers to a fixed entry point that return
    /// later (SYSCALL, SYSENTER, VMCALL, VMRUN...).
    case call
    /// CALL through a register or memory.
    case indirectCall
    /// INT n, INT1, INT3, INTO.
    case interrupt
    /// XBEGIN: continues, or on abort resumes at its fallback target.
    case xbeginXabortXend
    /// Raises an exception unconditionally: UD0, UD1, UD2, and invalid encodings.
    case exception

    /// The name iced's test files use.
    public var description: String {
        switch self {
        case .next: "Next"
        case .unconditionalBranch: "UnconditionalBranch"
        case .indirectBranch: "IndirectBranch"
        case .conditionalBranch: "ConditionalBranch"
        case .return: "Return"
        case .call: "Call"
        case .indirectCall: "IndirectCall"
        case .interrupt: "Interrupt"
        case .xbeginXabortXend: "XbeginXabortXend"
        case .exception: "Exception"
        }
    }
}

/// How an instruction accesses one of its explicit operands (iced's `OpAccess`).
public enum OperandAccess: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Not accessed (NOP's and UD1's operands, FFREE's register).
    case none = 0
    /// Read.
    case read
    /// Read only if a condition holds (string instructions with REP, FCMOVcc's source).
    case conditionalRead
    /// Written.
    case write
    /// Written only if a condition holds (CMOVcc, BSF/BSR, LAR/LSL, string instructions with REP).
    case conditionalWrite
    /// Read and written.
    case readWrite
    /// Read, and written only if a condition holds (CMPXCHG, ARPL).
    case readConditionalWrite
    /// A memory operand whose address is computed but which is not accessed (LEA, PREFETCHh, INVLPG).
    case noMemoryAccess

    /// Whether the operand may be read.
    @inlinable public var reads: Bool {
        self == .read || self == .conditionalRead || self == .readWrite || self == .readConditionalWrite
    }

    /// Whether the operand may be written.
    @inlinable public var writes: Bool {
        self == .write || self == .conditionalWrite || self == .readWrite || self == .readConditionalWrite
    }

    /// The letters the metadata table and iced's test files use: `r w rw cr cw rcw n nma`.
    public var description: String {
        switch self {
        case .none: "n"
        case .read: "r"
        case .conditionalRead: "cr"
        case .write: "w"
        case .conditionalWrite: "cw"
        case .readWrite: "rw"
        case .readConditionalWrite: "rcw"
        case .noMemoryAccess: "nma"
        }
    }

    /// Parses the letters of `description`.
    public init?(letters: Substring) {
        switch letters {
        case "n": self = .none
        case "r": self = .read
        case "cr": self = .conditionalRead
        case "w": self = .write
        case "cw": self = .conditionalWrite
        case "rw": self = .readWrite
        case "rcw": self = .readConditionalWrite
        case "nma": self = .noMemoryAccess
        default: return nil
        }
    }
}

/// What an instruction does to RFLAGS, in the terms of SDM Vol. 1, Appendix A, Table A-2: the five sets
/// are disjoint except `read`, which may overlap any of the others.
public struct FlagEffects: Sendable, Hashable {
    /// Flags tested ("T").
    public var read: RFlags = []
    /// Flags modified to a value that depends on the result ("M").
    public var written: RFlags = []
    /// Flags cleared ("0").
    public var cleared: RFlags = []
    /// Flags set ("1").
    public var set: RFlags = []
    /// Flags left undefined ("U").
    public var undefined: RFlags = []

    @inlinable public init() {}

    /// Every flag the instruction changes: written, cleared, set or undefined.
    @inlinable public var modified: RFlags { written.union(cleared).union(set).union(undefined) }
}

/// The condition-code bits of the x87 FPU status word (SDM Vol. 1, 8.1.3.1), at their bit positions.
public struct X87ConditionCodes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// C0 (bit 8).
    public static let c0 = X87ConditionCodes(rawValue: 1 << 8)
    /// C1 (bit 9): stack overflow/underflow, or the rounding direction.
    public static let c1 = X87ConditionCodes(rawValue: 1 << 9)
    /// C2 (bit 10).
    public static let c2 = X87ConditionCodes(rawValue: 1 << 10)
    /// C3 (bit 14).
    public static let c3 = X87ConditionCodes(rawValue: 1 << 14)
    /// All four.
    public static let all: X87ConditionCodes = [.c0, .c1, .c2, .c3]
}

/// What an x87 instruction does to the condition codes C0-C3, in the same terms as `FlagEffects`.
public struct X87ConditionCodeEffects: Sendable, Hashable {
    public var read: X87ConditionCodes = []
    public var written: X87ConditionCodes = []
    public var cleared: X87ConditionCodes = []
    public var set: X87ConditionCodes = []
    public var undefined: X87ConditionCodes = []

    @inlinable public init() {}

    /// Every condition code the instruction changes.
    @inlinable public var modified: X87ConditionCodes { written.union(cleared).union(set).union(undefined) }
}

/// All metadata of one decoded instruction, resolved for its operands and prefixes.
public struct InstructionMetadata: Sendable {
    /// RFLAGS tested and changed.
    public var flags: FlagEffects
    /// x87 condition codes tested and changed.
    public var x87ConditionCodes: X87ConditionCodeEffects
    /// The kind of control transfer.
    public var controlFlow: ControlFlow
    /// Access of operands 0-4 (`none` past the operand count).
    public var access0: OperandAccess, access1: OperandAccess, access2: OperandAccess,
               access3: OperandAccess, access4: OperandAccess
    /// Whether the decoder's mnemonic has a row in the metadata table. Without one, the flags are
    /// empty, the flow is `next` and the access a guess: the first operand read and written, the
    /// others read.
    public var isKnown: Bool

    @usableFromInline init(flags: FlagEffects, x87ConditionCodes: X87ConditionCodeEffects, controlFlow: ControlFlow,
                           access0: OperandAccess, access1: OperandAccess, access2: OperandAccess,
                           access3: OperandAccess, access4: OperandAccess, isKnown: Bool) {
        self.flags = flags
        self.x87ConditionCodes = x87ConditionCodes
        self.controlFlow = controlFlow
        self.access0 = access0
        self.access1 = access1
        self.access2 = access2
        self.access3 = access3
        self.access4 = access4
        self.isKnown = isKnown
    }

    /// Access of operand `i` (0-4).
    @inlinable public func operandAccess(_ i: Int) -> OperandAccess {
        switch i {
        case 0: access0
        case 1: access1
        case 2: access2
        case 3: access3
        default: access4
        }
    }
}

extension Instruction {
    /// RFLAGS this instruction tests, modifies, clears, sets or leaves undefined, for its operands
    /// (shift counts, zeroing idioms) and prefixes.
    @inlinable public var flagEffects: FlagEffects {
        let s = MetadataStore.shared
        return s.flags(self, row: s.row(for: self))
    }

    /// The RFLAGS this instruction reads.
    @inlinable public var flagsRead: RFlags { flagEffects.read }

    /// The RFLAGS this instruction may change (written, cleared, set or undefined).
    @inlinable public var flagsModified: RFlags { flagEffects.modified }

    /// What this x87 instruction does to the FPU condition codes C0-C3.
    @inlinable public var x87ConditionCodeEffects: X87ConditionCodeEffects {
        let s = MetadataStore.shared
        return s.rows[s.row(for: self)].x87
    }

    /// How this instruction transfers control.
    @inlinable public var controlFlow: ControlFlow {
        let s = MetadataStore.shared
        return s.rows[s.row(for: self)].flow
    }

    /// How this instruction accesses operand `i` (`none` for `i >= operandCount`).
    @inlinable public func operandAccess(_ i: Int) -> OperandAccess {
        let s = MetadataStore.shared
        return s.access(self, i, row: s.row(for: self))
    }

    /// The access of the instruction's ModRM or moffs memory operand (`.memory`), or `none` if it has none.
    @inlinable public var memoryAccess: OperandAccess {
        let s = MetadataStore.shared
        let r = s.row(for: self)
        for i in 0..<Int(operandCount) where operand(i).kind == .memory {
            return s.access(self, i, row: r)
        }
        return .none
    }

    /// All metadata at once (one table lookup).
    public var metadata: InstructionMetadata {
        let s = MetadataStore.shared
        let r = s.row(for: self)
        let row = s.rows[r]
        let n = Int(operandCount)
        let pattern = row.access(count: n)
        func at(_ i: Int) -> OperandAccess {
            guard i < n else { return .none }
            let a = OperandAccess(rawValue: UInt8(truncatingIfNeeded: pattern >> (3 * UInt16(i))) & 7) ?? .read
            return s.adjust(a, self, i, rule: row.rule)
        }
        return InstructionMetadata(
            flags: s.flags(self, row: r), x87ConditionCodes: row.x87, controlFlow: row.flow,
            access0: at(0), access1: at(1), access2: at(2), access3: at(3), access4: at(4), isKnown: r != 0)
    }
}

/// Diagnostics over the metadata table, for tests.
public enum InstructionMetadataDiagnostics {
    /// Table lines that failed to parse; empty in a correct build.
    public static var errors: [String] { MetadataTable.shared.errors }
    /// Mnemonics the table names that the decoder does not produce (yet).
    public static var unknownMnemonics: [String] { MetadataTable.shared.unknownMnemonics }
    /// Mnemonics the decoder produces that have no row in the table.
    public static var mnemonicsWithoutMetadata: [Mnemonic] {
        let t = MetadataTable.shared
        return Mnemonic.allCases.filter { $0 != .invalid && t.index[Int($0.rawValue)] == 0 }
    }
}

// MARK: - The parsed table

/// Operand-value rules a row may carry.
@usableFromInline enum MetadataRule: UInt8, Sendable {
    case none = 0
    /// The last operand is a shift/rotate count.
    case count
    /// A rotate-through-carry count (RCL/RCR).
    case rotateCarryCount
    /// REP/REPE/REPNE makes accesses conditional.
    case rep
    /// CMOVcc's destination.
    case cmov
}

/// One row of the table, for one mnemonic.
@usableFromInline struct MetadataRow: Sendable {
    @usableFromInline var flags = FlagEffects()
    @usableFromInline var x87 = X87ConditionCodeEffects()
    @usableFromInline var flow: ControlFlow = .next
    @usableFromInline var rule: MetadataRule = .none
    /// 0: none; 1: `same`; 2: shapes.
    @usableFromInline var condition: UInt8 = 0
    /// Up to four operand shapes: bits 0-2 count, then 3 bits per operand (see `ShapeLetter`).
    @usableFromInline var shapes: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    @usableFromInline var shapeCount: UInt8 = 0
    /// The operands' access for each operand count 0-5: 3 bits per operand (an `OperandAccess` raw
    /// value). Counts the table gives no pattern for get the fallback: the first operand read and
    /// written, the others read.
    @usableFromInline var access: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) =
        (fallbackAccess, fallbackAccess, fallbackAccess, fallbackAccess, fallbackAccess, fallbackAccess)

    /// Operand 0 `readWrite`, operands 1-4 `read`.
    @usableFromInline static let fallbackAccess: UInt16 = 5 | 1 << 3 | 1 << 6 | 1 << 9 | 1 << 12

    @inlinable func access(count: Int) -> UInt16 {
        switch count {
        case 0: access.0
        case 1: access.1
        case 2: access.2
        case 3: access.3
        case 4: access.4
        default: access.5
        }
    }

    mutating func setAccess(count: Int, _ p: UInt16) {
        switch count {
        case 0: access.0 = p
        case 1: access.1 = p
        case 2: access.2 = p
        case 3: access.3 = p
        case 4: access.4 = p
        default: access.5 = p
        }
    }

    @inlinable func shape(_ i: Int) -> UInt32 {
        switch i {
        case 0: shapes.0
        case 1: shapes.1
        case 2: shapes.2
        default: shapes.3
        }
    }
}

/// Operand-shape letters of a row condition.
@usableFromInline enum ShapeLetter: UInt32 {
    case any = 0, register, memory, string, immediate, branch, controlRegister
}

/// The parsed table in memory that is never freed, for lookups without reference counting.
@usableFromInline struct MetadataStore: @unchecked Sendable {
    /// Row 0 is the fallback for mnemonics without a row.
    @usableFromInline let rows: UnsafeMutablePointer<MetadataRow>
    /// Per `Mnemonic.rawValue`: first row (high 24 bits) and row count (low 8); 0 without a row.
    @usableFromInline let index: UnsafeMutablePointer<UInt32>
    @usableFromInline let indexCount: Int

    @usableFromInline static let shared = MetadataStore(MetadataTable.shared)

    init(_ t: MetadataTable) {
        rows = .allocate(capacity: t.rows.count)
        rows.initialize(from: t.rows, count: t.rows.count)
        index = .allocate(capacity: t.index.count)
        index.initialize(from: t.index, count: t.index.count)
        indexCount = t.index.count
    }

    /// The row that applies to `ins`: the first of its mnemonic's rows whose condition holds.
    @inlinable func row(for ins: Instruction) -> Int {
        let m = Int(ins.mnemonic.rawValue)
        guard m < indexCount else { return 0 }
        let e = index[m]
        let start = Int(e >> 8)
        if e & 0xFF == 1 && rows[start].condition == 0 { return start }
        return conditionalRow(for: ins, start: start, count: Int(e & 0xFF))
    }

    /// The slow path of `row(for:)`: a mnemonic with conditional rows.
    @usableFromInline func conditionalRow(for ins: Instruction, start: Int, count: Int) -> Int {
        for r in start..<(start + count) where MetadataStore.holds(rows[r], ins) { return r }
        return 0
    }

    static func holds(_ row: MetadataRow, _ ins: Instruction) -> Bool {
        switch row.condition {
        case 0:
            return true
        case 1:
            let n = Int(ins.operandCount)
            guard n >= 2 else { return false }
            let a = ins.operand(n - 2), b = ins.operand(n - 1)
            return a.kind == .register && b.kind == .register && a.register == b.register
        default:
            for s in 0..<Int(row.shapeCount) where matches(row.shape(s), ins) { return true }
            return false
        }
    }

    static func matches(_ shape: UInt32, _ ins: Instruction) -> Bool {
        let n = Int(shape & 7)
        guard n == Int(ins.operandCount) else { return false }
        for i in 0..<n {
            let letter = ShapeLetter(rawValue: (shape >> (3 + 3 * UInt32(i))) & 7) ?? .any
            let o = ins.operand(i)
            switch letter {
            case .any: continue
            case .register: if o.kind != .register { return false }
            case .memory: if o.kind != .memory { return false }
            case .string: if o.kind != .memorySegSI && o.kind != .memoryESDI { return false }
            case .immediate: if o.kind != .immediate { return false }
            case .branch: if o.kind != .nearBranch && o.kind != .farBranch { return false }
            case .controlRegister:
                let raw = o.register.rawValue
                if o.kind != .register || raw < Register.first_cr || raw >= Register.first_bnd { return false }
            }
        }
        return true
    }

    /// The row's flags adjusted for a shift count.
    @inlinable func flags(_ ins: Instruction, row r: Int) -> FlagEffects {
        let rule = rows[r].rule
        if rule != .count && rule != .rotateCarryCount { return rows[r].flags }
        return countFlags(ins, row: r)
    }

    @usableFromInline func countFlags(_ ins: Instruction, row r: Int) -> FlagEffects {
        let row = rows[r]
        switch row.rule {
        case .count, .rotateCarryCount:
            let n = Int(ins.operandCount)
            guard n >= 2 else { return row.flags }
            let last = ins.operand(n - 1)
            guard last.kind == .immediate else { return MetadataStore.oneOrMore(row.flags, one: false) }
            var count = ins.immediate & (ins.op0.size == 8 ? 0x3F : 0x1F)
            if row.rule == .rotateCarryCount {
                if ins.op0.size == 1 { count %= 9 } else if ins.op0.size == 2 { count %= 17 }
            }
            if count == 0 { return FlagEffects() }
            return MetadataStore.oneOrMore(row.flags, one: count == 1)
        default:
            return row.flags
        }
    }

    /// A count other than 1 leaves OF undefined (SDM Vol. 2, SAL/SAR/SHL/SHR "Flags Affected").
    static func oneOrMore(_ f: FlagEffects, one: Bool) -> FlagEffects {
        if one { return f }
        var g = f
        if g.written.contains(.overflow) {
            g.written.remove(.overflow)
            g.undefined.insert(.overflow)
        }
        return g
    }

    @inlinable func access(_ ins: Instruction, _ i: Int, row r: Int) -> OperandAccess {
        let n = Int(ins.operandCount)
        guard i < n else { return .none }
        let pattern = rows[r].access(count: n)
        let a = OperandAccess(rawValue: UInt8(truncatingIfNeeded: pattern >> (3 * UInt16(i))) & 7) ?? .read
        return adjust(a, ins, i, rule: rows[r].rule)
    }

    /// Applies the `rep` and `cmov` rules to an operand's access.
    @inlinable func adjust(_ access: OperandAccess, _ ins: Instruction, _ i: Int, rule: MetadataRule) -> OperandAccess {
        var a = access
        switch rule {
        case .rep:
            if !ins.prefixes.isDisjoint(with: [.rep, .repne]) {
                if a == .read { a = .conditionalRead } else if a == .write { a = .conditionalWrite }
            }
        case .cmov:
            if i == 0 && ins.mode == .bits64 && ins.operandSize == 4 { a = .readWrite }
        default:
            break
        }
        return a
    }

}

struct MetadataTable: Sendable {
    let rows: [MetadataRow]
    let index: [UInt32]
    let errors: [String]
    let unknownMnemonics: [String]

    static let shared = MetadataTable(text: InstructionMetadataText.table)

    // MARK: Parsing

    init(text: String) {
        var errors: [String] = []
        var unknown: [String] = []
        // Rows per mnemonic: conditional rows in table order, then the default row.
        var conditional = [[MetadataRow]](repeating: [], count: Mnemonic.allCases.count + 1)
        var defaults = [MetadataRow?](repeating: nil, count: Mnemonic.allCases.count + 1)
        var byName: [Substring: Mnemonic] = [:]
        for m in Mnemonic.allCases { byName[Substring(m.name)] = m }

        for raw in text.split(separator: "\n") {
            let line = raw.metadataTrimmed()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.metadataTrimmed() }
            guard fields.count == 4 else {
                errors.append("metadata table: expected 4 fields in line: \(line)")
                continue
            }
            var row = MetadataRow()
            var names = fields[0]
            if let open = names.firstIndex(of: "[") {
                guard names.last == "]" else {
                    errors.append("metadata table: unterminated condition in line: \(line)")
                    continue
                }
                let cond = names[names.index(after: open)..<names.index(before: names.endIndex)]
                names = names[..<open].metadataTrimmed()
                if let e = Self.parseCondition(cond, into: &row) {
                    errors.append("metadata table: \(e) in line: \(line)")
                    continue
                }
            }
            if let e = Self.parseFlags(fields[1], into: &row) ?? Self.parseAccess(fields[2], into: &row)
                ?? Self.parseFlow(fields[3], into: &row) {
                errors.append("metadata table: \(e) in line: \(line)")
                continue
            }
            for name in names.split(separator: " ") {
                guard let m = byName[name] else {
                    unknown.append(String(name))
                    continue
                }
                let k = Int(m.rawValue)
                if row.condition != 0 {
                    conditional[k].append(row)
                } else if defaults[k] != nil {
                    errors.append("metadata table: second default row for \(name) in line: \(line)")
                } else {
                    defaults[k] = row
                }
            }
        }
        var rows = [MetadataRow()]
        var index = [UInt32](repeating: 0, count: Mnemonic.allCases.count + 1)
        for k in 0..<index.count {
            var list = conditional[k]
            if let d = defaults[k] { list.append(d) }
            if list.isEmpty { continue }
            index[k] = UInt32(rows.count) << 8 | UInt32(list.count)
            rows.append(contentsOf: list)
        }
        self.rows = rows
        self.index = index
        self.errors = errors
        self.unknownMnemonics = unknown
    }

    private static func parseCondition(_ text: Substring, into row: inout MetadataRow) -> String? {
        if text == "same" {
            row.condition = 1
            return nil
        }
        row.condition = 2
        let alternatives = text.split(separator: ",")
        guard !alternatives.isEmpty, alternatives.count <= 4 else { return "bad condition \(text)" }
        for (k, alt) in alternatives.enumerated() {
            guard alt.count <= 5 else { return "bad shape \(alt)" }
            var s = UInt32(alt.count)
            for (i, ch) in alt.enumerated() {
                let letter: ShapeLetter
                switch ch {
                case "*": letter = .any
                case "r": letter = .register
                case "m": letter = .memory
                case "s": letter = .string
                case "i": letter = .immediate
                case "b": letter = .branch
                case "c": letter = .controlRegister
                default: return "unknown shape letter \(ch)"
                }
                s |= letter.rawValue << (3 + 3 * UInt32(i))
            }
            switch k {
            case 0: row.shapes.0 = s
            case 1: row.shapes.1 = s
            case 2: row.shapes.2 = s
            default: row.shapes.3 = s
            }
        }
        row.shapeCount = UInt8(alternatives.count)
        return nil
    }

    private static func parseFlags(_ text: Substring, into row: inout MetadataRow) -> String? {
        for token in text.split(separator: " ") {
            guard token.count >= 2, token.dropFirst().first == ":" else { return "bad flags token \(token)" }
            var f: RFlags = []
            var x: X87ConditionCodes = []
            var chars = token.dropFirst(2)[...]
            while let ch = chars.first {
                chars = chars.dropFirst()
                switch ch {
                case "C":
                    switch chars.first {
                    case "0": x.insert(.c0)
                    case "1": x.insert(.c1)
                    case "2": x.insert(.c2)
                    case "3": x.insert(.c3)
                    default: return "bad x87 condition code in \(token)"
                    }
                    chars = chars.dropFirst()
                default:
                    guard let one = RFlags(letters: Substring(String(ch))) else { return "unknown flag \(ch) in \(token)" }
                    f.formUnion(one)
                }
            }
            switch token.first {
            case "T": row.flags.read.formUnion(f); row.x87.read.formUnion(x)
            case "M": row.flags.written.formUnion(f); row.x87.written.formUnion(x)
            case "0": row.flags.cleared.formUnion(f); row.x87.cleared.formUnion(x)
            case "1": row.flags.set.formUnion(f); row.x87.set.formUnion(x)
            case "U": row.flags.undefined.formUnion(f); row.x87.undefined.formUnion(x)
            default: return "unknown flag code in \(token)"
            }
        }
        return nil
    }

    private static func parseAccess(_ text: Substring, into row: inout MetadataRow) -> String? {
        let alternatives = text.split(separator: "/").map { $0.metadataTrimmed() }
        guard !alternatives.isEmpty, alternatives.count <= 4 else { return "bad operand access \(text)" }
        var seen = Set<Int>()
        for alt in alternatives {
            let letters = alt == "-" ? [] : alt.split(separator: " ")
            guard letters.count <= 5 else { return "more than 5 operands in \(alt)" }
            var p: UInt16 = 0
            for (i, l) in letters.enumerated() {
                guard let a = OperandAccess(letters: l) else { return "unknown access \(l)" }
                p |= UInt16(a.rawValue) << (3 * UInt16(i))
            }
            guard seen.insert(letters.count).inserted else { return "two access patterns for \(letters.count) operands" }
            row.setAccess(count: letters.count, p)
        }
        return nil
    }

    private static func parseFlow(_ text: Substring, into row: inout MetadataRow) -> String? {
        for token in text.split(separator: " ") {
            switch token {
            case "jmp": row.flow = .unconditionalBranch
            case "indirectjmp": row.flow = .indirectBranch
            case "jcc": row.flow = .conditionalBranch
            case "call": row.flow = .call
            case "indirectcall": row.flow = .indirectCall
            case "ret": row.flow = .return
            case "int": row.flow = .interrupt
            case "exception": row.flow = .exception
            case "xbegin": row.flow = .xbeginXabortXend
            case "count": row.rule = .count
            case "rcount": row.rule = .rotateCarryCount
            case "rep": row.rule = .rep
            case "cmov": row.rule = .cmov
            default: return "unknown flow or rule \(token)"
            }
        }
        return nil
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    fileprivate func metadataTrimmed() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
