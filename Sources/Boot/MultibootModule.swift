/// A Multiboot boot module: bytes the loader places in memory for the OS, with a string
/// (Multiboot 0.6.96, 3.3: `mod_start`, `mod_end`, `string`).
public struct MultibootModule: Equatable, Sendable {
    public var bytes: [UInt8]
    /// The module's string, typically a command line; QEMU and GRUB pass the file name and its arguments.
    public var commandLine: String

    public init(bytes: [UInt8], commandLine: String) {
        self.bytes = bytes
        self.commandLine = commandLine
    }

    /// One entry of a module list as QEMU's `-initrd` takes it for a Multiboot kernel.
    public struct Specification: Equatable, Sendable {
        /// The file to read: the entry's first word.
        public var path: String
        /// The module's string: the whole entry, file name and arguments.
        public var commandLine: String

        public init(path: String, commandLine: String) {
            self.path = path
            self.commandLine = commandLine
        }
    }

    /// Parses QEMU's Multiboot module list: entries separated by commas (",," is a literal comma),
    /// each "FILE [ARGUMENTS]". Empty entries are dropped.
    public static func parseList(_ list: String) -> [Specification] {
        var entries: [String] = [], current = ""
        var chars = list[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "," {
                if chars.first == "," { current.append(","); chars = chars.dropFirst() } else { entries.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        entries.append(current)
        return entries.compactMap { e in
            let trimmed = e.trimmingWhitespace
            guard let path = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { return nil }
            return Specification(path: String(path), commandLine: trimmed)
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
