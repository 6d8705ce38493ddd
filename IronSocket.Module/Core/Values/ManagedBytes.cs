namespace IronSocket.Core;

/// <summary>
/// <see cref="IBytesHost.NewBytes"/> over managed arrays, for hosts whose bytes objects wrap a byte[] (IronPython,
/// and the core on its own): pinned while the core fills it, then held by a normal GCHandle until taken.
/// </summary>
public static unsafe class ManagedBytes
{
    /// <summary>The bytes host of the current host: its own (<see cref="IBytesHost"/>), else managed arrays.</summary>
    public static IBytesHost Of(ISocketHost host) => host as IBytesHost ?? Arrays;

    private static readonly IBytesHost Arrays = new ArrayBytes();

    private sealed class ArrayBytes : IBytesHost
    {
        public nint NewBytes(long size, out byte* data) => New(size, out data);
        public HostBytes FinishBytes(nint handle, long length) => Finish(handle, length);
        public void DropBytes(nint handle) => Drop(handle);
    }

    public static nint New(long size, out byte* data)
    {
        var handle = GCHandle.Alloc(new byte[size], GCHandleType.Pinned);
        data = (byte*)handle.AddrOfPinnedObject();
        return GCHandle.ToIntPtr(handle);
    }

    public static HostBytes Finish(nint handle, long length)
    {
        var pinned = GCHandle.FromIntPtr(handle);
        var array = (byte[])pinned.Target!;
        pinned.Free();
        if (length != array.Length) array = array.AsSpan(0, (int)length).ToArray();
        return new HostBytes(GCHandle.ToIntPtr(GCHandle.Alloc(array)));
    }

    public static void Drop(nint handle) => GCHandle.FromIntPtr(handle).Free();

    /// <summary>The finished array (its handle is freed: take it once).</summary>
    public static byte[] Take(HostBytes bytes)
    {
        var held = GCHandle.FromIntPtr(bytes.Handle);
        var array = (byte[])held.Target!;
        held.Free();
        return array;
    }
}
