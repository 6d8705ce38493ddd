using System.Buffers;

namespace IronSocket.Core;

// sendmsg / recvmsg / recvmsg_into / sendmsg_afalg with CPython 3.11's semantics. Data buffers arrive as Memory so a
// host can hand over its own buffers without copying (pinned for the call); ancillary items arrive as neutral values.
public sealed unsafe partial class SocketObject
{
    // The docstrings of the methods each host parses itself (sendmsg's and recvmsg's buffer sequences, sendto's
    // and setsockopt's alternative signatures), for every host.

    public const string SendMsgDoc =
        "sendmsg(buffers[, ancdata[, flags[, address]]]) -> count\n\n" +
        "Send normal and ancillary data to the socket, gathering the non-ancillary data from a series of buffers " +
        "and concatenating it into a single message. ancdata is an iterable of (cmsg_level, cmsg_type, cmsg_data) " +
        "items; the return value is the number of bytes of non-ancillary data sent.";

    public const string RecvMsgDoc =
        "recvmsg(bufsize[, ancbufsize[, flags]]) -> (data, ancdata, msg_flags, address)\n\n" +
        "Receive normal data (up to bufsize bytes) and ancillary data from the socket. ancbufsize sets the size in " +
        "bytes of the internal buffer used to receive the ancillary data (CMSG_SPACE() or CMSG_LEN() compute it); " +
        "items which do not fit into it might be truncated or discarded.";

    public const string RecvMsgIntoDoc =
        "recvmsg_into(buffers[, ancbufsize[, flags]]) -> (nbytes, ancdata, msg_flags, address)\n\n" +
        "Receive normal data and ancillary data from the socket, scattering the non-ancillary data into a series " +
        "of writable buffers.";

    public const string SendMsgAfAlgDoc =
        "sendmsg_afalg([msg], *, op[, iv[, assoclen[, flags=MSG_MORE]]])\n\n" +
        "Set operation mode, IV and length of associated data for an AF_ALG operation socket.";

    public const string SendToDoc = "sendto(data[, flags], address) -> count\n\nLike send(data, flags) but allows specifying the destination address.";

    public const string SetSockOptDoc = "setsockopt(level, option, value: int)\nsetsockopt(level, option, value: buffer)\nsetsockopt(level, option, None, optlen: int)\n\nSet a socket option.";

    /// <summary>
    /// sendmsg(buffers[, ancdata[, flags[, address]]]) → bytes sent. <paramref name="ancdata"/>: null, or a tuple/list
    /// of (level, type, bytes-like) 3-sequences; <paramref name="address"/>: null for none.
    /// </summary>
    public int SendMsg(IReadOnlyList<ReadOnlyMemory<byte>> buffers, object? ancdata = null, int flags = 0, object? address = null) =>
        SendMsg(() => buffers, () => ancdata, flags, address);

    /// <summary>
    /// sendmsg with CPython's order of argument processing, for hosts whose conversions have effects (consuming an
    /// iterator, acquiring buffers): the address is parsed first, then <paramref name="buffers"/> is asked for the
    /// data, then <paramref name="ancdata"/> for the ancillary items, which are parsed last. A bad address thus
    /// fails before any buffer iterator is consumed.
    /// </summary>
    public int SendMsg(Func<IReadOnlyList<ReadOnlyMemory<byte>>> buffers, Func<object?> ancdata, int flags, object? address)
    {
        msghdr msg = default;
        sockaddr_storage addrbuf;
        if (address is not null)
        {
            msg.msg_namelen = (uint)ParseAddress(address, "sendmsg", &addrbuf);
            msg.msg_name = &addrbuf;
        }
        var data = buffers();
        byte[]? control = Ancillary.Pack(Ancillary.ParseItems(ancdata()));
        fixed (byte* c = control)
        {
            msg.msg_control = c;
            msg.msg_controllen = (nuint)(control?.Length ?? 0);
            return SendMsgCore(&msg, data, flags);
        }
    }

    /// <summary>Pins the data buffers into msg's iovec and runs sendmsg through the sock_call loop.</summary>
    private int SendMsgCore(msghdr* msg, IReadOnlyList<ReadOnlyMemory<byte>> buffers, int flags)
    {
        using var iov = new PinnedIovecs(buffers.Count, i => buffers[i]);
        msg->msg_iov = iov.Vector;
        msg->msg_iovlen = iov.Count;
        var op = new SendMsgOp(msg, flags);
        SockCall(writing: true, ref op);
        return (int)op.Result;
    }

    /// <summary>recvmsg()'s bufsize check, for hosts that receive straight into their own bytes object.</summary>
    public static void CheckRecvMsgBufsize(long bufsize)
    {
        if (bufsize < 0)
            throw new PyValueError("negative buffer size in recvmsg()");
    }

    /// <summary>recvmsg(bufsize[, ancbufsize[, flags]]) → (data, ancdata, msg_flags, address).</summary>
    public (byte[] Data, List<object?> Ancdata, int MsgFlags, object? Address) RecvMsg(long bufsize, long ancbufsize = 0, int flags = 0)
    {
        CheckRecvMsgBufsize(bufsize);
        var data = new byte[bufsize];
        var (received, anc, msgFlags, addr) = RecvMsgInto([data.AsMemory()], ancbufsize, flags);
        int n = DataLength(received, data.Length);
        return (n == data.Length ? data : data.AsSpan(0, n).ToArray(), anc, msgFlags, addr);
    }

