#if NETFRAMEWORK
namespace System.Runtime.CompilerServices
{
    /// <summary>What the compiler calls for array[a..b] (.NET Core 3+ has it in the runtime).</summary>
    internal static class RuntimeHelpers
    {
        public static T[] GetSubArray<T>(T[] array, Range range)
        {
            var (offset, length) = range.GetOffsetAndLength(array.Length);
            var result = new T[length];
            Array.Copy(array, offset, result, 0, length);
            return result;
        }
    }
}
#endif
