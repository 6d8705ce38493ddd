namespace IronSocket.Core;

/// <summary>AF_UNIX: a path (str through the filesystem encoding, or bytes; a leading NUL names Linux's abstract
/// namespace) over sockaddr_un.</summary>
internal sealed unsafe class UnixCodec() : AddressCodec(Family.Unix, sizeof(sockaddr_un))
{
    private const int SunPathOffset = 2;
    private const int SunPathMax = 108;

    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        // PEP 383: str paths go through the filesystem encoding; embedded NULs are allowed (abstract names).
        byte[] path = address is string s ? FsEncoding.Encode(s) : Args.AsBuffer(address);
        var un = (sockaddr_un*)buf;
        int len;
        if (path.Length == 0 || path[0] == 0)
        {
            // Linux abstract namespace (or autobind for an empty name): no terminating NUL.
            if (path.Length > SunPathMax)
                throw new PyOSErrorMessage("AF_UNIX path too long");
            len = path.Length + SunPathOffset;
        }
        else
        {
            if (path.Length >= SunPathMax)
                throw new PyOSErrorMessage("AF_UNIX path too long");
            len = path.Length + SunPathOffset + 1;
        }
        un->sun_family = family;
        path.CopyTo(new Span<byte>(un->sun_path, SunPathMax));
        return len;
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var un = (sockaddr_un*)addr;
        int pathLen = Math.Min(Math.Max(addrlen - SunPathOffset, 0), SunPathMax);
        var path = new ReadOnlySpan<byte>(un->sun_path, pathLen);
        if (pathLen > 0 && path[0] == 0)
            return path.ToArray(); // Linux abstract namespace
        return FsEncoding.DecodeCString(path);
    }
}
