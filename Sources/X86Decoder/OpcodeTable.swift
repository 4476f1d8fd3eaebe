import X86ISA

/// The opcode tables as text, one string per map; each file in `Tables/` adds one.
enum OpcodeTableText {}

/// All opcode-table entries, parsed once, with an index from (table, opcode byte) to the
/// candidate entries for that byte. Built on first use (a few milliseconds).
struct OpcodeTable: Sendable {
    /// All entries; `Instruction.entry` indexes this.
    let entries: [OpcodeEntry]
    /// For each of 7 tables x 256 opcodes: start index into `candidates` (high 16 bits) and count (low 16).
    let slots: [UInt32]
    /// Entry indices grouped by slot, in table order (first match wins).
    let candidates: [UInt16]
    /// For each slot: whether its instructions have a ModRM byte.
    let slotHasModRM: [Bool]

    /// The text sources, in priority order.
    static let sources: [String] = [
        OpcodeTableText.oneByte,
        OpcodeTableText.twoByte,
        OpcodeTableText.system,
        OpcodeTableText.x87,
        OpcodeTableText.sse,
        OpcodeTableText.threeByte,
        OpcodeTableText.vex,
    ]

    /// Lines of the tables that did not parse (a bug in this project; a test keeps it empty).
    let errors: [String]

    /// The shared table, built from `sources`.
    static let shared = OpcodeTable(sources: sources)

    /// Parses the tables. A malformed line is skipped and recorded in `errors`.
    init(sources: [String]) {
        var entries: [OpcodeEntry] = [OpcodeEntry()]  // entry 0: invalid
        var lines: [String] = [""]  // the table text of each entry, for diagnostics
        var errors: [String] = []
        for text in sources {
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters()
                if line.isEmpty || line.hasPrefix("#") { continue }
                do {
                    entries.append(try OpcodeTableParser.parse(String(line)))
                    lines.append(String(line))
                } catch {
                    errors.append("\(error)")
                }
            }
        }
        var buckets = [[UInt16]](repeating: [], count: 7 * 256)
        var hasModRM = [Bool](repeating: false, count: 7 * 256)
        var seen = [Bool](repeating: false, count: 7 * 256)
        for (i, e) in entries.enumerated() where i > 0 {
            let opcodes: [UInt8] = e.opcodeRegister ? (0..<8).map { e.opcode | $0 } : [e.opcode]
            for op in opcodes {
                let slot = Int(e.table) * 256 + Int(op)
                if seen[slot], hasModRM[slot] != e.hasModRM {
                    errors.append("opcode table: ModRM presence differs from other entries of this opcode in line: \(lines[i])")
                    continue
                }
                seen[slot] = true
                hasModRM[slot] = e.hasModRM
                buckets[slot].append(UInt16(i))
            }
        }
        var slots = [UInt32](repeating: 0, count: 7 * 256)
        var candidates: [UInt16] = []
        for (s, b) in buckets.enumerated() {
            slots[s] = UInt32(candidates.count) << 16 | UInt32(b.count)
            candidates.append(contentsOf: b)
        }
        self.entries = entries
        self.slots = slots
        self.candidates = candidates
        self.slotHasModRM = hasModRM
        self.errors = errors
    }
}
