import Foundation
import MachineInterface

/// The `--stats` report: instructions and the privileged/sensitive counts for an engine that
/// counts them (the interpreter); VM exits by reason with the time the monitor spent on each for a
/// trap-and-emulate engine (KVM).
func statisticsReport(exit: String, seconds: Double, engine: String, _ s: EngineStatistics) -> String {
    func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    func lpad(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
    var r = "popek: \(exit) after \(String(format: "%.2f", seconds)) s (engine \(engine))\n"
    if let n = s.instructionsRetired {
        r += "  instructions retired   \(n) (\(String(format: "%.1f", Double(n) / max(seconds, 1e-9) / 1e6)) MIPS)\n"
    }
    for c in s.counters { r += "  \(pad(c.name, 22)) \(c.value)\n" }
    if let g = s.guestNanoseconds {
        let monitor = s.exits.reduce(0) { $0 + $1.monitorNanoseconds }
        r += "  in KVM_RUN (guest and host kernel) \(String(format: "%.3f", Double(g) / 1e9)) s; "
            + "in the monitor handling exits \(String(format: "%.3f", Double(monitor) / 1e9)) s\n"
    }
    if !s.exits.isEmpty {
        r += "  \(pad("exit reason", 18)) \(lpad("count", 10)) \(lpad("monitor time", 14)) \(lpad("per exit", 12))\n"
        for e in s.exits {
            let ms = Double(e.monitorNanoseconds) / 1e6
            let per = Double(e.monitorNanoseconds) / Double(max(e.count, 1)) / 1e3
            r += "  \(pad(e.reason, 18)) \(lpad(String(e.count), 10)) \(lpad(String(format: "%.3f ms", ms), 14)) \(lpad(String(format: "%.2f us", per), 12))\n"
        }
    }
    return r
}
