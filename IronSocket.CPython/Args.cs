namespace IronSocket.CPython;

/// <summary>
/// Argument-count and keyword checks with CPython 3.11's messages (PyArg_ParseTuple for positional-only
/// methods; PyArg_ParseTupleAndKeywords / Argument Clinic for the few that take keywords).
/// </summary>
internal static unsafe class Args
{
    /// <summary>
    /// A METH_VARARGS module function of CPython's, which ours declares METH_FASTCALL | METH_KEYWORDS to skip the
    /// argument tuple: CPython's call rejects any keyword before the function runs, naming it by its bare name
    /// ("inet_aton() takes no keyword arguments", where a FASTCALL function's message would say "_socket.inet_aton()").
    /// Then the count check below.
    /// </summary>
    public static void Count(string fname, nint nargs, nint kwnames, int min, int max)
    {
        if (kwnames != 0 && Py.TupleSize(kwnames) != 0) throw Errors.TypeError($"{fname}() takes no keyword arguments");
        Count(fname, nargs, min, max);
    }

    /// <summary>PyArg_ParseTuple's count check: "recv() takes at least 1 argument (0 given)".</summary>
    public static void Count(string fname, nint nargs, int min, int max)
    {
        if (nargs >= min && nargs <= max) return;
        string how = min == max ? "exactly" : nargs < min ? "at least" : "at most";
        int bound = nargs < min ? min : max;
        throw Errors.TypeError($"{fname}() takes {how} {bound} argument{(bound == 1 ? "" : "s")} ({nargs} given)");
    }

    /// <summary>
    /// What vgetargskeywords reports only after every argument was converted: a keyword naming an argument also
    /// given by position, then a keyword that is not a string or names no argument. Call <see cref="Check"/> after
    /// converting the arguments, before acting on them.
    /// </summary>
    public readonly struct LateKeywordErrors(string? byNameAndPosition, string? invalid)
    {
        public void Check()
        {
            if (byNameAndPosition != null) throw Errors.TypeError(byNameAndPosition);
            if (invalid != null) throw Errors.TypeError(invalid);
        }
    }

    /// <summary>
    /// Vectorcall arguments (positional, then values named by the kwnames tuple) matched against
    /// <paramref name="names"/>; the first <paramref name="required"/> are required. Unfilled slots stay 0.
    /// As PyArg_ParseTupleAndKeywords: the count, then a missing required argument, fail here; the keyword errors
    /// it finds after converting come back to be checked by the caller at that point.
    /// </summary>
    public static LateKeywordErrors Keywords(string fname, nint* args, nint nargs, nint kwnames, string[] names, int required, Span<nint> slots,
        int positionalMax = -1)
    {
        if (positionalMax >= 0) CheckPositional(fname, nargs, required, positionalMax);
        if (kwnames == 0 && nargs >= required && nargs <= names.Length)
        {   // the usual call, all positional and enough of them: nothing can fail
            for (int i = 0; i < nargs; i++) slots[i] = args[i];
            return default;
        }
        nint nkw = kwnames == 0 ? 0 : Py.TupleSize(kwnames);
        CheckTotal(fname, nargs, nkw, names);
        for (int i = 0; i < nargs; i++) slots[i] = args[i];
        string? both = null, invalid = null;
        for (int k = 0; k < nkw; k++) Place(fname, nargs, Py.TupleGetItem(kwnames, k), args[nargs + k], names, slots, ref both, ref invalid);
        CheckRequired(fname, names, required, slots);
        return new LateKeywordErrors(both, invalid);
    }

    /// <summary>The same matching for tp_init's (args tuple, kwargs dict) calling convention.</summary>
    public static LateKeywordErrors Keywords(string fname, nint tuple, nint dict, string[] names, int required, Span<nint> slots,
        int positionalMax = -1)
    {
        nint nargs = Py.TupleSize(tuple);
        if (positionalMax >= 0) CheckPositional(fname, nargs, required, positionalMax);
        nint nkw = 0, pos = 0, key, value;
        if (dict != 0) while (Py.DictNext(dict, &pos, &key, &value) != 0) nkw++;
        CheckTotal(fname, nargs, nkw, names);
        for (int i = 0; i < nargs; i++) slots[i] = Py.TupleGetItem(tuple, i);
        string? both = null, invalid = null;
        pos = 0;
        if (dict != 0) while (Py.DictNext(dict, &pos, &key, &value) != 0) Place(fname, nargs, key, value, names, slots, ref both, ref invalid);
        CheckRequired(fname, names, required, slots);
        return new LateKeywordErrors(both, invalid);
    }

    /// <summary>Argument Clinic's limit before keyword-only parameters: "f() takes at most 3 positional arguments (4 given)".</summary>
    private static void CheckPositional(string fname, nint nargs, int required, int positionalMax)
    {
        if (nargs <= positionalMax) return;
        string how = required < positionalMax ? "at most" : "exactly";
        throw Errors.TypeError($"{fname}() takes {how} {positionalMax} positional argument{(positionalMax == 1 ? "" : "s")} ({nargs} given)");
    }

    private static void CheckTotal(string fname, nint nargs, nint nkw, string[] names)
    {
        if (nargs + nkw > names.Length)
            throw Errors.TypeError($"{fname}() takes at most {names.Length} {(nargs == 0 ? "keyword " : "")}argument{(names.Length == 1 ? "" : "s")} ({nargs + nkw} given)");
    }

    private static void Place(string fname, nint nargs, nint key, nint value, string[] names, Span<nint> slots, ref string? both, ref string? invalid)
    {
        if ((Py.TypeFlags(Py.TypeOf(key)) & PyLayout.TpFlagsUnicodeSubclass) == 0)
        {
            invalid ??= "keywords must be strings";
            return;
        }
        string name = Values.StringFromPy(key);
        int index = Array.IndexOf(names, name);
        if (index < 0)
            invalid ??= $"'{name}' is an invalid keyword argument for {fname}()";
        else if (index < nargs)
            both ??= $"argument for {fname}() given by name ('{name}') and position ({index + 1})";
        else
            slots[index] = value;
    }

    private static void CheckRequired(string fname, string[] names, int required, Span<nint> slots)
    {
        for (int i = 0; i < required; i++)
            if (slots[i] == 0) throw Errors.TypeError($"{fname}() missing required argument '{names[i]}' (pos {i + 1})");
    }

    /// <summary>Argument Clinic's positional count check (_PyArg_CheckPositional): "select expected at least 3 arguments, got 2".</summary>
    public static void Clinic(string fname, nint nargs, int min, int max)
    {
        if (nargs >= min && nargs <= max) return;
        string how = min == max ? "" : nargs < min ? "at least " : "at most ";
        int bound = nargs < min ? min : max;
        throw Errors.TypeError($"{fname} expected {how}{bound} argument{(bound == 1 ? "" : "s")}, got {nargs}");
    }
}
