#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import KVM
import MachineInterface
import X86State

/// The hardware-assisted engine: the guest runs on the host CPU under KVM, and every exit KVM
/// hands to userspace (port I/O, MMIO, HLT, an interrupt window, shutdown) is turned into the same
/// `Platform` calls and `StopReason`s the interpreter produces: trap-and-emulate, with the hardware
/// doing the trapping. The machine and its devices cannot tell the engines apart.
///
/// - Guest RAM is one memory slot per RAM range over `GuestRAM.base` (two with RAM above 4 GiB),
///   so both engines see the same bytes.
/// - The CPU state moves in and out as the portable `CPUState` (registers, segments with their
///   hidden parts, descriptor tables, control registers, EFER, APIC base, FPU/SSE, MSRs, debug
///   registers, XCR0, the interrupt shadow). With `KVM_CAP_SYNC_REGS` the general, segment and event
///   state travels in the shared `kvm_run` page instead of through GET/SET ioctls.
/// - CPUID is the interpreter's model (`CPUIDModel`), loaded with KVM_SET_CPUID2.
/// - Interrupts come from the machine's own interrupt controller (the userspace 8259 pair), not
///   KVM's in-kernel irqchip: the engine injects with KVM_INTERRUPT when KVM says the vCPU can take
///   one, and otherwise asks for an interrupt-window exit. See Documentation/KVMEngine.md.
/// - A run ends after `RunBudget.nanoseconds` (a timer signal kicks the vCPU out of KVM_RUN), since
///   KVM cannot count instructions.
///
/// One thread runs the engine; `run` may be called from different threads over time.
public final class KVMEngine: ExecutionEngine {
    public var name: String { "kvm" }

    /// Options for creating the engine.
    public struct Options: Sendable {
        /// The KVM device.
        public var devicePath = "/dev/kvm"
        /// Use KVM_CAP_SYNC_REGS (when the kernel has it) for registers, segments and events.
        public var syncRegisters = true
        /// The CPUID table the guest sees: the shared model, unless a test or experiment overrides it.
        public var cpuid: [CPUIDModel.Entry] = CPUIDModel.entries()
        public init() {}
    }

    public let system: KVMSystem
    public let vm: KVMVirtualMachine
    public let vcpu: KVMVCPU
    let ram: GuestRAM
    let platform: Platform
    /// SAFETY: the vCPU's kvm_run mapping, valid while `vcpu` lives (it is a stored property).
    let runPage: UnsafeMutablePointer<kvm_run>
    /// Whether registers, sregs and events travel through kvm_run (KVM_CAP_SYNC_REGS).
    public let syncRegisters: Bool
    /// The MSRs saved and restored: `ModelSpecificRegisterMap.all` that KVM lists.
    let msrs: [(index: UInt32, path: WritableKeyPath<ModelSpecificRegisters, UInt64>)]
    let hasTSC: Bool
    let hasXCRs: Bool
    let hasDebugRegisters: Bool
    /// MSR accesses KVM cannot answer, and those of the MSRs a device may own (IA32_APIC_BASE,
    /// IA32_TSC_DEADLINE: the local APIC's), exit to userspace and go to the platform, as the
    /// interpreter sends them (KVM_CAP_X86_USER_SPACE_MSR with an MSR filter).
    public let routesMSRs: Bool
    /// The values of the routed MSRs the CPU model keeps when no device claims them (the
    /// interpreter's `msr.apicBase` and `msr.tscDeadline`).
    var apicBaseMSR: UInt64 = 0
    var tscDeadlineMSR: UInt64 = 0
    static let deviceMSRs: [UInt32] = [0x1B, 0x6E0]

