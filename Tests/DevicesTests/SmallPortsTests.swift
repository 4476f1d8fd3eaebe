import DeviceModel
import Devices
import Testing

/// Port 0x92, port 0x80, isa-debug-exit (0xF4) and the 0xE9 debug console.
@Suite struct SmallPortsTests {
    final class Log {
        var values: [UInt32] = []
        var bytes: [UInt8] = []
        var resets = 0
        var a20: [Bool] = []
    }

    @Test func debugExitStatusIsTwiceValuePlusOne() {
        let log = Log()
        let port = DebugExitPort { log.values.append($0) }
        port.outb(0, 0x10)
        #expect(log.values == [0x10])
        #expect(DebugExitPort.exitStatus(forValue: 0x10) == 33)
        #expect(DebugExitPort.exitStatus(forValue: 0) == 1)
        port.write(offset: 0, size: 2, value: 0x1234)
        #expect(log.values.last == 0x1234)
        port.write(offset: 0, size: 4, value: 0xFFFF_FFFF_0000_0003)
        #expect(log.values.last == 3)
        port.write(offset: 1, size: 1, value: 5)
        port.write(offset: 0, size: 3, value: 5)
        #expect(log.values.count == 3)
        #expect(port.ignoredAccesses == 2)
        #expect(port.read(offset: 0, size: 1) == 0)
    }

    @Test func debugConsoleForwardsBytesAndIdentifiesItself() {
        let log = Log()
        let console = DebugConsole { log.bytes.append($0) }
        for b in "ok\n".utf8 { console.outb(0, b) }
        #expect(log.bytes == Array("ok\n".utf8))
        #expect(console.inb(0) == 0xE9)
        console.write(offset: 0, size: 2, value: 0x4241)  // the high byte belongs to port 0xEA
        #expect(log.bytes.last == 0x41)
        #expect(console.ignoredAccesses == 1)
    }

    @Test func postPortSwallowsAndCounts() {
        let post = POSTPort()
        post.outb(0, 0x12)
        post.outb(0, 0x34)
        #expect(post.writes == 2)
        #expect(post.inb(0) == 0x34)
        #expect(post.lastValue == 0x34)
    }

    @Test func systemControlPortAFastA20AndReset() {
        let log = Log()
        let port = SystemControlPortA(reset: { log.resets += 1 }, a20: { log.a20.append($0) })
        port.outb(0, 0x02)  // ALT_A20
        #expect(port.a20Enabled)
        #expect(log.a20 == [true])
        #expect(log.resets == 0)
        port.outb(0, 0x03)  // ALT_RST 0 -> 1: reset
        #expect(log.resets == 1)
        port.outb(0, 0x03)  // already 1: no edge
        #expect(log.resets == 1)
        port.outb(0, 0x02)
        port.outb(0, 0x03)
        #expect(log.resets == 2)
        #expect(port.inb(0) == 0x03)
        port.outb(0, 0x00)
        #expect(log.a20 == [true, false])
    }

    @Test func busWindowShiftsOffsets() {
        let post = POSTPort()
        let window = BusWindow(post, offset: 0)
        window.outb(0, 7)
        #expect(post.lastValue == 7)
        let shifted = BusWindow(post, offset: 1)
        shifted.outb(0, 9)  // reaches the POST port's offset 1: past its register
        #expect(post.ignoredAccesses == 1)
        #expect(post.lastValue == 7)
    }
}
