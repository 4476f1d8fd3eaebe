import DeviceModel

/// One Intel 8259A Programmable Interrupt Controller (datasheet 8259A, order 231468).
///
/// Registers, relative to where the chip is mapped (A0 selects):
/// - offset 0 (A0 = 0), write: ICW1 when D4 = 1; OCW3 when D4 = 0 and D3 = 1; otherwise OCW2.
///   Read: IRR or ISR, as chosen by OCW3 RR/RIS; or the poll word after an OCW3 with P = 1.
/// - offset 1 (A0 = 1), write: ICW2, ICW3, ICW4 during the initialization sequence, else OCW1 (IMR).
///   Read: IMR (or the poll word in poll mode).
///
/// Inputs IR0-IR7 arrive through `setInput(_:level:)` (or the `InterruptLine`s of `DualPIC8259`);
/// the INT output is an injected `InterruptLine`. Edge or level sensing per input follows the
/// chipset's ELCR (`elcr`) or ICW1 LTIM for all inputs. The CPU's INTA cycle is `acknowledge()` on a
/// single chip, or on `DualPIC8259`, which does the cascade.
///
/// The model follows the datasheet's priority resolver: rotating priority (`lowestPriority`), fully
/// nested and special fully nested modes, special mask mode, auto-EOI with rotation, specific and
/// non-specific EOI, poll mode, and the spurious IR7 answer when an INTA finds no request.
public final class PIC8259: BusDevice {
    /// The INT output (to the CPU, or to the master's IR input for a slave).
    private let output: InterruptLine
    private var outputLevel = false

    /// Interrupt Request Register (IRR): requests waiting for service.
    public private(set) var irr: UInt8 = 0
    /// In-Service Register (ISR): requests being serviced (set by INTA, cleared by EOI).
    public private(set) var isr: UInt8 = 0
    /// Interrupt Mask Register (IMR), written by OCW1.
    public private(set) var imr: UInt8 = 0
    /// Current level of each IR input pin.
    public private(set) var inputLevels: UInt8 = 0
    /// Edge/Level Control Register bits for this chip (1 = level sensitive), from the chipset's ELCR.
    public private(set) var elcr: UInt8 = 0
    /// The ELCR bits that may be set (inputs wired edge-only, like IRQ0-2 and IRQ8, stay 0).
    public let elcrWritableMask: UInt8
    /// Inputs that have a slave 8259A on them (hardwired on the PC: IR2 of the master). In special
    /// fully nested mode their in-service bit does not block further requests from the same slave.
    public let cascadeInputs: UInt8

    /// ICW2 T7-T3: the vector base; the vector is `vectorBase | IR number`.
    public private(set) var vectorBase: UInt8 = 0
    /// The IR number with the lowest priority (OCW2 rotation; 7 after initialization, so IR0 is highest).
    public private(set) var lowestPriority: UInt8 = 7
    /// ICW1 LTIM: all inputs level sensitive.
    public private(set) var levelTriggeredMode = false
    /// ICW1 SNGL: a single 8259A (no ICW3).
    public private(set) var singleMode = false
    /// ICW4 AEOI: automatic end of interrupt.
    public private(set) var autoEOI = false
    /// ICW4 SFNM: special fully nested mode.
    public private(set) var specialFullyNested = false
    /// ICW3 as written (the slave mask on a master, the slave ID on a slave).
    public private(set) var icw3: UInt8 = 0
    /// OCW3 SMM: special mask mode.
    public private(set) var specialMask = false
    /// OCW2 R with SL = 0, EOI = 0: rotate in automatic EOI mode.
    public private(set) var rotateOnAutoEOI = false
    /// OCW3 RIS: reads of offset 0 return the ISR (else the IRR).
    public private(set) var readISR = false
    /// OCW3 P: the next read is a poll command.
    public private(set) var pollPending = false

    /// Where the initialization sequence stands: 0 = ready for OCWs, 2 = waiting for ICW2, 3 = ICW3, 4 = ICW4.
    private var expectedICW = 0
    private var icw4Needed = false

    /// Guest misbehaviour ignored: bad offsets or sizes, unsupported modes (8080 mode, buffered mode).
    public private(set) var ignoredAccesses = 0

