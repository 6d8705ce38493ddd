namespace IronSocket.CPython.Interop;

/// <summary>CPython 3.11 x86-64/arm64 layouts and constants (checked against /usr/include/python3.11 with offsetof).</summary>
internal static class PyLayout
{
    public const int TpNameOffset = 24;
    public const int TpFlagsOffset = 168;

    public const ulong TpFlagsDisallowInstantiation = 1UL << 7;
    public const ulong TpFlagsImmutableType = 1UL << 8;
    public const ulong TpFlagsBaseType = 1UL << 10;
    public const ulong TpFlagsHaveGC = 1UL << 14;
    public const ulong TpFlagsLongSubclass = 1UL << 24;
    public const ulong TpFlagsListSubclass = 1UL << 25;
    public const ulong TpFlagsTupleSubclass = 1UL << 26;
    public const ulong TpFlagsBytesSubclass = 1UL << 27;
    public const ulong TpFlagsUnicodeSubclass = 1UL << 28;
    public const ulong TpFlagsDictSubclass = 1UL << 29;

    public const int MethKeywords = 0x2, MethNoArgs = 0x4, MethO = 0x8, MethClass = 0x10, MethFastCall = 0x80;
    public const int TInt = 1, TPySsizeT = 19, ReadOnly = 1;
    public const int PyBufSimple = 0, PyBufWritable = 1;
    public const int PythonApiVersion = 1013;

    // typeslots.h
    public const int TpClear = 51, TpAlloc = 47, TpDealloc = 52, TpDoc = 56, TpGetattro = 58, TpHash = 59, TpInit = 60, TpMethods = 64, TpNew = 65,
        TpRepr = 66, TpRichCompare = 67, TpStr = 70, TpTraverse = 71, TpMembers = 72, TpGetset = 73, TpFree = 74, TpFinalize = 80;
    // object.h's rich comparison operators
    public const int PyEq = 2, PyNe = 3;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyBuffer   // Py_buffer, 80 bytes
{
    public byte* Buf;
    public nint Obj;
    public nint Len;
    public nint ItemSize;
    public int ReadOnly;
    public int NDim;
    public byte* Format;
    public nint* Shape;
    public nint* Strides;
    public nint* SubOffsets;
    public nint Internal;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyTypeSpec
{
    public byte* Name;
    public int BasicSize;
    public int ItemSize;
    public uint Flags;
    public PyTypeSlot* Slots;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PyTypeSlot
{
    public int Slot;
    public nint Pfunc;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyMethodDef
{
    public byte* Name;
    public nint Meth;
    public int Flags;
    public byte* Doc;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyMemberDef
{
    public byte* Name;
    public int Type;
    public nint Offset;
    public int Flags;
    public byte* Doc;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyGetSetDef
{
    public byte* Name;
    public nint Get;
    public nint Set;
    public byte* Doc;
    public nint Closure;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyModuleDef   // 104 bytes; m_base is PyModuleDef_HEAD_INIT
{
    public nint RefCnt;
    public nint Type;
    public nint MInit;
    public nint MIndex;
    public nint MCopy;
    public byte* Name;
    public byte* Doc;
    public nint Size;
    public PyMethodDef* Methods;
    public nint Slots;
    public nint Traverse;
    public nint Clear;
    public nint Free;
}

/// <summary>
/// The instance layout of `_socket.socket`, field-compatible with CPython 3.11's PySocketSockObject
/// (so `_ssl` can read sock_fd/sock_timeout directly), plus our GCHandle to the core object.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PySocketSockObject
{
    public nint RefCnt;
    public nint Type;
    public int SockFd;
    public int SockFamily;
    public int SockType;
    public int SockProto;
    public nint ErrorHandler;
    public long SockTimeout;   // _PyTime_t nanoseconds; -1 = blocking
    public nint Core;          // GCHandle of the IronSocket.Core.SocketObject, 0 before __init__
}
