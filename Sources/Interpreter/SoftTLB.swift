#if canImport(Glibc)
import Glibc
#endif
// The software TLB: cached linear-to-physical translations for RAM pages, so that a memory access
// with paging on costs a compare and a load instead of a page walk (swift-performance-notes rule 7,
// TinyEMU's and QEMU's softmmu TLB).
//
// Two direct-mapped tables, one for supervisor accesses (CPL 0-2) and one for user accesses (CPL 3),
// so a privilege change needs no flush. An entry holds, for one 4 KiB linear page, a tag per access
// kind (the page address when that access is allowed at that privilege, else `SoftTLB.invalid`) and
// the host address of the page minus its linear address. The fast path indexes with the first byte's
// page and compares the tag with the last byte's page: one compare also rejects an access that
// crosses into the next page.
//
// What an entry promises, and so when it may be created (SDM Vol. 3, 4.8 and 4.10):
// - any entry: a walk succeeded and set the accessed bits of every level it used;
// - a write tag: the walk allowed writes at this privilege (R/W, U/S, CR0.WP) and the dirty bit of
//   the final entry is set (it was already, or this walk was for a write and set it); also the
//   physical page holds no decoded code (writes to code pages must take the slow path, which drops
//   the decoded code: CodeCache.swift);
// - an execute tag: the walk allowed instruction fetches (U/S, XD with EFER.NXE).
// Pages outside RAM (MMIO) are never entered: their accesses always walk.
//
// Flushes (SDM Vol. 3, 4.10.4): MOV to CR3 and task switches drop non-global entries; INVLPG drops the
// page's entries (everything when large pages were entered, since a large page is cached as 4 KiB
// pieces); changes of CR0.PG/WP/PE, CR4.PSE/PAE/PGE/SMEP/SMAP/PCIDE and EFER.NXE/LME drop everything,
// as does loading a new state.

/// One TLB entry: 32 bytes.
struct TLBEntry {
    var read: UInt64 = SoftTLB.invalid
    var write: UInt64 = SoftTLB.invalid
    var execute: UInt64 = SoftTLB.invalid
    /// Host address of the linear page minus its linear address (wrapping).
    var addend: UInt64 = 0
}

/// Per-entry data the fast path does not need.
struct TLBEntryInfo {
    /// The physical page (4 KiB aligned).
    var physical: UInt64 = 0
    /// The page is global (PTE.G with CR4.PGE): MOV to CR3 keeps it.
    var global: Bool = false
}

/// The TLB's storage and counters. SAFETY: `entries` and `info` hold `2 * size` elements, allocated in
/// init and freed in `release`; indices are masked.
struct SoftTLB {
    /// Entries per privilege level (a power of two).
    static let size = 1024
    /// A tag no address matches (bit 0 set; tags are page addresses).
    static let invalid: UInt64 = 1

    let entries: UnsafeMutablePointer<TLBEntry>
    let info: UnsafeMutablePointer<TLBEntryInfo>
    /// A large page was entered since the last full flush (INVLPG then drops everything).
    var hasLargePages = false
    /// A global page was entered since the last full flush (else MOV to CR3 can clear everything).
    var hasGlobalPages = false
    /// Page walks through the TLB's miss path, flushes (of any kind), INVLPGs.
    var misses: UInt64 = 0
    var flushes: UInt64 = 0

    init() {
        entries = .allocate(capacity: 2 * Self.size)
        entries.initialize(repeating: TLBEntry(), count: 2 * Self.size)
        info = .allocate(capacity: 2 * Self.size)
        info.initialize(repeating: TLBEntryInfo(), count: 2 * Self.size)
    }

    func release() {
        entries.deallocate()
        info.deallocate()
    }

    /// The entry for `linear` at user (CPL 3) or supervisor privilege.
    @inline(__always) static func index(_ linear: UInt64, user: Bool) -> Int {
        Int(truncatingIfNeeded: (linear >> 12) & UInt64(size - 1)) | (user ? size : 0)
    }

    /// Drops every entry, or (`global` false) every entry but the global ones.
    mutating func flush(global: Bool) {
        flushes &+= 1
        if global || !hasGlobalPages {
            entries.update(repeating: TLBEntry(), count: 2 * Self.size)
            hasGlobalPages = false
        } else {
            for i in 0..<(2 * Self.size) where !info[i].global {
                entries[i] = TLBEntry()
            }
        }
        if global { hasLargePages = false }
    }

    /// INVLPG: drops the translations of the page holding `linear`, global ones included.
    mutating func flushPage(_ linear: UInt64) {
        if hasLargePages { flush(global: true); return }
        flushes &+= 1
        let page = linear & ~0xFFF
        for user in [false, true] {
            let i = Self.index(linear, user: user)
            let e = entries[i]
            if e.read == page || e.write == page || e.execute == page { entries[i] = TLBEntry() }
        }
    }

    /// Removes write permission from every entry for physical page `page` (it now holds code).
    mutating func revokeWrites(physicalPage page: UInt64) {
        let address = page << 12
        for i in 0..<(2 * Self.size) where entries[i].write != Self.invalid && info[i].physical == address {
            entries[i].write = Self.invalid
        }
    }
}

/// What a page walk found, for filling a TLB entry.
struct PageWalk {
    /// Reads may be cached: false for supervisor walks of user-mode pages under SMAP, whose
    /// outcome depends on RFLAGS.AC and on the access being implicit (SMEPSMAP.swift).
    var readable = true
    /// Writes allowed at the walk's privilege (R/W and U/S of every level, CR0.WP; not under SMAP).
    var writable = false
    /// Instruction fetches allowed at the walk's privilege (U/S, XD).
    var executable = false
    /// The final entry's dirty bit (after this walk set it, for a write).
    var dirty = false
    /// Global page (G with CR4.PGE).
    var global = false
    /// Mapped by a 2 MiB, 4 MiB or 1 GiB page.
    var large = false
}