    /// The CPU executed HLT and waits for an interrupt (KVM leaves HLT to userspace without an
    /// in-kernel irqchip).
    var halted = false
    /// The last exit was port I/O or MMIO, which KVM completes only at the next KVM_RUN (an IN's
    /// value is written to RAX, RIP moves past the instruction): done before the state is read.
    var pendingCompletion = false
    /// The state as last read or written, until the vCPU runs again.
    var cached: CPUState?
    /// Where KVM did not keep the CPUID model it was given (read back with KVM_GET_CPUID2), one line
    /// per changed register, e.g. "leaf 0xd.0 EAX 0x3 -> 0xe7". Empty on a KVM that keeps it; kvm_pvm
    /// substitutes the host's leaves 7 and 0Dh.
    public let cpuidDeviations: [String]
    /// A host failure met while reading or writing the state; the next `run` reports it.
    public private(set) var lastError: KVMError?

    // The time slice.
    var timer: KVMTimer?
    var timerThread: Int32 = -1

    // Statistics (trap-and-emulate accounting).
    var exitCounts = [UInt64](repeating: 0, count: ExitKind.allCases.count)
    var exitNanoseconds = [UInt64](repeating: 0, count: ExitKind.allCases.count)
    var guestNanoseconds: UInt64 = 0

    /// Creates a VM with `ram` as its memory and one vCPU in the power-on state, with the
    /// interpreter's CPUID model. Throws a `KVMError` a person can act on when /dev/kvm is missing,
    /// not permitted, or lacks what the engine needs.
    public init(ram: GuestRAM, platform: Platform, options: Options = Options()) throws(KVMError) {
        system = try KVMSystem(path: options.devicePath)
        try system.require(.extendedCPUID)
        try system.require(.vcpuEvents)
        self.ram = ram
        self.platform = platform
        vm = try system.createVirtualMachine()
        // The pages KVM may need to run real mode on Intel CPUs without unrestricted guest, as QEMU
        // places them: just below the BIOS, above 3 GiB of RAM and clear of the APIC and IOAPIC.
        if system.check(.setTSSAddress) > 0 { try vm.setTSSAddress(0xFEFF_D000) }
        if system.check(.setIdentityMapAddress) > 0 { try vm.setIdentityMapAddress(0xFEFF_C000) }
        // One memory slot per RAM range: below the 32-bit hole, and above 4 GiB when there is more
        // (GuestRAM.pc(ramSize:)); the hole stays unmapped, so accesses there exit as MMIO.
        for (slot, range) in ram.ranges.enumerated() {
            try vm.setUserMemoryRegion(slot: UInt32(slot), guestPhysicalAddress: range.lowerBound, size: UInt64(range.count),
                                       hostAddress: ram.base + Int(range.lowerBound))
        }
        if system.check(.userSpaceMSR) > 0 && system.check(.msrFilter) > 0 {
            try vm.enable(.userSpaceMSR, UInt64(KVM_MSR_EXIT_REASON_INVAL | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER))
            try vm.denyMSRs(KVMEngine.deviceMSRs)
            routesMSRs = true
        } else {
            routesMSRs = false
        }
        vcpu = try vm.createVCPU(id: 0)
        runPage = vcpu.run
        try vcpu.setCPUID(options.cpuid.map(kvm_cpuid_entry2.init))
        cpuidDeviations = KVMEngine.deviations(asked: options.cpuid, got: (try? vcpu.cpuid()) ?? [])
        let wantedSync = UInt32(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)
        syncRegisters = options.syncRegisters && UInt32(system.check(.syncRegisters)) & wantedSync == wantedSync
        if syncRegisters { runPage.pointee.kvm_valid_regs = UInt64(wantedSync) }
        let listed = Set(try system.msrIndexList())
        msrs = ModelSpecificRegisterMap.all.filter { listed.contains($0.index) }
        hasTSC = listed.contains(ModelSpecificRegisterMap.tsc)
        hasXCRs = system.check(.xcrs) > 0
        hasDebugRegisters = system.check(.debugRegisters) > 0
        try loadState(CPUState())
    }

    static func deviations(asked: [CPUIDModel.Entry], got: [kvm_cpuid_entry2]) -> [String] {
        var out: [String] = []
        for e in asked {
            guard let g = got.first(where: { $0.function == e.leaf && (!e.indexed || $0.index == e.subleaf) }) else {
                out.append("leaf 0x\(String(e.leaf, radix: 16)).\(e.subleaf) missing")
                continue
            }
            for (name, a, b) in [("EAX", e.eax, g.eax), ("EBX", e.ebx, g.ebx), ("ECX", e.ecx, g.ecx), ("EDX", e.edx, g.edx)] where a != b {
                out.append("leaf 0x\(String(e.leaf, radix: 16)).\(e.subleaf) \(name) 0x\(String(a, radix: 16)) -> 0x\(String(b, radix: 16))")
            }
        }
        return out
    }

