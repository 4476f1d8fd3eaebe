extension Interpreter {
    /// The stack's address size: 8 in 64-bit mode, else 4 if SS.B, else 2.
    @inline(__always) var stackAddressSize: UInt8 {
        if codeMode == .bits64 { return 8 }
        return protectedMode && core.pointee.cpu.segments.2.defaultBig ? 4 : 2
    }

    /// Pushes `size` bytes (SDM Vol. 1, 6.2.2). RSP changes only after the write succeeded.
    @inline(__always) func push(_ value: UInt64, size: Int) throws(CPUException) {
        let ss = stackAddressSize
        let mask = sizeMask(ss)
        let sp = (gpr[4] &- UInt64(size)) & mask
        try write(2, sp, size, value)
        writeGPR(4, size: ss == 4 ? 4 : ss, ss == 4 ? sp : (gpr[4] & ~mask) | sp)
    }

    /// Pops `size` bytes.
    @inline(__always) func pop(size: Int) throws(CPUException) -> UInt64 {
        let ss = stackAddressSize
        let mask = sizeMask(ss)
        let sp = gpr[4] & mask
        let v = try read(2, sp, size)
        let newSP = (sp &+ UInt64(size)) & mask
        writeGPR(4, size: ss, ss == 4 ? newSP : (gpr[4] & ~mask) | newSP)
        return v
    }

    /// Reads the stack at `SP + offset` without popping.
    func peekStack(_ offset: UInt64, size: Int) throws(CPUException) -> UInt64 {
        let mask = sizeMask(stackAddressSize)
        return try read(2, (gpr[4] &+ offset) & mask, size)
    }
}
