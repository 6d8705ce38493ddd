#!/usr/bin/env python3
"""The twelve everyday TLS tasks (stdlib-compat/tls_tasks.py) under each IronPython with IronSocket.dll loaded:

    python3.11 stdlib-compat/run_tls_tasks.py --ipy DIR [--ipy DIR ...] --dll IronSocket.dll [--builtin] [--cpython]

Makes a test CA, a localhost certificate signed by it and its key in a file of its own (the openssl command), then
runs the tasks under each IronPython (--builtin: also without our dll, IronPython's own _ssl; --cpython: also under
the CPython running this, its own _ssl). One line per run: `<runtime>: N passed, N failed`; exit code 1 if a run
with IronSocket failed any task.
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

TASKS = os.path.join(HERE, "tls_tasks.py")


def make_certificates(folder):
    def openssl(*args):
        subprocess.run(["openssl"] + list(args), check=True, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=IronSocket test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    with open(os.path.join(folder, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "san.ext")


def run(label, argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    print("--- %s" % label)
    print(p.stdout.rstrip())
    last = [l for l in p.stdout.splitlines() if l.endswith(" failed")]
    return last[-1] if last else "no result (exit code %d)" % p.returncode, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipy", action="append", default=[], help="IronPython folder (repeatable)")
    ap.add_argument("--dll", help="IronSocket.dll with the IronPython binding")
    ap.add_argument("--builtin", action="store_true", help="also run each IronPython with its own _ssl")
    ap.add_argument("--cpython", action="store_true", help="also run under this CPython with its own _ssl")
    a = ap.parse_args()
    certs = tempfile.mkdtemp(prefix="ironsocket-tls-tasks-")
    summary, failed = [], False
    try:
        make_certificates(certs)
        if a.cpython:
            line, _ = run("CPython %s, its own _ssl" % sys.version.split()[0], [sys.executable, TASKS, "--certs", certs])
            summary.append("CPython %s (its own _ssl): %s" % (sys.version.split()[0], line))
        for folder in a.ipy:
            label = ironpython.runtime_label(folder)
            argv = ironpython.command(folder) + [TASKS, "--certs", certs]
            if a.dll:
                line, code = run("IronPython on %s, IronSocket" % label, argv + ["--dll", os.path.abspath(a.dll)])
                summary.append("IronPython %s (IronSocket's _ssl): %s" % (label, line))
                failed |= code != 0
            if a.builtin:
                line, _ = run("IronPython on %s, its own _ssl" % label, argv)
                summary.append("IronPython %s (its own _ssl): %s" % (label, line))
    finally:
        shutil.rmtree(certs, ignore_errors=True)
    print("\n".join(["", "TLS tasks:"] + ["  " + s for s in summary]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
