using IronSocket.Native.Linux;

namespace IronSocket.Native;

/// <summary>
/// Facts about the machine the layouts depend on, from uname(2): RuntimeInformation is not usable from a
/// netstandard2.0 assembly on Mono (its netstandard facade does not resolve the type), so the kernel is asked.
/// </summary>
public static unsafe class Machine
{
    /// <summary>utsname.machine, e.g. "x86_64" or "aarch64".</summary>
    public static string Name { get; } = Uname();

    private static string Uname()
    {
        // struct utsname on Linux: six char[65] fields; machine is the fifth.
        const int FieldLength = 65;
        byte* buf = stackalloc byte[FieldLength * 6];
        if (Libc.uname(buf) != 0)
            return "";
        return NativeText.FromUtf8(buf + FieldLength * 4) ?? "";
    }
}
