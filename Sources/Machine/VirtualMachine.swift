#if canImport(Glibc)
import Glibc
#endif
import Boot
import DeviceModel
import Devices
import GuestMemory
import Interpreter
import MachineInterface
import X86State

/// A PC with one CPU run by the interpreter: the machine, its devices, the engine, the clock, and
/// the loop that runs them together (timers between instruction batches, sleeping while the guest
/// halts, console input into COM1).
public final class VirtualMachine {
    public let machine: Machine
    public let devices: PCDevices
    public let cpu: Interpreter
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

    public init(memory: UInt64, serialOutput: @escaping (UInt8) -> Void, console: @escaping (UInt8) -> Void) throws {
        let ram = try GuestRAM(size: memory)
        machine = Machine(ram: ram)
        clock = HostClock()
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        devices = try PCDevices(machine: machine, clock: clock, wallClockSeconds: Int64(now.tv_sec),
                                serialOutput: serialOutput, console: console)
        cpu = Interpreter(ram: ram, platform: machine, model: .x86_64)
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
            switch cpu.run(budget: batch) {
            case .budgetExhausted:
                continue
            case .platformRequest:
                return machine.exit ?? .powerOff
            case .tripleFault:
                return .tripleFault
            case .halted:
                if cpu.state.rflags & 0x200 == 0 { return .haltedForever }
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
