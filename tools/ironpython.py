#!/usr/bin/env python3
"""How to run the IronPython in a folder, whatever it was built for (one place, used by the conformance runner,
the benchmarks and build.cake).

    python3 tools/ironpython.py DIR --command     the argv prefix that runs its ipy, as JSON
    python3 tools/ironpython.py DIR --framework   the target framework to build against it: net462, net8.0, net10.0

A folder is IronPython's own build layout or a flat one; either way it holds IronPython.dll and one of:
  ipy.exe without ipy.dll        .NET Framework 4.6.2 build: run on Mono (`mono ipy.exe`)
  ipy.dll + self-contained host  a self-contained .NET build: its own `ipy` apphost (no shared runtime needed)
  ipy.dll                        a framework-dependent .NET build: `dotnet ipy.dll`
"""
import json
import os
import sys


def _runtimeconfig(folder):
    path = os.path.join(folder, "ipy.runtimeconfig.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("runtimeOptions", {})


def framework(folder):
    """The target framework the folder's IronPython.dll was built for."""
    config = _runtimeconfig(folder)
    if config is None:
        if os.path.isfile(os.path.join(folder, "ipy.exe")):
            return "net462"
        raise SystemExit("%s: neither ipy.dll (with ipy.runtimeconfig.json) nor ipy.exe" % folder)
    return config["tfm"]


def is_self_contained(folder):
    config = _runtimeconfig(folder) or {}
    return "includedFrameworks" in config


def command(folder):
    """argv prefix that starts this folder's ipy."""
    folder = os.path.abspath(folder)
    fw = framework(folder)
    if fw == "net462":
        return ["mono", os.path.join(folder, "ipy.exe")]
    if is_self_contained(folder):
        return [os.path.join(folder, "ipy")]
    return ["dotnet", os.path.join(folder, "ipy.dll")]


def runtime_label(folder):
    """A short name for the runtime the folder runs on: 'Mono', '.NET 8', '.NET 10'."""
    fw = framework(folder)
    return "Mono" if fw == "net462" else ".NET " + fw[3:].split(".")[0]


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("--command", "--framework", "--label"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    folder, what = sys.argv[1], sys.argv[2]
    if what == "--command":
        print(json.dumps(command(folder)))
    elif what == "--framework":
        print(framework(folder))
    else:
        print(runtime_label(folder))
