namespace IronSocket.Core;

/// <summary>
/// One address family's codec, as PyPy's rsocket has one Address class per family: CPython's getsockaddrlen
/// (<see cref="MaxLength"/>), getsockaddrarg (<see cref="Parse"/>) and makesockaddr (<see cref="Make"/>) for that
/// family. <see cref="SockAddr"/> holds one instance per <see cref="Native.Family"/> in an array and dispatches to it.
/// </summary>
/// <param name="family">The address format this codec reads and writes.</param>
/// <param name="length">The size of the family's C address (its sockaddr_* struct).</param>
internal abstract unsafe class AddressCodec(Family family, int length)
{
    /// <summary>The address format this codec reads and writes.</summary>
    internal Family Family => family;

    /// <summary>The buffer size the kernel may fill for a socket of this family and protocol.</summary>
    internal virtual int MaxLength(int proto) => length;

    /// <summary>
    /// Fills <paramref name="buf"/> (already zeroed) from a Python address for a socket of <paramref name="family"/>
    /// (the platform's value) and <paramref name="proto"/>; returns the address length. <paramref name="caller"/>
    /// prefixes CPython's messages; <paramref name="fd"/> serves interface lookups.
    /// </summary>
    internal abstract int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf);

    /// <summary>A C address of <paramref name="addrlen"/> (&gt; 0) bytes as its Python value.</summary>
    internal abstract object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto);

    /// <summary>The platform's C constants the codecs pass and compare.</summary>
    protected static CoreConstants C => Os.C;

    /// <summary>makesockaddr's value for a family it has no format for: (family, sa_data bytes).</summary>
    protected static object?[] Unformatted(sockaddr* addr) =>
        new object?[] { (long)addr->sa_family, new ReadOnlySpan<byte>(addr->sa_data, 14).ToArray() };

    protected static object?[] Tuple(object? address, string caller, string familyName) =>
        address as object?[] ?? throw new PyTypeError($"{caller}(): {familyName} address must be tuple, not {HostValues.TypeName(address)}");

    /// <summary>AF_VSOCK/AF_QIPCRTR use an older parse in 3.11 ("II:getsockaddrarg").</summary>
    protected static object?[] LegacyTuple(object? address, string familyName)
    {
        var t = address as object?[] ?? throw new PyTypeError($"getsockaddrarg: {familyName} address must be tuple, not {HostValues.TypeName(address)}");
        if (t.Length != 2)
            throw new PyTypeError($"getsockaddrarg() takes exactly 2 arguments ({t.Length} given)");
        return t;
    }

    /// <summary>PyArg_ParseTuple's count check with a ";message" format: the message replaces the default text.</summary>
    protected static void Count(object?[] t, int min, int max, string message)
    {
        if (t.Length < min || t.Length > max)
            throw new PyTypeError(message);
    }

    /// <summary>The 'i' port of AF_INET/AF_INET6: any overflow in the conversion becomes CPython's port message.</summary>
    protected static int PortArg(object? v, string caller)
    {
        try { return Args.AsInt(v); }
        catch (PyOverflowError) { throw new PyOverflowError($"{caller}(): port must be 0-65535."); }
    }

    /// <summary>ioctl(SIOCGIFINDEX) on the socket; errors as the socket's errorhandler raises them.</summary>
    protected static int InterfaceIndex(NativeSocket? fd, byte[] ifname)
    {
        if (fd is null || fd.IsClosed) throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        int index = Os.Pal.InterfaceIndex(fd, ifname, out int err);
        if (index < 0) throw Errors.FromErrno(err);
        return index;
    }

    /// <summary>ioctl(SIOCGIFNAME) for a returned address; "" when unknown, as CPython.</summary>
    protected static string InterfaceName(NativeSocket? fd, int ifindex)
    {
        if (ifindex == 0 || fd is null || fd.IsClosed)
            return "";
        byte* name = stackalloc byte[16];
        try
        {
            if (!Os.Pal.InterfaceName(fd, ifindex, name))
                return "";
        }
        catch (ObjectDisposedException) { return ""; }
        return FsEncoding.DecodeCString(new ReadOnlySpan<byte>(name, 16));
    }
}
