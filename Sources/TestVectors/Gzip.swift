import CZlib
import Foundation

/// Errors reading test-vector files.
public enum TestVectorError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case gzip(String, Int32)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): "\(path): cannot read: \(why)"
        case .gzip(let path, let code): "\(path): gzip data is corrupt (zlib error \(code))"
        case .malformed(let path, let why): "\(path): malformed MOO file: \(why)"
        }
    }
}

/// gzip decompression through zlib, linked as a system library (Foundation on Linux has no gzip).
/// zlib1g-dev is among the Swift toolchain's own Linux dependencies, so it is there wherever Swift is.
enum Gzip {
    /// Decompresses a whole gzip stream (concatenated members are joined).
    static func decompress(_ input: [UInt8], path: String) throws(TestVectorError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 8)
        var stream = z_stream()
        // windowBits 15 + 32: detect a zlib or gzip header automatically.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .gzip(path, Z_MEM_ERROR)
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var status: Int32 = Z_OK
        var error: Int32? = nil
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            chunk.withUnsafeMutableBufferPointer { outBuf in
                while true {
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    output.append(contentsOf: outBuf[0..<produced])
                    if status == Z_STREAM_END {
                        // Another gzip member may follow.
                        if stream.avail_in == 0 { break }
                        inflateReset(&stream)
                        continue
                    }
                    if status != Z_OK { error = status; break }
                    if stream.avail_in == 0 && produced == 0 { error = Z_BUF_ERROR; break }
                }
            }
        }
        if let error { throw .gzip(path, error) }
        return output
    }
}
