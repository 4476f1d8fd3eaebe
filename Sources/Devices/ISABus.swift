import DeviceModel

/// How the devices in this module answer accesses wider than their 8-bit registers.
///
/// Every device here is an 8-bit ISA part. On a PC the ISA bus controller turns a 16- or 32-bit
/// access to an 8-bit device into successive byte cycles at consecutive addresses ("bus sizing"):
/// `out dx, ax` to port 0x70 writes AL to the CMOS index and AH to its data register. The devices
/// do the same within their own range; a byte that falls past the last register is ignored (reads
/// give 0xFF) and counted as guest misbehaviour.
enum ISABus {
    /// A read of `size` bytes at `offset` from a device with `registers` byte registers.
    @inline(__always)
    static func read(offset: UInt64, size: Int, registers: Int,
                     ignore: () -> Void, byte: (Int) -> UInt8) -> UInt64 {
        guard size >= 1 && size <= 8 else {
            ignore()
            return ~0
        }
        var value: UInt64 = 0
        for i in 0..<size {
            let o = offset &+ UInt64(i)
            let b: UInt8
            if o < UInt64(registers) {
                b = byte(Int(o))
            } else {
                ignore()
                b = 0xFF
            }
            value |= UInt64(b) << UInt64(8 * i)
        }
        return value
    }

    /// A write of `size` bytes of `value` at `offset`, lowest byte first.
    @inline(__always)
    static func write(offset: UInt64, size: Int, value: UInt64, registers: Int,
                      ignore: () -> Void, byte: (Int, UInt8) -> Void) {
        guard size >= 1 && size <= 8 else {
            ignore()
            return
        }
        for i in 0..<size {
            let o = offset &+ UInt64(i)
            if o < UInt64(registers) {
                byte(Int(o), UInt8(truncatingIfNeeded: value >> UInt64(8 * i)))
            } else {
                ignore()
            }
        }
    }
}

/// Converts between binary and packed BCD (two decimal digits per byte), as the 8254 counters and
/// the MC146818 time registers store them.
enum BCD {
    /// Packed BCD of `value` (0-99).
    @inline(__always)
    static func encode(_ value: Int) -> UInt8 {
        let v = ((value % 100) + 100) % 100
        return UInt8((v / 10) << 4 | (v % 10))
    }

    /// The value of a packed BCD byte. Invalid digits (A-F) are taken at face value, never a trap.
    @inline(__always)
    static func decode(_ byte: UInt8) -> Int {
        Int(byte >> 4) * 10 + Int(byte & 0x0F)
    }
}
