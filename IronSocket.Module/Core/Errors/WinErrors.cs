namespace IronSocket.Core;

/// <summary>CPython's winerror_to_errno (PC/errmap.h): what OSError.errno is for a Windows error code.</summary>
/// <remarks>
/// Winsock codes (10000-11999) are errno values themselves on Windows (Python's errno module there has
/// ECONNREFUSED = 10061 …), except the six Winsock spells as 10000 + a C errno, which map back to that errno. For the
/// other Win32 codes this keeps the entries socket calls can produce; CPython's default for the rest is EINVAL.
/// </remarks>
public static class WinErrors
{
    public static int ToErrno(int winerror)
    {
        // Unwrap FACILITY_WIN32 HRESULTs.
        if ((winerror & unchecked((int)0xFFFF0000)) == unchecked((int)0x80070000))
            winerror &= 0xFFFF;
        if (winerror >= 10000 && winerror < 12000)
        {
            return winerror switch
            {
                10004 or 10009 or 10013 or 10014 or 10022 or 10024 => winerror - 10000,   // WSAEINTR, EBADF, EACCES, EFAULT, EINVAL, EMFILE
                _ => winerror,
            };
        }
        return winerror switch
        {
            2 or 3 => 2,                 // ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND → ENOENT
            4 => 24,                     // ERROR_TOO_MANY_OPEN_FILES → EMFILE
            5 => 13,                     // ERROR_ACCESS_DENIED → EACCES
            6 => 9,                      // ERROR_INVALID_HANDLE → EBADF
            8 => 12,                     // ERROR_NOT_ENOUGH_MEMORY → ENOMEM
            80 or 183 => 17,             // ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS → EEXIST
            109 or 232 => 32,            // ERROR_BROKEN_PIPE, ERROR_NO_DATA → EPIPE
            _ => 22,                     // EINVAL
        };
    }
}
