using System.Buffers;

namespace IronSocket.CPython;

/// <summary>
/// `socket.sendmsg`, `recvmsg`, `recvmsg_into`, `sendmsg_afalg`: CPython 3.11's argument handling (PyArg formats
/// "O|OiO", "n|ni", "O|ni", "|O$O!y*O!i"), data buffers handed to the core as pinned Py_buffers (no copy), and the
/// RuntimeWarning the core raises through <see cref="ISocketHost.WarnRuntime"/>. Registered in SocketType's method table.
/// </summary>
internal static unsafe class MessageMethods
{
    /// <summary>ISocketHost.WarnRuntime for CPython: PyErr_WarnEx(RuntimeWarning, message, 1).</summary>
    public static void WarnRuntime(string message)
    {
        if (Py.ErrWarnEx(Py.ExcRuntimeWarning, Values.U8(message), 1) != 0) throw new HostErrorPending();
    }

    private static SocketObject Core(nint self) => SocketType.Core(self);

    /// <summary>Py_buffers acquired for one call, released together; each exposed to the core as Memory over its bytes.</summary>
    private sealed class Buffers : IDisposable
    {
        private readonly List<nint> _views = new();
        private readonly List<nint> _kept = new();

        /// <summary>Holds a reference (given to this set) until Dispose.</summary>
        public void Keep(nint obj) => _kept.Add(obj);

        public List<ReadOnlyMemory<byte>> ReadOnly { get; } = new();
        public List<Memory<byte>> Writable { get; } = new();

        /// <summary>Takes a view (the caller filled it with PyObject_GetBuffer) into this set.</summary>
        public PyBuffer* Add()
        {
            var view = (PyBuffer*)NativeMemory.AllocZeroed((nuint)sizeof(PyBuffer));
            _views.Add((nint)view);
            return view;
        }

        public void Forget(PyBuffer* view)
        {
            _views.Remove((nint)view);
            NativeMemory.Free(view);
        }

        public void Dispose()
        {
            foreach (nint v in _views)
            {
                Py.BufferRelease((PyBuffer*)v);
                NativeMemory.Free((void*)v);
            }
            _views.Clear();
            foreach (nint o in _kept) Py.DecRef(o);
            _kept.Clear();
        }
    }

