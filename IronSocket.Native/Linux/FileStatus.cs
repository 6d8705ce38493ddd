namespace IronSocket.Native.Linux;

/// <summary>
/// The part of struct statx (sys/stat.h, Linux 4.11+, glibc 2.28+) that socket.sendfile reads. statx rather than fstat
/// because its layout is the same on every architecture (struct stat's is not: x64 and arm64 differ).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct statx
{
    [FieldOffset(0)] public uint stx_mask;
    [FieldOffset(28)] public ushort stx_mode;
    [FieldOffset(40)] public ulong stx_size;
}

/// <summary>statx's flags and mask bits (fcntl.h, sys/stat.h).</summary>
[ConstantList("Constants.txt")]
public static partial class FileStatus;

/// <summary>The file calls of libc that socket.sendfile needs (see <see cref="Libc"/> for the conventions).</summary>
public static unsafe class LibcFiles
{
    /// <summary>statx(fd, "", AT_EMPTY_PATH, mask, buf) describes the open file fd itself.</summary>
    [DllImport(Libc.LibraryName, SetLastError = true)]
    public static extern int statx(int dirfd, byte* pathname, int flags, uint mask, statx* statxbuf);
}
