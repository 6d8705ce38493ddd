using System.Collections.Concurrent;

namespace IronSocket.CPython;

/// <summary>
/// A strong reference to a Python object that core objects keep (a callback, a weak reference object). The reference
/// is dropped after the .NET object is collected: the finalizer cannot take the GIL, so it queues the pointer, and the
/// queue is emptied the next time this module makes one (with the GIL held).
/// </summary>
internal sealed unsafe class PyRef
{
    private static readonly ConcurrentQueue<nint> pending = new();

    public nint Pointer { get; }

    private bool released;

    /// <summary>Takes a new reference to <paramref name="o"/> (the GIL is held).</summary>
    public PyRef(nint o)
    {
        while (pending.TryDequeue(out nint old)) Py.DecRef(old);
        Py.IncRef(o);
        Pointer = o;
    }

    ~PyRef()
    {
        if (!released) pending.Enqueue(Pointer);
    }

    /// <summary>Drops the reference now (the GIL is held): tp_clear breaking a cycle.</summary>
    public void Release()
    {
        if (released) return;
        released = true;
        GC.SuppressFinalize(this);
        Py.DecRef(Pointer);
    }

    /// <summary>A new reference to the object a <see cref="PyRef"/> (given as a neutral host object) holds.</summary>
    public static nint NewReference(object hostObject)
    {
        nint p = ((PyRef)hostObject).Pointer;
        Py.IncRef(p);
        return p;
    }
}
