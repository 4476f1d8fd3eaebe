/// A PS/2 keyboard's own microcontroller as the 8042 sees it: it answers the host-to-keyboard
/// commands (IBM PS/2 Technical Reference, "Keyboard and Auxiliary Device Controller" /
/// "Commands from the system") and queues scan codes typed on the host.
///
/// Enough for Linux's atkbd probe: 0xF2 Read ID answers ACK, 0xAB, 0x83 (0x41 when the controller
/// translates), 0xFF Reset answers ACK then 0xAA (BAT completion), everything else is ACKed, unknown
/// commands get 0xFE (Resend).
public final class PS2Keyboard {
    /// Bytes from the keyboard to the controller, oldest first.
    private(set) var queue: [UInt8] = []
    /// The command waiting for its parameter byte (0xED Set LEDs, 0xF0 Select Scan Code Set, 0xF3 Set Typematic Rate).
    private var awaitingParameter: UInt8?
    /// Scanning enabled (0xF4 Enable / 0xF5 Default Disable).
    public private(set) var scanning = true
    /// The scan code set the keyboard sends (1-3).
    public private(set) var scanCodeSet: UInt8 = 2
    /// LED state from 0xED: bit 0 Scroll Lock, 1 Num Lock, 2 Caps Lock.
    public private(set) var leds: UInt8 = 0
    /// Commands not recognised (answered with Resend).
    public private(set) var unknownCommands = 0

    /// Command responses (PS/2 Technical Reference, "Commands to the System").
    public static let ack: UInt8 = 0xFA, resend: UInt8 = 0xFE, batCompletion: UInt8 = 0xAA

    /// The queue is bounded like the keyboard's 16-byte buffer; a full buffer drops bytes.
    static let capacity = 16

    init() {}

    private func send(_ bytes: UInt8...) {
        for b in bytes where queue.count < Self.capacity { queue.append(b) }
    }

    /// Takes the oldest byte for the controller.
    func next() -> UInt8? { queue.isEmpty ? nil : queue.removeFirst() }

    /// Scan codes typed on the host (as the guest will read them); dropped while scanning is disabled.
    func type(_ bytes: [UInt8]) {
        guard scanning else { return }
        for b in bytes { send(b) }
    }

    /// A byte the system sent to the keyboard; `translated` is the controller's XLATE (command byte bit 6).
    func receive(_ byte: UInt8, translated: Bool) {
        if let command = awaitingParameter {
            awaitingParameter = nil
            switch command {
            case 0xED:
                leds = byte & 0x07
                send(Self.ack)
                return
            case 0xF0:
                if byte == 0 {
                    // Report the current set (translated by the 8042 when XLATE is on).
                    send(Self.ack, translated ? [0x43, 0x41, 0x3F][Int(scanCodeSet - 1)] : scanCodeSet)
                } else if (1...3).contains(byte) {
                    scanCodeSet = byte
                    send(Self.ack)
                } else {
                    send(Self.resend)
                }
                return
            case 0xF3:
                send(Self.ack)
                return
            default:
                break
            }
        }
        switch byte {
        case 0xED, 0xF0, 0xF3:
            awaitingParameter = byte
            send(Self.ack)
        case 0xEE:
            send(0xEE)  // Echo
        case 0xF2:
            send(Self.ack, 0xAB, translated ? 0x41 : 0x83)  // Read ID: MF2 keyboard
        case 0xF4:
            scanning = true
            send(Self.ack)
        case 0xF5:
            scanning = false
            send(Self.ack)
        case 0xF6:
            send(Self.ack)  // Set Default
        case 0xF7...0xFD:
            send(Self.ack)  // scan code set 3 key type commands
        case 0xFF:
            queue.removeAll()
            scanning = true
            scanCodeSet = 2
            leds = 0
            send(Self.ack, Self.batCompletion)  // Reset: ACK, then Basic Assurance Test passed
        default:
            unknownCommands += 1
            send(Self.resend)
        }
    }
}