    // MARK: State

    /// The CPU state. Reading it completes a pending I/O exit first; a host failure is kept in
    /// `lastError` and ends the next `run` (the protocol's property cannot throw).
    public var state: CPUState {
        get {
            do { return try saveState() } catch {
                lastError = error
                return cached ?? CPUState()
            }
        }
        set {
            do { try loadState(newValue) } catch { lastError = error }
        }
    }

    /// Reads the whole CPU state from KVM.
    public func saveState() throws(KVMError) -> CPUState {
        if let cached { return cached }
        try completePendingIO()
        var s = CPUState()
        if syncRegisters {
            let sync = ckvm_run_sync_regs(runPage)!
            sync.pointee.regs.store(into: &s)
            sync.pointee.sregs.store(into: &s)
            sync.pointee.events.store(into: &s)
        } else {
            try vcpu.registers().store(into: &s)
            try vcpu.specialRegisters().store(into: &s)
            try vcpu.events().store(into: &s)
        }
        s.fpu = try vcpu.fpu().portable
        if hasDebugRegisters { try vcpu.debugRegisters().store(into: &s) }
        if hasXCRs {
            let x = try vcpu.extendedControlRegisters()
            withUnsafeBytes(of: x.xcrs) { p in
                for i in 0..<Int(min(x.nr_xcrs, 16)) {
                    let e = p.load(fromByteOffset: i * MemoryLayout<kvm_xcr>.stride, as: kvm_xcr.self)
                    if e.xcr == 0 { s.xcr0 = e.value }
                }
            }
        }
        let indices = msrs.map(\.index) + (hasTSC ? [ModelSpecificRegisterMap.tsc] : [])
        let values = try vcpu.modelSpecificRegisters(indices)
        for (i, m) in msrs.enumerated() { s.msr[keyPath: m.path] = values[i] }
        // IA32_TSC: the portable state keeps an offset from the engine's virtual time, which under
        // KVM starts at 0 when a state is loaded; so the offset read back is the TSC itself.
        if hasTSC { s.msr.tscOffset = Int64(bitPattern: values[msrs.count]) }
        if routesMSRs {
            s.msr.apicBase = apicBaseMSR
            s.msr.tscDeadline = tscDeadlineMSR
        }
        s.halted = halted
        cached = s
        return s
    }

    /// Loads a whole CPU state into KVM.
    public func loadState(_ s: CPUState) throws(KVMError) {
        try completePendingIO()
        cached = nil
        let regs = kvm_regs(s), sregs = kvm_sregs(s), events = kvm_vcpu_events(s)
        if syncRegisters {
            let sync = ckvm_run_sync_regs(runPage)!
            sync.pointee.regs = regs
            sync.pointee.sregs = sregs
            sync.pointee.events = events
            runPage.pointee.kvm_dirty_regs = runPage.pointee.kvm_valid_regs
        } else {
            // SREGS first: KVM checks RFLAGS and RIP against the mode.
            try vcpu.setSpecialRegisters(sregs)
            try vcpu.setRegisters(regs)
            try vcpu.setEvents(events)
        }
        // Without an in-kernel APIC, KVM_RUN reloads CR8 (the TPR) from kvm_run.cr8 at every entry.
        runPage.pointee.cr8 = s.cr8
        try vcpu.setFPU(kvm_fpu(s.fpu))
        if hasDebugRegisters { try vcpu.setDebugRegisters(kvm_debugregs(s)) }
        if hasXCRs {
            var x = kvm_xcrs()
            x.nr_xcrs = 1
            x.xcrs.0 = kvm_xcr(xcr: 0, reserved: 0, value: s.xcr0 | 1)
            try vcpu.setExtendedControlRegisters(x)
        }
        var values = msrs.map { (index: $0.index, value: s.msr[keyPath: $0.path]) }
        if hasTSC { values.append((ModelSpecificRegisterMap.tsc, UInt64(bitPattern: s.msr.tscOffset))) }
        try vcpu.setModelSpecificRegisters(values)
        halted = s.halted
        apicBaseMSR = s.msr.apicBase
        tscDeadlineMSR = s.msr.tscDeadline
        if syncRegisters {
            // Apply the synced part now, so that a failure (KVM refusing the state) surfaces here.
            try enterImmediately()
        }
        cached = s
    }

