import X86Decoder
import X86ISA

// The decode cache ("decode once, run many", swift-performance-notes rule 8; QEMU's translation
// blocks without the code generation). Guest code is decoded once into blocks of pre-decoded
// instructions (`MicroOp`), each with its handler chosen at decode time, keyed by physical address and
// code mode; the interpreter then runs blocks without fetching or decoding. A write to a physical page
// holding decoded code drops that page's blocks (self-modifying code, code loaded over old code).
// Documentation/InterpreterPerformance.md describes the design and its measurements.

/// How a pre-decoded instruction is executed: chosen once, when its block is decoded
/// (FastHandlers.swift). Everything but `.generic` exists only in 64-bit code on the x86-64 model.
/// Suffixes name the operands: R a general register, M the memory operand, I an immediate, C CL.
enum Handler: UInt8 {
    /// The full decoded `Instruction` (in `CodeCache.instructions`) through `execute(_:)`.
    case generic = 0
    case nop
    /// ADD OR ADC SBB AND SUB XOR CMP (`cc` = the operation in that order, as ModRM.reg of 80-83).
    case aluRR, aluRI, aluRM, aluMR, aluMI
    case testRR, testRI, testMR, testMI
    case incR, decR, negR, notR, incM, decM
    case movRR, movRI, movRM, movMR, movMI
    /// `aux` = source size.
    case movzxRR, movzxRM, movsxRR, movsxRM
    case lea
    /// `cc`: 0 ROL, 1 ROR, 4 SHL, 5 SHR, 7 SAR (ModRM.reg of C0-D3); `aux` = count for RI.
    case shiftRI, shiftRC
    /// `cc` = condition code.
    case setccR, cmovRR, cmovRM
    /// Two- and three-operand IMUL (`immediate` for the RI forms).
    case imulRR, imulRM, imulRRI, imulRMI
    /// One-operand MUL of EAX/RAX into EDX:EAX / RDX:RAX (`rm` = the source register for mulR).
    case mulR, mulM
    case cdq, cdqe, cqo
    case pushR, pushI, popR
    /// Control transfers end a block. `immediate` = displacement from the next instruction.
    case jmp, jcc, call, ret, jmpR, callR, jmpM, callM
    /// REP MOVS / REP STOS (64-bit addressing, no segment override), `size` = element size.
    case repMovs, repStos
}

/// One pre-decoded instruction: 32 bytes, no references.
struct MicroOp {
    var immediate: UInt64 = 0
    /// The displacement (for RIP-relative operands: from the block's first byte).
    var displacement: Int32 = 0
    /// Index of the full decoded instruction in `CodeCache.instructions` (`.generic`).
    var generic: UInt32 = 0
    /// The instruction's offset from the block's first byte.
    var offset: UInt16 = 0
    var handler: Handler = .generic
    /// Instruction length in bytes.
    var length: UInt8 = 0
    /// Operand size in bytes.
    var size: UInt8 = 0
    /// `MicroOp.terminator`, the Popek-Goldberg class (`MicroOp.privileged`, `.sensitive`).
    var flags: UInt8 = 0
    /// Register operands (GPR numbers 0-15): `reg` the destination (or only) one.
    var reg: UInt8 = 0
    var rm: UInt8 = 0
    /// Memory operand: base and index GPR numbers (`MicroOp.noRegister`, or `MicroOp.ripBase`),
    /// scale as a shift count, and the segment (0-5: ES CS SS DS FS GS; FS and GS add their base).
    var base: UInt8 = MicroOp.noRegister
    var index: UInt8 = MicroOp.noRegister
    var scale: UInt8 = 0
    var segment: UInt8 = 0
    /// Condition code (Jcc, SETcc, CMOVcc) or the operation of a handler family.
    var cc: UInt8 = 0
    var aux: UInt8 = 0

    static let noRegister: UInt8 = 0xFF
    static let ripBase: UInt8 = 0x10
    /// The block ends after this instruction (control transfer, system instruction, REP string).
    static let terminator: UInt8 = 1
    static let privileged: UInt8 = 2
    static let sensitive: UInt8 = 4
}

