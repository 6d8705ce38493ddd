using System.Collections.Concurrent;

namespace IronSocket.Core;

/// <summary>
/// getaddrinfo for a canonical IPv4 literal without the libc call. What the system's getaddrinfo answers for a numeric
/// IPv4 host (which entries, in which order, with which type and protocol) depends on the hints and on whether a port
/// was given, never on which address it is, as long as no flag consults the system's state (AI_ADDRCONFIG) or echoes
/// the name (AI_CANONNAME). So the first real answer for each combination of hints is checked and remembered as a
/// shape, and later calls with other literals and ports are answered from it: the same entries libc would give,
/// whatever the platform (glibc gives stream, datagram and raw entries for no type; Winsock one entry of type 0).
/// </summary>
internal static unsafe class NumericAddrInfo
{
    /// <summary>False: every call goes to libc (tests compare both ways).</summary>
    internal static bool Enabled = true;

    /// <summary>Shapes stay few (one per hints combination a program uses); a bound keeps odd callers from growing it.</summary>
    private const int MaxShapes = 64;

    private readonly record struct Hints(int Family, int Type, int Proto, int Flags, bool PortGiven);

    /// <summary>The (family, type, protocol) of each entry, boxed once.</summary>
    private sealed class Shape(object[] families, object[] types, object[] protos)
    {
        public readonly object[] Families = families, Types = types, Protos = protos;
    }

    private static readonly ConcurrentDictionary<Hints, Shape> Shapes = new();

    /// <summary>
    /// Whether a call can be answered from a shape: a canonical literal, no port or an int one 0-65535, family
    /// unspecified or AF_INET, and only the flags that cannot change the entries of a numeric host.
    /// </summary>
    private static bool Eligible(string host, object? port, int family, int flags, out uint address, out int portNumber)
    {
        address = 0;
        portNumber = 0;
        if (!Enabled)
            return false;
        var c = Os.Pal.C;
        if (family != c.AF_UNSPEC && family != c.AF_INET)
            return false;
        if ((flags & ~(c.AI_PASSIVE | c.AI_NUMERICHOST | c.AI_NUMERICSERV)) != 0)
            return false;
        switch (port)
        {
            case null: break;
            // an int subclass is no int here (CPython's PyLong_CheckExact): the full path raises its OSError
            case long l when l >= 0 && l <= 0xffff && !HostValues.IsSubclassInstance(port): portNumber = (int)l; break;
            case int i when i >= 0 && i <= 0xffff && !HostValues.IsSubclassInstance(port): portNumber = i; break;
            default: return false;
        }
        return Ipv4Literal.TryParse(host, out address);
    }

    /// <summary>The entries getaddrinfo would return, when a shape for these hints is known.</summary>
    internal static bool TryAnswer(string host, object? port, int family, int type, int proto, int flags, out object?[] entries)
    {
        entries = null!;
        if (!Eligible(host, port, family, flags, out _, out int portNumber))
            return false;
        if (!Shapes.TryGetValue(new Hints(family, type, proto, flags, port is not null), out var shape))
            return false;
        int n = shape.Families.Length;
        entries = new object?[n];
        for (int k = 0; k < n; k++)
            entries[k] = new object?[] { shape.Families[k], shape.Types[k], shape.Protos[k], "", InetCodec.Value(host, portNumber) };
        return true;
    }

    /// <summary>
    /// Remembers the shape of libc's answer <paramref name="res0"/> to an eligible call, if it is what a shape can
    /// reproduce: every entry AF_INET with this very address and port, no canonical name. A port of 0 proves nothing
    /// about where the port goes, so such answers are not learnt from.
    /// </summary>
    internal static void Learn(string host, object? port, int family, int type, int proto, int flags, addrinfo* res0)
    {
        if (!Eligible(host, port, family, flags, out uint address, out int portNumber) || (port is not null && portNumber == 0))
            return;
        var hints = new Hints(family, type, proto, flags, port is not null);
        if (res0 == null || Shapes.ContainsKey(hints) || Shapes.Count >= MaxShapes)   // Count takes every lock: last
            return;
        int n = 0;
        ushort wirePort = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness((ushort)portNumber) : (ushort)portNumber;
        for (addrinfo* r = res0; r != null; r = r->ai_next, n++)
        {
            if (r->ai_canonname != null || r->ai_family != Os.Pal.C.AF_INET || r->ai_addr == null ||
                r->ai_addrlen < (uint)sizeof(sockaddr_in))
                return;
            var sin = (sockaddr_in*)r->ai_addr;
            if (sin->sin_family != Os.Pal.C.AF_INET || sin->sin_addr != address || sin->sin_port != wirePort)
                return;
        }
        var families = new object[n];
        var types = new object[n];
        var protos = new object[n];
        int k = 0;
        for (addrinfo* r = res0; r != null; r = r->ai_next, k++)
        {
            families[k] = Boxes.Long(r->ai_family);
            types[k] = Boxes.Long(r->ai_socktype);
            protos[k] = Boxes.Long(r->ai_protocol);
        }
        Shapes.TryAdd(hints, new Shape(families, types, protos));
    }

    /// <summary>Forgets every shape (tests).</summary>
    internal static void Clear() => Shapes.Clear();
}
