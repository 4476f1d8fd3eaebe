/// A segment register: the visible selector and the hidden descriptor cache the CPU loads with it
/// (SDM Vol. 3, 3.4.3 "Segment Registers").
public struct SegmentRegister: Sendable, Equatable {
    /// The visible part: the selector (index, TI, RPL) or, in real mode, the paragraph.
    public var selector: UInt16
    /// Hidden: the segment base address.
    public var base: UInt64
    /// Hidden: the limit in bytes (already scaled by the G bit).
    public var limit: UInt32
    /// Hidden: descriptor attributes in the layout of descriptor bits 40-47 and 52-55 packed into
    /// 12 bits: type (0-3), S (4), DPL (5-6), P (7), AVL (8), L (9), D/B (10), G (11).
    public var attributes: UInt16

    public init(selector: UInt16 = 0, base: UInt64 = 0, limit: UInt32 = 0xFFFF, attributes: UInt16 = 0x93) {
        self.selector = selector
        self.base = base
        self.limit = limit
        self.attributes = attributes
    }

    /// A real-mode segment: base = selector * 16, limit 64 KiB, present read/write data.
    public static func real(_ selector: UInt16) -> SegmentRegister {
        SegmentRegister(selector: selector, base: UInt64(selector) << 4, limit: 0xFFFF, attributes: 0x93)
    }

    /// Descriptor privilege level (attributes bits 5-6).
    @inlinable public var dpl: UInt8 { UInt8((attributes >> 5) & 3) }
    /// Present bit.
    @inlinable public var present: Bool { attributes & 0x80 != 0 }
    /// L: 64-bit code segment.
    @inlinable public var long: Bool { attributes & 0x200 != 0 }
    /// D/B: 32-bit default operand size (code) or stack (SS).
    @inlinable public var defaultBig: Bool { attributes & 0x400 != 0 }
    /// G: limit is in 4 KiB units (already applied to `limit`).
    @inlinable public var granular: Bool { attributes & 0x800 != 0 }
}

/// GDTR or IDTR: base and limit of a descriptor table (SDM Vol. 3, 2.4).
public struct DescriptorTableRegister: Sendable, Equatable {
    public var base: UInt64
    public var limit: UInt16
    public init(base: UInt64 = 0, limit: UInt16 = 0xFFFF) {
        self.base = base
        self.limit = limit
    }
}
