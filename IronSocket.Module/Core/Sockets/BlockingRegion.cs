
namespace IronSocket.Core;

/// <summary>Wraps a call that may block: the host releases its interpreter lock around it.</summary>
/// <remarks>
/// Nothing may throw out of a region: catch inside it (a handle closed meanwhile: ObjectDisposedException) and raise
/// after it. An exception leaving the region runs <see cref="Dispose"/> as a finally during the exception's dispatch,
/// and there CPython's PyEval_RestoreThread waits for the GIL, for as long as other threads keep it; a NativeAOT
/// garbage collection meanwhile finds a stale reference in the frames being unwound and crashes
/// (gc_heap::relocate_address, issue #19: threads closing sockets other threads use).
/// </remarks>
internal readonly ref struct BlockingRegion
{
    private readonly ISocketHost _host;
    private readonly nint _state;

    private BlockingRegion(ISocketHost host)
    {
        _host = host;
        _state = host.BeginBlocking();
    }

    internal static BlockingRegion Enter() => new(SocketHost.Current);

    public void Dispose() => _host.EndBlocking(_state);
}
