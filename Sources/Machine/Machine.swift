import DeviceModel
import GuestMemory
import MachineInterface

/// How a run of the machine ended; `popek run` turns it into the process exit status.
public enum MachineExit: Equatable, Sendable {
    /// The guest powered off (ACPI S5, or a clean halt of a bare-metal program).
    case powerOff
    /// The guest asked for a reset (8042 pulse, port 0x92, triple fault is separate).
    case reset
    /// The CPU shut down after a triple fault.
    case tripleFault
    /// HLT with interrupts disabled and nothing that could wake it.
    case haltedForever
    /// QEMU's isa-debug-exit: the guest wrote `value` to port 0xF4.
    case debugExit(value: UInt32)
    /// The engine could not go on (e.g. KVM could not emulate an instruction); the message says why.
    case engineFailure(String)

    /// The process exit status: debug-exit v gives v*2+1 (odd, as QEMU does); the others are even.
    public var exitStatus: Int32 {
        switch self {
        case .powerOff: 0
        case .reset: 4
        case .tripleFault: 6
        case .haltedForever: 8
        case .engineFailure: 2
        case .debugExit(let v): Int32(truncatingIfNeeded: (v & 0x3FFF_FFFF) * 2 + 1)
        }
    }
}

/// The machine: guest RAM, the port-I/O and MMIO buses with their devices, and the interrupt
/// controller. It is the only place engines and devices meet: engines see it as a `Platform`.
public final class Machine: Platform {
    public let ram: GuestRAM
    /// Port I/O space (0-0xFFFF).
    public let ports = IOBus()
    /// Physical addresses outside RAM.
    public let mmio = IOBus()
    /// Set when a device ends the run (debug exit, reset, power-off).
    public private(set) var exit: MachineExit?
    /// The interrupt controller's view, installed by whoever wires one (the PIC pair, the APIC).
    public var interruptSource: (pending: () -> Bool, acknowledge: () -> UInt8)?
    /// MSRs a device models (the local APIC's IA32_APIC_BASE and IA32_TSC_DEADLINE).
    public var modelSpecificRegisters: (read: (UInt32) -> UInt64?, write: (UInt32, UInt64) -> Bool)?
    /// The time-stamp counter from virtual time, when a clock is wired.
    public var timeStampCounterSource: (() -> UInt64)?
    /// The CPU's FERR# output and IGNNE# input, when wired (the PC's IRQ 13 latch and port 0xF0).
    public var numericErrorWiring: (ferr: (Bool) -> Void, ignne: () -> Bool)?
    /// The local APIC's TPR, which CR8 aliases, when an APIC is wired.
    public var taskPriority: (get: () -> UInt8, set: (UInt8) -> Void)?

    public init(ram: GuestRAM) {
        self.ram = ram
    }

    /// Ends the run after the current instruction.
    public func requestExit(_ e: MachineExit) {
        if exit == nil { exit = e }
    }

    // MARK: Platform

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: ports.read(UInt64(port), size: size))
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        ports.write(UInt64(port), size: size, value: UInt64(value))
    }

    public func mmioRead(_ address: UInt64, size: Int) -> UInt64 {
        mmio.read(address, size: size)
    }

    public func mmioWrite(_ address: UInt64, size: Int, value: UInt64) {
        mmio.write(address, size: size, value: value)
    }

    public var interruptPending: Bool { interruptSource?.pending() ?? false }

    public func acknowledgeInterrupt() -> UInt8 { interruptSource?.acknowledge() ?? 0xFF }

    public var stopRequested: Bool { exit != nil }

    public func readMSR(_ index: UInt32) -> UInt64? { modelSpecificRegisters?.read(index) }

    public func writeMSR(_ index: UInt32, _ value: UInt64) -> Bool { modelSpecificRegisters?.write(index, value) ?? false }

    public var timeStampCounter: UInt64? { timeStampCounterSource?() }

    public func floatingPointError(_ asserted: Bool) { numericErrorWiring?.ferr(asserted) }

    public var ignoreNumericError: Bool { numericErrorWiring?.ignne() ?? true }

    public var taskPriorityClass: UInt8? { taskPriority.map { $0.get() >> 4 } }

    public func setTaskPriorityClass(_ value: UInt8) { taskPriority?.set(value << 4) }
}
