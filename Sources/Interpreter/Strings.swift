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
        // 80286: a segment-limit fault on an element leaves the pointer of the faulting access
        // advanced and, under REP, CX lowered (by 1 after a read, 2 after a write, 0 after CMPS's
        // first read, of ES:[DI]): its microcode updates them while the faulting bus cycle runs
        // (SingleStepTests 80286, 6C-6F and A4-AF). Other models leave them unchanged.
        let lateFaults = model == .i80286
        func fault(_ e: CPUException, si: Bool, di: Bool, count: UInt64) -> CPUException {
            guard lateFaults && e.vector == 13 else { return e }
            if si { writeGPR(6, size: asz, (gpr[6] &+ step) & amask) }
            if di { writeGPR(7, size: asz, (gpr[7] &+ step) & amask) }
            if rep { writeGPR(1, size: asz, (readGPR(1, size: asz) &- count) & amask) }
            return e
        }
        while true {
            if rep && readGPR(1, size: asz) == 0 { return }
            let si = gpr[6] & amask
            let di = gpr[7] & amask
            switch m {
            case .movsb, .movsw, .movsd, .movsq:
                let v: UInt64
                do { v = try read(sourceSegment, si, size) } catch { throw fault(error, si: true, di: false, count: 1) }
                do { try write(0, di, size, v) } catch { throw fault(error, si: true, di: true, count: 2) }
                writeGPR(6, size: asz, (si &+ step) & amask)
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .cmpsb, .cmpsw, .cmpsd, .cmpsq:
                let a: UInt64, b: UInt64
                if lateFaults {
                    do { b = try read(0, di, size) } catch { throw fault(error, si: false, di: true, count: 0) }
                    do { a = try read(sourceSegment, si, size) } catch { throw fault(error, si: true, di: true, count: 1) }
                } else {
                    a = try read(sourceSegment, si, size)
                    b = try read(0, di, size)
                }
                setFlags(.sub, UInt8(size), a, b, (a &- b) & sizeMask(UInt8(size)))
                writeGPR(6, size: asz, (si &+ step) & amask)
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .stosb, .stosw, .stosd, .stosq:
                do { try write(0, di, size, readGPR(0, size: UInt8(size))) } catch { throw fault(error, si: false, di: true, count: 2) }
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .lodsb, .lodsw, .lodsd, .lodsq:
                let v: UInt64
                do { v = try read(sourceSegment, si, size) } catch { throw fault(error, si: true, di: false, count: 1) }
                writeGPR(0, size: UInt8(size), v)
                writeGPR(6, size: asz, (si &+ step) & amask)
            case .scasb, .scasw, .scasd, .scasq:
                let a = readGPR(0, size: UInt8(size))
                let b: UInt64
                do { b = try read(0, di, size) } catch { throw fault(error, si: false, di: true, count: 1) }
                setFlags(.sub, UInt8(size), a, b, (a &- b) & sizeMask(UInt8(size)))
                writeGPR(7, size: asz, (di &+ step) & amask)
            case .insb, .insw, .insd:
                let port = UInt16(gpr[2] & 0xFFFF)
                try checkIOPermission(port, size: size)
                // Check the destination before reading the port: a port read can have side effects.
                do { _ = try linearAddress(0, di, size, .write) } catch { throw fault(error, si: false, di: true, count: 2) }
                c.pointee.ioOperations &+= 1
                try write(0, di, size, UInt64(platform.portRead(port, size: size)))
                writeGPR(7, size: asz, (di &+ step) & amask)
            default:  // outs
                let port = UInt16(gpr[2] & 0xFFFF)
                try checkIOPermission(port, size: size)
                let v: UInt64
                do { v = try read(sourceSegment, si, size) } catch { throw fault(error, si: true, di: false, count: 1) }
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
            // Under single-step, or once a data breakpoint hit, the #DB comes after this iteration
            // (SDM Vol. 3, 17.3.1.2 and 17.3.1.4; DebugExceptions.swift).
            if iterations >= 4096 || _slowPath(c.pointee.singleStepping || c.pointee.breakpointHits != 0) {
                c.pointee.cpu.rip = c.pointee.instructionStart
                return
            }
        }
    }
}
