namespace PolyStream.Threading;

/// <summary>
/// The wake-ups a connection's reader thread holds back while it goes on with frames it has already received:
/// released before the thread next waits for the network, and once the oldest has been held as long as the scope allows
/// (<see cref="Connections.WsConfig.WakeHold"/>).
/// </summary>
/// <remarks>
/// Waking a subscriber costs the publishing thread a thread-pool dispatch and, when the pool sleeps, a futex wake:
/// a tenth of the reader's time in <c>polystream bench</c>, with four subscribers woken for every frame. When
/// frames arrive faster than that, several come in one socket read; held across them, one wake-up serves them
/// all, and a frame's events wait at most that limit plus the handling of one frame. At the venue's usual
/// rates each frame is followed by a wait for the network, which releases its wake-ups at once. Only the thread
/// that holds releases, so a held wake-up never waits for another thread.
/// </remarks>
internal sealed class HeldWakes : IDisposable
{
    [ThreadStatic]
    private static HeldWakes? t_current;

    private readonly List<IWakeable> _held = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxHold;
    private long _heldSince;

    private HeldWakes(TimeProvider time, TimeSpan maxHold)
    {
        _time = time;
        _maxHold = maxHold;
    }

    /// <summary>Starts holding the wake-ups of what the calling thread publishes, until the returned scope is disposed.</summary>
    /// <param name="time">The clock the hold is measured by.</param>
    /// <param name="maxHold">The longest a wake-up is held while frames keep coming; <see cref="TimeSpan.Zero"/> wakes after every frame.</param>
    public static HeldWakes HoldOnThisThread(TimeProvider time, TimeSpan maxHold) => t_current = new HeldWakes(time, maxHold);

    /// <summary>Holds <paramref name="wake"/> when the calling thread holds its wake-ups; <see langword="false"/> (wake it now) otherwise.</summary>
    public static bool TryHold(IWakeable wake)
    {
        if (t_current is not { } current)
        {
            return false;
        }

        if (current._held.Count == 0)
        {
            current._heldSince = current._time.GetTimestamp();
        }

        current._held.Add(wake);
        return true;
    }

    /// <summary>Wakes what the calling thread holds, if anything: it is about to wait.</summary>
    public static void ReleaseOnThisThread() => t_current?.Release();

    /// <summary>Called after each frame: wakes what is held once the oldest has waited the longest hold.</summary>
    public void FrameDone()
    {
        if (_held.Count > 0 && _time.GetElapsedTime(_heldSince) >= _maxHold)
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
        foreach (var wake in _held)
        {
            wake.Wake();
        }

        _held.Clear();
    }
}
