using System.Text;

namespace IronSocket.CPython;

/// <summary>
/// Turns a managed exception into the Python exception it stands for. Every [UnmanagedCallersOnly] entry point
/// catches everything and returns through here: no managed exception may cross into the interpreter.
/// </summary>
internal static unsafe class Errors
{
    /// <summary>The module's gaierror and herror classes, created at module init.</summary>
    public static nint GaiError, HError;

    /// <summary>Sets the Python exception for <paramref name="e"/>; returns NULL for the caller to return.</summary>
    public static nint Set(Exception e)
    {
        try
        {
            switch (e)
            {
                case HostErrorPending:
                case PythonAlreadySet:
                    if (Py.ErrOccurred() == 0) SetString(Py.ExcSystemError, HostErrorPending.NothingPending);
                    break;
                case PyOSError os:
                    SetObject(Py.ExcOSError, os.Filename is null
                        ? new object?[] { (long)os.Errno, os.StrError }
                        : new object?[] { (long)os.Errno, os.StrError, os.Filename });
                    break;
                case PyOSErrorMessage m: SetString(Py.ExcOSError, m.Message); break;
                case PySocketTimeout t: SetString(Py.ExcTimeoutError, t.Message); break;
                case PyGaiError g: SetObject(GaiError, new object?[] { (long)g.Code, g.Message }); break;
                case PyHError h: SetObject(HError, new object?[] { (long)h.Code, h.Message }); break;
                case PyTypeError: SetString(Py.ExcTypeError, e.Message); break;
                case PyValueError: SetString(Py.ExcValueError, e.Message); break;
                case PyOverflowError: SetString(Py.ExcOverflowError, e.Message); break;
                case PyUnicodeEncodeError u: SetUnicodeEncodeError(u); break;
                case PyUnicodeError: SetString(Py.ExcUnicodeError, e.Message); break;
                case PyNotImplementedError: SetString(Py.ExcNotImplementedError, e.Message); break;
                case PyKeyError k:
                {   // KeyError(key): a non-tuple value is the exception's single argument
                    nint key = Values.ToPy(k.Key);
                    Py.ErrSetObject(Py.ExcKeyError, key);
                    Py.DecRef(key);
                    break;
                }
                case PyRuntimeError: SetString(Py.ExcRuntimeError, e.Message); break;
                case IronSocket.Core.Tls.PySslError ssl: Ssl.SslExceptions.Raise(ssl); break;
                case OutOfMemoryException: SetString(Py.ExcMemoryError, ""); break;
                default: SetString(Py.ExcSystemError, $"IronSocket internal error: {e.GetType().Name}: {e.Message}"); break;
            }
        }
        catch
        {
            // Converting the exception's arguments failed; something must still be set.
            if (Py.ErrOccurred() == 0) SetString(Py.ExcSystemError, "IronSocket: failed to raise " + e.GetType().Name);
        }
        return 0;
    }

    /// <summary>UnicodeEncodeError(encoding, object, start, end, reason), positions counted in code points as Python does.</summary>
    private static void SetUnicodeEncodeError(PyUnicodeEncodeError u)
    {
        static long CodePoints(string s, int utf16Index)
        {
            long n = 0;
            for (int i = 0; i < utf16Index && i < s.Length; i++, n++)
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            return n;
        }
        nint args = Values.ToPy(new object?[] { u.Encoding, u.Object, CodePoints(u.Object, u.Start), CodePoints(u.Object, u.End), u.Reason });
        nint exc = Py.ObjectCall(Py.ExcUnicodeEncodeError, args, 0);
        Py.DecRef(args);
        if (exc == 0) return;   // constructing it failed: that error is set
        Py.ErrSetObject(Py.ExcUnicodeEncodeError, exc);
        Py.DecRef(exc);
    }

    public static void SetString(nint type, string message)
    {
        int n = Encoding.UTF8.GetByteCount(message);
        byte* buf = stackalloc byte[n + 1];
        Encoding.UTF8.GetBytes(message, new Span<byte>(buf, n));
        buf[n] = 0;
        Py.ErrSetString(type, buf);
    }

    private static void SetObject(nint type, object?[] args)
    {
        nint value = Values.ToPy(args);
        Py.ErrSetObject(type, value);
        Py.DecRef(value);
    }

    public static PythonAlreadySet TypeError(string message) { SetString(Py.ExcTypeError, message); return new PythonAlreadySet(); }
    public static PythonAlreadySet ValueError(string message) { SetString(Py.ExcValueError, message); return new PythonAlreadySet(); }
    public static PythonAlreadySet OverflowError(string message) { SetString(Py.ExcOverflowError, message); return new PythonAlreadySet(); }

    /// <summary>Throws if a C API call reported failure (returned NULL / -1 with an exception set).</summary>
    public static nint Check(nint result) => result != 0 ? result : throw new PythonAlreadySet();
}

/// <summary>The binding itself set a Python exception (or a C API call did): leave it in place.</summary>
internal sealed class PythonAlreadySet : Exception;
