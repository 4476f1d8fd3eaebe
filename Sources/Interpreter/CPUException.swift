/// An architectural exception raised by an instruction (SDM Vol. 3, 6.3.1 "Exceptions"): a value
/// delivered to the guest through its IDT, never a failure of the monitor.
public struct CPUException: Error, Equatable, Sendable {
    /// The vector (0-31).
    public var vector: UInt8
    /// The error code pushed with #DF, #TS, #NP, #SS, #GP, #PF, #AC; nil for the others.
    public var errorCode: UInt32?

    public init(_ vector: UInt8, errorCode: UInt32? = nil) {
        self.vector = vector
        self.errorCode = errorCode
    }

    /// #DE divide error.
    public static let divideError = CPUException(0)
    /// #DB debug.
    public static let debug = CPUException(1)
    /// #BP breakpoint (INT3).
    public static let breakpoint = CPUException(3)
    /// #OF overflow (INTO).
    public static let overflow = CPUException(4)
    /// #BR BOUND range exceeded.
    public static let boundRange = CPUException(5)
    /// #UD invalid opcode.
    public static let invalidOpcode = CPUException(6)
    /// #NM device not available.
    public static let deviceNotAvailable = CPUException(7)
    /// #GP(code) general protection.
    public static func generalProtection(_ code: UInt32 = 0) -> CPUException { CPUException(13, errorCode: code) }
    /// #SS(code) stack fault.
    public static func stackFault(_ code: UInt32 = 0) -> CPUException { CPUException(12, errorCode: code) }
    /// #NP(code) segment not present.
    public static func notPresent(_ code: UInt32) -> CPUException { CPUException(11, errorCode: code) }
    /// #TS(code) invalid TSS.
    public static func invalidTSS(_ code: UInt32) -> CPUException { CPUException(10, errorCode: code) }
    /// #PF(code) page fault; CR2 holds the linear address.
    public static func pageFault(_ code: UInt32) -> CPUException { CPUException(14, errorCode: code) }
    /// #MF x87 floating-point error.
    public static let floatingPointError = CPUException(16)
    /// #XM SIMD floating-point exception.
    public static let simdFloatingPoint = CPUException(19)

    /// Contributory exceptions for the double-fault rule (SDM Vol. 3, Table 6-4).
    public var isContributory: Bool { vector == 0 || (vector >= 10 && vector <= 13) }
}
