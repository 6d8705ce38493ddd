namespace IronSocket.Core;

// What a TLS layer (Tls/TlsSocket.cs) needs of the socket it runs over: the socket's own attempt/wait machinery, and
// an fd that stays non-blocking while TLS is attached, so an OpenSSL call never blocks inside the library (its lock
// is held only around calls) and every wait is the socket's poll, which a close from another thread treats as it
// treats a plain recv's.
public sealed partial class SocketObject
{
    /// <summary>While set, the fd is non-blocking whatever the timeout: the TLS layer does the waiting.</summary>
    private volatile bool _tlsKeepsNonBlocking;

    /// <summary>The handle the fd number of a TLS connection belongs to (null once closed or detached).</summary>
    internal NativeSocket? CurrentHandle => Volatile.Read(ref _handle);

    /// <summary>TLS takes over waiting: the fd becomes non-blocking (the timeout, gettimeout() and getblocking() are unchanged).</summary>
    internal void AttachTls()
    {
        _tlsKeepsNonBlocking = true;
        InternalSetBlocking(false);
    }

    /// <summary>TLS is gone (unwrap, close): the fd's mode follows the timeout again.</summary>
    internal void DetachTls()
    {
        _tlsKeepsNonBlocking = false;
        if (!IsClosed)
            InternalSetBlocking(_timeoutNs < 0);
    }

    /// <summary>The socket's wait (poll on Linux, select on Windows): 0 ready or closed, 1 timed out, -1 failed (errno).</summary>
    internal int WaitForTls(bool writing, long intervalNs, out int errno) => InternalSelect(writing, intervalNs, connect: false, out errno);
}
