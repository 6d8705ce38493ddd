namespace IronSocket.Native;

/// <summary>
/// Marks a platform's constants class (a static partial class of consts): tools/ConstantTableGenerator adds to it
/// <c>All</c>, its integer consts as (name, value) pairs, so the class is the one place its names are kept.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ConstantTableAttribute : Attribute;