extension Interpreter {
    /// Whether an access now is a user-mode access for paging (CPL 3; virtual-8086 code runs at CPL 3),
    /// and not one of the implicit supervisor-mode accesses (`Core.supervisorAccess`). Only meaningful
    /// with paging on, which implies protected mode.
    @inline(__always) var userAccess: Bool {
        (core.pointee.cpu.segments.1.selector & 3 == 3 || core.pointee.cpu.rflags & 0x2_0000 != 0) && !core.pointee.supervisorAccess
    }

    /// Runs `body` with every memory access a supervisor-mode access (SDM Vol. 3, 4.6.1: accesses to
    /// the GDT, LDT, IDT and TSS, whatever the CPL).
    @inline(__always)
    func asSupervisor<T>(_ body: () throws(CPUException) -> T) throws(CPUException) -> T {
        let saved = core.pointee.supervisorAccess
        core.pointee.supervisorAccess = true
        defer { core.pointee.supervisorAccess = saved }
        return try body()
    }

    /// Translates a linear address to physical (SDM Vol. 3, chapter 4 "Paging") through the TLB, or
    /// raises #PF with CR2 set.
    @inline(__always)
    func translate(_ linear: UInt64, _ access: AccessKind) throws(CPUException) -> UInt64 {
        if core.pointee.cpu.cr0 & 0x8000_0000 == 0 { return linear }
        let user = userAccess
        let e = tlbEntries[SoftTLB.index(linear, user: user)]
        let tag = access == .read ? e.read : access == .write ? e.write : e.execute
        if tag == linear & ~0xFFF {
            return (e.addend &+ linear) &- UInt64(UInt(bitPattern: ramBase))
        }
        return try translateMiss(linear, access, user: user)
    }

    /// The environment variable POPEK_NO_TLB keeps the TLB empty (every access walks): to tell a TLB
    /// bug from a semantic one.
    static let noTLB = getenv("POPEK_NO_TLB") != nil

    /// A TLB miss: walks the page tables and enters the translation if it maps RAM.
    @inline(never)
    func translateMiss(_ linear: UInt64, _ access: AccessKind, user: Bool) throws(CPUException) -> UInt64 {
        var walk = PageWalk()
        let pa = try pageWalk(linear, access, &walk)
        let t = tlb
        t.pointee.misses &+= 1
        let physicalPage = pa & physicalMask & ~0xFFF  // with the A20 gate (A20Gate.swift)
        guard isRAM(physicalPage, 0x1000), !Self.noTLB else { return pa }  // RAM pages only (RAMLayout.swift)
        // Only canonical pages (the fast handlers of 64-bit code rely on a hit being canonical; a
        // walk for, say, a descriptor-table read does not check).
        let top = Int64(bitPattern: linear) >> 47
        guard top == 0 || top == -1 else { return pa }
        let page = linear & ~0xFFF
        let i = SoftTLB.index(linear, user: user)
        var e = TLBEntry()
        if walk.readable { e.read = page }
        if walk.writable && walk.dirty && !code.pointee.isCodePage(physicalPage >> 12) { e.write = page }
        if walk.executable { e.execute = page }
        e.addend = (UInt64(UInt(bitPattern: ramBase)) &+ physicalPage) &- page
        t.pointee.entries[i] = e
        t.pointee.info[i] = TLBEntryInfo(physical: physicalPage, global: walk.global)
        if walk.large { t.pointee.hasLargePages = true }
        if walk.global { t.pointee.hasGlobalPages = true }
        return pa
    }

    /// Drops cached linear-to-physical translations: on CR3 loads and task switches (`global` also
    /// drops global pages: CR4.PGE/PAE/PSE and CR0.PG/WP changes).
    func flushTranslations(global: Bool) {
        tlb.pointee.flush(global: global)
        core.pointee.epoch &+= 1
    }

    /// INVLPG m: drops the translations of the page holding linear address `linear`.
    func flushTranslation(page linear: UInt64) {
        tlb.pointee.flushPage(linear)
        core.pointee.epoch &+= 1
    }

    /// Physical page `page` just became a code page (its first block was decoded): from now on writes
    /// to it must reach `writePhysical`, which drops its decoded code.
    func codePageCreated(_ page: UInt64) {
        tlb.pointee.revokeWrites(physicalPage: page)
    }

    /// Host load of `size` bytes (1, 2, 4, 8) at `address` (a RAM address from a TLB entry).
    @inline(__always) func hostLoad(_ address: UInt64, _ size: Int) -> UInt64 {
        // SAFETY: the address comes from a TLB entry for a RAM page and the access stays in the page.
        let p = UnsafeRawPointer(bitPattern: UInt(address)).unsafelyUnwrapped
        switch size {
        case 1: return UInt64(p.load(as: UInt8.self))
        case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
        case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
        default: return p.loadUnaligned(as: UInt64.self)
        }
    }

    /// Host store of `size` bytes at `address` (a RAM address from a TLB write entry).
    @inline(__always) func hostStore(_ address: UInt64, _ size: Int, _ value: UInt64) {
        // SAFETY: as `hostLoad`; write entries exist only for RAM pages without decoded code.
        let p = UnsafeMutableRawPointer(bitPattern: UInt(address)).unsafelyUnwrapped
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
        default: p.storeBytes(of: value, as: UInt64.self)
        }
    }
}
