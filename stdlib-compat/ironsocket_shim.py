"""Load IronSocket's NativeAOT ``_socket`` (and ``select``) instead of CPython's own.

Debian's python3.11 has ``_socket`` built into the interpreter, so a plain
``sys.path`` entry cannot shadow it: ``BuiltinImporter`` sits in
``sys.meta_path`` before ``PathFinder``.  ``install()`` puts a finder *first*
in ``sys.meta_path`` that answers for ``_socket`` (and, with
``modules=("_socket", "select")``, for ``select`` too: the one .so exports
both ``PyInit__socket`` and ``PyInit_select``) with an ``ExtensionFileLoader``
for our .so.  It must run before ``socket`` (or ``select``, or anything
importing them, e.g. ``selectors``/``subprocess``) is imported.

``modules=TLS_MODULES`` also serves ``_ssl`` (``PyInit__ssl``, for the TLS
suites of run_cpython.py).  Debian's ``_ssl`` is not built in but a
lib-dynload extension; the finder comes first, so it is shadowed the same way.

Usage::

    import sys; sys.path.insert(0, "/path/to/stdlib-compat")
    import ironsocket_shim
    ironsocket_shim.install()            # or install("/path/to/_socket.so")
    import socket                        # now backed by IronSocket
    print(ironsocket_shim.loaded_socket_file())

or as a launcher (runs a script / module with the shim active)::

    python3.11 stdlib-compat/ironsocket_shim.py [--so PATH] script.py args...
    python3.11 stdlib-compat/ironsocket_shim.py [--so PATH] -m module args...
    python3.11 stdlib-compat/ironsocket_shim.py [--so PATH] -c "code" args...
    python3.11 stdlib-compat/ironsocket_shim.py [--so PATH] --which
    python3.11 stdlib-compat/ironsocket_shim.py --select ...   # also our select
    python3.11 stdlib-compat/ironsocket_shim.py --tls ...      # our select and _ssl too

The .so path comes from the argument, else ``$IRONSOCKET_CPYTHON_SO``, else
the first existing default build output (see ``DEFAULT_CANDIDATES``).
"""

import glob
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

__all__ = ["install", "uninstall", "resolve_so_path", "loaded_socket_file",
           "loaded_module_file", "ENV_VAR", "MODULES", "TLS_MODULES"]

ENV_VAR = "IRONSOCKET_CPYTHON_SO"