    /// <summary>Memory over a Py_buffer's bytes; the exporter keeps them in place until the view is released.</summary>
    private sealed class ViewMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }

    /// <summary>PySequence_Fast(o, message) → (new reference, item count).</summary>
    private static nint Fast(nint o, string message, out nint count)
    {
        nint fast = Errors.Check(Py.SequenceFast(o, Values.U8(message)));
        count = Py.SequenceSize(fast);
        return fast;
    }

    /// <summary>sock_sendmsg_iovec: every item of the iterable as a read-only (PyBUF_SIMPLE) buffer.</summary>
    private static void ReadBuffers(nint iterable, Buffers into)
    {
        nint fast = Fast(iterable, MessageArgumentErrors.NotIterable("sendmsg", 1), out nint n);
        try
        {
            for (nint i = 0; i < n; i++)
            {
                nint item = Errors.Check(Py.SequenceGetItem(fast, i));
                var view = into.Add();
                int rc = Py.ObjectGetBuffer(item, view, PyLayout.PyBufSimple);
                Py.DecRef(item);   // the view holds its own reference to the exporter
                if (rc != 0)
                {
                    into.Forget(view);
                    throw new PythonAlreadySet();
                }
                into.ReadOnly.Add(new ViewMemory(view->Buf, checked((int)view->Len)).Memory);
            }
        }
        finally { Py.DecRef(fast); }
    }

    [UnmanagedCallersOnly]
    public static nint SendMsg(nint self, nint* args, nint nargs)
    {
        try
        {
            Args.Count("sendmsg", nargs, 1, 4);
            int flags = nargs > 2 ? Values.ArgInt(args[2]) : 0;
            var so = Core(self);
            nint dataArg = args[0], ancArg = nargs > 1 ? args[1] : 0;
            object? address = nargs > 3 ? Values.FromPy(args[3]) : null;
            using var buffers = new Buffers();
            // The core asks for the buffers and the ancillary items after parsing the address, as CPython does.
            return Values.ToPy((long)so.SendMsg(() =>
            {
                ReadBuffers(dataArg, buffers);
                return buffers.ReadOnly;
            }, () => ancArg == 0 ? null : AncillaryItems(ancArg, buffers), flags, address));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>
    /// sendmsg()'s argument 2 (PySequence_Fast), each item as a neutral value for the core's "(iiy*)". The sequence
    /// stays referenced by <paramref name="keep"/> until the call ends: the items' host callbacks (a memoryview's
    /// buffer, __index__) use objects it holds.
    /// </summary>
    private static List<object?> AncillaryItems(nint ancdata, Buffers keep)
    {
        nint fast = Fast(ancdata, MessageArgumentErrors.NotIterable("sendmsg", 2), out nint n);
        keep.Keep(fast);
        var items = new List<object?>((int)n);
        for (nint i = 0; i < n; i++)
        {
            nint item = Errors.Check(Py.SequenceGetItem(fast, i));
            try { items.Add(Values.FromPy(item)); }
            finally { Py.DecRef(item); }
        }
        return items;
    }

    [UnmanagedCallersOnly]
    public static nint RecvMsg(nint self, nint* args, nint nargs)
    {
        try
        {
            Args.Count("recvmsg", nargs, 1, 3);
            long bufsize = Values.ArgSsize(args[0]);
            long ancbufsize = nargs > 1 ? Values.ArgSsize(args[1]) : 0;
            int flags = nargs > 2 ? Values.ArgInt(args[2]) : 0;
            SocketObject.CheckRecvMsgBufsize(bufsize);
            var so = Core(self);
            // Receive straight into the bytes object we return, then shrink it to what arrived.
            nint bytes = Errors.Check(Py.BytesFromStringAndSize(null, (nint)bufsize));
            (int Count, List<object?> Ancdata, int MsgFlags, object? Address) r;
            try
            {
                // One recvmsg returns at most INT_MAX-ish bytes on Linux anyway (MAX_RW_COUNT).
                var memory = new ViewMemory(Py.BytesAsString(bytes), (int)Math.Min(bufsize, int.MaxValue)).Memory;
                r = so.RecvMsgInto([memory], ancbufsize, flags);
                // MSG_TRUNC on a stream: the kernel writes nothing; never return the allocator's old memory.
                if (so.ReceiveLeavesBufferUnwritten(flags))
                    memory.Span[..SocketObject.DataLength(r.Count, memory.Length)].Clear();
            }
            catch
            {
                Py.DecRef(bytes);
                throw;
            }
            // MSG_TRUNC: the kernel's count can exceed the buffer; never grow the bytes past what was written.
            int got = SocketObject.DataLength(r.Count, bufsize);
            if (got != bufsize && Py.BytesResize(&bytes, got) != 0) throw new PythonAlreadySet();   // resize freed it
            return Result(bytes, r.Ancdata, r.MsgFlags, r.Address);
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    public static nint RecvMsgInto(nint self, nint* args, nint nargs)
    {
        try
        {
            Args.Count("recvmsg_into", nargs, 1, 3);
            long ancbufsize = nargs > 1 ? Values.ArgSsize(args[1]) : 0;
            int flags = nargs > 2 ? Values.ArgInt(args[2]) : 0;
            using var buffers = new Buffers();
            nint fast = Fast(args[0], MessageArgumentErrors.NotIterable("recvmsg_into", 1), out nint n);
            try
            {
                for (nint i = 0; i < n; i++)
                {
                    nint item = Errors.Check(Py.SequenceGetItem(fast, i));
                    var view = buffers.Add();
                    int rc = Py.ObjectGetBuffer(item, view, PyLayout.PyBufWritable);
                    Py.DecRef(item);
                    if (rc != 0)
                    {
                        buffers.Forget(view);
                        Py.ErrClear();
                        throw MessageArgumentErrors.NotWritableBuffers();
                    }
                    if (Py.BufferIsContiguous(view, (byte)'C') == 0)
                        throw MessageArgumentErrors.NotWritableBuffers();
                    buffers.Writable.Add(new ViewMemory(view->Buf, checked((int)view->Len)).Memory);
                }
            }
            finally { Py.DecRef(fast); }
            var r = Core(self).RecvMsgInto(buffers.Writable, ancbufsize, flags);
            return Result(Values.ToPy((long)r.Count), r.Ancdata, r.MsgFlags, r.Address);
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>(first, ancdata, msg_flags, address); steals <paramref name="first"/>.</summary>
    private static nint Result(nint first, List<object?> ancdata, int msgFlags, object? address)
    {
        nint tuple = Py.TupleNew(4);
        if (tuple == 0)
        {
            Py.DecRef(first);
            throw new PythonAlreadySet();
        }
        Py.TupleSetItem(tuple, 0, first);
        try
        {
            Py.TupleSetItem(tuple, 1, Values.ToPy(ancdata));
            Py.TupleSetItem(tuple, 2, Values.ToPy((long)msgFlags));
            Py.TupleSetItem(tuple, 3, Values.ToPy(address));
        }
        catch
        {
            Py.DecRef(tuple);
            throw;
        }
        return tuple;
    }

    private static readonly string[] AfAlgNames = ["msg", "op", "iv", "assoclen", "flags"];

    [UnmanagedCallersOnly]
    public static nint SendMsgAfAlg(nint self, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            var so = Core(self);
            so.RequireAfAlg();
            if (nargs > 1)
                throw Errors.TypeError($"sendmsg_afalg() takes at most 1 positional argument ({nargs} given)");
            Span<nint> a = stackalloc nint[5];
            a.Clear();
            var late = Args.Keywords("sendmsg_afalg", args, nargs, kwnames, AfAlgNames, 0, a);
            // O!: an explicit None is a type error, not "not given" (the core's null).
            if (a[1] == Py.None) throw MessageArgumentErrors.AfAlgNone(2);
            if (a[3] == Py.None) throw MessageArgumentErrors.AfAlgNone(4);
            object? op = a[1] != 0 ? Values.FromPy(a[1]) : null;
            object? assoclen = a[3] != 0 ? Values.FromPy(a[3]) : null;
            int flags = a[4] != 0 ? Values.ArgInt(a[4]) : 0;
            using var buffers = new Buffers();
            ReadOnlyMemory<byte>? iv = null;
            if (a[2] != 0)
            {
                var view = buffers.Add();
                if (Py.ObjectGetBuffer(a[2], view, PyLayout.PyBufSimple) != 0)
                {
                    buffers.Forget(view);
                    throw new PythonAlreadySet();
                }
                iv = new ViewMemory(view->Buf, checked((int)view->Len)).Memory;
            }
            late.Check();
            List<ReadOnlyMemory<byte>>? data = null;
            if (a[0] != 0)
            {
                ReadBuffers(a[0], buffers);
                data = buffers.ReadOnly;
            }
            return Values.ToPy((long)so.SendMsgAfAlg(data, op, iv, assoclen, flags));
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