/// A direct-mapped cache from the linear RIP of a block in 64-bit code to its index, valid while
/// `Core.epoch` is unchanged (the epoch moves on anything that could change the translation of code
/// addresses or the code mode: TLB flushes, CS loads, decoded code dropped).
struct JumpCacheEntry {
    var rip: UInt64 = 1
    var epoch: UInt64 = 0
    var block: Int32 = -1
}

/// A block: straight-line pre-decoded instructions inside one physical page.
struct CodeBlock {
    /// Physical address of the first byte << 2 | code mode (0 = 16, 1 = 32, 2 = 64-bit).
    var key: UInt64 = 0
    /// First op in `CodeCache.ops`, number of instructions, number of bytes.
    var firstOp: UInt32 = 0
    var count: UInt16 = 0
    var bytes: UInt16 = 0
    /// Next block in the same hash bucket, and on the same physical page (-1 ends a list).
    var hashNext: Int32 = -1
    var pageNext: Int32 = -1
    /// Cleared when the block's page is written; a block is never revived (its slot is reused only
    /// after a full flush).
    var valid: Bool = false
}

/// The decode cache's storage: fixed-capacity pools, flushed whole when one fills (as QEMU's
/// `tb_flush`). SAFETY: every pointer is allocated in `init` with the capacity beside it and freed
/// in `release`; indices are checked against the counts before use.
struct CodeCache {
    static let opCapacity = 1 << 19
    static let instructionCapacity = 1 << 17
    static let blockCapacity = 1 << 16
    static let bucketBits = 16
    static let jumpCacheSize = 4096
    /// At most this many instructions per block (a block also ends at a terminator or the page end).
    static let maxBlockInstructions = 64

    var ops: UnsafeMutablePointer<MicroOp>
    var opCount = 0
    var instructions: UnsafeMutablePointer<Instruction>
    var instructionCount = 0
    var blocks: UnsafeMutablePointer<CodeBlock>
    var blockCount = 0
    /// Hash buckets: block index or -1.
    var buckets: UnsafeMutablePointer<Int32>
    /// Per physical page of RAM: the first block on it, or -1. A page with blocks is a code page:
    /// writes to it go through the slow path, which drops its blocks.
    var pageHeads: UnsafeMutablePointer<Int32>
    let pageCount: Int
    let jumpCache: UnsafeMutablePointer<JumpCacheEntry>

    /// Instructions run from blocks decoded earlier (hits), and instructions decoded or run without
    /// the cache (misses).
    var hits: UInt64 = 0
    var misses: UInt64 = 0
    /// Blocks built, pages invalidated by writes, full flushes.
    var blocksBuilt: UInt64 = 0
    var pagesInvalidated: UInt64 = 0
    var flushes: UInt64 = 0

    init(ramSize: UInt64) {
        pageCount = Int((ramSize + 0xFFF) >> 12)
        ops = .allocate(capacity: Self.opCapacity)
        instructions = .allocate(capacity: Self.instructionCapacity)
        blocks = .allocate(capacity: Self.blockCapacity)
        buckets = .allocate(capacity: 1 << Self.bucketBits)
        buckets.initialize(repeating: -1, count: 1 << Self.bucketBits)
        pageHeads = .allocate(capacity: max(pageCount, 1))
        pageHeads.initialize(repeating: -1, count: max(pageCount, 1))
        jumpCache = .allocate(capacity: Self.jumpCacheSize)
        jumpCache.initialize(repeating: JumpCacheEntry(), count: Self.jumpCacheSize)
    }

    @inline(__always) static func jumpCacheIndex(_ rip: UInt64) -> Int {
        Int(truncatingIfNeeded: (rip ^ (rip >> 12)) & UInt64(jumpCacheSize - 1))
    }

    func release() {
        ops.deallocate()
        instructions.deallocate()
        blocks.deallocate()
        buckets.deallocate()
        pageHeads.deallocate()
        jumpCache.deallocate()
    }