    /// KVM finishes an I/O or MMIO exit (writes an IN's data, advances RIP) only inside the next
    /// KVM_RUN; entering with immediate_exit set completes it without running guest code
    /// (Documentation/virt/kvm/api.rst, KVM_EXIT_IO and immediate_exit).
    func completePendingIO() throws(KVMError) {
        guard pendingCompletion else { return }
        try enterImmediately()
    }

    /// KVM_RUN with immediate_exit: applies dirty synced registers and completes pending I/O, then
    /// returns EINTR without running the guest.
    func enterImmediately() throws(KVMError) {
        runPage.pointee.immediate_exit = 1
        defer { runPage.pointee.immediate_exit = 0 }
        let exited = try vcpu.enter()
        pendingCompletion = false
        if exited {
            // Not expected: KVM reports EINTR for an immediate exit.
            throw .ioctl("KVM_RUN (immediate exit, exit reason \(runPage.pointee.exit_reason))", EINVAL)
        }
    }

    public var interruptsEnabled: Bool {
        if let cached { return cached.rflags & 0x200 != 0 }
        if syncRegisters { return ckvm_run_sync_regs(runPage)!.pointee.regs.rflags & 0x200 != 0 }
        return runPage.pointee.if_flag != 0
    }

    // MARK: Running

    /// Runs the vCPU until `budget.nanoseconds` pass (the instruction count is ignored: KVM
    /// cannot count the instructions the hardware runs), the CPU halts, triple-faults, or the
    /// platform asks to stop. Exits are handled here, against the platform.
    public func run(_ budget: RunBudget) -> StopReason {
        if let e = lastError { return .engineFailure(e.description) }
        if platform.stopRequested { return .platformRequest }
        if halted {
            if interruptsEnabled && platform.interruptPending { halted = false } else { return .halted }
        }
        let run = runPage
        let timed = budget.nanoseconds != .max
        // The kick target first, then the timer: a slice that expired before the target was
        // registered would be lost, and a guest spinning at CPL3 without exits would then keep
        // KVM_RUN (and the monitor) forever.
        run.pointee.immediate_exit = 0
        do { try vcpu.registerKickTarget() } catch { return .engineFailure(error.description) }
        if timed {
            do { try armTimer(budget.nanoseconds) } catch {
                vcpu.unregisterKickTarget()
                return .engineFailure(error.description)
            }
        }
        defer {
            if timed { timer?.arm(nanoseconds: 0) }
            vcpu.unregisterKickTarget()
            run.pointee.immediate_exit = 0
            run.pointee.request_interrupt_window = 0
        }
        while true {
            // Interrupts from the machine's controller: inject when the vCPU can take one now,
            // otherwise ask KVM to exit as soon as it can (RFLAGS.IF set, no interrupt shadow).
            if platform.interruptPending {
                if run.pointee.ready_for_interrupt_injection != 0 && run.pointee.if_flag != 0 {
                    let vector = platform.acknowledgeInterrupt()
                    do { try vcpu.interrupt(vector) } catch { return .engineFailure(error.description) }
                    run.pointee.request_interrupt_window = 0
                } else {
                    run.pointee.request_interrupt_window = 1
                }
            } else {
                run.pointee.request_interrupt_window = 0
            }
            // CR8 is the userspace local APIC's TPR[7:4]: KVM loads it from kvm_run.cr8 at every
            // entry and stores the guest's value there at every exit.
            if let tpr = platform.taskPriorityClass { run.pointee.cr8 = UInt64(tpr) }
            cached = nil
            let entry = KVMEngine.now()
            let exited: Bool
            do { exited = try vcpu.enter() } catch { return .engineFailure(error.description) }
            let exitTime = KVMEngine.now()
            guestNanoseconds &+= exitTime &- entry
            pendingCompletion = false
            if let tpr = platform.taskPriorityClass, run.pointee.cr8 != UInt64(tpr) {
                platform.setTaskPriorityClass(UInt8(truncatingIfNeeded: run.pointee.cr8 & 0xF))
            }
            guard exited else {
                // The time slice ended (or another signal arrived).
                if debugTrace { trace("interrupted (time slice)") }
                run.pointee.immediate_exit = 0
                account(.interrupted, since: exitTime)
                return platform.stopRequested ? .platformRequest : .budgetExhausted
            }
            if debugTrace { trace("exit \(KVMEngine.exitName(run.pointee.exit_reason))") }
            let stop = handleExit(run)
            if let stop { return stop }
            if platform.stopRequested { return .platformRequest }
        }
    }

