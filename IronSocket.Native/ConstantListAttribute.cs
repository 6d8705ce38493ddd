namespace IronSocket.Native;

/// <summary>
/// Marks a static partial class whose integer consts are kept in a list: the section <c>[ClassName]</c> of
/// <paramref name="file"/>, a text file next to it (an AdditionalFile of IronSocket.Module), one const a line.
/// tools/Generators/ConstantTableGenerator.cs declares them in the class, so each value is written down once, as plain data.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ConstantListAttribute(string file) : Attribute
{
    public string File { get; } = file;

    /// <summary>Also generate <c>All</c>: every const as (name, value), sorted by name (ordinal, as dir() sorts).</summary>
    public bool Table { get; set; }
}
