// The one list of Linux's names is SocketConstants.txt, made once from /usr/bin/python3.11's (Debian, Linux x86_64)
// `_socket` integer constants: the consts and the (name, value) table the module registers, All, are generated from it
// at build time (tools/Generators/ConstantTableGenerator.cs). Proved against the system C headers (and CPython where a header is
// absent) by IronSocket.Tests/Native/ConstantsProofTests, and against CPython's own `_socket` by SocketConstantsTableTests.

namespace IronSocket.Native.Linux;

/// <summary>
/// Every integer constant of CPython 3.11's `_socket` on Linux, under its Python name (which is the C macro name except
/// the CAN_BCM_* ones, whose C names lack the prefix). int unless the value needs uint (unsigned C constants).
/// <c>All</c> lists them all (generated); Linux's own code uses the fields directly.
/// </summary>
[ConstantList("SocketConstants.txt", Table = true)]
public static partial class SocketConstants;
