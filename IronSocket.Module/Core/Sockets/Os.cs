namespace IronSocket.Core;

/// <summary>The platform this process runs on, chosen once at start-up (see <see cref="SocketPal.Current"/>).</summary>
internal static class Os
{
    internal static readonly SocketPal Pal = SocketPal.Current;

    /// <summary>The platform's C constants (<see cref="SocketPal.C"/>), read once: classes alias it with a static
    /// property rather than a static field of their own, which would give them a class constructor to check.</summary>
    internal static readonly CoreConstants C = Pal.C;
}
