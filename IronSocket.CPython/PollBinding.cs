namespace IronSocket.CPython;

/// <summary>select.poll's methods, generated from <see cref="PollObject"/>'s description; the type is built in <see cref="SelectModule"/>.</summary>
[PyBinding(typeof(PollObject))]
internal static unsafe partial class PollBinding
{
    private static PollObject CoreOf(nint self) => SelectModule.CoreOf<PollObject>(self)!;
}
