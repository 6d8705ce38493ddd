namespace IronSocket.Core;

/// <summary>
/// Ancillary data (control messages) for sendmsg/recvmsg, with CPython 3.11's rules: items are (level, type, data)
/// 3-sequences; a send buffer is the sum of CMSG_SPACE of each item; a received buffer is walked with
/// CMSG_FIRSTHDR/CMSG_NXTHDR and an item whose data the buffer cut short is returned truncated, with a RuntimeWarning.
/// </summary>
internal static unsafe class Ancillary
{
    /// <summary>The platform's C constants of the messages built and read here.</summary>
    private static CoreConstants C => Os.C;

    /// <summary>CPython's SOCKLEN_T_LIMIT on Linux.</summary>
    internal const long SocklenLimit = int.MaxValue;

    internal const string MalformedWarning = "received malformed or improperly-truncated ancillary data";

    /// <summary>One item to send; <see cref="Data"/> is the item's bytes (copied by the host's conversion).</summary>
    internal readonly record struct Item(int Level, int Type, byte[] Data);

    /// <summary>
    /// Parses sendmsg()'s ancdata argument (null = none): each item as PyArg's "(iiy*)" would, with its messages.
    /// </summary>
    internal static List<Item> ParseItems(object? ancdata)
    {
        var items = new List<Item>();
        if (ancdata is null)
            return items;
        IReadOnlyList<object?> seq = ancdata switch
        {
            object?[] t => t,
            List<object?> l => l,
            _ => throw new PyTypeError("sendmsg() argument 2 must be an iterable"),
        };
        foreach (object? entry in seq)
        {
            IReadOnlyList<object?> fields = entry switch
            {
                object?[] t => t,
                List<object?> l => l,
                // "(iiy*)" takes any sequence but bytes: a str is one of its characters, a bytearray one of its ints
                string str => StringElements(str),
                BytesLike bl => Array.ConvertAll(bl.Bytes, x => (object?)(long)x),
                _ => throw new PyTypeError($"[sendmsg() ancillary data items]() argument must be 3-item sequence, not {Args.ConverterName(entry)}"),
            };
            if (fields.Count != 3)
                throw new PyTypeError($"[sendmsg() ancillary data items]() argument must be sequence of length 3, not {fields.Count}");
            int level = Args.AsInt(fields[0]);
            int type = Args.AsInt(fields[1]);
            byte[] data = Args.AsBuffer(fields[2]);
            items.Add(new Item(level, type, data));
        }
        return items;
    }

