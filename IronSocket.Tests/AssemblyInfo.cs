// Every fixture runs alone, one test at a time (NUnit's default; stated here once instead of on each fixture): the
// fd-leak checks compare /proc/self/fd around each test, child processes' pipes would show up in them, and
// SocketHost.Current and the default timeout are process-wide. Marking anything [Parallelizable] breaks that.
[assembly: NUnit.Framework.NonParallelizable]
