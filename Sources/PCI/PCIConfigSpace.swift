import DeviceModel

/// The 256-byte configuration space of one PCI function with a type 0 header (PCI Local Bus
/// Specification 3.0, 6.1-6.2; PCI-to-PCI bridges are not modelled).
///
/// Every byte has a write mask (bits software may change) and a write-one-to-clear mask; the rest
/// is read-only. The header is laid out by `init`:
///
/// | offset | field | behaviour |
/// |---|---|---|
/// | 0x00 / 0x02 | vendor ID / device ID | read-only |
/// | 0x04 | command | writable: I/O space 0, memory space 1, bus master 2, parity error response 6, SERR# 8, interrupt disable 10 |
/// | 0x06 | status | capabilities list 4 (set when a capability exists) and interrupt status 3 read-only; error bits 8, 11-15 write 1 to clear |
/// | 0x08 | revision ID, class code (prog-IF, sub-class, base class) | read-only |
/// | 0x0C / 0x0D | cache line size / latency timer | writable |
/// | 0x0E | header type (bit 7: multi-function) | read-only |
/// | 0x10-0x24 | base address registers | sized by `setBAR(_:_:)`; unimplemented BARs read 0 |
/// | 0x2C / 0x2E | subsystem vendor ID / subsystem ID | read-only |
/// | 0x30 | expansion ROM base address | reads 0 (no ROM) |
/// | 0x34 | capabilities pointer | read-only, chained by `addCapability` |
/// | 0x3C / 0x3D | interrupt line / interrupt pin (1 = INTA# ... 4 = INTD#, 0 none) | writable / read-only |
///
/// BAR sizing (PCI 3.0, 6.2.5.1): the address bits below the BAR's (power-of-two) size are
/// hardwired to 0 and its type bits are read-only, so writing all ones and reading back gives
/// `~(size - 1)` with the type bits: software derives the size from that. A 64-bit memory BAR
/// takes two slots; an I/O BAR decodes 16 address bits (bits 31:16 read 0, as the PCI spec
/// allows for 64 KiB I/O systems).
///
/// INTx: `setInterrupt(_:)` is the function's interrupt request; it shows in status bit 3 and
/// drives the line the bus gave the function (`intx`) unless command bit 10 (interrupt disable) is set.
public final class PCIConfigSpace {
    /// What a base address register decodes.
    public enum BARKind: Equatable, Sendable {
        /// A 32-bit memory BAR of `size` bytes (a power of two, at least 16).
        case memory32(size: UInt32, prefetchable: Bool = false)
        /// A 64-bit memory BAR (takes this slot and the next) of `size` bytes (a power of two, at least 16).
        case memory64(size: UInt64, prefetchable: Bool = false)
        /// An I/O BAR of `size` bytes (a power of two, 4 to 256).
        case io(size: UInt32)

        /// The BAR's size in bytes.
        public var size: UInt64 {
            switch self {
            case .memory32(let s, _): UInt64(s)
            case .memory64(let s, _): s
            case .io(let s): UInt64(s)
            }
        }

        /// Whether it decodes memory (else I/O) space.
        public var isMemory: Bool {
            if case .io = self { return false }
            return true
        }
    }

    /// Command register bits (PCI 3.0, 6.2.2).
    public enum Command {
        public static let ioSpace: UInt16 = 1 << 0
        public static let memorySpace: UInt16 = 1 << 1
        public static let busMaster: UInt16 = 1 << 2
        public static let interruptDisable: UInt16 = 1 << 10
    }

    /// Status register bits.
    public enum Status {
        public static let interrupt: UInt16 = 1 << 3
        public static let capabilitiesList: UInt16 = 1 << 4
    }

    private var bytes = [UInt8](repeating: 0, count: 256)
    private var writeMask = [UInt8](repeating: 0, count: 256)
    private var clearMask = [UInt8](repeating: 0, count: 256)
    /// The BARs as declared (index 0-5; the upper half of a 64-bit BAR is nil).
    public private(set) var bars = [BARKind?](repeating: nil, count: 6)
    private var capabilityTail: Int?  // offset of the last capability's "next" byte
    private var nextCapabilityOffset = 0x40
    private var interruptRequest = false
    /// The function's INTx line (set by the bus when the function is registered).
    public var intx: InterruptLine? {
        didSet { driveINTx(force: true) }
    }
    private var intxLevel = false

