import Foundation

/// `metadata.json` of a SingleStepTests set: each opcode's status and undefined-flags mask.
public struct SingleStepMetadata: Sendable {
    /// One opcode (or group member) entry.
    public struct Entry: Sendable {
        /// "normal", "alias", "undocumented", "undefined", "fpu", "prefix", "extension"; nil for a group head.
        public var status: String?
        /// The FLAGS bits the instruction defines (`flags-mask`); 0xFFFF when the entry gives none.
        public var flagsMask: UInt16
        /// Group members by ModRM.reg, for opcodes like F7.
        public var reg: [Int: Entry]
    }

    /// Entries by opcode key as the file names spell it ("F7", "0F01").
    public var opcodes: [String: Entry] = [:]

    public init() {}

    public init(contentsOf url: URL) throws(TestVectorError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(url.path, error.localizedDescription) }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let ops = json["opcodes"] as? [String: Any] else {
            throw .malformed(url.path, "metadata.json has no \"opcodes\" object")
        }
        for (key, value) in ops {
            if let dict = value as? [String: Any] { opcodes[key.uppercased()] = Self.entry(dict) }
        }
    }

    static func entry(_ d: [String: Any]) -> Entry {
        var e = Entry(status: d["status"] as? String, flagsMask: 0xFFFF, reg: [:])
        if let m = d["flags-mask"] as? Int { e.flagsMask = UInt16(truncatingIfNeeded: m) }
        if let regs = d["reg"] as? [String: Any] {
            for (k, v) in regs {
                if let n = Int(k), let sub = v as? [String: Any] { e.reg[n] = entry(sub) }
            }
        }
        return e
    }

    /// The entry for an opcode key and ModRM.reg (for group opcodes); a group member inherits nothing
    /// from its head except when it is missing.
    public func entry(opcode: String, reg: Int?) -> Entry? {
        guard let head = opcodes[opcode.uppercased()] else { return nil }
        if let reg, let member = head.reg[reg] { return member }
        return head
    }
}

/// `revocation_list.txt`: hashes of tests found to be bad upstream, one per line, `#` comments.
public func loadRevocationList(_ url: URL) -> Set<String> {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    var set = Set<String>()
    for line in text.split(whereSeparator: \.isNewline) {
        let s = line.trimmingCharacters(in: .whitespaces)
        if s.isEmpty || s.hasPrefix("#") { continue }
        set.insert(s.lowercased())
    }
    return set
}
