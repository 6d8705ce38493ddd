namespace IronSocket.CPython;

/// <summary>
/// Builders for the C tables CPython keeps pointers to (method, member, getset, slot arrays). They live in
/// unmanaged memory for the life of the process, as a C extension's static tables do.
/// </summary>
internal static unsafe class NativeTables
{
    public record struct Method(string Name, nint Function, int Flags, string? Doc = null);

    public static PyMethodDef* Methods(params Method[] methods)
    {
        var table = (PyMethodDef*)NativeMemory.AllocZeroed((nuint)(methods.Length + 1), (nuint)sizeof(PyMethodDef));
        for (int i = 0; i < methods.Length; i++)
            table[i] = new PyMethodDef
            {
                Name = Values.U8(methods[i].Name),
                Meth = methods[i].Function,
                Flags = methods[i].Flags,
                Doc = methods[i].Doc is { } d ? Values.U8(d) : null,
            };
        return table;
    }

    public static PyMemberDef* Members(params (string Name, int Type, int Offset, int Flags, string Doc)[] members)
    {
        var table = (PyMemberDef*)NativeMemory.AllocZeroed((nuint)(members.Length + 1), (nuint)sizeof(PyMemberDef));
        for (int i = 0; i < members.Length; i++)
            table[i] = new PyMemberDef
            {
                Name = Values.U8(members[i].Name), Type = members[i].Type, Offset = members[i].Offset,
                Flags = members[i].Flags, Doc = Values.U8(members[i].Doc),
            };
        return table;
    }

    public static PyGetSetDef* GetSets(params (string Name, nint Get, nint Set, string Doc)[] getsets)
    {
        var table = (PyGetSetDef*)NativeMemory.AllocZeroed((nuint)(getsets.Length + 1), (nuint)sizeof(PyGetSetDef));
        for (int i = 0; i < getsets.Length; i++)
            table[i] = new PyGetSetDef { Name = Values.U8(getsets[i].Name), Get = getsets[i].Get, Set = getsets[i].Set, Doc = Values.U8(getsets[i].Doc) };
        return table;
    }

    public static PyTypeSlot* Slots(params (int Slot, nint Pfunc)[] slots)
    {
        var table = (PyTypeSlot*)NativeMemory.AllocZeroed((nuint)(slots.Length + 1), (nuint)sizeof(PyTypeSlot));
        for (int i = 0; i < slots.Length; i++) table[i] = new PyTypeSlot { Slot = slots[i].Slot, Pfunc = slots[i].Pfunc };
        return table;
    }
}