    /// <summary>A str as the sequence of its characters (code points, as Python counts them).</summary>
    private static object?[] StringElements(string s)
    {
        var elements = new List<object?>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            bool pair = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
            elements.Add(s.Substring(i, pair ? 2 : 1));
            if (pair) i++;
        }
        return elements.ToArray();
    }

    /// <summary>get_CMSG_SPACE: CMSG_SPACE(length), or false when it would pass socklen_t's limit.</summary>
    internal static bool TrySpace(long length, out long space)
    {
        space = 0;
        if (length < 0 || length > SocklenLimit - (long)Cmsg.Space(1))
            return false;
        space = (long)Cmsg.Space((nuint)length);
        return space <= SocklenLimit;
    }

    /// <summary>The control buffer for <paramref name="items"/> (null when there are none), zero-filled between items.</summary>
    internal static byte[]? Pack(List<Item> items)
    {
        if (items.Count == 0)
            return null;
        long total = 0;
        foreach (var item in items)
        {
            if (!TrySpace(item.Data.Length, out long space))
                throw new PyOSErrorMessage("ancillary data item too large");
            total += space;
            if (total > SocklenLimit)
                throw new PyOSErrorMessage("too much ancillary data");
        }
        var control = new byte[total];
        fixed (byte* start = control)
        {
            // Items sit at successive CMSG_SPACE offsets: exactly where CMSG_NXTHDR puts them in a zeroed buffer.
            byte* p = start;
            foreach (var item in items)
            {
                var h = (cmsghdr*)p;
                h->cmsg_len = Cmsg.Len((nuint)item.Data.Length);
                h->cmsg_level = item.Level;
                h->cmsg_type = item.Type;
                item.Data.CopyTo(new Span<byte>(Cmsg.Data(h), item.Data.Length));
                p += (long)Cmsg.Space((nuint)item.Data.Length);
            }
        }
        return control;
    }

    /// <summary>
    /// sendmsg_afalg's control buffer: ALG_SET_OP (u32), then ALG_SET_IV (struct af_alg_iv { u32 ivlen; u8 iv[]; })
    /// when <paramref name="iv"/> is given, then ALG_SET_AEAD_ASSOCLEN (u32) when <paramref name="assoclen"/> ≥ 0.
    /// </summary>
    internal static byte[] PackAfAlg(int op, ReadOnlyMemory<byte>? iv, int assoclen)
    {
        const int u32 = sizeof(uint);
        long total = (long)Cmsg.Space(u32);
        if (iv is { } ivm)
            total += (long)Cmsg.Space((nuint)(u32 + ivm.Length));
        if (assoclen >= 0)
            total += (long)Cmsg.Space(u32);
        var control = new byte[total];
        fixed (byte* c = control)
        {
            msghdr msg = default;
            msg.msg_control = c;
            msg.msg_controllen = (nuint)total;
            var h = Cmsg.FirstHdr(&msg);
            h->cmsg_level = C.SOL_ALG;
            h->cmsg_type = C.ALG_SET_OP;
            h->cmsg_len = Cmsg.Len(u32);
            *(uint*)Cmsg.Data(h) = (uint)op;
            if (iv is { } ivData)
            {
                h = Cmsg.NxtHdr(&msg, h);
                h->cmsg_level = C.SOL_ALG;
                h->cmsg_type = C.ALG_SET_IV;
                h->cmsg_len = Cmsg.Space((nuint)(u32 + ivData.Length)); // CPython stores CMSG_SPACE here, not CMSG_LEN
                *(uint*)Cmsg.Data(h) = (uint)ivData.Length;
                ivData.Span.CopyTo(new Span<byte>(Cmsg.Data(h) + u32, ivData.Length));
            }
            if (assoclen >= 0)
            {
                h = Cmsg.NxtHdr(&msg, h);
                h->cmsg_level = C.SOL_ALG;
                h->cmsg_type = C.ALG_SET_AEAD_ASSOCLEN;
                h->cmsg_len = Cmsg.Len(u32);
                *(uint*)Cmsg.Data(h) = (uint)assoclen;
            }
        }
        return control;
    }

    /// <summary>
    /// get_cmsg_data_len: 0 = the item's data is whole (<paramref name="dataLen"/>); 1 = the buffer ends inside the
    /// data (<paramref name="dataLen"/> is what is there); -1 = the header itself is cut or malformed.
    /// </summary>
    internal static int DataLength(msghdr* msg, cmsghdr* cmsg, out nuint dataLen)
    {
        dataLen = 0;
        nuint headerLen = Cmsg.Len(0);
        if (!MinSpace(msg, cmsg, headerLen) || cmsg->cmsg_len < headerLen)
            return -1;
        nuint want = cmsg->cmsg_len - headerLen;
        if (!DataSpace(msg, cmsg, out nuint space))
            return -1;
        if (space >= want)
        {
            dataLen = want;
            return 0;
        }
        dataLen = space;
        return 1;
    }

    /// <summary>cmsg_min_space: cmsg lies in the buffer with at least <paramref name="space"/> bytes (and its cmsg_len) there.</summary>
    private static bool MinSpace(msghdr* msg, cmsghdr* cmsg, nuint space)
    {
        if (cmsg == null || msg->msg_control == null)
            return false;
        nuint lenEnd = (nuint)sizeof(nuint); // offsetof(cmsg_len) + sizeof(cmsg_len)
        if (space < lenEnd)
            space = lenEnd;
        nuint offset = (nuint)((byte*)cmsg - (byte*)msg->msg_control);
        return space <= msg->msg_controllen && offset <= msg->msg_controllen - space;
    }

    /// <summary>get_cmsg_data_space: bytes of the buffer from CMSG_DATA(cmsg) to its end, if the data start is inside.</summary>
    private static bool DataSpace(msghdr* msg, cmsghdr* cmsg, out nuint space)
    {
        space = 0;
        byte* data = Cmsg.Data(cmsg);
        if (data == null)
            return false;
        nuint offset = (nuint)(data - (byte*)msg->msg_control);
        if (offset > msg->msg_controllen)
            return false;
        space = msg->msg_controllen - offset;
        return true;
    }

    /// <summary>
    /// The received items as CPython lists them: [(level, type, bytes)], stopping at a malformed or truncated item
    /// (a truncated one is included with the data that arrived), warning through the host as CPython does.
    /// </summary>
    internal static List<object?> Unpack(msghdr* msg)
    {
        var list = new List<object?>();
        if (msg->msg_controllen == 0)
            return list;
        for (cmsghdr* c = Cmsg.FirstHdr(msg); c != null; c = Cmsg.NxtHdr(msg, c))
        {
            int status = DataLength(msg, c, out nuint len);
            if (status != 0)
                SocketHost.Current.WarnRuntime(MalformedWarning);
            if (status < 0)
                break;
            list.Add(new object?[] { (long)c->cmsg_level, (long)c->cmsg_type, new ReadOnlySpan<byte>(Cmsg.Data(c), checked((int)len)).ToArray() });
            if (status != 0)
                break;
        }
        return list;
    }

    /// <summary>
    /// CPython's err_closefds: when recvmsg fails after the syscall (a warning raised, the address could not be
    /// decoded), the SCM_RIGHTS descriptors just received are closed so they do not leak.
    /// </summary>
    internal static void CloseReceivedFds(msghdr* msg)
    {
        if (msg->msg_controllen == 0)
            return;
        for (cmsghdr* c = Cmsg.FirstHdr(msg); c != null; c = Cmsg.NxtHdr(msg, c))
        {
            int status = DataLength(msg, c, out nuint len);
            if (status < 0)
                break;
            if (c->cmsg_level == C.SOL_SOCKET && c->cmsg_type == C.SCM_RIGHTS)
            {
                int* fds = (int*)Cmsg.Data(c);
                for (nuint i = 0; i < len / sizeof(int); i++)
                    Os.Pal.CloseFileno(fds[i]);
            }
            if (status != 0)
                break;
        }
    }
}
