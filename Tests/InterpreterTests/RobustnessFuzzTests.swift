import Interpreter
import Testing
import TestVectors

/// A small fixed-seed slice of the robustness fuzz (`popek fuzz robustness`, run at scale by
/// Tests/fuzz/interpreter-ci.sh and `make fuzz-interpreter`): random byte programs from 16-, 32- and
/// 64-bit starting states must end cleanly, never trap in the monitor.
@Suite struct RobustnessFuzzTests {
    @Test("random byte programs end cleanly", arguments: [16, 32, 64])
    func randomPrograms(bits: Int) throws {
        let fuzzer = try RobustnessFuzzer(budget: 500)
        for i in 0..<300 { fuzzer.run(bits: bits, seed: 7, index: i) }
        #expect(fuzzer.cases == 300)
        #expect(fuzzer.stops.values.reduce(0, +) == 300)
        // The programs get somewhere: exceptions are raised and delivered, and most run to the budget.
        #expect(fuzzer.exceptions.values.reduce(0, +) > 100)
        #expect(fuzzer.instructions > 300 * 100)
    }
}
