import Foundation

/// A CPU state of a SingleStepTests MOO test (`INIT` or `FINA`): the registers it lists and its RAM bytes.
public struct MOOState: Sendable {
    /// Register names in the MOO `REGS` bit order.
    public static let registerNames = ["ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"]
    /// Index constants into `registers`.
    public static let ax = 0, bx = 1, cx = 2, dx = 3, cs = 4, ss = 5, ds = 6, es = 7, sp = 8, bp = 9, si = 10, di = 11, ip = 12, flags = 13

    /// One value per register in `registerNames` order; nil where the state does not list it.
    public var registers: [UInt16?] = Array(repeating: nil, count: 14)
    /// (physical address, value) pairs.
    public var ram: [(address: UInt32, value: UInt8)] = []

    public init() {}
}

/// One SingleStepTests test: an instruction, the state before and after it.
public struct MOOTest: Sendable {
    /// The position in its file, from 0.
    public var index: Int = 0
    /// The disassembly (informational).
    public var name: String = ""
    /// The instruction bytes, prefixes included (80286: followed by the HLT).
    public var bytes: [UInt8] = []
    public var initial = MOOState()
    /// Only the registers and bytes that changed (8086 files list every RAM byte again).
    public var final = MOOState()
    /// 80286: the exception the instruction raised, and the physical address of the FLAGS word it pushed.
    public var exception: (vector: UInt8, flagsAddress: UInt32)? = nil
    /// 80286: the SHA-1 test id, in lowercase hex.
    public var hash: String? = nil

    public init() {}
}

/// A parsed MOO file (format: shared/testdata/README.md; github.com/dbalsom/moo).
public struct MOOFile: Sendable {
    /// "8086" or "C286".
    public var cpu: String = ""
    public var tests: [MOOTest] = []

    /// Reads and parses a `.MOO.gz` (or uncompressed `.MOO`) file.
    public init(contentsOf url: URL) throws(TestVectorError) {
        let path = url.path
        let raw: Data
        do { raw = try Data(contentsOf: url) } catch { throw .unreadable(path, "\(error.localizedDescription)") }
        var bytes = [UInt8](raw)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            bytes = try Gzip.decompress(bytes, path: path)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses an uncompressed MOO chunk stream.
    public init(bytes: [UInt8], path: String = "<memory>") throws(TestVectorError) {
        var reader = ChunkReader(bytes: bytes, path: path)
        var sawHeader = false
        while let chunk = try reader.next(in: 0..<bytes.count) {
            switch chunk.id {
            case "MOO ":
                guard chunk.range.count >= 12 else { throw .malformed(path, "short MOO header") }
                let s = chunk.range.lowerBound + 8
                cpu = String(decoding: bytes[s..<s + 4], as: UTF8.self)
                sawHeader = true
            case "TEST":
                var t = try Self.parseTest(bytes, chunk.range, path: path)
                t.index = tests.count  // the 8086 files store 0 in every TEST index: use the position
                tests.append(t)
            default:
                break  // META, GMET and unknown chunks are skipped by length
            }
        }
        if !sawHeader { throw .malformed(path, "no MOO header chunk") }
    }

    static func parseTest(_ b: [UInt8], _ range: Range<Int>, path: String) throws(TestVectorError) -> MOOTest {
        var t = MOOTest()
        guard range.count >= 4 else { throw .malformed(path, "short TEST chunk") }
        t.index = Int(b.u32(range.lowerBound))
        var reader = ChunkReader(bytes: b, path: path)
        reader.offset = range.lowerBound + 4
        while let c = try reader.next(in: range) {
            let r = c.range
            switch c.id {
            case "NAME":
                let n = Int(b.u32(r.lowerBound))
                guard n + 4 <= r.count else { throw .malformed(path, "test \(t.index): NAME length") }
                t.name = String(decoding: b[r.lowerBound + 4..<r.lowerBound + 4 + n], as: UTF8.self)
            case "BYTS":
                let n = Int(b.u32(r.lowerBound))
                guard n + 4 <= r.count else { throw .malformed(path, "test \(t.index): BYTS length") }
                t.bytes = Array(b[r.lowerBound + 4..<r.lowerBound + 4 + n])
            case "INIT":
                t.initial = try parseState(b, r, path: path, test: t.index)
            case "FINA":
                t.final = try parseState(b, r, path: path, test: t.index)
            case "EXCP":
                guard r.count >= 5 else { throw .malformed(path, "test \(t.index): short EXCP") }
                t.exception = (b[r.lowerBound], b.u32(r.lowerBound + 1))
            case "HASH":
                t.hash = b[r].map { String(format: "%02x", $0) }.joined()
            default:
                break  // CYCL and unknown chunks
            }
        }
        return t
    }

    static func parseState(_ b: [UInt8], _ range: Range<Int>, path: String, test: Int) throws(TestVectorError) -> MOOState {
        var s = MOOState()
        var reader = ChunkReader(bytes: b, path: path)
        reader.offset = range.lowerBound
        while let c = try reader.next(in: range) {
            let r = c.range
            switch c.id {
            case "REGS":
                guard r.count >= 2 else { throw .malformed(path, "test \(test): short REGS") }
                let mask = b.u16(r.lowerBound)
                var o = r.lowerBound + 2
                for i in 0..<14 where mask & (1 << i) != 0 {
                    guard o + 2 <= r.upperBound else { throw .malformed(path, "test \(test): REGS overrun") }
                    s.registers[i] = b.u16(o)
                    o += 2
                }
            case "RAM ":
                guard r.count >= 4 else { throw .malformed(path, "test \(test): short RAM") }
                let n = Int(b.u32(r.lowerBound))
                guard 4 + n * 5 <= r.count else { throw .malformed(path, "test \(test): RAM overrun") }
                s.ram.reserveCapacity(n)
                for i in 0..<n {
                    let o = r.lowerBound + 4 + i * 5
                    s.ram.append((b.u32(o), b[o + 4]))
                }
            default:
                break  // QUEU and unknown chunks
            }
        }
        return s
    }
}

/// Walks `[4-byte id][u32 length][payload]` chunks.
struct ChunkReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func next(in range: Range<Int>) throws(TestVectorError) -> (id: String, range: Range<Int>)? {
        if offset >= range.upperBound { return nil }
        guard offset + 8 <= range.upperBound else { throw .malformed(path, "truncated chunk header at \(offset)") }
        let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
        let length = Int(bytes.u32(offset + 4))
        let start = offset + 8
        guard start + length <= range.upperBound else { throw .malformed(path, "chunk \(id) at \(offset) overruns its parent") }
        offset = start + length
        return (id, start..<start + length)
    }
}

extension [UInt8] {
    @inline(__always) func u16(_ o: Int) -> UInt16 { UInt16(self[o]) | UInt16(self[o + 1]) << 8 }
    @inline(__always) func u32(_ o: Int) -> UInt32 {
        UInt32(self[o]) | UInt32(self[o + 1]) << 8 | UInt32(self[o + 2]) << 16 | UInt32(self[o + 3]) << 24
    }
}