    @inline(__always) static func bucket(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bucketBits))
    }

    /// The valid block for `key`, or -1.
    @inline(__always) func lookup(_ key: UInt64) -> Int32 {
        var b = buckets[Self.bucket(key)]
        while b >= 0 {
            if blocks[Int(b)].key == key { return b }
            b = blocks[Int(b)].hashNext
        }
        return -1
    }

    /// Whether physical page `page` holds decoded code.
    @inline(__always) func isCodePage(_ page: UInt64) -> Bool {
        page < UInt64(pageCount) && pageHeads[Int(page)] >= 0
    }

    /// Drops every block on physical page `page`.
    mutating func invalidatePage(_ page: Int) {
        var b = pageHeads[page]
        guard b >= 0 else { return }
        pagesInvalidated &+= 1
        while b >= 0 {
            let key = blocks[Int(b)].key
            blocks[Int(b)].valid = false
            // Unlink from its hash bucket.
            let h = Self.bucket(key)
            if buckets[h] == b {
                buckets[h] = blocks[Int(b)].hashNext
            } else {
                var p = buckets[h]
                while p >= 0 {
                    let n = blocks[Int(p)].hashNext
                    if n == b { blocks[Int(p)].hashNext = blocks[Int(b)].hashNext; break }
                    p = n
                }
            }
            b = blocks[Int(b)].pageNext
        }
        pageHeads[page] = -1
    }

    /// Drops everything.
    mutating func flush() {
        flushes &+= 1
        opCount = 0
        instructionCount = 0
        blockCount = 0
        buckets.update(repeating: -1, count: 1 << Self.bucketBits)
        pageHeads.update(repeating: -1, count: max(pageCount, 1))
    }

    /// Whether a block of up to `maxBlockInstructions` fits in the pools.
    var hasRoom: Bool {
        blockCount < Self.blockCapacity && opCount + Self.maxBlockInstructions <= Self.opCapacity
            && instructionCount + Self.maxBlockInstructions <= Self.instructionCapacity
    }
}

extension Interpreter {
    /// The code mode as the cache key's low bits.
    @inline(__always) static func modeKey(_ mode: CPUMode) -> UInt64 {
        switch mode {
        case .bits16: 0
        case .bits32: 1
        case .bits64: 2
        }
    }

    /// Decodes the block at physical address `pa` (in RAM) in `mode`. Returns its index, or -1 if the
    /// first instruction cannot be cached (it crosses the page end, or does not decode: the uncached
    /// path then raises the right fault).
    func buildBlock(physical pa: UInt64, mode: CPUMode) -> Int32 {
        let cc = code
        if !cc.pointee.hasRoom {
            cc.pointee.flush()
            core.pointee.epoch &+= 1
        }
        let fast = mode == .bits64 && model == .x86_64
        let decoder = mode == .bits16 ? decoders.0 : mode == .bits32 ? decoders.1 : decoders.2
        let pageEnd = (pa | 0xFFF) &+ 1
        var p = pa
        let first = cc.pointee.opCount
        var count = 0
        var ins = Instruction()
        while count < CodeCache.maxBlockInstructions && p < pageEnd {
            let available = Int(min(15, pageEnd - p))
            // SAFETY: p < pageEnd <= ramSize (the page is in RAM), available bytes stay in the page.
            let bytes = (ramBase + Int(p)).assumingMemoryBound(to: UInt8.self)
            let status = decoder.decode(bytes, count: available, into: &ins)
            guard status == .ok else { break }
            var op = MicroOp()
            op.length = ins.length
            op.offset = UInt16(p - pa)
            let metadata = ins.metadata
            switch ins.popekGoldbergClass {
            case .innocuous: break
            case .privileged: op.flags |= MicroOp.privileged
            case .sensitiveUnprivileged: op.flags |= MicroOp.sensitive
            }
            if Self.endsBlock(ins, metadata.controlFlow) { op.flags |= MicroOp.terminator }
            let specialized = fast && op.flags & (MicroOp.privileged | MicroOp.sensitive) == 0 && specialize(ins, &op)
            if !specialized { op.handler = .generic }
            // Generic ops, and the REP string handlers' fallback for DF = 1, need the full instruction.
            if !specialized || op.handler == .repMovs || op.handler == .repStos {
                op.generic = UInt32(cc.pointee.instructionCount)
                cc.pointee.instructions[cc.pointee.instructionCount] = ins
                cc.pointee.instructionCount += 1
            }
            cc.pointee.ops[first + count] = op
            count += 1
            p &+= UInt64(ins.length)
            if op.flags & MicroOp.terminator != 0 { break }
        }
        guard count > 0 else { return -1 }
        cc.pointee.opCount = first + count
        let index = Int32(cc.pointee.blockCount)
        cc.pointee.blockCount += 1
        let key = pa << 2 | Self.modeKey(mode)
        let h = CodeCache.bucket(key)
        let page = Int(pa >> 12)
        cc.pointee.blocks[Int(index)] = CodeBlock(key: key, firstOp: UInt32(first), count: UInt16(count), bytes: UInt16(p - pa),
                                                  hashNext: cc.pointee.buckets[h], pageNext: cc.pointee.pageHeads[page], valid: true)
        cc.pointee.buckets[h] = index
        let wasCode = cc.pointee.pageHeads[page] >= 0
        cc.pointee.pageHeads[page] = index
        cc.pointee.blocksBuilt &+= 1
        if !wasCode { codePageCreated(UInt64(page)) }
        return index
    }

