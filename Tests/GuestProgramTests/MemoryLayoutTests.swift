import Boot
import Foundation
import GuestMemory
import Interpreter
import Machine
import Testing
import X86State

/// RAM above 4 GiB: the PC layout of `GuestRAM.pc`, the E820 map both loaders pass on, the size
/// limits, and a guest that uses RAM above 4 GiB on the interpreter.
@Suite struct MemoryLayoutTests {
    @Test func pcLayoutPutsRAMAbove3GiBFrom4GiB() throws {
        let small = try GuestRAM.pc(ramSize: 3 << 30)
        #expect(small.ranges == [0..<(3 << 30)] && small.ramSize == 3 << 30)
        let ram = try GuestRAM.pc(ramSize: 6 << 30)
        #expect(ram.ranges == [0..<0xC000_0000, 0x1_0000_0000..<0x1_C000_0000])
        #expect(ram.ramSize == 6 << 30 && ram.size == 7 << 30)
        #expect(ram.contains(0xBFFF_FFF8, count: 8) && !ram.contains(0xBFFF_FFFC, count: 8))  // straddles the hole
        #expect(!ram.contains(0xC000_0000, count: 1) && !ram.contains(0xFEE0_0000, count: 4))
        #expect(ram.contains(0x1_0000_0000, count: 4096) && ram.contains(0x1_BFFF_FFF8, count: 8))
        #expect(!ram.contains(0x1_C000_0000, count: 1))
        #expect(ram.write([1, 2, 3], at: 0x1_8000_0000) && ram.read(at: 0x1_8000_0000, count: 3) == [1, 2, 3])
        #expect(!ram.write([1], at: 0xD000_0000) && ram.byte(at: 0xD000_0000) == nil && !ram.setByte(1, at: 0xFFFF_FFFF))
    }

    @Test func linuxZeroPageHasBothRAMRangesInE820() throws {
        // A minimal bzImage header (protocol 2.15, 64-bit entry, relocatable): enough for the loader.
        var image = [UInt8](repeating: 0, count: 0x1000)
        func put(_ o: Int, _ bytes: [UInt8]) { image.replaceSubrange(o..<o + bytes.count, with: bytes) }
        put(0x1F1, [1])  // setup_sects
        put(0x1FE, [0x55, 0xAA])
        put(0x201, [0x6A])  // header end: 0x26C
        put(0x202, Array("HdrS".utf8))
        put(0x206, [0x0F, 0x02])
        put(0x211, [0x01])  // LOADED_HIGH
        put(0x22C, SyntheticKernel.le32(0x7FFF_FFFF))  // initrd_addr_max
        put(0x234, [1])  // relocatable
        put(0x236, [0x01, 0x00])  // XLF_KERNEL_64
        put(0x238, SyntheticKernel.le32(2048))
        put(0x258, SyntheticKernel.le32(0x100_0000) + [0, 0, 0, 0])  // pref_address
        put(0x260, SyntheticKernel.le32(0x10_0000))  // init_size
        let memory: UInt64 = 5 << 30
        let ram = try GuestRAM.pc(ramSize: memory)
        let map = LinuxBootProtocol.standardMemoryMap(ramSize: memory)
        _ = try LinuxBootProtocol.load(kernel: image, initrd: [1, 2, 3, 4], commandLine: "console=ttyS0", into: ram, memoryMap: map)
        let zp = try #require(ram.read(at: LinuxBootProtocol.zeroPageAddress, count: 4096))
        func u64(_ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(zp[o + $1]) << (8 * UInt64($1)) } }
        let entries = (0..<Int(zp[0x1E8])).map { i in (u64(0x2D0 + i * 20), u64(0x2D0 + i * 20 + 8), zp[0x2D0 + i * 20 + 16]) }
        let ramEntries = entries.filter { $0.2 == 1 }.map { [$0.0, $0.1] }
        #expect(ramEntries == [[0, 0x9_FC00], [0x10_0000, 0xC000_0000 - 0x10_0000], [0x1_0000_0000, 2 << 30]])
        // The initrd went below the hole (and below initrd_addr_max).
        let initrd = UInt64(zp[0x218]) | UInt64(zp[0x219]) << 8 | UInt64(zp[0x21A]) << 16 | UInt64(zp[0x21B]) << 24
        #expect(initrd < 0x8000_0000 && ram.read(at: initrd, count: 4) == [1, 2, 3, 4])
    }

    @Test func memorySizesOutsideTheLimitsAreRefusedWithAReason() throws {
        #expect(throws: MemorySizeError.tooSmall(8 << 20)) { try MemoryLimits.check(8 << 20) }
        #expect(throws: MemorySizeError.notPageMultiple((1 << 30) + 1)) { try MemoryLimits.check((1 << 30) + 1) }
        #expect(throws: MemorySizeError.beyondAddressWidth(1 << 40)) { try MemoryLimits.check(1 << 40) }
        #expect(MemoryLimits.addressableMaximum == (64 - 1) << 30)
        #expect(MemoryLimits.maximum <= MemoryLimits.addressableMaximum)
        if let host = MemoryLimits.hostMemory, host < MemoryLimits.addressableMaximum {
            let over = (host + (1 << 30)) & ~0xFFF
            #expect(throws: MemorySizeError.beyondHostMemory(over, host: host)) { try MemoryLimits.check(over) }
            #expect(MemorySizeError.beyondHostMemory(over, host: host).description.contains("more than this host's"))
        }
        #expect(MemorySizeError.beyondAddressWidth(1 << 40).description.contains("36-bit"))
        #expect(throws: MemorySizeError.tooSmall(12345)) { try VirtualMachine(memory: 12345, serialOutput: { _ in }, console: { _ in }) }
    }

    @Test func guestUsesRAMAbove4GiBOnTheInterpreter() throws {
        let image = try assemble("highmem64")
        let ram = try GuestRAM.pc(ramSize: 6 << 30)
        let platform = TestPlatform()
        let cpu = Interpreter(ram: ram, platform: platform, model: .x86_64)
        cpu.state = try FlatBinary.load(image, into: ram, at: 0x8000, bits: 64)
        let stop = cpu.run(budget: 10_000_000)
        #expect(platform.exitValue == 0, "check \(platform.exitValue.map(String.init) ?? "none") failed, stop \(stop), rip 0x\(String(cpu.state.rip, radix: 16))")
        // Without RAM above 4 GiB the first check fails: the test tests something.
        let small = try GuestRAM.pc(ramSize: 64 << 20)
        let platform2 = TestPlatform()
        let cpu2 = Interpreter(ram: small, platform: platform2, model: .x86_64)
        cpu2.state = try FlatBinary.load(image, into: small, at: 0x8000, bits: 64)
        _ = cpu2.run(budget: 10_000_000)
        #expect(platform2.exitValue == 1)
    }

    @Test func machineWithRAMAbove4GiBRunsTheGuest() throws {
        let vm = try VirtualMachine(memory: 6 << 30, serialOutput: { _ in }, console: { _ in })
        vm.cpu.state = try FlatBinary.load(try assemble("highmem64"), into: vm.machine.ram, at: 0x8000, bits: 64)
        #expect(vm.run() == .debugExit(value: 0))
    }
}
