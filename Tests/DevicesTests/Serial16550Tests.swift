import DeviceModel
import Devices
import Testing

/// PC16550D register-level tests (datasheet: register summary, IIR priorities, FCR, loopback).
@Suite struct Serial16550Tests {
    let clock = ManualClock()
    let irq4: RecordingLine
    let sink: Sink
    let uart: Serial16550

    final class Sink {
        var bytes: [UInt8] = []
    }

    init() {
        irq4 = RecordingLine(clock: clock)
        let sink = Sink()
        self.sink = sink
        uart = Serial16550(clock: clock, interrupt: irq4) { sink.bytes.append($0) }
    }

    // Offsets: 0 RBR/THR/DLL, 1 IER/DLM, 2 IIR/FCR, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR.

    @Test func resetState() {
        #expect(uart.inb(1) == 0x00)  // IER
        #expect(uart.inb(2) == 0x01)  // IIR: no interrupt pending
        #expect(uart.inb(3) == 0x00)  // LCR
        #expect(uart.inb(4) == 0x00)  // MCR
        #expect(uart.inb(5) == 0x60)  // LSR: THRE | TEMT
        #expect(uart.inb(6) & 0xF0 == 0xB0)  // MSR: DCD, DSR, CTS from a connected terminal
    }

    @Test func divisorLatchRoundTripUnderDLAB() {
        uart.outb(1, 0x05)  // IER
        uart.outb(3, 0x80)  // LCR DLAB = 1
        uart.outb(0, 0x01)  // DLL: 115200 baud
        uart.outb(1, 0x00)  // DLM
        #expect(uart.inb(0) == 0x01)
        #expect(uart.inb(1) == 0x00)
        uart.outb(0, 0x0C)
        uart.outb(1, 0x03)
        #expect(uart.divisor == 0x030C)
        uart.outb(3, 0x03)  // 8N1, DLAB = 0
        #expect(uart.inb(1) == 0x05)  // IER again, untouched by the divisor writes
        #expect(uart.inb(3) == 0x03)
        #expect(sink.bytes.isEmpty)  // DLL writes are not transmitted
    }

    @Test func transmitGoesToSink() {
        uart.outb(3, 0x03)
        for b in "Hi\n".utf8 { uart.outb(0, b) }
        #expect(sink.bytes == [0x48, 0x69, 0x0A])
        #expect(uart.inb(5) == 0x60)
    }

    @Test func unprogrammedUARTPassesWholeBytes() {
        // LCR resets to 5-bit words; bytes still pass whole, so a guest that never sets LCR prints.
        uart.outb(0, 0xC1)
        #expect(sink.bytes == [0xC1])
        uart.outb(4, 0x10)
        uart.outb(0, 0xE7)
        #expect(uart.inb(0) == 0xE7)
    }

    @Test func thrEmptyInterrupt() {
        uart.outb(4, 0x08)  // MCR OUT2: the PC board passes the interrupt
        uart.outb(1, 0x02)  // IER ETBEI with THR empty: THRE interrupt at once
        #expect(irq4.level)
        #expect(uart.inb(2) == 0x02)
        // Reading IIR (with THRE the source) clears it.
        #expect(!irq4.level)
        #expect(uart.inb(2) == 0x01)
        uart.outb(0, 0x41)  // THR empties again after the (instant) transmission
        #expect(irq4.level)
        #expect(uart.inb(2) == 0x02)
        #expect(irq4.risingEdges.count == 2)
    }

    @Test func receiveRaisesDataAvailable() {
        uart.outb(4, 0x08)
        uart.outb(1, 0x01)  // ERBFI
        #expect(!irq4.level)
        #expect(uart.receive(0x7A))
        #expect(irq4.level)
        #expect(uart.inb(2) == 0x04)  // received data available
        #expect(uart.inb(5) & 0x01 == 0x01)  // LSR DR
        #expect(uart.inb(0) == 0x7A)
        #expect(uart.inb(5) & 0x01 == 0x00)
        #expect(uart.inb(2) == 0x01)
        #expect(!irq4.level)
    }

    @Test func interruptGatedByOUT2() {
        uart.outb(1, 0x01)
        uart.receive(0x31)
        #expect(uart.inb(2) == 0x04)  // pending in the UART
        #expect(!irq4.level)  // but OUT2 = 0: not on the bus
        uart.outb(4, 0x08)
        #expect(irq4.level)
    }

    @Test func receivePriorityOverTHRE() {
        uart.outb(4, 0x08)
        uart.outb(1, 0x03)
        uart.receive(0x31)
        #expect(uart.inb(2) == 0x04)
        _ = uart.inb(0)
        #expect(uart.inb(2) == 0x02)
    }