    /// A type 0 header. `classCode` is base class << 16 | sub-class << 8 | programming interface;
    /// `interruptPin` 1-4 for INTA#-INTD#, 0 for none.
    public init(vendorID: UInt16, deviceID: UInt16, classCode: UInt32, revision: UInt8 = 0,
                multiFunction: Bool = false, subsystemVendorID: UInt16 = 0, subsystemID: UInt16 = 0,
                interruptPin: UInt8 = 0) {
        set16(0x00, vendorID)
        set16(0x02, deviceID)
        bytes[0x08] = revision
        bytes[0x09] = UInt8(truncatingIfNeeded: classCode)
        bytes[0x0A] = UInt8(truncatingIfNeeded: classCode >> 8)
        bytes[0x0B] = UInt8(truncatingIfNeeded: classCode >> 16)
        bytes[0x0E] = multiFunction ? 0x80 : 0x00
        set16(0x2C, subsystemVendorID)
        set16(0x2E, subsystemID)
        bytes[0x3D] = interruptPin
        setWriteMask(0x04, [0x47, 0x05])  // command: bits 0-2, 6, 8, 10
        clearMask[0x07] = 0xF9  // status bits 8, 11-15
        writeMask[0x0C] = 0xFF
        writeMask[0x0D] = 0xFF
        writeMask[0x3C] = 0xFF
    }

    // MARK: Header fields

    public var vendorID: UInt16 { get16(0x00) }
    public var deviceID: UInt16 { get16(0x02) }
    /// Base class << 16 | sub-class << 8 | programming interface.
    public var classCode: UInt32 { UInt32(bytes[0x0B]) << 16 | UInt32(bytes[0x0A]) << 8 | UInt32(bytes[0x09]) }
    public var command: UInt16 { get16(0x04) }
    public var status: UInt16 { get16(0x06) }
    /// The interrupt pin (1 = INTA#), 0 for none.
    public var interruptPin: UInt8 { bytes[0x3D] }
    /// The interrupt line register as software wrote it (the IRQ it was told).
    public var interruptLine: UInt8 { bytes[0x3C] }
    public var ioSpaceEnabled: Bool { command & Command.ioSpace != 0 }
    public var memorySpaceEnabled: Bool { command & Command.memorySpace != 0 }
    public var busMasterEnabled: Bool { command & Command.busMaster != 0 }

    // MARK: BARs

    /// Declares BAR `index` (0-5; a 64-bit BAR also takes `index + 1`).
    public func setBAR(_ index: Int, _ kind: BARKind) {
        precondition((0..<6).contains(index), "BAR \(index) out of range")
        let size = kind.size
        precondition(size.nonzeroBitCount == 1, "BAR size must be a power of two")
        let offset = 0x10 + index * 4
        switch kind {
        case .memory32(let s, let prefetchable):
            precondition(s >= 16)
            set32(offset, prefetchable ? 0x8 : 0)
            setWriteMask(offset, le32(~(s - 1) & 0xFFFF_FFF0))
        case .memory64(let s, let prefetchable):
            precondition(s >= 16 && index < 5)
            set32(offset, (prefetchable ? 0x8 : 0) | 0x4)
            let m = ~(s - 1)
            setWriteMask(offset, le32(UInt32(truncatingIfNeeded: m) & 0xFFFF_FFF0))
            setWriteMask(offset + 4, le32(UInt32(truncatingIfNeeded: m >> 32)))
            set32(offset + 4, 0)
            bars[index + 1] = nil
        case .io(let s):
            precondition(s >= 4 && s <= 256)
            set32(offset, 0x1)
            setWriteMask(offset, le32(~(s - 1) & 0xFFFC))
        }
        bars[index] = kind
    }

    /// The address BAR `index` holds (nil if unimplemented), whether or not decoding is enabled.
    public func barAddress(_ index: Int) -> UInt64? {
        guard let kind = bars[index] else { return nil }
        let offset = 0x10 + index * 4
        switch kind {
        case .memory32: return UInt64(get32(offset) & 0xFFFF_FFF0)
        case .memory64: return UInt64(get32(offset) & 0xFFFF_FFF0) | UInt64(get32(offset + 4)) << 32
        case .io: return UInt64(get32(offset) & 0xFFFC)
        }
    }

    /// Programs BAR `index` as firmware would (the address is truncated to the BAR's alignment).
    public func setBARAddress(_ index: Int, _ address: UInt64) {
        guard let kind = bars[index] else { return }
        let offset = 0x10 + index * 4
        let low = get32(offset)
        let mask = UInt32(writeMask[offset]) | UInt32(writeMask[offset + 1]) << 8
            | UInt32(writeMask[offset + 2]) << 16 | UInt32(writeMask[offset + 3]) << 24
        set32(offset, (low & ~mask) | (UInt32(truncatingIfNeeded: address) & mask))
        if case .memory64 = kind { set32(offset + 4, UInt32(truncatingIfNeeded: address >> 32)) }
    }

