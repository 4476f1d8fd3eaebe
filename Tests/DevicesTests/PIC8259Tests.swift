import DeviceModel
import Devices
import Testing

/// 8259A register-level tests (datasheet 8259A: ICW1-4, OCW1-3, INTA sequence).
@Suite struct PIC8259Tests {
    let cpu = RecordingLine()
    let pics: DualPIC8259

    init() {
        pics = DualPIC8259(output: cpu)
    }

    /// Linux's init_8259A with the vector bases the brief asks for: ICW1 = 0x11 (IC4, cascade,
    /// edge), ICW2 = base, ICW3 = 0x04 on the master (slave on IR2) / 0x02 on the slave (ID 2),
    /// ICW4 = 0x01 (8086 mode), then OCW1 = 0 (all unmasked).
    func initialize(master: UInt8 = 0x20, slave: UInt8 = 0x28, icw4: UInt8 = 0x01) {
        pics.master.outb(1, 0xFF)
        pics.slave.outb(1, 0xFF)
        pics.master.outb(0, 0x11)
        pics.master.outb(1, master)
        pics.master.outb(1, 0x04)
        pics.master.outb(1, icw4)
        pics.slave.outb(0, 0x11)
        pics.slave.outb(1, slave)
        pics.slave.outb(1, 0x02)
        pics.slave.outb(1, icw4)
        pics.master.outb(1, 0x00)
        pics.slave.outb(1, 0x00)
    }

    func edge(_ irq: Int) { pics.line(irq).pulse() }

    /// OCW3 with RR = 1, RIS = 1 (0x0B) selects the ISR for reads at A0 = 0; 0x0A selects the IRR.
    func isr(_ chip: PIC8259) -> UInt8 {
        chip.outb(0, 0x0B)
        defer { chip.outb(0, 0x0A) }
        return chip.inb(0)
    }

    func irr(_ chip: PIC8259) -> UInt8 {
        chip.outb(0, 0x0A)
        return chip.inb(0)
    }

    @Test func linuxInitializationProgramsVectorBasesAndCascade() {
        // Linux's probe_8259A: the IMR reads back what was written (OCW1), before and after init.
        pics.master.outb(1, 0xFB)
        #expect(pics.master.inb(1) == 0xFB)
        initialize()
        #expect(pics.master.vectorBase == 0x20)
        #expect(pics.slave.vectorBase == 0x28)
        #expect(pics.master.icw3 == 0x04)
        #expect(pics.slave.icw3 == 0x02)
        #expect(pics.master.inb(1) == 0x00)
        #expect(!pics.master.autoEOI)
        #expect(!cpu.level)
    }

    @Test func edgeOnIRQ0GivesVector0x20AndEOIClearsISR() {
        initialize()
        edge(0)
        #expect(cpu.level)  // INT asserted
        #expect(irr(pics.master) == 0x01)
        #expect(pics.acknowledge() == 0x20)
        #expect(!cpu.level)
        #expect(isr(pics.master) == 0x01)  // ISR0 set by INTA
        #expect(irr(pics.master) == 0x00)  // edge latch consumed
        pics.master.outb(0, 0x20)  // OCW2 non-specific EOI
        #expect(isr(pics.master) == 0x00)
    }

    @Test func linuxStyleVectorBase0x30() {
        initialize(master: 0x30, slave: 0x38)
        edge(1)
        #expect(pics.acknowledge() == 0x31)
    }

    @Test func maskedRequestWaitsInIRRUntilUnmasked() {
        initialize()
        pics.master.outb(1, 0x08)  // OCW1: mask IR3
        edge(3)
        #expect(!cpu.level)
        #expect(irr(pics.master) == 0x08)
        pics.master.outb(1, 0x00)
        #expect(cpu.level)
        #expect(pics.acknowledge() == 0x23)
    }

    @Test func fullyNestedPriority() {
        initialize()
        edge(3)
        edge(1)
        #expect(pics.acknowledge() == 0x21)  // IR1 beats IR3
        // IR3 is lower than IR1 in service: INT stays low.
        #expect(!cpu.level)
        // IR0 is higher: it nests.
        edge(0)
        #expect(cpu.level)
        #expect(pics.acknowledge() == 0x20)
        #expect(isr(pics.master) == 0x03)
        pics.master.outb(0, 0x20)  // non-specific EOI clears the highest: IR0
        #expect(isr(pics.master) == 0x02)
        #expect(!cpu.level)
        pics.master.outb(0, 0x61)  // OCW2 specific EOI, level 1
        #expect(isr(pics.master) == 0x00)
        #expect(cpu.level)
        #expect(pics.acknowledge() == 0x23)
    }

    @Test func slaveIRQThroughCascadeGivesSlaveVector() {
        initialize()
        edge(12)
        #expect(cpu.level)
        #expect(pics.acknowledge() == 0x2C)
        #expect(isr(pics.slave) == 0x10)  // IR4 of the slave
        #expect(isr(pics.master) == 0x04)  // IR2 of the master (cascade)
        // Linux: specific EOI to the slave, then to the master's cascade input.
        pics.slave.outb(0, 0x64)
        pics.master.outb(0, 0x62)
        #expect(isr(pics.slave) == 0 && isr(pics.master) == 0)
        // A second slave request after EOI is delivered again.
        edge(8)
        #expect(pics.acknowledge() == 0x28)
    }

    @Test func spuriousIRQ7WhenRequestVanishesBeforeINTA() {
        initialize()
        edge(3)
        #expect(cpu.level)
        pics.master.outb(1, 0x08)  // masked after INT was raised, before the CPU's INTA
        #expect(pics.acknowledge() == 0x27)
        #expect(isr(pics.master) == 0x00)  // a spurious IR7 sets no ISR bit
    }

