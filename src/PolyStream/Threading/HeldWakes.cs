namespace PolyStream.Threading;

/// <summary>
/// The wake-ups a connection's reader thread holds back while it goes on with frames it has already received:
/// released before the thread next waits for the network, and after at most <see cref="MaxFrames"/> frames.
/// </summary>
/// <remarks>
/// Waking a subscriber costs the publishing thread a thread-pool dispatch and, when the pool sleeps, a futex wake:
/// a tenth of the reader's time in <c>polystream bench</c>, with four subscribers woken for every frame. When
/// frames arrive faster than that, several come in one socket read; held across them, one wake-up serves them
/// all, and a frame's events wait at most for the rest of that read (or <see cref="MaxFrames"/> frames). At the
/// venue's usual rates each frame is followed by a wait for the network, which releases its wake-ups at once.
/// Only the thread that holds releases, so a held wake-up never waits for another thread.
/// </remarks>
internal sealed class HeldWakes : IDisposable
{
    /// <summary>The most frames a wake-up is held across.</summary>
    public const int MaxFrames = 16;

    [ThreadStatic]
    private static HeldWakes? t_current;

    private readonly List<IDeferredWake> _held = [];
    private int _frames;

    private HeldWakes()
    {
    }

    /// <summary>Starts holding the wake-ups of what the calling thread publishes, until the returned scope is disposed.</summary>
    public static HeldWakes HoldOnThisThread() => t_current = new HeldWakes();

    /// <summary>Holds <paramref name="wake"/> when the calling thread holds its wake-ups; <see langword="false"/> (wake it now) otherwise.</summary>
    public static bool TryHold(IDeferredWake wake)
    {
        if (t_current is not { } current)
        {
            return false;
        }

        current._held.Add(wake);
        return true;
    }

    /// <summary>Wakes what the calling thread holds, if anything: it is about to wait.</summary>
    public static void ReleaseOnThisThread() => t_current?.Release();

    /// <summary>Counts a frame handled; the held wake-ups go once <see cref="MaxFrames"/> frames have been.</summary>
    public void FrameDone()
    {
        if (++_frames >= MaxFrames)
        {
            Release();
        }
    }

    /// <summary>Wakes what is held and stops holding on this thread.</summary>
    public void Dispose()
    {
        Release();
        t_current = null;
    }

    private void Release()
    {
        _frames = 0;
        foreach (var wake in _held)
        {
            wake.Wake();
        }

        _held.Clear();
    }
}
