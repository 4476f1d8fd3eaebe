#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Boot
import Foundation
import Machine

/// `popek run`: boot a guest on a PC machine.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a guest: a Linux bzImage, a Multiboot kernel, a flat binary, or (with none) the built-in demo guest.",
        discussion: """
            The guest's COM1 is the console (raw terminal mode when standard input is a terminal; \
            Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A). Port 0xE9 output goes to standard error.
            Exit status: 0 power-off (or Ctrl-A X), 4 reset, 6 triple fault, 8 halted with interrupts \
            disabled, 2*v+1 when the guest writes v to the debug-exit port 0xF4, 2 host error, 64 usage error.
            The monitor adds "\(Run.defaultAppend)" to a Linux command line (--no-default-append to omit).
            """
    )

    static let defaultAppend = "reboot=k panic=1"

    @Option(help: "A kernel: a Linux bzImage (Linux boot protocol) or a Multiboot kernel (ELF32 or a.out kludge), told apart as QEMU's -kernel does.")
    var kernel: String?

    @Option(help: "An initial RAM disk for a Linux kernel; for a Multiboot kernel, its modules: \"FILE [ARGS]\" entries separated by commas (\",,\" for a comma in one), as QEMU's -initrd.")
    var initrd: String?

    @Option(help: "The kernel command line (e.g. \"console=ttyS0\").")
    var append: String = ""

    @Flag(help: "Do not add the monitor's default kernel parameters.")
    var noDefaultAppend = false

    @Option(help: "A flat binary to run instead of a kernel.")
    var flat: String?

    @Option(help: "With --flat: the mode it starts in, 16, 32 or 64.")
    var mode: Int = 64

    @Option(help: "With --flat: where it is loaded and entered (decimal or 0x hex).")
    var loadAddress: String = "0x100000"

    @Option(help: "Guest RAM: a size in MiB, or with a K, M, G or T suffix (16M up to the host's memory; above 3G the rest lies above 4 GiB).")
    var memory: String = "512M"

    @Option(help: "The execution engine: interpreter, or kvm (hardware-assisted, needs a usable /dev/kvm).")
    var engine: String = "interpreter"

    @Option(help: "Where COM1 goes: stdio, file:PATH, or none.")
    var serial: String = "stdio"

    @Flag(help: "Print the run's statistics (instructions, privileged and sensitive instructions, I/O) to standard error.")
    var stats = false

    func validate() throws {
        guard let bytes = Run.parseMemory(memory) else {
            throw ValidationError("--memory '\(memory)' is not a size (e.g. 512M, 1G, 8G)")
        }
        do {
            try MemoryLimits.check(bytes)
        } catch {
            throw ValidationError("--memory \(memory): \(error)")
        }
        guard EngineKind(rawValue: engine) != nil else {
            throw ValidationError("--engine '\(engine)': choose 'interpreter' or 'kvm'")
        }
        if kernel != nil && flat != nil { throw ValidationError("give --kernel or --flat, not both") }
        if initrd != nil && kernel == nil { throw ValidationError("--initrd needs --kernel") }
        if flat != nil {
            guard [16, 32, 64].contains(mode) else { throw ValidationError("--mode must be 16, 32 or 64, not \(mode)") }
            guard parseAddress(loadAddress) != nil else { throw ValidationError("--load-address '\(loadAddress)' is not a number") }
        }
        guard serial == "stdio" || serial == "none" || (serial.hasPrefix("file:") && serial.count > 5) else {
            throw ValidationError("--serial must be stdio, none or file:PATH, not '\(serial)'")
        }
    }

    /// Parses "512M", "1G", "65536K" or a plain number of MiB into bytes (at most 1 TiB); the
    /// machine's limits (`MemoryLimits`) are checked separately, with their own message.
    static func parseMemory(_ s: String) -> UInt64? {
        let upper = s.uppercased()
        var digits = upper
        var unit: UInt64 = 1 << 20
        if let last = upper.last, "KMGT".contains(last) {
            digits = String(upper.dropLast())
            unit = last == "K" ? 1 << 10 : last == "M" ? 1 << 20 : last == "G" ? 1 << 30 : 1 << 40
        }
        guard let n = UInt64(digits), n > 0, n <= (1 << 40) / unit else { return nil }
        return n * unit
    }

    func run() throws {
        let memoryBytes = Run.parseMemory(memory)!
        // Console output: buffered writes to stdout, or a file.
        var serialFile: FileHandle?
        if serial.hasPrefix("file:") {
            let path = String(serial.dropFirst(5))
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                fail("cannot write the serial output file '\(path)'")
            }
            serialFile = h
        }
        let toStdout = serial == "stdio"
        let serialSink: (UInt8) -> Void = { byte in
            if toStdout {
                var b = byte
                _ = Glibc.write(1, &b, 1)
            } else if let f = serialFile {
                f.write(Data([byte]))
            }
        }
        let consoleSink: (UInt8) -> Void = { byte in
            var b = byte
            _ = Glibc.write(2, &b, 1)
        }
        let vm: VirtualMachine
        do {
            vm = try VirtualMachine(memory: memoryBytes, engine: EngineKind(rawValue: engine)!,
                                    serialOutput: serialSink, console: consoleSink)
        } catch {
            fail("cannot create the machine: \(error)")
        }
        for note in vm.engineNotes { FileHandle.standardError.write((note + "\n").data(using: .utf8)!) }
        do {
            if let kernel {
                let image = readGuestFile(kernel, "the kernel")
                let memoryMap = LinuxBootProtocol.standardMemoryMap(ramSize: memoryBytes)
                switch KernelFormat.detect(image) {
                case .linux:
                    let initrdImage = initrd.map { readGuestFile($0, "the initrd") }
                    var cmdline = append
                    if !noDefaultAppend { cmdline = cmdline.isEmpty ? Run.defaultAppend : cmdline + " " + Run.defaultAppend }
                    vm.cpu.state = try LinuxBootProtocol.load(kernel: image, initrd: initrdImage, commandLine: cmdline, into: vm.machine.ram,
                                                              memoryMap: memoryMap)
                case .multiboot:
                    // As QEMU: the kernel's string is its file name and --append; each module's is its whole entry.
                    let modules = MultibootModule.parseList(initrd ?? "").map { m in
                        MultibootModule(bytes: readGuestFile(m.path, "the Multiboot module"), commandLine: m.commandLine)
                    }
                    vm.cpu.state = try Multiboot.load(kernel: image, modules: modules, commandLine: append.isEmpty ? kernel : kernel + " " + append,
                                                      into: vm.machine.ram, memoryMap: memoryMap)
                case nil:
                    throw KernelFormat.unrecognized(size: image.count)
                }
            } else if let flat {
                let image = readGuestFile(flat, "the flat binary")
                vm.cpu.state = try FlatBinary.load(image, into: vm.machine.ram, at: parseAddress(loadAddress)!, bits: mode)
            } else {
                // No guest given: the built-in demo (Guests/demo/demo.asm).
                vm.cpu.state = try FlatBinary.load(DemoGuest.image, into: vm.machine.ram, at: DemoGuest.loadAddress, bits: 16)
            }
        } catch let e as BootError {
            fail("\(e)")
        }

        // Console input: raw mode on a terminal, with QEMU's Ctrl-A escape.
        var saved = termios()
        let interactive = toStdout && isatty(0) != 0
        if interactive {
            tcgetattr(0, &saved)
            var raw = saved
            cfmakeraw(&raw)
            raw.c_oflag |= tcflag_t(OPOST | ONLCR)
            tcsetattr(0, TCSANOW, &raw)
        }
        if toStdout { vm.inputFD = 0 }
        var escape = false
        let machine = vm.machine
        vm.inputFilter = { b in
            if escape {
                escape = false
                if b == UInt8(ascii: "x") || b == UInt8(ascii: "X") { machine.requestExit(.powerOff); return false }
                return b == 1
            }
            if b == 1 && interactive { escape = true; return false }
            return true
        }
        let start = Date()
        let exit = vm.run()
        if interactive { tcsetattr(0, TCSANOW, &saved) }
        serialFile?.closeFile()
        if case .engineFailure(let message) = exit {
            FileHandle.standardError.write("popek: error: the \(vm.cpu.name) engine stopped: \(message)\n".data(using: .utf8)!)
        }
        if stats {
            let report = statisticsReport(exit: "\(exit)", seconds: Date().timeIntervalSince(start), engine: vm.cpu.name,
                                          vm.cpu.statistics)
            FileHandle.standardError.write(report.data(using: .utf8)!)
        }
        if exit.exitStatus != 0 { throw ExitCode(exit.exitStatus) }
    }
}

/// The bytes of a file the guest needs, or `fail` naming it and why it cannot be read (status 2).
func readGuestFile(_ path: String, _ what: String) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("\(what) '\(path)' does not exist") }
    guard !isDirectory.boolValue else { fail("\(what) '\(path)' is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(what) '\(path)'") }
    return [UInt8](data)
}

/// Prints `popek: error: message` and exits with status 2 (a host error, not a usage error).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write("popek: error: \(message)\n".data(using: .utf8)!)
    Foundation.exit(2)
}
