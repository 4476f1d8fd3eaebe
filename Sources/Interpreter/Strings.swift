import X86Decoder
import X86ISA

extension Interpreter {
    /// MOVS CMPS STOS LODS SCAS INS OUTS, with REP/REPE/REPNE (SDM Vol. 1, 7.3.9; Vol. 2, REP).
    /// A long REP runs in slices: after 4096 elements RIP stays on the instruction so that interrupts
    /// can be taken, and the next step continues where it stopped.
    func stringInstruction(_ ins: Instruction) throws(CPUException) {
        var size = 0
        for i in 0..<Int(ins.operandCount) {
            let o = ins.operand(i)
            if o.kind == .memorySegSI || o.kind == .memoryESDI { size = max(size, Int(o.size)) }
        }
        // MOVSD/CMPSD also name SSE2 instructions; those have no string operands.
        if size == 0 { try executeSystem(ins); return }
        let c = core
        let asz = ins.addressSize
        let amask = sizeMask(asz)
        let step: UInt64 = c.pointee.cpu.rflags & 0x400 != 0 ? 0 &- UInt64(size) : UInt64(size)
        let sourceSegment = ins.segmentPrefix == .none ? 3 : segmentIndex(ins.segmentPrefix)
        let rep = ins.prefixes.contains(.rep) || ins.prefixes.contains(.repne)
        let m = ins.mnemonic
        let isCompare = m == .cmpsb || m == .cmpsw || m == .cmpsd || m == .cmpsq || m == .scasb || m == .scasw || m == .scasd || m == .scasq
        var iterations = 0
        while true {
            if rep && readGPR(1, size: asz) == 0 { return }
            let si = gpr[6] & amask
            let di = gpr[7] & amask
            switch m {
            case .movsb, .movsw, .movsd, .movsq:
                let v = try read(sourceSegment, si, size)
                try write(0, di, size, v)
                writeGPR(6, size: asz, (si &+ step) & amask)
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .cmpsb, .cmpsw, .cmpsd, .cmpsq:
                let a = try read(sourceSegment, si, size)
                let b = try read(0, di, size)
                setFlags(.sub, UInt8(size), a, b, (a &- b) & sizeMask(UInt8(size)))
                writeGPR(6, size: asz, (si &+ step) & amask)
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .stosb, .stosw, .stosd, .stosq:
                try write(0, di, size, readGPR(0, size: UInt8(size)))
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .lodsb, .lodsw, .lodsd, .lodsq:
                writeGPR(0, size: UInt8(size), try read(sourceSegment, si, size))
                writeGPR(6, size: asz, (si &+ step) & amask)
            case .scasb, .scasw, .scasd, .scasq:
                let a = readGPR(0, size: UInt8(size))
                let b = try read(0, di, size)
                setFlags(.sub, UInt8(size), a, b, (a &- b) & sizeMask(UInt8(size)))
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .insb, .insw, .insd:
                let port = UInt16(gpr[2] & 0xFFFF)
                try checkIOPermission(port, size: size)
                // Check the destination before reading the port: a port read can have side effects.
                _ = try linearAddress(0, di, size, .write)
                c.pointee.ioOperations &+= 1
                try write(0, di, size, UInt64(platform.portRead(port, size: size)))
                writeGPR(7, size: asz, (di &+ step) & amask)
            default:  // outs
                let port = UInt16(gpr[2] & 0xFFFF)
                try checkIOPermission(port, size: size)
                let v = try read(sourceSegment, si, size)
                c.pointee.ioOperations &+= 1
                platform.portWrite(port, size: size, value: UInt32(truncatingIfNeeded: v))
                writeGPR(6, size: asz, (si &+ step) & amask)
            }
            if !rep { return }
            let count = (readGPR(1, size: asz) &- 1) & amask
            writeGPR(1, size: asz, count)
            if count == 0 { return }
            if isCompare {
                let zf = c.pointee.flags.zero(c.pointee.cpu.rflags)
                if ins.prefixes.contains(.rep) && !zf { return }
                if ins.prefixes.contains(.repne) && zf { return }
            }
            iterations += 1
            if iterations >= 4096 {
                c.pointee.cpu.rip = c.pointee.instructionStart
                return
            }
        }
    }
}
