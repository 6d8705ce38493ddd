
namespace IronSocket.Core;

/// <summary>CPython's set_error / set_gaierror / set_herror: OS error codes to the core's Python errors.</summary>
internal static unsafe class Errors
{
    /// <summary>
    /// set_error: on Linux PyErr_SetFromErrno, OSError(errno, strerror(errno)); on Windows
    /// PyErr_SetExcFromWindowsErr(WSAGetLastError()), OSError with winerror set, errno derived from it
    /// (<see cref="WinErrors.ToErrno"/>) and FormatMessage's text.
    /// </summary>
    internal static PyOSError FromErrno(int errno) => Os.Pal.ErrorsAreWinErrors
        ? new(WinErrors.ToErrno(errno), Os.Pal.ErrorMessage(errno)) { WinError = errno }
        : new(errno, Os.Pal.ErrorMessage(errno));

    /// <summary>
    /// PyErr_SetFromErrno with a C errno (never winerror, on any platform): OSError(errno, its message), "Error"
    /// when errno is 0 (CPython's text for "errno was not set").
    /// </summary>
    internal static PyOSError FromCErrno(int errno) => errno == 0 ? new(0, "Error") : new(errno, Os.Pal.ErrorMessage(errno));

    /// <summary>set_gaierror: EAI_SYSTEM means "look at errno".</summary>
    internal static PythonError FromGai(int code, int errno)
    {
        if (code == Os.Pal.EaiSystem)
            return FromErrno(errno);
        return new PyGaiError(code, Os.Pal.GaiMessage(code));
    }

    /// <summary>set_herror: herror(h_errno, hstrerror(h_errno)).</summary>
    internal static PyHError FromHErrno(int herr) => new(herr, Os.Pal.HostErrorMessage(herr));
}