    /// A chip driving `output`. `elcrWritableMask` names the inputs the chipset lets software make
    /// level sensitive (0xF8 for the PC master, 0xDE for the slave); `cascadeInputs` the inputs that
    /// carry a slave (0x04 for the PC master, 0 otherwise).
    public init(output: InterruptLine, elcrWritableMask: UInt8 = 0xFF, cascadeInputs: UInt8 = 0) {
        self.output = output
        self.elcrWritableMask = elcrWritableMask
        self.cascadeInputs = cascadeInputs
    }

    // MARK: Inputs and output

    /// Drives input IR`pin` (0-7). Edge-sensitive inputs latch a request in the IRR on a low-to-high
    /// transition; level-sensitive inputs request service while high (datasheet, "Edge and Level
    /// Triggered Modes").
    public func setInput(_ pin: Int, level: Bool) {
        let bit = UInt8(1) << UInt8(pin & 7)
        let wasHigh = inputLevels & bit != 0
        if level {
            inputLevels |= bit
            if isLevelSensitive(bit) || !wasHigh { irr |= bit }
        } else {
            inputLevels &= ~bit
            if isLevelSensitive(bit) { irr &= ~bit }
        }
        updateOutput()
    }

    /// Sets the chipset's Edge/Level Control bits for this chip (bits outside `elcrWritableMask` stay 0).
    public func setELCR(_ value: UInt8) {
        elcr = value & elcrWritableMask
        let level = levelMask
        irr = (irr & ~level) | (inputLevels & level)
        updateOutput()
    }

    private var levelMask: UInt8 { levelTriggeredMode ? 0xFF : elcr }

    private func isLevelSensitive(_ bit: UInt8) -> Bool { levelMask & bit != 0 }

    /// Whether INT is asserted: an unmasked request has higher priority than everything in service.
    public var interruptPending: Bool { highestPendingRequest() != nil }

    /// The priority rank of `pin` (0 = highest) under the current rotation.
    @inline(__always)
    private func rank(_ pin: UInt8) -> UInt8 { (pin &+ 7 &- lowestPriority) & 7 }

    /// The highest-priority pin set in `mask`, if any.
    private func highestPriority(in mask: UInt8) -> UInt8? {
        guard mask != 0 else { return nil }
        var best: UInt8 = 0
        var bestRank: UInt8 = 8
        for pin: UInt8 in 0..<8 where mask & (1 << pin) != 0 {
            let r = rank(pin)
            if r < bestRank {
                bestRank = r
                best = pin
            }
        }
        return best
    }

    /// The priority resolver: the unmasked request that may interrupt what is in service.
    func highestPendingRequest() -> UInt8? {
        guard let request = highestPriority(in: irr & ~imr) else { return nil }
        var inService = isr
        if specialMask { inService &= ~imr }  // OCW3 SMM: masked levels do not block lower ones
        if specialFullyNested { inService &= ~cascadeInputs }  // ICW4 SFNM
        if let current = highestPriority(in: inService), rank(current) <= rank(request) { return nil }
        return request
    }

    private func updateOutput() {
        let level = interruptPending
        if level != outputLevel {
            outputLevel = level
            output.setLevel(level)
        }
    }

    /// The INTA cycle on this chip alone: the highest request goes in service (unless auto-EOI) and
    /// the chip returns the IR number, or nil when nothing is requested any more (the caller then
    /// answers with the spurious IR7 vector, datasheet "Interrupt Sequence", without setting ISR7).
    func acknowledgeInput() -> UInt8? {
        guard let pin = highestPendingRequest() else {
            updateOutput()
            return nil
        }
        let bit = UInt8(1) << pin
        if !isLevelSensitive(bit) { irr &= ~bit }  // the edge latch is consumed
        if autoEOI {
            if rotateOnAutoEOI { lowestPriority = pin }
        } else {
            isr |= bit
        }
        updateOutput()
        return pin
    }

    /// The INTA cycle of a single (uncascaded) chip: the vector, `vectorBase | 7` if spurious.
    public func acknowledge() -> UInt8 {
        vectorBase | (acknowledgeInput() ?? 7)
    }

    // MARK: Registers

    public func read(offset: UInt64, size: Int) -> UInt64 {
        ISABus.read(offset: offset, size: size, registers: 2, ignore: { ignoredAccesses += 1 }) { readRegister($0) }
    }

