"""Put IronSocket's `_socket` and `select` in place of the interpreter's own, before anything imports `socket`.

    CPython 3.11:  --so PATH    IronSocket's NativeAOT extension (shadows the built-in modules)
    IronPython:    --dll PATH   IronSocket.dll, loaded by file (not needed when it sits in IronPython's DLLs/)

Each sample imports this module first. Plain Python 3.4, so that IronPython runs it too.
"""
import os
import sys


def _option(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


if _option("--so"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stdlib-compat"))
    import ironsocket_shim
    ironsocket_shim.install(_option("--so"), modules=ironsocket_shim.MODULES)

if _option("--dll"):
    import clr
    clr.AddReferenceToFileAndPath(os.path.abspath(_option("--dll")))


def describe():
    """One line naming the `_socket` in use: IronSocket's (and from where) or the interpreter's own."""
    import _socket
    first_line = (_socket.__doc__ or "").strip().splitlines()[0] if _socket.__doc__ else ""
    where = getattr(_socket, "__file__", None)
    if "IronSocket" in first_line or (where and "IronSocket" in where):
        return "IronSocket's _socket and select" + (" (%s)" % where if where else "")
    return "the interpreter's own _socket (IronSocket is not loaded)"
