namespace PolyStream.Connections;

/// <summary>
/// One timer for many periodic checks: the watchdogs and heartbeat of every connection and the housekeeping of
/// every shard run on the same tick, so an idle streamer with fifty connections wakes once a period, not once
/// per timer per connection. The timer exists only while a check is registered, so a ticker left behind
/// holds nothing.
/// </summary>
/// <remarks>
/// Checks run one after the other on the timer's thread; each only compares timestamps and signals the loop
/// that owns the work, so a tick costs microseconds however many checks there are. Registering and
/// unregistering swap an immutable array; a tick walks the array it read.
/// </remarks>
internal sealed class SharedTicker
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ITickHandler[] _handlers = [];
    private ITimer? _timer;

    /// <summary>Creates a ticker; nothing ticks until a check is registered.</summary>
    /// <param name="period">How often the checks run.</param>
    /// <param name="time">The clock of the timer and of the timestamps the checks get.</param>
    public SharedTicker(TimeSpan period, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Period = period;
        _time = time;
    }

    /// <summary>How often the checks run.</summary>
    public TimeSpan Period { get; }

    /// <summary>Runs <paramref name="handler"/> on every tick from the next one on; starts the timer for the first check.</summary>
    public void Register(ITickHandler handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
            _timer ??= _time.CreateTimer(static ticker => ((SharedTicker)ticker!).Tick(), this, Period, Period);
        }
    }

    /// <summary>Stops running <paramref name="handler"/> (a tick already under way may still run it once); stops the timer after the last check.</summary>
    public void Unregister(ITickHandler handler)
    {
        ITimer? idle = null;
        lock (_gate)
        {
            var index = Array.IndexOf(_handlers, handler);
            if (index < 0)
            {
                return;
            }

            _handlers = [.. _handlers.AsSpan(0, index), .. _handlers.AsSpan(index + 1)];
            if (_handlers.Length == 0)
            {
                idle = _timer;
                _timer = null;
            }
        }

        idle?.Dispose();
    }

    private void Tick()
    {
        var now = _time.GetTimestamp();
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            handler.OnTick(now);
        }
    }
}