    public func write(offset: UInt64, size: Int, value: UInt64) {
        ISABus.write(offset: offset, size: size, value: value, registers: 2, ignore: { ignoredAccesses += 1 }) {
            writeRegister($0, $1)
        }
    }

    private func readRegister(_ offset: Int) -> UInt8 {
        if pollPending {
            // Poll command (OCW3 P = 1): the read is the INTA; the poll word is I (bit 7) and W2-W0.
            pollPending = false
            if let pin = acknowledgeInput() { return 0x80 | pin }
            return 0
        }
        if offset == 0 { return readISR ? isr : irr }
        return imr
    }

    private func writeRegister(_ offset: Int, _ value: UInt8) {
        if offset == 0 {
            if value & 0x10 != 0 {
                initializationCommand1(value)
            } else if value & 0x08 != 0 {
                operationCommand3(value)
            } else {
                operationCommand2(value)
            }
            return
        }
        switch expectedICW {
        case 2:
            vectorBase = value & 0xF8  // ICW2 T7-T3 (x86 mode)
            expectedICW = singleMode ? (icw4Needed ? 4 : 0) : 3
        case 3:
            icw3 = value
            expectedICW = icw4Needed ? 4 : 0
        case 4:
            // ICW4: D0 uPM (1 = 8086 mode), D1 AEOI, D3 BUF, D2 M/S, D4 SFNM.
            if value & 0x01 == 0 || value & 0x08 != 0 { ignoredAccesses += 1 }  // 8080 or buffered mode
            autoEOI = value & 0x02 != 0
            specialFullyNested = value & 0x10 != 0
            expectedICW = 0
        default:
            imr = value  // OCW1
            updateOutput()
        }
    }

    /// ICW1 (A0 = 0, D4 = 1): D0 IC4, D1 SNGL, D2 ADI (ignored in 8086 mode), D3 LTIM.
    /// "The edge sense circuit is reset ... the Interrupt Mask Register is cleared; IR7 input is
    /// assigned priority 7; the slave mode address is set to 7; special mask mode is cleared and
    /// status read is set to IRR; if IC4 = 0 all functions selected in ICW4 are set to zero."
    private func initializationCommand1(_ value: UInt8) {
        icw4Needed = value & 0x01 != 0
        singleMode = value & 0x02 != 0
        levelTriggeredMode = value & 0x08 != 0
        expectedICW = 2
        imr = 0
        isr = 0
        // Edge-sensitive requests are forgotten; an input must make a new low-to-high transition.
        irr = inputLevels & levelMask
        lowestPriority = 7
        specialMask = false
        readISR = false
        pollPending = false
        autoEOI = false
        specialFullyNested = false
        rotateOnAutoEOI = false
        updateOutput()
    }

    /// OCW2 (A0 = 0, D4 = 0, D3 = 0): R (D7), SL (D6), EOI (D5), L2-L0.
    private func operationCommand2(_ value: UInt8) {
        let level = value & 0x07
        switch value >> 5 {
        case 0b001, 0b101:
            // Non-specific EOI (and rotate on non-specific EOI): clear the highest-priority ISR bit.
            if let pin = highestPriority(in: isr) {
                isr &= ~(1 << pin)
                if value & 0x80 != 0 { lowestPriority = pin }
            }
        case 0b011:
            isr &= ~(1 << level)  // specific EOI
        case 0b111:
            isr &= ~(1 << level)  // rotate on specific EOI
            lowestPriority = level
        case 0b110:
            lowestPriority = level  // set priority command
        case 0b100:
            rotateOnAutoEOI = true  // rotate in automatic EOI mode (set)
        case 0b000:
            rotateOnAutoEOI = false  // rotate in automatic EOI mode (clear)
        default:
            break  // 0b010: no operation
        }
        updateOutput()
    }

    /// OCW3 (A0 = 0, D4 = 0, D3 = 1): ESMM (D6) with SMM (D5), P (D2), RR (D1) with RIS (D0).
    private func operationCommand3(_ value: UInt8) {
        if value & 0x40 != 0 { specialMask = value & 0x20 != 0 }
        if value & 0x04 != 0 { pollPending = true }
        if value & 0x02 != 0 { readISR = value & 0x01 != 0 }
        updateOutput()
    }
}
