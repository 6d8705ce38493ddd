"""The ours-against-others tables the benchmark and stress scripts print (benchmarks/run.py, benchmarks/contention.py,
stdlib-compat/stress_shared.py): one renderer, plain text or Markdown, and one way to write a rate."""


def fmt_value(v):
    """A rate in at most three significant digits, with k or M past 10,000; "-" for none."""
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1e6:
        return "%.3gM" % (v / 1e6)
    if a >= 1e4:
        return "%.3gk" % (v / 1e3)
    if a >= 100:
        return "%.0f" % v
    return "%.3g" % v


def render(rows, headers, markdown):
    """rows (lists of strings) under headers as one string: the first two columns (names) left-aligned, the others
    (numbers) right-aligned."""
    if markdown:
        out = ["| " + " | ".join(headers) + " |",
               "|" + "|".join("---" if i < 2 else "---:" for i in range(len(headers))) + "|"]
        for r in rows:
            out.append("| " + " | ".join(r) + " |")
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i])
                         for i, c in enumerate(cells))
    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)
