/// What kind of kernel an image is, told apart the way QEMU's `-kernel` does
/// (hw/i386/x86.c, `x86_load_linux`): a Linux setup header ("HdrS" at 0x202) means the Linux boot
/// protocol; otherwise a Multiboot header magic in the first 8192 bytes means Multiboot.
public enum KernelFormat: Equatable, Sendable {
    /// A bzImage, booted by `LinuxBootProtocol`.
    case linux
    /// A Multiboot kernel (ELF32 or a.out kludge), booted by `Multiboot`.
    case multiboot

    /// The image's format, or nil if it is neither (the error says what was looked for).
    public static func detect(_ image: [UInt8]) -> KernelFormat? {
        if image.count >= 0x206 && MultibootHeader.read32(image, 0x202) == 0x5372_6448 { return .linux }
        if MultibootHeader.isPresent(in: image) { return .multiboot }
        return nil
    }

    /// The message for an image that is neither.
    public static func unrecognized(size: Int) -> BootError {
        size == 0 ? .empty("the kernel image")
            : .malformed("the kernel image (\(size) bytes) is neither a Linux bzImage (no 'HdrS' setup header at offset 0x202) "
                + "nor a Multiboot kernel (no header magic 0x1BADB002 in its first 8192 bytes)")
    }
}
