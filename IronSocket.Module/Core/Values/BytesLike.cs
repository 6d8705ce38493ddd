namespace IronSocket.Core;

/// <summary>A buffer-exporting object other than bytes (bytearray, memoryview, array.array …), copied.</summary>
public sealed record BytesLike(string TypeName, byte[] Bytes);
