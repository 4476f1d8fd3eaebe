import DeviceModel
import Devices

/// A PCI function: its configuration space and what its BARs decode. Virtio devices and the
/// chipset's functions conform; they never see where a BAR was placed (offsets are from the BAR's base).
public protocol PCIFunction: AnyObject {
    /// The configuration space (header, BARs, capabilities).
    var config: PCIConfigSpace { get }
    /// A read of `size` bytes at `offset` within BAR `bar`.
    func barRead(_ bar: Int, offset: UInt64, size: Int) -> UInt64
    /// A write within BAR `bar`.
    func barWrite(_ bar: Int, offset: UInt64, size: Int, value: UInt64)
    /// Called after software wrote configuration bytes `offset ..< offset + size` (for registers
    /// with side effects beyond the stored value).
    func configWritten(offset: Int, size: Int)
}

extension PCIFunction {
    public func barRead(_ bar: Int, offset: UInt64, size: Int) -> UInt64 {
        size >= 8 ? ~0 : (1 << UInt64(size * 8)) &- 1
    }
    public func barWrite(_ bar: Int, offset: UInt64, size: Int, value: UInt64) {}
    public func configWritten(offset: Int, size: Int) {}
}

/// PCI bus 0: the registry of functions by device (0-31) and function (0-7) number, configuration
/// accesses (absent functions read all ones, PCI 3.0, 6.1), the routing of INTx# pins to the
/// chipset's four PIRQ lines, and windows that hand BAR accesses to the function that decodes them.
///
/// INTx routing: function pin P (1-4) of device D drives PIRQ[(D + P - 2) mod 4] (the PIIX3 board
/// swizzle QEMU's i440FX uses: device 1 INTA# is PIRQA), wired-OR with every other source of that
/// PIRQ. The four PIRQ lines are injected (the machine sends each to an IOAPIC pin 16-19 and to the
/// PIIX3 router for the 8259A).
public final class PCIBus {
    struct Slot {
        var device: Int
        var function: Int
        var pci: PCIFunction
    }
    private var slots: [Slot] = []
    private let pirqs: [SharedInterruptLine]

    /// Errors registering a function.
    public enum RegistrationError: Error, CustomStringConvertible {
        case occupied(device: Int, function: Int)
        case outOfRange(device: Int, function: Int)
        public var description: String {
            switch self {
            case .occupied(let d, let f): "PCI 00:\(hex2(d)).\(f) is already taken"
            case .outOfRange(let d, let f): "PCI 00:\(hex2(d)).\(f) is not a device (0-31) and function (0-7)"
            }
        }
    }

    /// A bus whose PIRQA-PIRQD lines drive `pirqLines` (4 lines; fewer leaves the rest unconnected).
    public init(pirqLines: [InterruptLine] = []) {
        pirqs = (0..<4).map { SharedInterruptLine(output: $0 < pirqLines.count ? pirqLines[$0] : DisconnectedLine()) }
    }

    /// The PIRQ (0 = PIRQA) that pin `pin` (1 = INTA#) of device `device` drives.
    public static func pirq(device: Int, pin: Int) -> Int { (device + pin - 2) & 3 }

    /// Adds `pci` at 00:`device`.`function`, connecting its INTx pin.
    public func register(_ pci: PCIFunction, device: Int, function: Int = 0) throws(RegistrationError) {
        guard (0..<32).contains(device), (0..<8).contains(function) else {
            throw .outOfRange(device: device, function: function)
        }
        guard self.function(device: device, function: function) == nil else {
            throw .occupied(device: device, function: function)
        }
        slots.append(Slot(device: device, function: function, pci: pci))
        let pin = Int(pci.config.interruptPin)
        if (1...4).contains(pin) {
            pci.config.intx = pirqs[PCIBus.pirq(device: device, pin: pin)].source()
        }
    }

    /// The function at 00:`device`.`function`, if any.
    public func function(device: Int, function: Int) -> PCIFunction? {
        slots.first { $0.device == device && $0.function == function }?.pci
    }

    /// Every registered function with its device and function numbers, in device/function order.
    public var functions: [(device: Int, function: Int, pci: PCIFunction)] {
        slots.sorted { ($0.device, $0.function) < ($1.device, $1.function) }.map { ($0.device, $0.function, $0.pci) }
    }

    /// Whether PIRQ `n` is asserted by any function.
    public func pirqLevel(_ n: Int) -> Bool { pirqs[n].level }

