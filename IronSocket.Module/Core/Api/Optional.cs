namespace IronSocket.Core.Api;

/// <summary>An optional argument whose absence differs from every value it can take (getservbyname's protocolname).</summary>
public readonly struct Optional<T>(T value)
{
    public bool Given { get; } = true;
    public T Value { get; } = value;

    public T Or(T fallback) => Given ? Value : fallback;
}
