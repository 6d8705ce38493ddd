using System.Buffers;
using IronPython.Runtime;
using IronPython.Runtime.Operations;
using IronSocket.Core;
using Microsoft.Scripting.Runtime;

namespace IronSocket.IronPython;

/// <summary>
/// sendmsg / recvmsg / recvmsg_into / sendmsg_afalg: CPython's argument handling, with every data buffer handed to
/// the core as Memory over the pinned Python buffer (no copy). All message semantics are the core's.
/// </summary>
public partial class PythonSocket
{
    /// <summary>Python buffers taken for one call, pinned and exposed to the core as Memory; released together.</summary>
    private sealed class PinnedBuffers : IDisposable
    {
        private readonly List<(IPythonBuffer Buffer, MemoryHandle Pin)> taken = new();
        public List<ReadOnlyMemory<byte>> ReadOnly { get; } = new();
        public List<Memory<byte>> Writable { get; } = new();

        public unsafe Memory<byte> Add(IPythonBuffer buffer)
        {
            MemoryHandle pin;
            try { pin = buffer.Pin(); }
            catch { buffer.Dispose(); throw; }
            taken.Add((buffer, pin));
            // Pin() fixes the exporter's whole array (its pointer is the array's start, not a slice's, e.g. for
            // memoryview(b)[2:9]); the span is where this buffer's bytes are, and stays put while pinned.
            var span = buffer.AsReadOnlySpan();
            return new PinnedMemory((byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span)), span.Length).Memory;
        }

        public void Dispose()
        {
            foreach (var (buffer, pin) in taken)
            {
                pin.Dispose();
                buffer.Dispose();
            }
            taken.Clear();
        }
    }

    /// <summary>Memory over pinned bytes; the buffer export keeps them in place until released.</summary>
    private sealed unsafe class PinnedMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }

    /// <summary>PySequence_Fast(o, message): the items of an iterable, or TypeError(message).</summary>
    private static List<object?> Items(CodeContext context, object? iterable, string message)
    {
        System.Collections.IEnumerator e;
        try { e = PythonOps.GetEnumerator(context, iterable); }
        catch (Exception ex) when (ex is not PythonError) { throw new PyTypeError(message); }
        var items = new List<object?>();
        while (e.MoveNext()) items.Add(e.Current);
        return items;
    }

    private static void ReadBuffers(CodeContext context, object? iterable, PinnedBuffers into, string function)
    {
        foreach (object? item in Items(context, iterable, MessageArgumentErrors.NotIterable(function, 1)))
            into.ReadOnly.Add(into.Add(Values.ReadBuffer(item)));
    }

    private static PythonTuple Result(object? first, List<object?> ancdata, int msgFlags, object? address) =>
        Values.Tuple(first, Values.ToPython(ancdata), msgFlags, Values.ToPython(address));

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation(SocketObject.SendMsgDoc)]
    public int sendmsg(CodeContext context, object? buffers, [Optional] object ancdata, [Optional] object flags, [Optional] object address)
    {
        try
        {
            int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
            var so = Core;
            using var pinned = new PinnedBuffers();
            ReadBuffers(context, buffers, pinned, "sendmsg");
            object? anc = Values.Given(ancdata)
                ? Items(context, ancdata, MessageArgumentErrors.NotIterable("sendmsg", 2)).ConvertAll(Values.FromPython)
                : null;
            return so.SendMsg(pinned.ReadOnly, anc, f, Values.Given(address) ? Values.FromPython(address) : null);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation(SocketObject.RecvMsgDoc)]
    public PythonTuple recvmsg(CodeContext context, object bufsize, [Optional] object ancbufsize, [Optional] object flags)
    {
        try
        {
            long n = Values.ToSsize(bufsize);
            long anc = Values.Given(ancbufsize) ? Values.ToSsize(ancbufsize) : 0;
            int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
            using var scope = IronPythonHost.Enter(context);
            var r = Core.RecvMsg(n, anc, f);
            return Result(Values.MakeBytes(r.Data), r.Ancdata, r.MsgFlags, r.Address);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation(SocketObject.RecvMsgIntoDoc)]
    public PythonTuple recvmsg_into(CodeContext context, object? buffers, [Optional] object ancbufsize, [Optional] object flags)
    {
        try
        {
            long anc = Values.Given(ancbufsize) ? Values.ToSsize(ancbufsize) : 0;
            int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
            using var pinned = new PinnedBuffers();
            foreach (object? item in Items(context, buffers, MessageArgumentErrors.NotIterable("recvmsg_into", 1)))
            {
                IPythonBuffer? view = null;
                if (item is IBufferProtocol bp)
                {
                    try { view = bp.GetBuffer(BufferFlags.Writable); }
                    catch (Exception) { /* read-only: TypeError below */ }
                }
                if (view is null)
                    throw MessageArgumentErrors.NotWritableBuffers();
                pinned.Writable.Add(pinned.Add(view));
            }
            using var scope = IronPythonHost.Enter(context);
            var r = Core.RecvMsgInto(pinned.Writable, anc, f);
            return Result(r.Count, r.Ancdata, r.MsgFlags, r.Address);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation(SocketObject.SendMsgAfAlgDoc)]
    public int sendmsg_afalg(CodeContext context, [Optional] object msg, [Microsoft.Scripting.ParamDictionary] IDictionary<string, object?> kwargs)
    {
        try
        {
            var so = Core;
            so.RequireAfAlg();
            foreach (string key in kwargs.Keys)
                if (key is not ("op" or "iv" or "assoclen" or "flags"))
                    throw new PyTypeError($"'{key}' is an invalid keyword argument for sendmsg_afalg()");
            object? Kw(string name) => kwargs.TryGetValue(name, out object? v) ? v : Missing;
            object? op = Kw("op"), iv = Kw("iv"), assoclen = Kw("assoclen"), flags = Kw("flags");
            // PyArg's O!: an explicit None is a type error, not "not given" (the core's null), as in the CPython host.
            if (op is null) throw MessageArgumentErrors.AfAlgNone(2);
            if (assoclen is null) throw MessageArgumentErrors.AfAlgNone(4);
            using var pinned = new PinnedBuffers();
            ReadOnlyMemory<byte>? ivMemory = null;
            if (iv != Missing) ivMemory = pinned.Add(Values.ReadBuffer(iv));
            List<ReadOnlyMemory<byte>>? data = null;
            if (Values.Given(msg))
            {
                ReadBuffers(context, msg, pinned, "sendmsg_afalg");
                data = pinned.ReadOnly;
            }
            return so.SendMsgAfAlg(data, op == Missing ? null : Values.FromPython(op), ivMemory,
                assoclen == Missing ? null : Values.FromPython(assoclen), flags == Missing ? 0 : Values.ToInt(flags));
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    private static readonly object Missing = System.Reflection.Missing.Value;
}