    /// A configuration read. Bus numbers other than 0, and absent functions, read all ones.
    public func configRead(bus: Int, device: Int, function: Int, offset: Int, size: Int) -> UInt32 {
        let ones: UInt32 = size >= 4 ? ~0 : (1 << UInt32(size * 8)) - 1
        guard bus == 0, let f = self.function(device: device, function: function) else { return ones }
        return f.config.read(offset: offset, size: size)
    }

    /// A configuration write. Writes to absent functions are dropped.
    public func configWrite(bus: Int, device: Int, function: Int, offset: Int, size: Int, value: UInt32) {
        guard bus == 0, let f = self.function(device: device, function: function) else { return }
        f.config.write(offset: offset, size: size, value: value)
        f.configWritten(offset: offset, size: size)
    }

    // MARK: BAR decoding

    /// The function and BAR decoding `address` in memory (or I/O) space, with the offset in the BAR.
    public func decode(_ address: UInt64, memory: Bool) -> (PCIFunction, bar: Int, offset: UInt64)? {
        for s in slots {
            for i in 0..<6 {
                guard let r = s.pci.config.decodedRange(i), r.memory == memory,
                      address >= r.base, address &- r.base < r.size else { continue }
                return (s.pci, i, address &- r.base)
            }
        }
        return nil
    }

    /// A bus device the machine maps at `base` (memory or I/O space) that forwards each access to the
    /// BAR decoding it; accesses no BAR decodes read all ones and are counted.
    public func window(base: UInt64, memory: Bool) -> Window {
        Window(bus: self, base: base, memory: memory)
    }

    /// Forwards accesses in a range of the machine's address space to BARs (see `window(base:memory:)`).
    public final class Window: BusDevice {
        unowned let bus: PCIBus
        /// Where the window is mapped (BAR addresses are absolute).
        public let base: UInt64
        /// Memory (true) or I/O space.
        public let memory: Bool
        /// Accesses no BAR decoded.
        public private(set) var unclaimedAccesses = 0

        init(bus: PCIBus, base: UInt64, memory: Bool) {
            self.bus = bus
            self.base = base
            self.memory = memory
        }

        public func read(offset: UInt64, size: Int) -> UInt64 {
            guard let (f, bar, o) = bus.decode(base &+ offset, memory: memory) else {
                unclaimedAccesses += 1
                return size >= 8 ? ~0 : (1 << UInt64(max(size, 0) * 8)) &- 1
            }
            return f.barRead(bar, offset: o, size: size)
        }

        public func write(offset: UInt64, size: Int, value: UInt64) {
            guard let (f, bar, o) = bus.decode(base &+ offset, memory: memory) else {
                unclaimedAccesses += 1
                return
            }
            f.barWrite(bar, offset: o, size: size, value: value)
        }
    }

    // MARK: Firmware duties

    /// Places every BAR as a BIOS does before booting: largest first, naturally aligned, memory BARs
    /// in `memory` and I/O BARs in `io`, then enables memory and I/O decoding (and bus mastering) on
    /// each function with BARs. Returns false if a range ran out (the BARs that did not fit stay 0).
    @discardableResult
    public func assignBARs(memory: Range<UInt64>, io: Range<UInt64>) -> Bool {
        var requests: [(pci: PCIFunction, bar: Int, kind: PCIConfigSpace.BARKind)] = []
        for s in functions {
            for i in 0..<6 { if let k = s.pci.config.bars[i] { requests.append((s.pci, i, k)) } }
        }
        requests.sort { $0.kind.size > $1.kind.size }
        var nextMemory = memory.lowerBound, nextIO = io.lowerBound
        var ok = true
        for r in requests {
            let size = r.kind.size
            let start = ((r.kind.isMemory ? nextMemory : nextIO) + size - 1) & ~(size - 1)
            let limit = r.kind.isMemory ? memory.upperBound : io.upperBound
            guard start + size <= limit else {
                ok = false
                continue
            }
            r.pci.config.setBARAddress(r.bar, start)
            if r.kind.isMemory { nextMemory = start + size } else { nextIO = start + size }
        }
        for s in functions where s.pci.config.bars.contains(where: { $0 != nil }) {
            let hasIO = s.pci.config.bars.contains { $0 != nil && !$0!.isMemory }
            let hasMemory = s.pci.config.bars.contains { $0?.isMemory == true }
            let cmd = s.pci.config.command | (hasIO ? PCIConfigSpace.Command.ioSpace : 0)
                | (hasMemory ? PCIConfigSpace.Command.memorySpace : 0) | PCIConfigSpace.Command.busMaster
            s.pci.config.write(offset: 0x04, size: 2, value: UInt32(cmd))
        }
        return ok
    }
}

private func hex2(_ v: Int) -> String {
    let s = String(v, radix: 16)
    return s.count < 2 ? "0" + s : s
}
