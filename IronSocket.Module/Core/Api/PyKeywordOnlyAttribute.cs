namespace IronSocket.Core.Api;

/// <summary>On a parameter of a <see cref="PyMethodAttribute"/> method: keyword-only (after Argument Clinic's '*').</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PyKeywordOnlyAttribute : Attribute;
