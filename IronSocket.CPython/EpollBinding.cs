namespace IronSocket.CPython;

/// <summary>select.epoll's methods and constructor arguments, generated from <see cref="EpollObject"/>'s description; the type is built in <see cref="SelectModule"/>.</summary>
[PyBinding(typeof(EpollObject))]
internal static unsafe partial class EpollBinding
{
    /// <summary>The core object; ValueError("I/O operation on closed epoll object") if there is none.</summary>
    private static EpollObject CoreOf(nint self) => SelectModule.Epoll(self);
}
