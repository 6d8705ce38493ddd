namespace IronSocket.Core;

/// <summary>
/// Shared boxes for small neutral ints (families, socket types, protocols, well-known ports), so results such as
/// getaddrinfo's tuples do not allocate a box per field. Boxed longs are immutable; sharing them is invisible.
/// </summary>
internal static class Boxes
{
    private const int Count = 1024;
    private static readonly object[] Small = Make();

    private static object[] Make()
    {
        var boxes = new object[Count];
        for (int i = 0; i < Count; i++) boxes[i] = (long)i;
        return boxes;
    }

    internal static object Long(long value) => (ulong)value < Count ? Small[value] : value;
}
