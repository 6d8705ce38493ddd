"""Test outcomes and the expectation files that list them, shared by run_cpython.py and run_ironpython.py.

An expectation line is `<test id or TestCase class>  <outcome>[|<outcome>...]  # <reason>`; a class line covers all
its tests and a test line overrides it. An id may end in @<framework> (e.g. @net462): the line then applies only when
that framework is asked for, over any plain line for the same id (outcomes that differ between runtimes).

Imported by run_ironpython.py's worker too, under IronPython 3.4: Python 3.4 syntax.
"""

import os
import re

# Outcomes a test can end with. "hang" and "crash" are the runner's own:
# the watchdog fired / the worker process died while the test was running.
OUTCOMES = ("passed", "failed", "error", "skipped", "expected-failure",
            "unexpected-success", "hang", "crash")
# Outcomes an expectation line may name ("exclude": do not run at all).
EXPECTABLE = OUTCOMES + ("exclude",)
# When one test reports several things (subtests, cleanups), the worst wins.
SEVERITY = dict((o, i) for i, o in enumerate(
    ("passed", "skipped", "expected-failure", "unexpected-success",
     "failed", "error", "hang", "crash")))

HERE = os.path.dirname(os.path.abspath(__file__))


def class_of(sid):
    """The TestCase class of a test id (or of a Class.<fixture> name)."""
    return sid.rsplit(".", 1)[0] if "." in sid else sid


class Expectation:
    __slots__ = ("key", "outcomes", "reason", "source", "lineno")

    def __init__(self, key, outcomes, reason, source, lineno):
        self.key, self.outcomes, self.reason = key, outcomes, reason
        self.source, self.lineno = source, lineno

    def where(self):
        src = os.path.abspath(self.source)
        if src.startswith(HERE + os.sep):
            src = os.path.relpath(src, HERE)
        return "%s:%d" % (src, self.lineno)


_LINE = re.compile(r"^(\S+)\s+(\S+)\s*(?:#\s*(.*))?$")


def load_expectations(path, short_id, require=True, framework=None):
    """{short id: Expectation} of the file at path (short_id: a test id as the runner names it); every line that
    cannot be used is reported at once. framework: which @<framework> lines apply (none without it)."""
    entries = {}
    specific = {}
    first = {}   # (short id, framework or "") -> the line it first stood on
    if not os.path.exists(path):
        if require:
            raise SystemExit("expectations file not found: %s" % path)
        return entries
    errors = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = _LINE.match(line)
            if not m:
                errors.append("%s:%d: cannot parse: %s" % (path, n, line))
                continue
            test_id, _, only = m.group(1).partition("@")
            key, outs, reason = short_id(test_id), m.group(2), m.group(3)
            outcomes = frozenset(outs.split("|"))
            bad = [o for o in outcomes if o not in EXPECTABLE]
            if bad:
                errors.append("%s:%d: unknown outcome(s) %s (allowed: %s)"
                              % (path, n, ",".join(bad), " ".join(EXPECTABLE)))
            if "exclude" in outcomes and len(outcomes) > 1:
                errors.append("%s:%d: 'exclude' cannot be combined" % (path, n))
            if not reason:
                errors.append("%s:%d: a reason ('# ...') is required"
                              % (path, n))
            if (key, only) in first:
                errors.append("%s:%d: duplicate entry for %s (first at line %d)"
                              % (path, n, m.group(1), first[key, only]))
            first[key, only] = n
            if not only or only == framework:
                (specific if only else entries)[key] = Expectation(key, outcomes, reason or "", path, n)
    if errors:
        raise SystemExit("\n".join(errors))
    entries.update(specific)
    return entries


def lookup(entries, sid):
    """Test-level entry first, then class-level."""
    return entries.get(sid) or entries.get(class_of(sid))
