import DeviceModel
import Devices
import Testing

/// 82093AA IOAPIC tests (datasheet 290566, 3.2), delivering to a real local APIC.
@Suite struct IOAPICTests {
    let clock = ManualClock()
    let lapic: LocalAPIC
    let ioapic: IOAPIC
    /// Every message the IOAPIC sent.
    final class Log { var messages: [InterruptMessage] = [] }
    let log: Log

    init() {
        let lapic = LocalAPIC(clock: clock, tscFrequency: 1_000_000_000)
        let log = Log()
        let ioapic = IOAPIC(id: 1) { m in
            log.messages.append(m)
            lapic.receive(m)
        }
        lapic.endOfInterruptBroadcast = { ioapic.endOfInterrupt(vector: $0) }
        lapic.write(offset: LocalAPIC.Register.spuriousVector, size: 4, value: 0x1FF)
        self.lapic = lapic
        self.ioapic = ioapic
        self.log = log
    }

    func select(_ r: UInt8) { ioapic.write(offset: 0, size: 4, value: UInt64(r)) }
    func read(_ r: UInt8) -> UInt32 {
        select(r)
        return UInt32(truncatingIfNeeded: ioapic.read(offset: 0x10, size: 4))
    }
    func write(_ r: UInt8, _ v: UInt32) {
        select(r)
        ioapic.write(offset: 0x10, size: 4, value: UInt64(v))
    }
    /// Programs redirection entry `pin` (high half first, as Linux does).
    func program(_ pin: Int, low: UInt32, destination: UInt8 = 0) {
        write(UInt8(0x11 + 2 * pin), UInt32(destination) << 24)
        write(UInt8(0x10 + 2 * pin), low)
    }
    func eoi() { lapic.write(offset: LocalAPIC.Register.endOfInterrupt, size: 4, value: 0) }

    @Test func identificationRegisters() {
        #expect(read(0x00) == 0x0100_0000)
        #expect(read(0x01) == 0x0017_0011)  // 24 entries, version 0x11
        #expect(read(0x02) == 0x0100_0000)
        write(0x00, 0x0F00_0000 | 0xFF)
        #expect(read(0x00) == 0x0F00_0000)
        #expect(read(0x02) == 0x0F00_0000)  // arbitration ID follows the ID
        write(0x01, 0)
        #expect(read(0x01) == 0x0017_0011)
        select(0x3F)
        #expect(ioapic.read(offset: 0, size: 4) == 0x3F)
        for pin in 0..<24 {
            #expect(read(UInt8(0x10 + 2 * pin)) == 0x0001_0000)  // masked at reset
            #expect(read(UInt8(0x11 + 2 * pin)) == 0)
        }
        #expect(read(0x40) == 0)  // past the table
        #expect(ioapic.read(offset: 0x10, size: 2) == 0xFFFF)  // IOWIN is 32-bit only
    }

    @Test func readOnlyBitsOfRedirectionEntries() {
        program(5, low: 0xFFFF_FFFF, destination: 0xAB)
        // Delivery status (12) and remote IRR (14) are read-only; bits 31:17 reserved.
        #expect(read(0x1A) == 0x0001_AFFF)
        #expect(read(0x1B) == 0xAB00_0000)
        write(0x1B, 0xFFFF_FFFF)
        #expect(read(0x1B) == 0xFF00_0000)
    }

