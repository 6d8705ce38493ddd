namespace IronSocket.Native.Linux;

// sendfile(2): any file the kernel can map (regular files) to a stream socket, from an explicit offset.
public sealed unsafe partial class LinuxSocketPal
{
    public override bool SupportsSendFile => true;

    public override long FileSize(long file, out int err)
    {
        if (file is < int.MinValue or > int.MaxValue)
        {
            err = Errno.EBADF;
            return -1;
        }
        statx st = default;
        byte empty = 0;
        int rc = LibcFiles.statx((int)file, &empty, FileStatus.AT_EMPTY_PATH, FileStatus.STATX_SIZE, &st);
        err = rc < 0 ? Libc.LastErrno : 0;
        return rc < 0 ? -1 : (long)st.stx_size;
    }

    public override long SendFile(NativeSocket s, long file, long offset, long count, out int err)
    {
        // The file descriptor is the caller's: borrowed for the call, never closed here.
        using var source = new FdHandle(unchecked((int)file), ownsHandle: false);
        long off = offset;
        long sent = Libc.sendfile(Fd(s), source, &off, (nuint)count);
        err = sent < 0 ? Libc.LastErrno : 0;
        return sent;
    }
}
