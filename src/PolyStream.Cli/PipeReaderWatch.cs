using System.Runtime.InteropServices;

namespace PolyStream.Cli;

/// <summary>
/// Notices that the reader of standard output went away while nothing is being written. A failed write finds it
/// too, but a verb streaming a quiet market may not write for many seconds (<c>stream … | head -1</c> ran on for
/// 14 s); a thread of its own waits in <c>poll(2)</c> for the descriptor's error or hang-up condition, which Linux
/// raises on a pipe's write end once every reader has closed it, and costs nothing until then.
/// </summary>
/// <remarks>
/// It asks for no events, so only those two conditions end the wait: a pipe with room to write, a file or a
/// socket the peer only half-closed never wake it. A socket closed in both directions raises hang-up, when every
/// write would fail as well.
/// </remarks>
internal static partial class PipeReaderWatch
{
    private const short PollError = 0x008;
    private const short PollHangUp = 0x010;
    private const short PollInvalid = 0x020;
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// Starts watching <paramref name="descriptor"/> on Linux (elsewhere a failed write stays the only sign) and
    /// calls <paramref name="readerGone"/> once, from the watching thread, when its reader is gone.
    /// </summary>
    public static void Start(int descriptor, Action readerGone)
    {
        ArgumentNullException.ThrowIfNull(readerGone);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A background thread: it waits for the life of the process and must not keep the process alive.
        new Thread(() => Watch(descriptor, readerGone)) { IsBackground = true, Name = "stdout reader watch" }.Start();
    }

    private static void Watch(int descriptor, Action readerGone)
    {
        var entry = new PollEntry { Descriptor = descriptor };
        int ready;
        do
        {
            ready = Poll(ref entry, 1, -1);
        }
        while (ready < 0 && Marshal.GetLastPInvokeError() == Interrupted); // A signal arrived on this thread: the wait goes on.

        // The reader is gone; anything else means the descriptor cannot be watched (closed, invalid), and a failed write remains the sign.
        if (ready > 0 && (entry.ReturnedEvents & PollInvalid) == 0 && (entry.ReturnedEvents & (PollError | PollHangUp)) != 0)
        {
            readerGone();
        }
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Poll(ref PollEntry entries, nuint count, int timeoutMilliseconds);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