    @Test func edgePinDeliversToLocalAPIC() {
        program(4, low: 0x34)  // fixed, physical, edge, active high, unmasked, vector 0x34
        ioapic.line(4).setLevel(true)
        #expect(log.messages == [InterruptMessage(vector: 0x34, deliveryMode: .fixed, logicalDestination: false,
                                                  destination: 0, levelTriggered: false)])
        #expect(lapic.isRequested(0x34))
        ioapic.line(4).setLevel(true)  // no new edge
        #expect(log.messages.count == 1)
        #expect(lapic.acknowledge() == 0x34)
        eoi()
        #expect(!lapic.isLevelTriggered(0x34))
        ioapic.line(4).setLevel(false)
        ioapic.line(4).pulse()
        #expect(log.messages.count == 2)
    }

    @Test func maskedEdgesAreLost() {
        program(3, low: 0x1_0033)
        ioapic.line(3).pulse()
        #expect(log.messages.isEmpty)
        program(3, low: 0x33)  // unmasking does not replay an edge
        #expect(log.messages.isEmpty)
        #expect(!lapic.interruptPending)
    }

    @Test func levelTriggeredRemoteIRRAndEOI() {
        program(9, low: 0x8000 | 0x39)  // level, vector 0x39
        ioapic.line(9).setLevel(true)
        #expect(read(0x22) & 0x4000 != 0)  // remote IRR
        #expect(lapic.isLevelTriggered(0x39))
        #expect(lapic.acknowledge() == 0x39)
        #expect(log.messages.count == 1)
        ioapic.line(9).setLevel(true)  // still asserted, remote IRR set: nothing new
        #expect(log.messages.count == 1)
        eoi()  // EOI broadcast clears remote IRR; the pin is still high: sent again
        #expect(log.messages.count == 2)
        #expect(lapic.acknowledge() == 0x39)
        ioapic.line(9).setLevel(false)
        eoi()
        #expect(read(0x22) & 0x4000 == 0)
        #expect(log.messages.count == 2)
        #expect(!lapic.interruptPending)
    }

    @Test func unmaskingAnAssertedLevelPinDelivers() {
        program(10, low: 0x1_8000 | 0x3A)  // masked, level
        ioapic.line(10).setLevel(true)
        #expect(log.messages.isEmpty)
        program(10, low: 0x8000 | 0x3A)
        #expect(log.messages.count == 1)
        #expect(lapic.isRequested(0x3A))
    }

    @Test func switchingToEdgeClearsRemoteIRR() {
        program(11, low: 0x8000 | 0x3B)
        ioapic.line(11).setLevel(true)
        #expect(read(0x26) & 0x4000 != 0)
        program(11, low: 0x1_003B)  // masked, edge: remote IRR is meaningless
        #expect(read(0x26) & 0x4000 == 0)
    }

    @Test func otherEOIVectorsLeaveRemoteIRR() {
        program(9, low: 0x8000 | 0x39)
        ioapic.line(9).setLevel(true)
        ioapic.endOfInterrupt(vector: 0x40)
        #expect(read(0x22) & 0x4000 != 0)
        ioapic.endOfInterrupt(vector: 0x39)
        #expect(log.messages.count == 2)  // resent: still asserted
    }

    @Test func destinationsAndDeliveryModes() {
        program(1, low: 0x31, destination: 1)  // physical APIC 1: not this processor
        ioapic.line(1).pulse()
        #expect(log.messages.count == 1 && !lapic.isRequested(0x31))
        lapic.write(offset: LocalAPIC.Register.logicalDestination, size: 4, value: 0x0100_0000)
        program(1, low: 0x800 | 0x31, destination: 1)  // logical (flat) 0x01: this processor
        ioapic.line(1).pulse()
        #expect(lapic.isRequested(0x31))
        program(7, low: 0x400)  // NMI
        ioapic.line(7).pulse()
        #expect(lapic.nmiPending)
        program(0, low: 0x700)  // ExtINT
        lapic.externalInterruptAcknowledge = { 0x20 }
        ioapic.line(0).pulse()
        #expect(log.messages.last?.deliveryMode == .extINT)
        #expect(lapic.acknowledge() == 0x20)
        #expect(ioapic.messagesSent[0] == 1 && ioapic.messagesSent[7] == 1)
    }

    @Test func eoiRegisterOnlyFromVersion20() {
        let v20 = IOAPIC(id: 2, version: 0x20) { _ in }
        v20.write(offset: 0, size: 4, value: 1)
        #expect(v20.read(offset: 0x10, size: 4) == 0x0017_0020)
        v20.write(offset: 0, size: 4, value: 0x10)
        v20.write(offset: 0x10, size: 4, value: 0x8000 | 0x45)
        v20.setPin(0, level: true)
        #expect(v20.redirectionEntry(0) & IOAPIC.EntryBits.remoteIRR != 0)
        v20.setPin(0, level: false)
        v20.write(offset: 0x40, size: 4, value: 0x45)
        #expect(v20.redirectionEntry(0) & IOAPIC.EntryBits.remoteIRR == 0)
        ioapic.write(offset: 0x40, size: 4, value: 0x45)
        #expect(ioapic.ignoredAccesses == 1)
    }

    /// Linux's check_timer path: the PIT's IRQ0 through IOAPIC pin 2 (MP table / MADT override)
    /// to the local APIC, 1 kHz, with the 8259A masked.
    @Test func pitThroughIOAPICPin2() {
        let pics = DualPIC8259(output: lapic.lint0)
        let pit = PIT8254(clock: clock, irq0: InterruptFanout([pics.line(0), ioapic.line(2)]))
        lapic.write(offset: LocalAPIC.Register.lvtLINT0, size: 4, value: 0x1_0700)  // "masked ExtINT on CPU#0"
        program(2, low: 0x30)
        pit.outb(3, 0x34)
        pit.outb(0, UInt8(1193 & 0xFF))
        pit.outb(0, UInt8(1193 >> 8))
        // The control word drives OUT high: one edge at once, then one per period.
        #expect(lapic.acknowledge() == 0x30)
        eoi()
        var ticks = 0
        for _ in 0..<100 {
            clock.advance(by: 100_000)
            while lapic.interruptPending {
                #expect(lapic.acknowledge() == 0x30)
                eoi()
                ticks += 1
            }
        }
        #expect(ticks == 10)  // 10 ms at 1193182 / 1193 Hz
    }

    @Test func fanoutFeedsPICAndIOAPIC() {
        let pics = DualPIC8259(output: DisconnectedLine())
        let irq0 = InterruptFanout([pics.line(0), ioapic.line(2)])  // the PIT: IRQ0 is IOAPIC pin 2
        program(2, low: 0x30)
        irq0.pulse()
        #expect(lapic.isRequested(0x30))
        #expect(pics.master.irr & 1 != 0)
    }
}