    @Test func spuriousIRQ15LeavesOnlyMasterCascadeInService() {
        initialize()
        pics.elcr.outb(1, 0x04)  // ELCR2 bit 2: IRQ10 level triggered
        pics.setIRQ(10, level: true)
        #expect(cpu.level)
        pics.setIRQ(10, level: false)  // the level request goes away before INTA
        #expect(pics.acknowledge() == 0x2F)
        #expect(isr(pics.slave) == 0x00)
        #expect(isr(pics.master) == 0x04)
    }

    @Test func levelTriggeredInputRequestsAgainAfterEOIWhileHigh() {
        initialize()
        pics.elcr.outb(1, 0x08)  // IRQ11 level
        #expect(pics.elcr.inb(1) == 0x08)
        pics.setIRQ(11, level: true)
        #expect(pics.acknowledge() == 0x2B)
        pics.slave.outb(0, 0x20)
        pics.master.outb(0, 0x20)
        #expect(cpu.level)  // still high: requests again
        #expect(pics.acknowledge() == 0x2B)
        pics.setIRQ(11, level: false)
        pics.slave.outb(0, 0x20)
        pics.master.outb(0, 0x20)
        #expect(!cpu.level)
    }

    @Test func elcrBitsForEdgeOnlyIRQsStayClear() {
        // PIIX4 ELCR1 bits 0-2 and ELCR2 bits 0 and 5 are reserved 0 (IRQ0, 1, 2, 8, 13).
        pics.elcr.outb(0, 0xFF)
        pics.elcr.outb(1, 0xFF)
        #expect(pics.elcr.inb(0) == 0xF8)
        #expect(pics.elcr.inb(1) == 0xDE)
        // A 16-bit access covers both registers (ISA byte cycles).
        #expect(pics.elcr.read(offset: 0, size: 2) == 0xDEF8)
    }

    @Test func edgeInputNeedsNewTransition() {
        initialize()
        pics.setIRQ(4, level: true)
        #expect(pics.acknowledge() == 0x24)
        pics.master.outb(0, 0x20)
        // Still high, no new edge: nothing pending.
        #expect(!cpu.level)
        pics.setIRQ(4, level: false)
        pics.setIRQ(4, level: true)
        #expect(cpu.level)
    }

    @Test func autoEOILeavesISRClear() {
        initialize(icw4: 0x03)  // ICW4 uPM + AEOI
        #expect(pics.master.autoEOI)
        edge(5)
        #expect(pics.acknowledge() == 0x25)
        #expect(isr(pics.master) == 0x00)
        edge(6)
        #expect(cpu.level)  // nothing in service blocks it
    }

    @Test func specificRotationChangesPriority() {
        initialize()
        pics.master.outb(0, 0xC3)  // OCW2 set priority: IR3 lowest, so IR4 highest
        #expect(pics.master.lowestPriority == 3)
        edge(1)
        edge(5)
        #expect(pics.acknowledge() == 0x25)
        pics.master.outb(0, 0x20)
        #expect(pics.acknowledge() == 0x21)
        // Rotate on non-specific EOI (0xA0): IR1 becomes the lowest priority.
        pics.master.outb(0, 0xA0)
        #expect(pics.master.lowestPriority == 1)
        edge(0)
        edge(3)
        #expect(pics.acknowledge() == 0x23)  // IR2 (the cascade) highest, then IR3; IR0 is near the bottom
    }

    @Test func pollModeAcknowledgesOnRead() {
        initialize()
        edge(6)
        pics.master.outb(0, 0x0C)  // OCW3 P = 1
        #expect(pics.master.inb(0) == 0x86)  // I = 1, W = 6
        #expect(isr(pics.master) == 0x40)
        pics.master.outb(0, 0x0C)
        #expect(pics.master.inb(0) == 0x00)  // nothing requested
    }

    @Test func specialMaskModeLetsLowerPriorityIn() {
        initialize()
        edge(1)
        #expect(pics.acknowledge() == 0x21)
        edge(5)
        #expect(!cpu.level)  // blocked by IR1 in service
        pics.master.outb(1, 0x02)  // mask IR1
        pics.master.outb(0, 0x68)  // OCW3 ESMM + SMM
        #expect(pics.master.specialMask)
        #expect(cpu.level)
        #expect(pics.acknowledge() == 0x25)
        pics.master.outb(0, 0x48)  // reset special mask
        #expect(!pics.master.specialMask)
    }

    @Test func icw1ForgetsLatchedEdgesAndClearsMask() {
        initialize()
        pics.master.outb(1, 0xFF)
        edge(3)
        #expect(irr(pics.master) == 0x08)
        pics.master.outb(0, 0x11)
        #expect(pics.master.inb(1) == 0x00)  // "the Interrupt Mask Register is cleared"
        pics.master.outb(1, 0x20)
        pics.master.outb(1, 0x04)
        pics.master.outb(1, 0x01)
        #expect(irr(pics.master) == 0x00)
        #expect(!cpu.level)
    }

    @Test func badAccessesAreIgnoredAndCounted() {
        initialize()
        #expect(pics.master.read(offset: 2, size: 1) == 0xFF)
        pics.master.write(offset: 7, size: 1, value: 0x11)
        pics.master.write(offset: 0, size: 16, value: 0)
        #expect(pics.master.ignoredAccesses == 3)
        #expect(pics.master.vectorBase == 0x20)  // nothing reprogrammed
    }
}
