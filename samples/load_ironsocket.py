"""Put IronSocket's `_socket`, `select` and `_ssl` in place of the interpreter's own, before anything imports `socket`.

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
    ironsocket_shim.install(_option("--so"), modules=ironsocket_shim.TLS_MODULES)   # _socket, select and _ssl

if _option("--dll"):
    import clr
    clr.AddReferenceToFileAndPath(os.path.abspath(_option("--dll")))


def _ours(module):
    first_line = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    where = getattr(module, "__file__", None)
    # IronSocket's IronPython _ssl says so (IRONSOCKET_UNAVAILABLE is None when it is in use)
    if getattr(module, "IRONSOCKET_UNAVAILABLE", "absent") is None:
        return True
    return "IronSocket" in first_line or bool(where and "IronSocket" in where)


def describe():
    """One line naming the `_socket` (and `_ssl`, once imported) in use: IronSocket's (and from where) or the interpreter's own."""
    import _socket
    if not _ours(_socket):
        return "the interpreter's own _socket (IronSocket is not loaded)"
    where = getattr(_socket, "__file__", None)
    ssl_module = sys.modules.get("_ssl")
    names = "_socket, select and _ssl" if ssl_module is not None and _ours(ssl_module) else "_socket and select"
    return "IronSocket's %s" % names + (" (%s)" % where if where else "")
