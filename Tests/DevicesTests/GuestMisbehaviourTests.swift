import DeviceModel
import Devices
import Testing

/// Random register traffic at every device: whatever the guest writes, at any offset and size,
/// with time passing in between, no device may trap (architecture guide: "nothing a guest does may").
@Suite struct GuestMisbehaviourTests {
    /// SplitMix64: a fixed-seed generator, so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    @Test(arguments: 0..<4)
    func randomTrafficNeverTraps(seed: UInt64) {
        let clock = ManualClock()
        let pics = DualPIC8259(output: DisconnectedLine())
        let pit = PIT8254(clock: clock, irq0: pics.line(0))
        let portB = SystemControlPortB(pit: pit, clock: clock)
        let rtc = CMOS146818(clock: clock, interrupt: pics.line(8), startSeconds: 1_700_000_000)
        let uart = Serial16550(clock: clock, interrupt: pics.line(4)) { _ in }
        let kbc = KeyboardController8042(keyboardInterrupt: pics.line(1), auxInterrupt: pics.line(12), reset: {})
        let devices: [BusDevice] = [
            pics.master, pics.slave, pics.elcr, pit, portB, rtc, uart, kbc,
            SystemControlPortA(reset: {}), POSTPort(), DebugExitPort { _ in }, DebugConsole { _ in },
        ]
        let sizes = [0, 1, 1, 1, 1, 2, 4, 8, 3, 16]
        var rng = Generator(state: seed)
        var acknowledged = 0
        for _ in 0..<50_000 {
            let device = devices[Int(rng.below(UInt64(devices.count)))]
            let offset = rng.below(10) == 0 ? rng.next() : rng.below(9)
            let size = sizes[Int(rng.below(UInt64(sizes.count)))]
            if rng.below(2) == 0 {
                _ = device.read(offset: offset, size: size)
            } else {
                device.write(offset: offset, size: size, value: rng.next())
            }
            switch rng.below(20) {
            case 0: clock.advance(by: rng.below(200_000))
            case 1: uart.receive(UInt8(truncatingIfNeeded: rng.next()))
            case 2: kbc.typeKeyboardBytes([UInt8(truncatingIfNeeded: rng.next())])
            case 3:
                if pics.interruptPending {
                    _ = pics.acknowledge()
                    acknowledged += 1
                }
            case 4: pics.setIRQ(Int(rng.below(16)), level: rng.below(2) == 0)
            default: break
            }
        }
        // Time still works afterwards, and the counters that must stay in range do.
        clock.advance(by: 2_000_000_000)
        for i in 0..<3 { #expect(pit.countingElement(i) < 65_536) }
        #expect(rtc.currentSeconds > 0)
        #expect(pics.master.ignoredAccesses + pit.ignoredAccesses + uart.ignoredAccesses > 0)
        #expect(acknowledged > 0)
    }
}
