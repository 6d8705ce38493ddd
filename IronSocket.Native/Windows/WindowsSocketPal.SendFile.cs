namespace IronSocket.Native.Windows;

// TransmitFile (mswsock): the file's bytes from its current position straight to a connected stream socket. Without
// overlapped I/O it returns when everything asked for is sent (or it failed), so it is used on blocking sockets only.
public sealed unsafe partial class WindowsSocketPal
{
    public override bool ServersReuseAddress => false;

    public override bool SupportsSendFile => true;

    public override bool SendFileNeedsBlockingSocket => true;

    public override long FileSize(long file, out int err)
    {
        long size;
        if (Mswsock.GetFileType((nint)file) != Mswsock.FILE_TYPE_DISK || Mswsock.GetFileSizeEx((nint)file, &size) == 0)
        {
            err = Marshal.GetLastWin32Error();
            if (err == 0) err = Mswsock.ERROR_INVALID_HANDLE;   // a pipe or console: not a file TransmitFile can map
            return -1;
        }
        err = 0;
        return size;
    }

    public override long SendFile(NativeSocket s, long file, long offset, long count, out int err)
    {
        // TransmitFile starts at the file pointer and cannot stop at end of file by itself: clamp to the size.
        long size = FileSize(file, out err);
        if (size < 0)
            return -1;
        long n = Math.Min(count, size - offset);
        if (n <= 0)
            return 0;
        if (Mswsock.SetFilePointerEx((nint)file, offset, null, 0 /* FILE_BEGIN */) == 0)
        {
            err = Marshal.GetLastWin32Error();
            return -1;
        }
        int ok;
        using (var l = H(s).Lease())
            ok = Mswsock.TransmitFile(l.Socket, (nint)file, (uint)Math.Min(n, int.MaxValue - 1), 0, null, null, 0);
        err = ok == 0 ? Ws2_32.LastError : 0;
        return ok == 0 ? -1 : Math.Min(n, int.MaxValue - 1);
    }
}

/// <summary>TransmitFile and the kernel32 file calls around it (see <see cref="Ws2_32"/> for the conventions).</summary>
public static unsafe class Mswsock
{
    public const string Library = "mswsock.dll";
    public const uint FILE_TYPE_DISK = 1;
    public const int ERROR_INVALID_HANDLE = 6;

    /// <summary>Nonzero on success; the Winsock error otherwise. lpOverlapped null: returns when all is sent.</summary>
    [DllImport(Library, ExactSpelling = true, SetLastError = true)]
    public static extern int TransmitFile(nuint hSocket, nint hFile, uint nNumberOfBytesToWrite, uint nNumberOfBytesPerSend,
        void* lpOverlapped, void* lpTransmitBuffers, uint dwReserved);

    [DllImport(Ws2_32.Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int GetFileSizeEx(nint hFile, long* lpFileSize);

    [DllImport(Ws2_32.Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern uint GetFileType(nint hFile);

    [DllImport(Ws2_32.Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int SetFilePointerEx(nint hFile, long liDistanceToMove, long* lpNewFilePointer, uint dwMoveMethod);
}
