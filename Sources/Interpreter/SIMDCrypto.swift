// AES-NI round operations (FIPS-197 as the SDM's AESENC...AESKEYGENASSIST pages use it: the state's
// byte i is row i % 4 of column i / 4) and the SSE4.2 CRC32 (CRC-32C, bit-reflected, no inversion).

enum AES {
    /// The S-box and its inverse, computed from the definition (multiplicative inverse in GF(2^8)
    /// followed by the affine transform).
    static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        for x in 0..<256 {
            var inverse: UInt8 = 0
            if x != 0 {
                for y in 1..<256 where multiply(UInt8(x), UInt8(y)) == 1 { inverse = UInt8(y); break }
            }
            var s = inverse
            var r = inverse
            for _ in 0..<4 {
                r = (r << 1) | (r >> 7)
                s ^= r
            }
            box[x] = s ^ 0x63
        }
        return box
    }()

    static let inverseSbox: [UInt8] = {
        var inverse = [UInt8](repeating: 0, count: 256)
        for x in 0..<256 { inverse[Int(sbox[x])] = UInt8(x) }
        return inverse
    }()

    /// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, p: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { p ^= a }
            a = (a << 1) ^ (a & 0x80 != 0 ? 0x1B : 0)
            b >>= 1
        }
        return p
    }

    static func mixColumns(_ s: Vec, inverse: Bool) -> Vec {
        let k: (UInt8, UInt8, UInt8, UInt8) = inverse ? (14, 11, 13, 9) : (2, 3, 1, 1)
        var r = Vec()
        for c in 0..<4 {
            let a0 = s[4 * c], a1 = s[4 * c + 1], a2 = s[4 * c + 2], a3 = s[4 * c + 3]
            r[4 * c] = multiply(a0, k.0) ^ multiply(a1, k.1) ^ multiply(a2, k.2) ^ multiply(a3, k.3)
            r[4 * c + 1] = multiply(a0, k.3) ^ multiply(a1, k.0) ^ multiply(a2, k.1) ^ multiply(a3, k.2)
            r[4 * c + 2] = multiply(a0, k.2) ^ multiply(a1, k.3) ^ multiply(a2, k.0) ^ multiply(a3, k.1)
            r[4 * c + 3] = multiply(a0, k.1) ^ multiply(a1, k.2) ^ multiply(a2, k.3) ^ multiply(a3, k.0)
        }
        return r
    }

    /// AESENC/AESENCLAST: ShiftRows, SubBytes, MixColumns (not in the last round), AddRoundKey.
    static func encryptRound(_ state: Vec, key: Vec, last: Bool) -> Vec {
        var t = Vec()
        for c in 0..<4 {
            for row in 0..<4 { t[row + 4 * c] = sbox[Int(state[row + 4 * ((c + row) & 3)])] }
        }
        if !last { t = mixColumns(t, inverse: false) }
        return t ^ key
    }

    /// AESDEC/AESDECLAST: InvShiftRows, InvSubBytes, InvMixColumns (not in the last round), AddRoundKey.
    static func decryptRound(_ state: Vec, key: Vec, last: Bool) -> Vec {
        var t = Vec()
        for c in 0..<4 {
            for row in 0..<4 { t[row + 4 * c] = inverseSbox[Int(state[row + 4 * ((c - row + 4) & 3)])] }
        }
        if !last { t = mixColumns(t, inverse: true) }
        return t ^ key
    }

    /// AESIMC: InvMixColumns of the source.
    static func inverseMixColumns(_ s: Vec) -> Vec { mixColumns(s, inverse: true) }

    /// AESKEYGENASSIST: SubWord and RotWord of source dwords 1 and 3, with the round constant.
    static func keyGenAssist(_ s: Vec, rcon: UInt8) -> Vec {
        func subWord(_ x: UInt32) -> UInt32 {
            var r: UInt32 = 0
            for i in 0..<4 { r |= UInt32(sbox[Int((x >> UInt32(8 * i)) & 0xFF)]) << UInt32(8 * i) }
            return r
        }
        let x1 = subWord(s.d[1]), x3 = subWord(s.d[3])
        let rc = UInt32(rcon)
        return vec(SIMD4<UInt32>(x1, ((x1 >> 8) | (x1 << 24)) ^ rc, x3, ((x3 >> 8) | (x3 << 24)) ^ rc))
    }
}

extension Interpreter {
    /// CRC32 (SSE4.2): CRC-32C (polynomial 11EDC6F41h, bit-reflected) of `bytes` bytes of `value`
    /// (least significant first), continuing from `crc`.
    static func crc32c(_ crc: UInt32, _ value: UInt64, bytes: Int) -> UInt32 {
        var c = crc
        for i in 0..<bytes {
            c ^= UInt32((value >> UInt64(8 * i)) & 0xFF)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 != 0 ? 0x82F6_3B78 : 0) }
        }
        return c
    }
}
