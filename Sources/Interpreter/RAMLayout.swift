extension Interpreter {
    /// Whether guest physical `[a, a + size)` is RAM, reached through `ramBase + a`: below the
    /// 32-bit hole, or from its end up to `ramSize` (RAM above 4 GiB; `GuestRAM.pc(ramSize:)`).
    /// Everything else, the hole included, is MMIO. One comparison for addresses below the hole,
    /// as before RAM could lie above it. `a` is already masked to the physical address width.
    @inline(__always) func isRAM(_ a: UInt64, _ size: UInt64) -> Bool {
        a &+ size <= ramHoleStart || (a >= ramHoleEnd && a &+ size <= ramSize)
    }
}
