namespace IronSocket.Native;

/// <summary>
/// glibc's CMSG_* macros (bits/socket.h) as functions, for building and walking a msghdr's control buffer.
/// Lengths are size_t arithmetic: callers that take lengths from users check for overflow first.
/// </summary>
public static unsafe class Cmsg
{
    /// <summary>CMSG_ALIGN: round up to a multiple of sizeof(size_t).</summary>
    public static nuint Align(nuint length) => (length + (nuint)sizeof(nuint) - 1) & ~((nuint)sizeof(nuint) - 1);

    /// <summary>CMSG_LEN: cmsg_len for <paramref name="dataLength"/> bytes of data (no trailing padding).</summary>
    public static nuint Len(nuint dataLength) => Align((nuint)sizeof(cmsghdr)) + dataLength;

    /// <summary>CMSG_SPACE: control-buffer bytes taken by a message with <paramref name="dataLength"/> bytes of data.</summary>
    public static nuint Space(nuint dataLength) => Align(dataLength) + Align((nuint)sizeof(cmsghdr));

    /// <summary>CMSG_DATA: the first data byte after the header.</summary>
    public static byte* Data(cmsghdr* cmsg) => (byte*)(cmsg + 1);

    /// <summary>CMSG_FIRSTHDR: the first header, or null when the buffer cannot hold one.</summary>
    public static cmsghdr* FirstHdr(msghdr* msg) =>
        msg->msg_controllen >= (nuint)sizeof(cmsghdr) ? (cmsghdr*)msg->msg_control : null;

    /// <summary>
    /// CMSG_NXTHDR (glibc 2.36's __cmsg_nxthdr): the header after <paramref name="cmsg"/>, or null when cmsg's
    /// length is malformed or the buffer has no room for cmsg plus another header. Pointer differences are
    /// compared, never formed past the buffer, so a hostile cmsg_len cannot overflow.
    /// </summary>
    public static cmsghdr* NxtHdr(msghdr* msg, cmsghdr* cmsg)
    {
        nuint len = cmsg->cmsg_len;
        if (len < (nuint)sizeof(cmsghdr))
            return null;
        nuint padding = ((nuint)sizeof(nuint) - (len & ((nuint)sizeof(nuint) - 1))) & ((nuint)sizeof(nuint) - 1);
        nuint needed = (nuint)sizeof(cmsghdr) + padding;
        nuint left = (nuint)((byte*)msg->msg_control + msg->msg_controllen - (byte*)cmsg);
        if (left < needed || left - needed < len)
            return null;
        return (cmsghdr*)((byte*)cmsg + Align(len));
    }
}