# The modules our .so provides (one PyInit_<name> export each), and with them
# `_ssl`, which only the TLS suites ask for until the .so exports it.
MODULES = ("_socket", "select")
TLS_MODULES = MODULES + ("_ssl",)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Where the NativeAOT publish of IronSocket.CPython lands (build.cake's
# PublishCPython target writes artifacts/cpython/IronSocket.CPython.so), in
# order of preference; globs are relative to the repository root.
DEFAULT_CANDIDATES = (
    "artifacts/cpython/IronSocket.CPython.so",
    "artifacts/cpython/_socket*.so",
    "artifacts/cpython/*.so",
    "IronSocket.CPython/bin/Release/net*/linux-x64/publish/*.so",
)


def resolve_so_path(so_path=None):
    """Return the absolute .so path to use (argument > env var > defaults).

    Returns the first default candidate pattern (unexpanded) if nothing
    exists, so error messages can say where we looked.
    """
    if so_path:
        return os.path.abspath(so_path)
    env = os.environ.get(ENV_VAR)
    if env:
        return os.path.abspath(env)
    for pattern in DEFAULT_CANDIDATES:
        hits = sorted(glob.glob(os.path.join(REPO_ROOT, pattern)))
        if hits:
            return os.path.abspath(hits[0])
    return os.path.join(REPO_ROOT, DEFAULT_CANDIDATES[0])


class IronSocketFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder that serves ``_socket`` (and optionally ``select``)
    from a given extension file."""

    def __init__(self, so_path, modules=("_socket",)):
        self.so_path = so_path
        self.modules = tuple(modules)

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.modules:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, self.so_path)
        return importlib.util.spec_from_file_location(
            fullname, self.so_path, loader=loader)

    def __repr__(self):
        return "IronSocketFinder(%r, %r)" % (self.so_path, self.modules)


def _installed_finder():
    for f in sys.meta_path:
        if isinstance(f, IronSocketFinder):
            return f
    return None


def install(so_path=None, modules=("_socket",)):
    """Make ``import _socket`` (and each other name in ``modules``, a subset
    of ``MODULES``) load IronSocket's extension. Returns the path.

    Raises FileNotFoundError if the .so is missing and RuntimeError if one of
    the modules has already been imported from elsewhere (too late to switch).
    Idempotent for the same path.
    """
    so_path = resolve_so_path(so_path)
    modules = tuple(modules)
    unknown = [m for m in modules if m not in TLS_MODULES]
    if unknown:
        raise ValueError("IronSocket provides only %s, not %s"
                         % (", ".join(TLS_MODULES), ", ".join(unknown)))
    if not os.path.isfile(so_path):
        raise FileNotFoundError(
            "IronSocket _socket extension not found: %s "
            "(pass a path, set $%s, or build IronSocket.CPython)"
            % (so_path, ENV_VAR))
    pending = []
    for name in modules:
        existing = sys.modules.get(name)
        if existing is None:
            pending.append(name)
            continue
        loaded = getattr(existing, "__file__", None)
        if loaded and os.path.abspath(loaded) == so_path:
            continue
        raise RuntimeError(
            "%s is already imported from %s; ironsocket_shim.install() "
            "must run before 'socket'/'select'/'ssl' are imported"
            % (name, loaded or "built-in"))
    finder = _installed_finder()
    if finder is not None:
        sys.meta_path.remove(finder)
        modules = tuple(dict.fromkeys(finder.modules + modules))
    sys.meta_path.insert(0, IronSocketFinder(so_path, modules))
    return so_path


def uninstall():
    """Remove the finder (does not unload an already imported _socket)."""
    finder = _installed_finder()
    if finder is not None:
        sys.meta_path.remove(finder)


def loaded_module_file(name):
    """File of the module ``name`` in use: its path, "built-in", or None."""
    mod = sys.modules.get(name)
    if mod is None:
        return None
    f = getattr(mod, "__file__", None)
    if f:
        return os.path.abspath(f)
    if getattr(getattr(mod, "__spec__", None), "origin", None) == "built-in":
        return "built-in"
    return "built-in" if name in sys.builtin_module_names else repr(mod)


def loaded_socket_file():
    """File of the ``_socket`` in use: its path, "built-in", or None."""
    return loaded_module_file("_socket")


def _main(argv):
    import runpy
    so = None
    modules = ("_socket",)
    args = list(argv)
    while args:
        if args[:1] == ["--so"] and len(args) >= 2:
            so, args = args[1], args[2:]
        elif args[0].startswith("--so="):
            so, args = args[0][5:], args[1:]
        elif args[0] == "--select":
            modules, args = MODULES, args[1:]
        elif args[0] == "--tls":
            modules, args = TLS_MODULES, args[1:]
        else:
            break
    if not args or args[0] in ("-h", "--help"):
        print("usage: python3.11 ironsocket_shim.py [--so PATH] [--select | --tls] "
              "(script.py | -m module | -c code | --which) [args...]")
        return 0 if args else 2
    path = install(so, modules)
    if args[0] == "--which":
        import importlib
        for name in modules:
            importlib.import_module(name)
            print("%s: %s" % (name, loaded_module_file(name))
                  if len(modules) > 1 else loaded_module_file(name))
        return 0
    if args[0] == "-c" and len(args) >= 2:
        sys.argv = ["-c"] + args[2:]
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})
    elif args[0] == "-m" and len(args) >= 2:
        sys.argv = [args[1]] + args[2:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
