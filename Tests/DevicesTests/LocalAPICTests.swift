import DeviceModel
import Devices
import Testing

/// Local APIC register-level tests on a manual clock (Intel SDM Vol. 3A, chapter 11). The timer's
/// bus clock is 1 GHz (one tick per ns) and the TSC runs at 2 GHz.
@Suite struct LocalAPICTests {
    let clock = ManualClock()
    let apic: LocalAPIC
    typealias R = LocalAPIC.Register

    init() {
        apic = LocalAPIC(clock: clock, tscFrequency: 2_000_000_000)
    }

    func w(_ r: UInt64, _ v: UInt32) { apic.write(offset: r, size: 4, value: UInt64(v)) }
    func r(_ r: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: apic.read(offset: r, size: 4)) }
    func enable(spurious: UInt32 = 0xFF) { w(R.spuriousVector, 0x100 | spurious) }

    /// Takes every deliverable interrupt, EOI-ing each; returns the vectors in order.
    func drain() -> [UInt8] {
        var taken: [UInt8] = []
        while apic.interruptPending {
            taken.append(apic.acknowledge())
            w(R.endOfInterrupt, 0)
        }
        return taken
    }

    // MARK: Reset state and registers

    @Test func powerUpState() {
        #expect(r(R.version) == 0x0005_0014)  // version 0x14, max LVT entry 5
        #expect(r(R.id) == 0)
        #expect(r(R.spuriousVector) == 0xFF)  // software disabled
        #expect(r(R.destinationFormat) == 0xFFFF_FFFF)
        #expect(r(R.lvtTimer) == 0x0001_0000)
        #expect(r(R.lvtLINT0) == 0x0000_0700)  // the BSP's virtual wire: ExtINT, unmasked
        #expect(r(R.lvtLINT1) == 0x0001_0000)
        #expect(r(R.lvtError) == 0x0001_0000)
        #expect(r(R.processorPriority) == 0)
        #expect(apic.readMSR(0x1B) == 0xFEE0_0900)  // base, global enable, BSP
        #expect(!apic.interruptPending)
        let ap = LocalAPIC(id: 3, isBootstrapProcessor: false, clock: clock, tscFrequency: 1_000_000_000)
        #expect(ap.readMSR(0x1B) == 0xFEE0_0800)
        #expect(UInt32(ap.read(offset: R.lvtLINT0, size: 4)) == 0x0001_0000)
        #expect(UInt32(ap.read(offset: R.id, size: 4)) == 0x0300_0000)
    }

    @Test func registerWidthsAndReadOnlyFields() {
        w(R.logicalDestination, 0xAB12_3456)
        #expect(r(R.logicalDestination) == 0xAB00_0000)
        w(R.destinationFormat, 0x0000_0000)
        #expect(r(R.destinationFormat) == 0x0FFF_FFFF)  // cluster model; bits 27:0 read 1
        w(R.taskPriority, 0x1234)
        #expect(r(R.taskPriority) == 0x34)
        w(R.version, 0)
        #expect(r(R.version) == 0x0005_0014)
        w(R.interruptCommandHigh, 0x1234_5678)
        #expect(r(R.interruptCommandHigh) == 0x1200_0000)
        // Byte and word reads within the register; the other 12 bytes of a slot read 0.
        #expect(apic.read(offset: R.version + 2, size: 1) == 0x05)
        #expect(apic.read(offset: R.version, size: 2) == 0x0014)
        #expect(apic.read(offset: R.version + 4, size: 4) == 0)
        // Byte writes are ignored.
        apic.write(offset: R.taskPriority, size: 1, value: 0x77)
        #expect(r(R.taskPriority) == 0x34)
        #expect(apic.ignoredAccesses == 2)  // the version write and the byte write
    }

    @Test func illegalRegisterRaisesErrorInterrupt() {
        enable()
        w(R.lvtError, 0xFE)
        _ = r(0x3F0)  // no x2APIC self-IPI register in xAPIC mode
        #expect(r(R.errorStatus) == 0)  // not latched until ESR is written
        w(R.errorStatus, 0)
        #expect(r(R.errorStatus) == LocalAPIC.ErrorStatus.illegalRegisterAddress)
        #expect(apic.isRequested(0xFE))
        w(R.errorStatus, 0)
        #expect(r(R.errorStatus) == 0)
    }

    // MARK: Timer

    @Test func oneShotTimerFiresAfterCountTimesDivisor() {
        enable()
        w(R.timerDivideConfiguration, 0x3)  // divide by 16
        w(R.lvtTimer, 0x30)  // one-shot, vector 0x30
        w(R.timerInitialCount, 1000)
        #expect(r(R.timerInitialCount) == 1000)
        clock.advance(to: 15_999)
        #expect(!apic.interruptPending)
        #expect(r(R.timerCurrentCount) == 1)  // 1000 - floor(15999 / 16)
        clock.advance(to: 16_000)
        #expect(apic.interruptPending)
        #expect(apic.isRequested(0x30))
        #expect(r(R.timerCurrentCount) == 0)
        #expect(apic.acknowledge() == 0x30)
        #expect(apic.isInService(0x30))
        w(R.endOfInterrupt, 0)
        clock.advance(to: 1_000_000)
        #expect(!apic.interruptPending)  // one shot only
        #expect(r(R.timerCurrentCount) == 0)
    }

    @Test func divideConfigurationValues() {
        // SDM Figure 11-10: bits 3,1,0 = 000 divide by 2 ... 110 by 128, 111 by 1.
        let table: [(UInt32, UInt64)] = [(0x0, 2), (0x1, 4), (0x2, 8), (0x3, 16), (0x8, 32), (0x9, 64), (0xA, 128), (0xB, 1)]
        enable()
        w(R.lvtTimer, 0x40)
        for (dcr, divisor) in table {
            w(R.timerDivideConfiguration, dcr)
            #expect(apic.timerDivisor == divisor)
            let start = clock.now
            w(R.timerInitialCount, 10)
            clock.advance(to: start + 10 * divisor - 1)
            #expect(!apic.isRequested(0x40), "DCR \(dcr)")
            clock.advance(to: start + 10 * divisor)
            #expect(apic.isRequested(0x40), "DCR \(dcr)")
            #expect(drain() == [0x40])
        }
        w(R.timerDivideConfiguration, 0xFFFF_FFFF)
        #expect(r(R.timerDivideConfiguration) == 0xB)
    }

    @Test func periodicTimerReloads() {
        enable()
        w(R.timerDivideConfiguration, 0xB)  // divide by 1
        w(R.lvtTimer, 0x2_0031)  // periodic, vector 0x31
        w(R.timerInitialCount, 250_000)  // 250 us
        clock.advance(to: 100_000)
        #expect(r(R.timerCurrentCount) == 150_000)
        var fired: [UInt64] = []
        for _ in 0..<40 {
            clock.advance(by: 25_000)
            if !drain().isEmpty { fired.append(clock.now) }
        }
        #expect(fired == [250_000, 500_000, 750_000, 1_000_000])
        #expect(r(R.timerCurrentCount) == 150_000)  // at 1.1 ms
        // An initial count of 0 stops it.
        w(R.timerInitialCount, 0)
        clock.advance(by: 1_000_000)
        #expect(drain().isEmpty)
        #expect(r(R.timerCurrentCount) == 0)
    }

    @Test func maskedTimerKeepsCountingWithoutInterrupts() {
        enable()
        w(R.timerDivideConfiguration, 0xB)
        w(R.lvtTimer, 0x3_0031)  // periodic, masked
        w(R.timerInitialCount, 200_000)
        clock.advance(to: 900_000)
        #expect(drain().isEmpty)
        #expect(r(R.timerCurrentCount) == 100_000)
        w(R.lvtTimer, 0x2_0031)  // unmask: the next expiry (1 ms) interrupts
        clock.advance(to: 999_999)
        #expect(drain().isEmpty)
        clock.advance(to: 1_000_000)
        #expect(drain() == [0x31])
    }

    @Test func periodicPeriodBelowMinimumIsStretched() {
        enable()
        w(R.timerDivideConfiguration, 0xB)
        w(R.lvtTimer, 0x2_0031)
        w(R.timerInitialCount, 10)  // 10 ns: would be 100 million callbacks per second
        var count = 0
        for _ in 0..<10 {
            clock.advance(by: 100_000)
            count += drain().count
        }
        #expect(count == 10)  // one per 100 us minimum period
    }

    @Test func divideChangeWhileCountingKeepsCount() {
        enable()
        w(R.timerDivideConfiguration, 0xB)  // by 1
        w(R.lvtTimer, 0x33)
        w(R.timerInitialCount, 1000)
        clock.advance(to: 400)
        #expect(r(R.timerCurrentCount) == 600)
        w(R.timerDivideConfiguration, 0x0)  // by 2: 600 counts left take 1200 ns
        #expect(r(R.timerCurrentCount) == 600)
        clock.advance(to: 1599)
        #expect(drain().isEmpty)
        clock.advance(to: 1600)
        #expect(drain() == [0x33])
    }

    @Test func tscDeadlineTimer() {
        enable()
        w(R.lvtTimer, 0x4_0032)  // TSC-deadline, vector 0x32
        #expect(apic.timerMode == .tscDeadline)
        w(R.timerInitialCount, 1234)  // ignored in this mode
        #expect(r(R.timerInitialCount) == 0)
        #expect(r(R.timerCurrentCount) == 0)
        clock.advance(to: 1_000_000)
        #expect(apic.timeStampCounter == 2_000_000)
        #expect(apic.writeMSR(0x6E0, 3_000_001))  // TSC 3000001 = 1500000.5 ns
        #expect(apic.readMSR(0x6E0) == 3_000_001)
        clock.advance(to: 1_500_000)
        #expect(!apic.interruptPending)
        clock.advance(to: 1_500_001)
        #expect(apic.interruptPending)
        #expect(apic.readMSR(0x6E0) == 0)  // disarmed after firing
        #expect(drain() == [0x32])
        // A deadline already passed fires at once; 0 disarms.
        apic.writeTSCDeadline(5)
        #expect(drain() == [0x32])
        apic.writeTSCDeadline(apic.timeStampCounter + 1000)
        apic.writeTSCDeadline(0)
        clock.advance(by: 10_000)
        #expect(drain().isEmpty)
    }

    @Test func tscDeadlineWritesIgnoredInOtherModesAndModeSwitchDisarms() {
        enable()
        w(R.lvtTimer, 0x32)  // one-shot
        apic.writeTSCDeadline(1000)
        #expect(apic.readMSR(0x6E0) == 0)
        clock.advance(by: 10_000)
        #expect(drain().isEmpty)
        w(R.timerInitialCount, 50_000)  // running one-shot
        w(R.lvtTimer, 0x4_0032)  // to TSC-deadline: disarmed
        clock.advance(by: 200_000)
        #expect(drain().isEmpty)
        apic.writeTSCDeadline(apic.timeStampCounter + 2000)
        w(R.lvtTimer, 0x32)  // back to one-shot: the deadline is gone
        clock.advance(by: 200_000)
        #expect(drain().isEmpty)
        #expect(r(R.timerInitialCount) == 0)
    }

    @Test func tscOffsetShiftsDeadline() {
        enable()
        w(R.lvtTimer, 0x4_0032)
        apic.tscOffset = 1_000_000
        apic.writeTSCDeadline(1_000_000 + 2_000)  // TSC 2000 past the offset = 1000 ns
        clock.advance(to: 999)
        #expect(drain().isEmpty)
        clock.advance(to: 1000)
        #expect(drain() == [0x32])
    }

    // MARK: Priorities, EOI, spurious

    @Test func acceptanceFollowsPriorityClasses() {
        enable()
        for v: UInt8 in [0x45, 0x32, 0x61] { apic.deliver(vector: v, levelTriggered: false) }
        #expect(r(R.interruptRequest + 0x20) == 1 << 5)  // IRR register 2: vectors 0x40-0x5F
        #expect(r(R.interruptRequest + 0x10) == 1 << 18)  // 0x32
        #expect(r(R.interruptRequest + 0x30) == 1 << 1)  // 0x61
        #expect(apic.acknowledge() == 0x61)
        #expect(r(R.processorPriority) == 0x60)
        #expect(!apic.interruptPending)  // 0x45 is class 4 < 6
        apic.deliver(vector: 0x6F, levelTriggered: false)  // same class as in service: blocked
        #expect(!apic.interruptPending)
        apic.deliver(vector: 0x70, levelTriggered: false)  // higher class: nests
        #expect(apic.acknowledge() == 0x70)
        #expect(r(R.inService + 0x30) == 1 << 16 | 1 << 1)
        w(R.endOfInterrupt, 0)  // clears 0x70, the highest in service
        #expect(apic.isInService(0x61) && !apic.isInService(0x70))
        w(R.endOfInterrupt, 0)
        #expect(drain() == [0x6F, 0x45, 0x32])
    }

    @Test func taskPriorityBlocksLowerClasses() {
        enable()
        w(R.taskPriority, 0x50)
        apic.deliver(vector: 0x55, levelTriggered: false)
        #expect(!apic.interruptPending)
        #expect(r(R.processorPriority) == 0x50)
        apic.deliver(vector: 0x60, levelTriggered: false)
        #expect(apic.interruptPending)
        #expect(apic.acknowledge() == 0x60)
        #expect(r(R.processorPriority) == 0x60)
        w(R.endOfInterrupt, 0)
        apic.taskPriority = 0x40  // CR8 = 4
        #expect(apic.acknowledge() == 0x55)
        // PPR = TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0 (SDM 11.8.3.1).
        w(R.taskPriority, 0x57)
        #expect(r(R.processorPriority) == 0x57)
        w(R.taskPriority, 0x47)
        #expect(r(R.processorPriority) == 0x50)
    }

    @Test func spuriousVectorWhenNothingDeliverable() {
        enable(spurious: 0xEF)
        apic.deliver(vector: 0x41, levelTriggered: false)
        #expect(apic.interruptPending)
        w(R.taskPriority, 0xF0)  // the guest raised TPR after INTR was seen
        #expect(apic.acknowledge() == 0xEF)
        #expect(r(R.inService + 0x70) == 0 && !apic.isInService(0x41))
        #expect(apic.isRequested(0x41))
    }

    @Test func levelTriggeredEOIIsBroadcast() {
        enable()
        var broadcasts: [UInt8] = []
        apic.endOfInterruptBroadcast = { broadcasts.append($0) }
        apic.deliver(vector: 0x39, levelTriggered: true)
        apic.deliver(vector: 0x38, levelTriggered: false)
        #expect(r(R.triggerMode + 0x10) == 1 << 25)  // TMR bit 0x39 only
        #expect(drain() == [0x39, 0x38])
        #expect(broadcasts == [0x39])
        w(R.endOfInterrupt, 0)  // nothing in service: no effect
        #expect(broadcasts == [0x39])
    }

    @Test func illegalVectorsAreRefused() {
        enable()
        apic.deliver(vector: 0x0E, levelTriggered: false)
        #expect(!apic.interruptPending)
        w(R.errorStatus, 0)
        #expect(r(R.errorStatus) == LocalAPIC.ErrorStatus.receiveIllegalVector)
    }

    @Test func softwareDisableRefusesFixedAndMasksLVT() {
        apic.deliver(vector: 0x40, levelTriggered: false)  // software disabled at reset
        #expect(!apic.isRequested(0x40))
        enable()
        w(R.lvtTimer, 0x30)
        w(R.lvtLINT1, 0x400)
        w(R.spuriousVector, 0xFF)  // software disable
        #expect(r(R.lvtTimer) == 0x1_0030)
        #expect(r(R.lvtLINT1) == 0x1_0400)
        #expect(r(R.lvtLINT0) == 0x1_0700)
        w(R.lvtTimer, 0x30)  // cannot unmask while disabled
        #expect(r(R.lvtTimer) == 0x1_0030)
    }

    // MARK: External interrupts (8259A through LINT0)

    /// Initializes the PC's 8259A pair: vectors 0x20 and 0x28, all unmasked.
    func initPICs(_ pics: DualPIC8259) {
        for (chip, base, icw3) in [(pics.master, UInt8(0x20), UInt8(0x04)), (pics.slave, UInt8(0x28), UInt8(0x02))] {
            chip.outb(0, 0x11)
            chip.outb(1, base)
            chip.outb(1, icw3)
            chip.outb(1, 0x01)
            chip.outb(1, 0x00)
        }
    }

    @Test func extINTThroughLINT0DeliversThePICVector() {
        let pics = DualPIC8259(output: apic.lint0)
        apic.externalInterruptAcknowledge = { pics.acknowledge() }
        initPICs(pics)
        pics.line(1).setLevel(true)
        #expect(apic.interruptPending)  // virtual wire works with the APIC software disabled
        #expect(apic.acknowledge() == 0x21)
        #expect(!apic.interruptPending)  // the 8259A's INT dropped on INTA
        #expect(!apic.isInService(0x21))  // never in the APIC's ISR
        pics.line(1).setLevel(false)
        pics.master.outb(0, 0x20)  // EOI to the 8259A
        // Slave vectors come through the cascade.
        pics.line(12).setLevel(true)
        #expect(apic.acknowledge() == 0x2C)
        pics.line(12).setLevel(false)
        pics.slave.outb(0, 0x20)
        pics.master.outb(0, 0x20)
        // ExtINT ranks ahead of fixed interrupts.
        enable()
        apic.deliver(vector: 0xF0, levelTriggered: false)
        pics.line(4).setLevel(true)
        #expect(apic.acknowledge() == 0x24)
        #expect(apic.acknowledge() == 0xF0)
        // Masking LINT0 cuts the 8259A off.
        pics.master.outb(0, 0x20)
        w(R.endOfInterrupt, 0)
        pics.line(4).setLevel(false)
        w(R.lvtLINT0, 0x1_0700)
        pics.line(3).setLevel(true)
        #expect(!apic.interruptPending)
        w(R.lvtLINT0, 0x700)
        #expect(apic.interruptPending)
        #expect(apic.acknowledge() == 0x23)
    }

    @Test func extINTMessageFromIOAPIC() {
        enable()
        apic.externalInterruptAcknowledge = { 0x77 }
        w(R.lvtLINT0, 0x1_0700)
        apic.deliver(InterruptMessage(vector: 0, deliveryMode: .extINT))
        #expect(apic.interruptPending)
        #expect(apic.acknowledge() == 0x77)
        #expect(!apic.interruptPending)
    }

    @Test func globallyDisabledAPICPassesINTRAndNMIPins() {
        let pics = DualPIC8259(output: apic.lint0)
        apic.externalInterruptAcknowledge = { pics.acknowledge() }
        initPICs(pics)
        enable()
        w(R.lvtLINT0, 0x1_0700)  // masked: no effect once globally disabled
        #expect(apic.writeMSR(0x1B, 0xFEE0_0000))  // clear bit 11
        #expect(!apic.hardwareEnabled)
        #expect(apic.read(offset: R.version, size: 4) == 0xFFFF_FFFF)
        pics.line(0).setLevel(true)
        #expect(apic.interruptPending)
        #expect(apic.acknowledge() == 0x20)
        apic.lint1.setLevel(true)
        #expect(apic.nmiPending)
        // Re-enabled: the power-up state (software disabled, LVTs masked).
        #expect(apic.writeMSR(0x1B, 0xFEE0_0800))
        #expect(r(R.spuriousVector) == 0xFF && r(R.lvtLINT0) == 0x1_0000)
        #expect(apic.readMSR(0x1B) == 0xFEE0_0900)
        // x2APIC enable and reserved bits raise #GP.
        #expect(!apic.writeMSR(0x1B, 0xFEE0_0C00))
        #expect(!apic.writeMSR(0x1B, 0xFEE0_0801))
    }

    // MARK: LINT pins in other modes

    @Test func lint1NMIAndLevelTriggeredLINT0() {
        enable()
        w(R.lvtLINT1, 0x400)  // NMI
        apic.lint1.setLevel(true)
        #expect(apic.nmiPending)
        apic.acknowledgeNMI()
        apic.lint1.setLevel(true)  // no new edge
        #expect(!apic.nmiPending)
        apic.lint1.setLevel(false)
        apic.lint1.setLevel(true)
        #expect(apic.nmiPending)

        var broadcasts: [UInt8] = []
        apic.endOfInterruptBroadcast = { broadcasts.append($0) }
        w(R.lvtLINT0, 0x8000 | 0x50)  // fixed, level triggered, vector 0x50
        apic.lint0.setLevel(true)
        #expect(r(R.lvtLINT0) & LocalAPIC.LVTBits.remoteIRR != 0)
        #expect(apic.acknowledge() == 0x50)
        #expect(!apic.interruptPending)  // remote IRR holds it while the pin stays high
        w(R.endOfInterrupt, 0)  // clears remote IRR; the pin is still high: again
        #expect(broadcasts == [0x50])
        #expect(apic.acknowledge() == 0x50)
        apic.lint0.setLevel(false)
        w(R.endOfInterrupt, 0)
        #expect(r(R.lvtLINT0) & LocalAPIC.LVTBits.remoteIRR == 0)
        #expect(!apic.interruptPending)
    }

    // MARK: ICR and destinations

    @Test func interProcessorInterrupts() {
        enable()
        var others: [(InterruptMessage, LocalAPIC.DestinationShorthand)] = []
        apic.otherProcessors = { others.append(($0, $1)) }
        var inits = 0
        var startups: [UInt8] = []
        apic.initHandler = { inits += 1 }
        apic.startupHandler = { startups.append($0) }

        w(R.interruptCommandLow, 0x4_4055)  // self shorthand, fixed, vector 0x55
        #expect(apic.isRequested(0x55))
        #expect(r(R.interruptCommandLow) & 0x1000 == 0)  // delivery status idle
        w(R.interruptCommandHigh, 0x0000_0000)
        w(R.interruptCommandLow, 0x0_0456)  // NMI to physical 0 (self)
        #expect(apic.nmiPending)
        #expect(others.isEmpty)
        w(R.interruptCommandHigh, 0x0100_0000)
        w(R.interruptCommandLow, 0x0_4060)  // fixed to physical 1: another processor
        #expect(!apic.isRequested(0x60))
        #expect(others.count == 1 && others[0].0.destination == 1 && others[0].0.vector == 0x60)
        w(R.interruptCommandLow, 0xC_4500)  // INIT, all excluding self
        #expect(inits == 0 && others.count == 2 && others[1].1 == .allExcludingSelf)
        w(R.interruptCommandLow, 0x8_4061)  // fixed, all including self
        #expect(apic.isRequested(0x61) && others.count == 3)
        w(R.interruptCommandHigh, 0)
        w(R.interruptCommandLow, 0x0_4500)  // INIT assert to self
        w(R.interruptCommandLow, 0x0_8500)  // INIT level de-assert: nothing
        w(R.interruptCommandLow, 0x0_4608)  // SIPI, page 8
        #expect(inits == 1 && startups == [8])
        w(R.interruptCommandLow, 0x4_400A)  // fixed vector 10: illegal
        w(R.errorStatus, 0)
        #expect(r(R.errorStatus) == LocalAPIC.ErrorStatus.sendIllegalVector)
    }

    @Test func logicalDestinations() {
        enable()
        w(R.logicalDestination, 0x0400_0000)  // flat: bit 2
        #expect(apic.accepts(destination: 0x04, logical: true))
        #expect(apic.accepts(destination: 0x0C, logical: true))
        #expect(!apic.accepts(destination: 0x03, logical: true))
        #expect(apic.accepts(destination: 0xFF, logical: false))
        #expect(!apic.accepts(destination: 0x04, logical: false))
        w(R.destinationFormat, 0x0FFF_FFFF)  // cluster
        w(R.logicalDestination, 0x2100_0000)  // cluster 2, member bit 0
        #expect(apic.accepts(destination: 0x21, logical: true))
        #expect(apic.accepts(destination: 0x23, logical: true))
        #expect(!apic.accepts(destination: 0x11, logical: true))
        #expect(!apic.accepts(destination: 0x22, logical: true))
        apic.receive(InterruptMessage(vector: 0x44, logicalDestination: true, destination: 0x11))
        #expect(!apic.isRequested(0x44))
        apic.receive(InterruptMessage(vector: 0x44, logicalDestination: true, destination: 0x21))
        #expect(apic.isRequested(0x44))
    }

    @Test func msiDecoding() {
        let m = InterruptMessage(msiAddress: 0xFEE0_3004, data: 0x8000 | 0x400 | 0x41)
        #expect(m == InterruptMessage(vector: 0x41, deliveryMode: .nmi, logicalDestination: true,
                                      destination: 3, levelTriggered: true))
        #expect(InterruptMessage(msiAddress: 0xFED0_0000, data: 0x41) == nil)
        #expect(InterruptMessage(msiAddress: 0xFEE0_0000, data: 0x341) == nil)  // reserved mode 3
    }

    @Test func interruptRequestedWakesOnNewPending() {
        enable()
        var wakes = 0
        apic.interruptRequested = { wakes += 1 }
        apic.deliver(vector: 0x50, levelTriggered: false)
        apic.deliver(vector: 0x51, levelTriggered: false)  // already pending: no second wake
        #expect(wakes == 1)
        #expect(apic.acknowledge() == 0x51)
        #expect(wakes == 1)  // 0x50 is blocked by 0x51 in service (same class)
        w(R.endOfInterrupt, 0)
        #expect(wakes == 2)  // the EOI unblocks 0x50
        _ = drain()
        w(R.lvtTimer, 0x52)
        w(R.timerInitialCount, 100)
        clock.advance(by: 1000)
        #expect(wakes == 3)
    }
}
