#!/usr/bin/env python3
"""Each way a user loads IronSocket.dll into an IronPython folder (any runtime), checked for real:

    python3.11 stdlib-compat/loading_ways.py --ipy DIR --dll IronSocket.dll

  DLLs/            the dll copied into the DLLs/ folder of a copy of DIR (ipy loads DLLs/ at start-up)
  FileAndPath      clr.AddReferenceToFileAndPath(path)
  sys.path         sys.path.append(folder); clr.AddReference('IronSocket')
  path             clr.AddReference(path): IronPython hands the string to Assembly.Load, which only some runtimes
                   accept for a path; checked to behave exactly as for one of IronPython's own assemblies
(ScriptRuntime.LoadAssembly, the embedding way, is samples/EmbeddingSample.)
Each loads the module, checks `_socket` is ours and echoes over a socketpair. Prints one line per way and ends
with `N passed, N failed, N skipped`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import ironpython  # noqa: E402

CHECK = """
import _socket, socket
assert 'IronSocket' in _socket.__doc__, _socket.__doc__
a, b = socket.socketpair()
a.sendall(b'ping')
assert b.recv(4) == b'ping'
a.close(); b.close()
print('OURS')
"""


def run(argv, code, cwd):
    p = subprocess.run(argv + ["-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd,
                       universal_newlines=True, timeout=120)
    return p.returncode, p.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipy", required=True, help="IronPython folder")
    ap.add_argument("--dll", required=True, help="IronSocket.dll (with the IronPython binding)")
    a = ap.parse_args()
    folder, dll = os.path.abspath(a.ipy), os.path.abspath(a.dll)
    ipy = ironpython.command(folder)
    work = tempfile.mkdtemp(prefix="ironsocket-loading-")
    results = []
    try:
        # DLLs/: a copy of the folder (lib/ linked, not copied) whose DLLs/ also holds our assembly.
        copy = os.path.join(work, "ipy")
        shutil.copytree(folder, copy, symlinks=True, ignore=lambda d, names: ["lib"] if d == folder else [])
        os.symlink(os.path.join(folder, "lib"), os.path.join(copy, "lib"))
        os.makedirs(os.path.join(copy, "DLLs"), exist_ok=True)
        shutil.copy(dll, os.path.join(copy, "DLLs", "IronSocket.dll"))
        code, out = run(ironpython.command(copy), CHECK, work)
        results.append(("DLLs/", code == 0 and "OURS" in out.splitlines(), out))

        code, out = run(ipy, "import clr; clr.AddReferenceToFileAndPath(%r)\n" % dll + CHECK, work)
        results.append(("FileAndPath", code == 0 and "OURS" in out.splitlines(), out))

        code, out = run(ipy, "import clr, sys; sys.path.append(%r); clr.AddReference('IronSocket')\n"
                        % os.path.dirname(dll) + CHECK, work)
        results.append(("sys.path", code == 0 and "OURS" in out.splitlines(), out))

        # clr.AddReference(path): ours must do what one of IronPython's own assemblies does by path.
        theirs = os.path.join(folder, "Microsoft.Scripting.Metadata.dll")
        probe = "import clr\ntry:\n    clr.AddReference(%r)\n    print('LOADED')\nexcept Exception as e:\n    print('REFUSED', e)\n"
        _, reference = run(ipy, probe % theirs, work)
        code, out = run(ipy, probe % dll, work)
        same = out.split(" ", 1)[0] == reference.split(" ", 1)[0]
        if reference.startswith("LOADED"):
            code, out = run(ipy, "import clr; clr.AddReference(%r)\n" % dll + CHECK, work)
            results.append(("path", same and code == 0 and "OURS" in out.splitlines(), out))
        else:
            results.append(("path (refused by this IronPython for any assembly: %s)" % reference[7:], same, out))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("IronPython: %s (%s)" % (folder, ironpython.runtime_label(folder)))
    for name, ok, out in results:
        print("  %-6s %s%s" % ("ok" if ok else "FAILED", name, "" if ok else "\n" + out[-2000:]))
    passed = sum(1 for _, ok, _ in results if ok)
    print("%d passed, %d failed, 0 skipped" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