    /// <summary>
    /// recvmsg_into(buffers[, ancbufsize[, flags]]) → (nbytes, ancdata, msg_flags, address): scatters the data over
    /// <paramref name="buffers"/>. Received SCM_RIGHTS descriptors belong to the caller (they are in ancdata);
    /// only when this call fails after the syscall are they closed, as CPython does.
    /// </summary>
    public (int Count, List<object?> Ancdata, int MsgFlags, object? Address) RecvMsgInto(IReadOnlyList<Memory<byte>> buffers, long ancbufsize = 0, int flags = 0)
    {
        int addrbuflen = AddressBufferLength;
        if (ancbufsize < 0 || ancbufsize > Ancillary.SocklenLimit)
            throw new PyValueError("invalid ancillary data buffer length");
        sockaddr_storage addrbuf = default;
        ((sockaddr*)&addrbuf)->sa_family = (ushort)C.AF_UNSPEC;

        using var iov = new PinnedIovecs(buffers.Count, i => buffers[i]);
        void* control = ancbufsize > 0 ? (void*)Marshal.AllocHGlobal(new IntPtr(ancbufsize)) : null;
        try
        {
            msghdr msg = default;
            msg.msg_name = &addrbuf;
            msg.msg_namelen = (uint)addrbuflen;
            msg.msg_iov = iov.Vector;
            msg.msg_iovlen = iov.Count;
            msg.msg_control = control;
            msg.msg_controllen = (nuint)ancbufsize;
            var op = new RecvMsgOp(&msg, flags);
            SockCall(writing: false, ref op);
            try
            {
                var anc = Ancillary.Unpack(&msg);
                int namelen = (int)Math.Min(msg.msg_namelen, (uint)addrbuflen);
                object? addr = MakeAddress((sockaddr*)&addrbuf, namelen);
                return ((int)op.Result, anc, msg.msg_flags, addr);
            }
            catch
            {
                Ancillary.CloseReceivedFds(&msg);
                throw;
            }
        }
        finally
        {
            Marshal.FreeHGlobal((nint)control);
        }
    }

    /// <summary>sendmsg_afalg raises this first, before looking at its arguments.</summary>
    public void RequireAfAlg()
    {
        if (_family != C.AF_ALG)
            throw new PyOSErrorMessage("algset is only supported for AF_ALG");
    }

    /// <summary>
    /// sendmsg_afalg([msg], *, op[, iv[, assoclen[, flags]]]): ALG_SET_OP, then ALG_SET_IV and ALG_SET_AEAD_ASSOCLEN
    /// when given. <paramref name="op"/>/<paramref name="assoclen"/> are neutral values (null = not given) that must be
    /// ints (PyArg's O!&amp;PyLong_Type); <paramref name="iv"/> null = not given.
    /// </summary>
    public int SendMsgAfAlg(IReadOnlyList<ReadOnlyMemory<byte>>? buffers, object? op, ReadOnlyMemory<byte>? iv = null, object? assoclen = null, int flags = 0)
    {
        RequireAfAlg();
        if (op is not null && !Args.IsInt(op))
            throw new PyTypeError($"sendmsg_afalg() argument 2 must be int, not {HostValues.TypeName(op)}");
        if (assoclen is not null && !Args.IsInt(assoclen))
            throw new PyTypeError($"sendmsg_afalg() argument 4 must be int, not {HostValues.TypeName(assoclen)}");
        // _PyLong_AsInt; any failure (missing, negative, overflow) becomes the one TypeError.
        int opValue = -1;
        if (op is not null)
        {
            try { opValue = Args.AsCInt(op); }
            catch (PyOverflowError) { opValue = -1; }
        }
        if (opValue < 0)
            throw new PyTypeError("Invalid or missing argument 'op'");
        int assoc = -1;
        if (assoclen is not null)
        {
            assoc = Args.AsCInt(assoclen);
            if (assoc < 0)
                throw new PyTypeError("assoclen must be positive");
        }

        byte[] control = Ancillary.PackAfAlg(opValue, iv, assoc);
        fixed (byte* c = control)
        {
            msghdr msg = default;
            msg.msg_control = c;
            msg.msg_controllen = (nuint)control.Length;
            return SendMsgCore(&msg, buffers ?? [], flags);
        }
    }
}

internal unsafe struct SendMsgOp(msghdr* msg, int flags) : ISockOp
{
    public nint Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        Result = (nint)Os.Pal.SendMsg(fd, msg, flags);
        errno = Result < 0 ? Os.Pal.LastError : 0;
        return Result >= 0;
    }
}

/// <summary>recvmsg; the kernel rewrites msg_namelen/msg_controllen/msg_flags, so each attempt restores them.</summary>
internal unsafe struct RecvMsgOp(msghdr* msg, int flags) : ISockOp
{
    private readonly uint _namelen = msg->msg_namelen;
    private readonly nuint _controllen = msg->msg_controllen;
    public nint Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        msg->msg_namelen = _namelen;
        msg->msg_controllen = _controllen;
        msg->msg_flags = 0;
        Result = (nint)Os.Pal.RecvMsg(fd, msg, flags);
        errno = Result < 0 ? Os.Pal.LastError : 0;
        return Result >= 0;
    }
}
