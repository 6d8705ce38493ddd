using System.Numerics;

namespace IronSocket.Core;

internal static unsafe partial class SockAddr
{
    /// <summary>
    /// PyArg_ParseTuple's 'k'/'K' (CAN ISOTP ids, the J1939 name): only int objects, masked to the C width; anything
    /// else fails with getargs' positional message (no __index__, unlike 'I').
    /// </summary>
    private static ulong IntMaskArg(object? v, int position) => v is long or int or BigInteger or bool
        ? Args.AsULongMask(v)
        : throw new PyTypeError($"argument {position} must be int, not {(v is null ? "None" : HostValues.TypeName(v))}");
}
