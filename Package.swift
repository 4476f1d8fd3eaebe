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
        // NASM-syntax disassembler over the decoded form.
        .target(name: "X86Disassembler", dependencies: ["X86ISA", "X86Decoder"]),
        // The `popek` command-line tool.
        .executableTarget(
            name: "PopekCLI",
            dependencies: [
                "X86ISA", "X86Decoder", "X86Disassembler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "X86DecoderTests",
            dependencies: ["X86ISA", "X86Decoder", "X86Disassembler"]
        ),
    ]
)
