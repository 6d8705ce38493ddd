namespace IronSocket.Core;

/// <summary>
/// The three sequence arguments of select(), as the host sees them. The core drives them in CPython's order
/// (seq2set in Modules/selectmodule.c): the timeout is checked first; then each argument in turn is opened
/// (PySequence_Fast) and walked with its length read again before every item, because an item's fileno() may
/// change the sequence (a list is walked live, not copied: test_select.test_select_mutated).
/// </summary>
public abstract class SelectArguments<T>
{
    /// <summary>PySequence_Fast of argument <paramref name="which"/> (0 rlist, 1 wlist, 2 xlist): a list or tuple is
    /// used as it is, any other iterable is copied; not iterable → <see cref="NotASequence"/>.</summary>
    public abstract void Open(int which);

    /// <summary>The current length of the opened argument.</summary>
    public abstract int Count(int which);

    /// <summary>Item <paramref name="index"/> of the opened argument; the host keeps it alive until the call ends.</summary>
    public abstract T Item(int which, int index);

    /// <summary>PyObject_AsFileDescriptor's host half: the int itself, or the result of the item's fileno(),
    /// handed to <see cref="Select.FileDescriptor"/>.</summary>
    public abstract int FileDescriptor(T item);

    public static PyTypeError NotASequence() => new("arguments 1-3 must be sequences");
}

public static class SelectRun
{
    /// <summary>select(rlist, wlist, xlist[, timeout]) → the ready items of each argument, in argument order.</summary>
    public static (List<T> Read, List<T> Write, List<T> Except) Run<T>(SelectArguments<T> args, object? timeout)
    {
        long timeoutNs = Select.ParseSeconds(timeout, "timeout must be a float or None", "timeout must be non-negative");
        var items = new List<T>[3];
        var fds = new List<int>[3];
        for (int which = 0; which < 3; which++)
        {
            args.Open(which);
            items[which] = new List<T>();
            fds[which] = new List<int>();
            for (int i = 0; i < args.Count(which); i++)
            {
                T item = args.Item(which, i);
                int fd = args.FileDescriptor(item);
                if (fd >= Select.FdSetSize) throw new PyValueError("filedescriptor out of range in select()");
                if (items[which].Count >= Select.FdSetSize) throw new PyValueError("too many file descriptors in select()");
                items[which].Add(item);
                fds[which].Add(fd);
            }
        }
        var (r, w, x) = Select.SelectFdsNs(fds[0], fds[1], fds[2], timeoutNs);
        List<T> Pick(List<T> source, List<int> indices)
        {
            var result = new List<T>(indices.Count);
            foreach (int i in indices) result.Add(source[i]);
            return result;
        }
        return (Pick(items[0], r), Pick(items[1], w), Pick(items[2], x));
    }
}