    /// Whether BAR `index` decodes now (declared, its space enabled in the command register), and where.
    public func decodedRange(_ index: Int) -> (base: UInt64, size: UInt64, memory: Bool)? {
        guard let kind = bars[index], let base = barAddress(index) else { return nil }
        guard kind.isMemory ? memorySpaceEnabled : ioSpaceEnabled else { return nil }
        return (base, kind.size, kind.isMemory)
    }

    // MARK: Capabilities and device-specific registers

    /// Appends a capability (PCI 3.0, 6.7): `body` is what follows the ID and next-pointer bytes,
    /// `bodyWriteMask` (same length, or empty for read-only) its writable bits. Returns the
    /// capability's offset. Capabilities are placed from 0x40 upwards, dword aligned.
    @discardableResult
    public func addCapability(id: UInt8, body: [UInt8], bodyWriteMask: [UInt8] = []) -> Int {
        let offset = nextCapabilityOffset
        let length = 2 + body.count
        precondition(offset + length <= 256, "capabilities overflow the configuration space")
        bytes[offset] = id
        bytes[offset + 1] = 0
        for (i, b) in body.enumerated() { bytes[offset + 2 + i] = b }
        for (i, m) in bodyWriteMask.enumerated() { writeMask[offset + 2 + i] = m }
        if let tail = capabilityTail { bytes[tail] = UInt8(offset) } else { bytes[0x34] = UInt8(offset) }
        capabilityTail = offset + 1
        bytes[0x06] |= UInt8(Status.capabilitiesList)
        nextCapabilityOffset = (offset + length + 3) & ~3
        return offset
    }

    /// Sets device-specific bytes and their write masks (for registers beyond the header).
    public func define(offset: Int, value: [UInt8], writeMask mask: [UInt8]) {
        for (i, b) in value.enumerated() { bytes[offset + i] = b }
        for (i, m) in mask.enumerated() { writeMask[offset + i] = m }
    }

    /// A byte, as stored.
    public func byte(_ offset: Int) -> UInt8 { bytes[offset] }

    /// Stores a byte regardless of write masks (device-side updates of read-only fields).
    public func setByte(_ offset: Int, _ value: UInt8) { bytes[offset] = value }

    // MARK: INTx

    /// The function's interrupt request (level): status bit 3, and the INTx line unless disabled.
    public func setInterrupt(_ asserted: Bool) {
        interruptRequest = asserted
        if asserted { bytes[0x06] |= UInt8(Status.interrupt) } else { bytes[0x06] &= ~UInt8(Status.interrupt) }
        driveINTx(force: false)
    }

    private func driveINTx(force: Bool) {
        let level = interruptRequest && command & Command.interruptDisable == 0 && interruptPin != 0
        if level != intxLevel || force {
            intxLevel = level
            intx?.setLevel(level)
        }
    }

    // MARK: Configuration accesses

    /// A configuration read of `size` (1, 2 or 4) bytes at `offset`; bytes past 0xFF read 0xFF.
    public func read(offset: Int, size: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<min(size, 4) {
            let o = offset + i
            v |= UInt32(o < 256 ? bytes[o] : 0xFF) << UInt32(8 * i)
        }
        return v
    }

    /// A configuration write: each byte changes under its write mask; write-one-to-clear bits clear.
    public func write(offset: Int, size: Int, value: UInt32) {
        for i in 0..<min(size, 4) {
            let o = offset + i
            guard o < 256 else { break }
            let b = UInt8(truncatingIfNeeded: value >> UInt32(8 * i))
            let wm = writeMask[o]
            bytes[o] = (bytes[o] & ~wm) | (b & wm)
            bytes[o] &= ~(b & clearMask[o])
        }
        if offset <= 0x05 && offset + size > 0x04 { driveINTx(force: false) }
    }

    // MARK: Helpers

    private func get16(_ o: Int) -> UInt16 { UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8 }
    private func get32(_ o: Int) -> UInt32 { UInt32(get16(o)) | UInt32(get16(o + 2)) << 16 }
    private func set16(_ o: Int, _ v: UInt16) {
        bytes[o] = UInt8(truncatingIfNeeded: v)
        bytes[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }
    private func set32(_ o: Int, _ v: UInt32) {
        set16(o, UInt16(truncatingIfNeeded: v))
        set16(o + 2, UInt16(truncatingIfNeeded: v >> 16))
    }
    private func setWriteMask(_ o: Int, _ m: [UInt8]) {
        for (i, b) in m.enumerated() { writeMask[o + i] = b }
    }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> UInt32(8 * $0)) } }
}
