#if canImport(Glibc)
import Glibc
#endif
import Boot
import DeviceModel
import Devices
import GuestMemory
import Interpreter
import KVMEngine
import MachineInterface
import X86State

/// Which execution engine runs the CPU.
public enum EngineKind: String, Sendable, CaseIterable {
    /// Full emulation (Sources/Interpreter).
    case interpreter
    /// Hardware-assisted trap-and-emulate through /dev/kvm (Sources/KVMEngine).
    case kvm
}

/// A PC with one CPU run by an execution engine: the machine, its devices, the engine, the clock, and
/// the loop that runs them together (timers between instruction batches, sleeping while the guest
/// halts, console input into COM1).
public final class VirtualMachine {
    public let machine: Machine
    public let devices: PCDevices
    /// The engine running the CPU (the interpreter or KVM).
    public let cpu: any ExecutionEngine
    /// Notes about the engine on this host, for standard error once: KVM's speed on guest kernel
    /// code where the host emulates it, and CPUID leaves KVM did not keep as the model says.
    public private(set) var engineNotes: [String] = []
    public let clock: HostClock
    /// A file descriptor whose bytes go to COM1's receiver (stdin), or nil.
    public var inputFD: Int32?
    /// Called with each input byte before it reaches the guest; returns false to swallow it
    /// (the console's Ctrl-A escape).
    public var inputFilter: ((UInt8) -> Bool)?
    private var pendingInput: [UInt8] = []
    private var inputClosed = false

    /// Instructions run between timer checks.
    public var batch: UInt64 = 20_000

    public init(memory: UInt64, engine: EngineKind = .interpreter,
                serialOutput: @escaping (UInt8) -> Void, console: @escaping (UInt8) -> Void) throws {
        try MemoryLimits.check(memory)
        let ram = try GuestRAM.pc(ramSize: memory)  // above 3 GiB, the rest from 4 GiB (MemoryLimits)
        machine = Machine(ram: ram)
        clock = HostClock()
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        devices = try PCDevices(machine: machine, clock: clock, wallClockSeconds: Int64(now.tv_sec),
                                serialOutput: serialOutput, console: console)
        switch engine {
        case .interpreter:
            cpu = Interpreter(ram: ram, platform: machine, model: .x86_64)
        case .kvm:
            let kvm = try KVMEngine(ram: ram, platform: machine)
            cpu = kvm
            if let note = (try? KernelCodeSpeed.measure())?.note { engineNotes.append(note) }
            if !kvm.cpuidDeviations.isEmpty {
                let leaves = Set(kvm.cpuidDeviations.compactMap { $0.split(separator: " ").dropFirst().first }).sorted()
                engineNotes.append("popek: note: this KVM replaced CPUID leaves \(leaves.joined(separator: ", ")) of Popek's CPU model "
                    + "with its own (\(kvm.cpuidDeviations.count) registers differ; kvm_pvm substitutes the host's): the guest sees "
                    + "different features there than under --engine interpreter")
            }
        }
        wireA20Gate()
    }

    /// Passes the A20 gate's changes to the engine (called once the engine exists).
    private func wireA20Gate() {
        devices.a20.onChange = { [weak cpu] enabled in cpu?.setA20Gate(enabled: enabled) }
    }

    /// How long a natively running engine (KVM) may run before the loop checks timers and input:
    /// until the next device timer is due, at most 10 ms.
    private var timeSlice: UInt64 {
        let cap: UInt64 = 10_000_000
        guard let d = clock.nextDeadline else { return cap }
        let now = clock.now
        return d > now ? min(d - now, cap) : 20_000
    }

    /// Feeds pending console input into COM1 while it has room.
    private func pumpInput(wait timeoutMs: Int32) {
        if let fd = inputFD, !inputClosed, pendingInput.count < 4096 {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, timeoutMs) > 0 {
                var buf = [UInt8](repeating: 0, count: 256)
                let n = read(fd, &buf, buf.count)
                if n <= 0 {
                    inputClosed = true
                } else {
                    for b in buf[0..<n] where inputFilter?(b) ?? true { pendingInput.append(b) }
                }
            }
        } else if timeoutMs > 0 {
            usleep(UInt32(timeoutMs) * 1000)
        }
        if !pendingInput.isEmpty {
            let taken = devices.com1.receive(pendingInput)
            pendingInput.removeFirst(taken)
        }
    }

    /// Runs until the guest powers off, resets, triple-faults, halts for good, or the exit port is written.
    public func run() -> MachineExit {
        while true {
            clock.runDue()
            pumpInput(wait: 0)
            if let e = machine.exit { return e }
            switch cpu.run(RunBudget(instructions: batch, nanoseconds: timeSlice)) {
            case .budgetExhausted:
                continue
            case .platformRequest:
                return machine.exit ?? .powerOff
            case .tripleFault:
                return .tripleFault
            case .engineFailure(let message):
                return .engineFailure(message)
            case .halted:
                if !cpu.interruptsEnabled { return .haltedForever }
                // Idle: sleep until the next timer or console input, not spinning a host core.
                let wait: Int32
                if let d = clock.nextDeadline {
                    let now = clock.now
                    wait = d > now ? Int32(min((d - now) / 1_000_000 + 1, 100)) : 0
                } else {
                    wait = 100
                }
                pumpInput(wait: wait)
                clock.runDue()
            }
        }
    }
}
