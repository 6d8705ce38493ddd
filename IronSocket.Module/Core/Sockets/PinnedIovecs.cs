using System.Buffers;

namespace IronSocket.Core;

/// <summary>
/// sendmsg/recvmsg's data buffers pinned and described as a C iovec array, for as long as this lives: the kernel
/// reads or fills the managed memory in place.
/// </summary>
internal sealed unsafe class PinnedIovecs : IDisposable
{
    private readonly MemoryHandle[] pins;
    private readonly iovec[] vector;
    private GCHandle pinnedVector;

    public PinnedIovecs(int count, Func<int, ReadOnlyMemory<byte>> buffer)
    {
        pins = new MemoryHandle[count];
        vector = new iovec[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                var b = buffer(i);
                pins[i] = b.Pin();
                vector[i].iov_base = pins[i].Pointer;
                vector[i].iov_len = (nuint)b.Length;
            }
            pinnedVector = GCHandle.Alloc(vector, GCHandleType.Pinned);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>msg_iov: the array, or NULL for no buffers.</summary>
    public iovec* Vector => vector.Length == 0 ? null : (iovec*)pinnedVector.AddrOfPinnedObject();

    /// <summary>msg_iovlen.</summary>
    public nuint Count => (nuint)vector.Length;

    public void Dispose()
    {
        if (pinnedVector.IsAllocated) pinnedVector.Free();
        foreach (var pin in pins) pin.Dispose();
    }
}