    /// Whether the block must end after `ins`: anything but straight-line, innocuous instructions.
    /// Control transfers, system and sensitive instructions (they may change the mode, CPL, paging,
    /// IF or the code itself, or reach devices) and REP string instructions (which stop every 4096
    /// elements with RIP on themselves so that interrupts can be taken).
    static func endsBlock(_ ins: Instruction, _ flow: ControlFlow) -> Bool {
        if flow != .next || ins.popekGoldbergClass != .innocuous { return true }
        switch ins.mnemonic {
        case .invalid, .hlt, .sti, .cli, .popf, .popfd, .popfq, .in, .out, .insb, .insw, .insd, .outsb, .outsw, .outsd,
             .mov where ins.op0.kind == .register && !ins.op0.register.isGPR,
             .pop where ins.op0.kind == .register && ins.op0.register.isSegment,
             .lss, .wrmsr, .xsetbv, .invlpg, .syscall, .sysret, .sysretq:
            return true
        default:
            break
        }
        if ins.prefixes.contains(.rep) || ins.prefixes.contains(.repne) {
            switch ins.mnemonic {
            case .movsb, .movsw, .movsd, .movsq, .cmpsb, .cmpsw, .cmpsd, .cmpsq, .stosb, .stosw, .stosd, .stosq,
                 .lodsb, .lodsw, .lodsd, .lodsq, .scasb, .scasw, .scasd, .scasq:
                return true
            default: break
            }
        }
        return false
    }

    /// A guest write reached physical page `page`, which holds decoded code: drop its blocks and
    /// end the running block after the current instruction (its later instructions may be stale).
    @inline(never)
    func codePageWritten(_ page: UInt64) {
        code.pointee.invalidatePage(Int(page))
        core.pointee.codeInvalidated = true
        core.pointee.epoch &+= 1
    }

    /// Drops decoded code for `[address, address + count)`: for writes to guest RAM that bypass the
    /// CPU (a loader, a DMA device). Loading a new `state` drops everything.
    public func invalidateCode(physicalAddress address: UInt64, count: UInt64) {
        guard count > 0 else { return }
        var page = address >> 12
        let last = (address &+ count &- 1) >> 12
        while page <= last {
            if code.pointee.isCodePage(page) { codePageWritten(page) }
            page &+= 1
        }
    }

    /// Drops all decoded code.
    public func invalidateAllCode() {
        code.pointee.flush()
        core.pointee.codeInvalidated = true
        core.pointee.epoch &+= 1
    }
}
