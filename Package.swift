// swift-tools-version: 6.1
// Popek: an x86 virtual machine monitor. See ARCHITECTURE.md for the module map.
import PackageDescription

let package = Package(
    name: "Popek",
    products: [
        .executable(name: "popek", targets: ["PopekCLI"]),
        .library(name: "X86ISA", targets: ["X86ISA"]),
        .library(name: "X86Decoder", targets: ["X86Decoder"]),
        .library(name: "X86Disassembler", targets: ["X86Disassembler"]),
        .library(name: "X86State", targets: ["X86State"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // x86 ISA vocabulary: registers, mnemonics, flags. No dependencies.
        .target(name: "X86ISA"),
        // Instruction decoder: bytes -> compact `Instruction`, with metadata.
        .target(name: "X86Decoder", dependencies: ["X86ISA"]),
        // The portable CPU state every engine loads and saves.
        .target(name: "X86State"),
        // Device-model protocols: bus device, interrupt line, clock, I/O bus.
        .target(name: "DeviceModel"),
        // PC devices (UART, PICs, PIT, RTC, 8042, debug ports): register machines over DeviceModel.
        .target(name: "Devices", dependencies: ["DeviceModel"]),
        // PCI: configuration space, bus 0 registry, mechanism #1 host (i440FX + PIIX3), BAR windows.
        .target(name: "PCI", dependencies: ["DeviceModel", "Devices"]),
        // Firmware tables written into guest memory: Intel MP table, ACPI (RSDP/RSDT/XSDT/FADT/MADT/DSDT).
        .target(name: "Firmware"),
        // Guest RAM: one mmap'd region.
        .target(name: "GuestMemory"),
        // The narrow interface engines use to reach the machine (port I/O, MMIO, interrupts).
        .target(name: "MachineInterface", dependencies: ["X86State"]),
        // The full-emulation engine: decode and execute, soft MMU, exceptions and interrupts.
        .target(name: "Interpreter", dependencies: ["X86ISA", "X86Decoder", "X86State", "GuestMemory", "MachineInterface", "SoftFloat"]),
        // <linux/kvm.h> and fixed-signature ioctl wrappers (Swift cannot call the variadic ioctl).
        .target(name: "CKVM"),
        // A typed Swift layer over /dev/kvm: KVMSystem, KVMVirtualMachine, KVMVCPU, KVMError.
        .target(name: "KVM", dependencies: ["CKVM"]),
        // The hardware-assisted engine: KVM exits routed to the Platform (trap-and-emulate).
        .target(name: "KVMEngine", dependencies: ["KVM", "X86State", "GuestMemory", "MachineInterface"]),
        // zlib from the system (zlib1g-dev, a Swift-on-Linux prerequisite): gunzips the test vectors.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // SingleStepTests (8086/80286 hardware captures): MOO reader and runner against the interpreter.
        .target(name: "TestVectors", dependencies: ["CZlib", "Interpreter", "GuestMemory", "MachineInterface", "X86State"]),
        // Boot loaders: flat binaries, the Linux boot protocol, Multiboot (ELF32 and a.out kludge).
        .target(name: "Boot", dependencies: ["GuestMemory", "X86State"]),
        // The machine: RAM, buses, devices and interrupt routing; the only place engines and devices meet.
        .target(name: "Machine", dependencies: ["DeviceModel", "Devices", "PCI", "Firmware", "GuestMemory", "MachineInterface", "Interpreter", "KVMEngine", "Boot", "X86State"]),
        // Software x87 / IEEE 754 arithmetic: 80-bit extended, conversions, transcendentals. No dependencies.
        .target(name: "SoftFloat"),
        // Test-only oracle: runs one host x87 instruction under a given control word.
        .target(name: "CX87Oracle"),
        // Test-only oracle: runs one host SSE instruction under a given MXCSR (SSEFloatTests).
        .target(name: "CSSEOracle"),
        // NASM-syntax disassembler over the decoded form.
        .target(name: "X86Disassembler", dependencies: ["X86ISA", "X86Decoder"]),
        // The `popek` command-line tool.
        .executableTarget(
            name: "PopekCLI",
            dependencies: [
                "X86ISA", "X86Decoder", "X86Disassembler", "TestVectors", "Machine", "Boot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Decoder throughput benchmark (Scripts/bench-decoder.sh runs it against Zydis).
        .executableTarget(
            name: "decoder-bench",
            dependencies: ["X86ISA", "X86Decoder"],
            path: "Benchmarks/DecoderBenchmark"
        ),
        // Interpreter throughput: guest MIPS of three 64-bit loops (Scripts/bench-interpreter.sh runs it).
        .executableTarget(
            name: "interpreter-bench",
            dependencies: ["Boot", "GuestMemory", "Interpreter", "Machine", "MachineInterface", "X86State"],
            path: "Benchmarks/InterpreterBenchmark"
        ),
        // KVM engine benchmarks: guest MIPS of a CPL3 loop on both engines, VM-exit round trip
        // (Scripts/bench-kvm.sh runs it beside a C program using raw ioctls).
        .executableTarget(
            name: "kvm-bench",
            dependencies: ["KVMEngine", "KVM", "Interpreter", "Boot", "GuestMemory", "MachineInterface", "X86State"],
            path: "Benchmarks/KVMBenchmark",
            exclude: ["c", "guests"]
        ),
        // The same guest programs on every engine: identical results and final CPU state.
        .testTarget(
            name: "EngineConformanceTests",
            dependencies: ["Boot", "GuestMemory", "Interpreter", "KVMEngine", "KVM", "Machine", "MachineInterface", "X86State"]
        ),
        .testTarget(name: "DevicesTests", dependencies: ["Devices", "DeviceModel"]),
        .testTarget(name: "PCITests", dependencies: ["PCI", "Devices", "DeviceModel"]),
        .testTarget(name: "FirmwareTests", dependencies: ["Firmware"]),
        .testTarget(
            name: "GuestProgramTests",
            dependencies: ["Boot", "GuestMemory", "Interpreter", "Machine", "MachineInterface", "X86State"]
        ),
        .testTarget(
            name: "SoftFloatTests",
            dependencies: ["SoftFloat", "CX87Oracle"]
        ),
        // SoftFloat's binary32/binary64 (MXCSR) operations against the host's SSE unit.
        .testTarget(name: "SSEFloatTests", dependencies: ["SoftFloat", "CSSEOracle"]),
        .testTarget(
            name: "X86DecoderTests",
            dependencies: ["X86ISA", "X86Decoder", "X86Disassembler"],
            exclude: ["Resources"]  // read through #filePath, as InterpreterTests' files are
        ),
        .testTarget(
            name: "InterpreterTests",
            dependencies: ["Interpreter", "TestVectors", "GuestMemory", "MachineInterface", "X86State"],
            exclude: ["Resources"]
        ),
    ]
)