    /// Handles one exit; returns a stop reason to end the run, nil to re-enter.
    @inline(__always)
    func handleExit(_ run: UnsafeMutablePointer<kvm_run>) -> StopReason? {
        let start = KVMEngine.now()
        switch Int32(bitPattern: run.pointee.exit_reason) {
        case KVM_EXIT_IO:
            let size = Int(ckvm_run_io_size(run))
            let port = ckvm_run_io_port(run)
            let count = Int(ckvm_run_io_count(run))
            // SAFETY: KVM places count * size bytes of data at data_offset inside the kvm_run mapping.
            let data = vcpu.runBase + Int(ckvm_run_io_data_offset(run))
            if ckvm_run_io_direction(run) == UInt8(KVM_EXIT_IO_OUT) {
                for i in 0..<count {
                    let p = data + i * size
                    let v: UInt32 = size == 1 ? UInt32(p.load(as: UInt8.self))
                        : size == 2 ? UInt32(p.loadUnaligned(as: UInt16.self)) : p.loadUnaligned(as: UInt32.self)
                    platform.portWrite(port, size: size, value: v)
                }
                pendingCompletion = true
                account(.ioOut, since: start)
            } else {
                for i in 0..<count {
                    let v = platform.portRead(port, size: size)
                    let p = data + i * size
                    switch size {
                    case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
                    case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v), as: UInt16.self)
                    default: p.storeBytes(of: v, as: UInt32.self)
                    }
                }
                pendingCompletion = true
                account(.ioIn, since: start)
            }
        case KVM_EXIT_MMIO:
            let address = ckvm_run_mmio_address(run)
            let length = Int(min(ckvm_run_mmio_length(run), 8))
            let data = ckvm_run_mmio_data(run)!
            if ckvm_run_mmio_is_write(run) != 0 {
                var v: UInt64 = 0
                for i in 0..<length { v |= UInt64(data[i]) << (8 * i) }
                platform.mmioWrite(address, size: length, value: v)
                account(.mmioWrite, since: start)
            } else {
                let v = platform.mmioRead(address, size: length)
                for i in 0..<length { data[i] = UInt8(truncatingIfNeeded: v >> (8 * i)) }
                account(.mmioRead, since: start)
            }
            pendingCompletion = true
        case KVM_EXIT_X86_RDMSR:
            // Platform first (a device's MSR), then the CPU model's own, else #GP (error = 1).
            let index = ckvm_run_msr_index(run)
            var value = platform.readMSR(index)
            if value == nil && index == 0x1B { value = apicBaseMSR }
            if value == nil && index == 0x6E0 { value = tscDeadlineMSR }
            ckvm_run_msr_complete(run, value ?? 0, value == nil ? 1 : 0)
            pendingCompletion = true
            account(.msrRead, since: start)
        case KVM_EXIT_X86_WRMSR:
            let index = ckvm_run_msr_index(run), value = ckvm_run_msr_data(run)
            var accepted = platform.writeMSR(index, value)
            if index == 0x1B { apicBaseMSR = value; accepted = true }
            if index == 0x6E0 { tscDeadlineMSR = value; accepted = true }
            ckvm_run_msr_complete(run, value, accepted ? 0 : 1)
            pendingCompletion = true
            account(.msrWrite, since: start)
        case KVM_EXIT_HLT:
            halted = true
            if run.pointee.if_flag != 0 && platform.interruptPending {
                halted = false
                account(.hlt, since: start)
                return nil
            }
            account(.hlt, since: start)
            return .halted
        case KVM_EXIT_IRQ_WINDOW_OPEN:
            account(.interruptWindow, since: start)
        case KVM_EXIT_SET_TPR:
            // The guest lowered CR8 (VMX exits so that a userspace APIC can deliver what the old
            // priority held back); the new value is already copied to the APIC after every exit.
            account(.taskPriority, since: start)
        case KVM_EXIT_INTR:
            account(.interrupted, since: start)
            return .budgetExhausted
        case KVM_EXIT_SHUTDOWN:
            account(.shutdown, since: start)
            return .tripleFault
        case KVM_EXIT_FAIL_ENTRY:
            account(.other, since: start)
            return .engineFailure("KVM could not enter the guest (KVM_EXIT_FAIL_ENTRY, hardware reason 0x"
                + "\(String(ckvm_run_fail_entry_reason(run), radix: 16))): the CPU state is one the hardware refuses")
        case KVM_EXIT_INTERNAL_ERROR:
            account(.other, since: start)
            return .engineFailure(describeInternalError(run))
        default:
            account(.other, since: start)
            return .engineFailure("unexpected KVM exit reason \(run.pointee.exit_reason) (\(KVMEngine.exitName(run.pointee.exit_reason)))")
        }
        return nil
    }

    /// The message for KVM_EXIT_INTERNAL_ERROR, with the instruction when KVM could not emulate one.
    func describeInternalError(_ run: UnsafeMutablePointer<kvm_run>) -> String {
        let sub = ckvm_run_internal_suberror(run)
        var rip = ""
        if let regs = try? vcpu.registers() { rip = " at RIP 0x\(String(regs.rip, radix: 16))" }
        switch Int32(sub) {
        case KVM_INTERNAL_ERROR_EMULATION:
            var size: UInt8 = 0
            var bytes = ""
            if let p = ckvm_run_emulation_failure_bytes(run, &size), size > 0 {
                bytes = " (bytes " + (0..<Int(size)).map { String(format2(p[$0])) }.joined(separator: " ") + ")"
            }
            var s = "the host kernel could not emulate the guest instruction\(rip)\(bytes) (KVM_EXIT_INTERNAL_ERROR, emulation)"
            if KVMSystem.isPVM {
                s += ". This host's KVM is kvm_pvm (no VT-x/AMD-V): guest kernel (CPL0), real-mode and virtual-8086 code "
                    + "runs through the host kernel's instruction emulator, which cannot do some instructions (x87 and SSE, "
                    + "INT n and INT3 outside real mode, task switches, IRET to virtual-8086 mode); run this guest with "
                    + "--engine interpreter"
            }
            return s
        case KVM_INTERNAL_ERROR_SIMUL_EX:
            return "KVM met an exception while delivering another\(rip) (KVM_EXIT_INTERNAL_ERROR, simultaneous exceptions)"
        case KVM_INTERNAL_ERROR_DELIVERY_EV:
            return "KVM could not deliver an event to the guest\(rip) (KVM_EXIT_INTERNAL_ERROR, event delivery)"
        default:
            return "KVM internal error, suberror \(sub)\(rip)"
        }
    }

    /// POPEK_KVM_TRACE=1 in the environment: one line per exit on standard error, for debugging.
    let debugTrace = getenv("POPEK_KVM_TRACE") != nil

    func trace(_ what: String) {
        let run = runPage.pointee
        var line = "kvm: \(what): ready \(run.ready_for_interrupt_injection) if \(run.if_flag) "
            + "window \(run.request_interrupt_window) pending \(platform.interruptPending)"
        if syncRegisters { line += " rip 0x\(String(ckvm_run_sync_regs(runPage)!.pointee.regs.rip, radix: 16))" }
        line += "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    // MARK: Time slices

    func armTimer(_ nanoseconds: UInt64) throws(KVMError) {
        let tid = ckvm_gettid()
        if timer == nil || tid != timerThread {
            timer = nil
            timer = try KVMTimer()
            timerThread = tid
        }
        timer!.arm(nanoseconds: max(nanoseconds, 1000))
    }

    @inline(__always) static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    // MARK: Statistics

    /// The exits the engine tells apart.
    enum ExitKind: Int, CaseIterable {
        case ioIn, ioOut, mmioRead, mmioWrite, msrRead, msrWrite, hlt, interruptWindow, taskPriority, interrupted, shutdown, other

        var label: String {
            switch self {
            case .ioIn: "io in"
            case .ioOut: "io out"
            case .mmioRead: "mmio read"
            case .mmioWrite: "mmio write"
            case .msrRead: "rdmsr"
            case .msrWrite: "wrmsr"
            case .hlt: "hlt"
            case .interruptWindow: "interrupt window"
            case .taskPriority: "cr8 lowered"
            case .interrupted: "time slice end"
            case .shutdown: "shutdown"
            case .other: "other"
            }
        }
    }

    @inline(__always) func account(_ kind: ExitKind, since start: UInt64) {
        exitCounts[kind.rawValue] &+= 1
        exitNanoseconds[kind.rawValue] &+= KVMEngine.now() &- start
    }

    public var statistics: EngineStatistics {
        var s = EngineStatistics(guestNanoseconds: guestNanoseconds)
        s.exits = ExitKind.allCases.compactMap { k in
            exitCounts[k.rawValue] == 0 ? nil
                : EngineStatistics.ExitCount(reason: k.label, count: exitCounts[k.rawValue], monitorNanoseconds: exitNanoseconds[k.rawValue])
        }
        s.counters = [.init("exits", exitCounts.reduce(0, &+))]
        return s
    }

    static func exitName(_ reason: UInt32) -> String {
        switch Int32(bitPattern: reason) {
        case KVM_EXIT_IO: "KVM_EXIT_IO"
        case KVM_EXIT_MMIO: "KVM_EXIT_MMIO"
        case KVM_EXIT_HLT: "KVM_EXIT_HLT"
        case KVM_EXIT_IRQ_WINDOW_OPEN: "KVM_EXIT_IRQ_WINDOW_OPEN"
        case KVM_EXIT_SET_TPR: "KVM_EXIT_SET_TPR"
        case KVM_EXIT_SHUTDOWN: "KVM_EXIT_SHUTDOWN"
        case KVM_EXIT_FAIL_ENTRY: "KVM_EXIT_FAIL_ENTRY"
        case KVM_EXIT_INTERNAL_ERROR: "KVM_EXIT_INTERNAL_ERROR"
        case KVM_EXIT_INTR: "KVM_EXIT_INTR"
        case KVM_EXIT_UNKNOWN: "KVM_EXIT_UNKNOWN"
        case KVM_EXIT_EXCEPTION: "KVM_EXIT_EXCEPTION"
        case KVM_EXIT_DEBUG: "KVM_EXIT_DEBUG"
        case KVM_EXIT_SYSTEM_EVENT: "KVM_EXIT_SYSTEM_EVENT"
        case KVM_EXIT_X86_RDMSR: "KVM_EXIT_X86_RDMSR"
        case KVM_EXIT_X86_WRMSR: "KVM_EXIT_X86_WRMSR"
        default: "exit \(reason)"
        }
    }
}

private func format2(_ b: UInt8) -> String {
    let h = String(b, radix: 16)
    return h.count == 1 ? "0" + h : h
}

extension kvm_cpuid_entry2 {
    init(_ e: CPUIDModel.Entry) {
        self.init()
        function = e.leaf
        index = e.subleaf
        flags = e.indexed ? UInt32(KVM_CPUID_FLAG_SIGNIFCANT_INDEX) : 0
        eax = e.eax; ebx = e.ebx; ecx = e.ecx; edx = e.edx
    }
}
