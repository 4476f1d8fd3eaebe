import ArgumentParser

/// The `popek` command: an x86 virtual machine monitor.
@main
struct Popek: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "popek",
        abstract: "Popek, an x86 virtual machine monitor.",
        subcommands: [Run.self, Disasm.self, Analyze.self, TestVectorsCommand.self, FuzzCommand.self]
    )
}
