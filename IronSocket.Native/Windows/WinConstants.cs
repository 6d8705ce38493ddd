// Winsock/Win32 C constants the socket layers use internally on Windows that are not `_socket` attributes (those are
// in WindowsSocketConstants). The classes are declared here, their values listed in WinConstants.txt
// (tools/Generators/ConstantTableGenerator.cs makes them consts). Values are the same on win-x64 and win-arm64. Every const is
// proved against the mingw-w64 headers by IronSocket.Tests/Native/WindowsConstantsProofTests (a C program built with
// x86_64-w64-mingw32-gcc and run under Wine) and, for arm64, WindowsCompiledProofTests (the same values compiled by
// clang for aarch64-w64-windows-gnu); a const whose C spelling is not its name carries [CExpression] (the list's C:).

namespace IronSocket.Native.Windows;

/// <summary>The C expression the proof program prints for a constant, when it is not the constant's own name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Struct)]
public sealed class CExpressionAttribute(string expression) : Attribute
{
    public string Expression { get; } = expression;
}

/// <summary>Winsock error codes (winerror.h / winsock2.h): what WSAGetLastError returns.</summary>
[ConstantList("WinConstants.txt")]
public static partial class WsaError;

/// <summary>Winsock, iphlpapi and kernel32 constants for the calls in <see cref="Ws2_32"/>.</summary>
[ConstantList("WinConstants.txt")]
public static partial class Winsock;