    @Test func fifoDetectionAsLinuxAutoconfig() {
        uart.outb(2, 0x01)  // FCR: enable FIFOs
        #expect(uart.inb(2) >> 6 == 3)  // 16550A: IIR bits 7-6 set
        #expect(uart.inb(2) & 0x30 == 0)  // no 64-byte FIFO (16750) bit
        uart.outb(1, 0x0F)
        #expect(uart.inb(1) == 0x0F)
        uart.outb(1, 0xFF)
        #expect(uart.inb(1) == 0x0F)  // IER bits 7-4 read 0
        uart.outb(7, 0xA5)
        #expect(uart.inb(7) == 0xA5)  // SCR
    }

    @Test func fifoTriggerLevelAndCharacterTimeout() {
        uart.outb(4, 0x08)
        uart.outb(3, 0x83)
        uart.outb(0, 0x01)  // divisor 1: 115200 baud, 8N1 = 10 bits = 86.805 us per character
        uart.outb(1, 0x00)
        uart.outb(3, 0x03)
        uart.outb(2, 0x87)  // FIFO enable, reset both, trigger 8 bytes
        uart.outb(1, 0x01)
        #expect(uart.receive([1, 2, 3]) == 3)
        #expect(uart.inb(2) == 0xC1)  // below trigger: nothing yet
        // Character timeout: four character times (4 * 86805 ns) after the last FIFO activity.
        clock.advance(to: 347_219)
        #expect(!irq4.level)
        clock.advance(to: 347_220)
        #expect(irq4.level)
        #expect(uart.inb(2) == 0xCC)
        #expect(uart.inb(0) == 1)  // reading restarts the timeout
        #expect(uart.inb(2) == 0xC1)
        #expect(uart.receive([4, 5, 6, 7, 8, 9, 10]) == 7)  // 9 bytes >= 8
        #expect(uart.inb(2) == 0xC4)
    }

    @Test func receiveFIFOCapacityAndFlowControl() {
        var spaceCalls = 0
        uart.onReceiveSpace = { spaceCalls += 1 }
        #expect(uart.receive([1, 2]) == 1)  // 16450 mode: the one-byte RBR
        uart.outb(2, 0x07)
        #expect(uart.receivedCount == 0)  // enabling the FIFOs clears them
        #expect(spaceCalls == 1)
        #expect(uart.receive(Array(0..<20)) == 16)
        #expect(uart.inb(5) & 0x02 == 0)  // no overrun: the rest wait with the caller
        #expect(uart.inb(0) == 0)
        #expect(spaceCalls == 2)
        #expect(uart.receiveSpace == 1)
    }

    @Test func loopbackAsLinuxAutoconfig() {
        // 8250 autoconfig: MCR = LOOP | OUT2 | RTS (0x1A); MSR & 0xF0 must read 0x90 (DCD | CTS).
        uart.outb(4, 0x1A)
        #expect(uart.inb(6) & 0xF0 == 0x90)
        uart.outb(4, 0x1F)
        #expect(uart.inb(6) & 0xF0 == 0xF0)
        uart.outb(0, 0x5A)
        #expect(sink.bytes.isEmpty)  // the transmitter is looped back
        #expect(uart.inb(5) & 0x01 == 0x01)
        #expect(uart.inb(0) == 0x5A)
        #expect(!uart.receive(0x11))  // the serial input is disconnected in loopback
        uart.outb(4, 0x00)
        uart.outb(0, 0x21)
        #expect(sink.bytes == [0x21])
    }

    @Test func loopbackModemStatusDeltasAndInterrupt() {
        uart.outb(1, 0x08)  // EDSSI
        uart.outb(4, 0x10)  // LOOP: CTS, DSR, DCD drop (were 1 from the terminal)
        #expect(uart.inb(6) == 0x0B)  // DCTS | DDSR | DDCD
        #expect(uart.inb(6) == 0x00)  // deltas cleared by reading
        uart.outb(4, 0x14)  // OUT1 -> RI
        uart.outb(4, 0x10)  // RI falls: trailing edge
        #expect(uart.inb(2) == 0x00)  // modem status interrupt
        #expect(uart.inb(6) == 0x04)  // TERI
        #expect(!irq4.level)  // loopback forces OUT2 inactive on the PC
    }

    @Test func overrunInLoopbackRaisesLineStatus() {
        uart.outb(1, 0x04)  // ELSI
        uart.outb(4, 0x18)
        uart.outb(0, 0x41)
        uart.outb(0, 0x42)  // RBR still full: overrun
        #expect(uart.inb(2) == 0x06)
        #expect(uart.inb(5) == 0x63)  // DR | OE | THRE | TEMT
        #expect(uart.inb(5) == 0x61)  // OE cleared by reading LSR
        #expect(uart.inb(0) == 0x41)
    }

    @Test func badAccessesAreIgnoredAndCounted() {
        #expect(uart.read(offset: 8, size: 1) == 0xFF)
        uart.outb(5, 0x00)  // LSR is read-only
        uart.outb(6, 0x00)
        _ = uart.inb(0)  // RBR read with nothing received
        #expect(uart.ignoredAccesses == 4)
        #expect(uart.inb(5) == 0x60)
    }
}
