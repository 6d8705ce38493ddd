namespace IronSocket.Core.Tls;

/// <summary>
/// `_ssl.SSLSession`: a TLS session of a connection made with <see cref="Context"/>, which a later client connection
/// of the same context can resume. Equal when the session ids are (CPython's richcompare: == and != only); not
/// hashable in Python (CPython's has no tp_hash). No Python constructor: sessions come from connections.
/// </summary>
[PyType("_ssl", "SSLSession")]
public sealed class TlsSession : IEquatable<TlsSession>, IDisposable
{
    internal ITlsSavedSession Saved { get; }
    /// <summary>The context whose connection made it (only its connections may resume it).</summary>
    public TlsContext Context { get; }

    internal TlsSession(ITlsSavedSession saved, TlsContext context)
    {
        Saved = saved;
        Context = context;
    }

    /// <summary>time: when it was made (seconds since the epoch).</summary>
    [PyProperty("time", Doc = "When the session was made, in seconds since the epoch.")]
    public long Time => Saved.Time;
    /// <summary>timeout: its lifetime in seconds.</summary>
    [PyProperty("timeout", Doc = "How long the session lives, in seconds.")]
    public long Timeout => Saved.Timeout;
    /// <summary>ticket_lifetime_hint: the server's hint for the ticket's lifetime, in seconds.</summary>
    [PyProperty("ticket_lifetime_hint", Doc = "The server's hint for the ticket's lifetime, in seconds.")]
    public long TicketLifetimeHint => Saved.TicketLifetimeHint;
    /// <summary>id: the session id (bytes).</summary>
    [PyProperty("id", Doc = "The session id (bytes).")]
    public byte[] Id => Saved.Id;
    /// <summary>has_ticket: the session has a ticket from the server.</summary>
    [PyProperty("has_ticket", Doc = "Whether the server gave the session a ticket.")]
    public bool HasTicket => Saved.HasTicket;

    public bool Equals(TlsSession? other) =>
        other is not null && (ReferenceEquals(this, other) || Id.AsSpan().SequenceEqual(other.Id));

    public override bool Equals(object? obj) => obj is TlsSession s && Equals(s);

    public override int GetHashCode()
    {
        int h = 17;
        foreach (byte b in Id) h = h * 31 + b;
        return h;
    }

    /// <summary>Drops this reference to the session (connections resuming it keep their own).</summary>
    public void Dispose() => Saved.Dispose();
}
