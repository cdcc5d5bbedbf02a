namespace PolyStream.Streaming;

/// <summary>
/// Exponential backoff with full jitter whose attempt count survives across connections: it only
/// starts again from the base once a connection has stayed up for the stability period.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;

    /// <summary>Creates a policy; <paramref name="random"/> returns values in [0, 1) (default <see cref="Random.Shared"/>).</summary>
    public ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _base = baseDelay;
        _max = maxDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Attempts made since the last reset.</summary>
    public int Attempt { get; private set; }

    /// <summary>The ceiling of the next draw: base × 2^attempt, capped at the maximum.</summary>
    public TimeSpan Ceiling
    {
        get
        {
            // 2^31 overflows; by attempt 30 any sane base is far past the cap anyway.
            var factor = Math.Pow(2, Math.Min(Attempt, 30));
            var ticks = Math.Min(_base.Ticks * factor, _max.Ticks);
            return TimeSpan.FromTicks((long)ticks);
        }
    }

    /// <summary>Draws the next wait uniformly in [0, ceiling] and counts the attempt; the result is at least <paramref name="floor"/>.</summary>
    public TimeSpan Next(TimeSpan floor = default)
    {
        var ceiling = Ceiling;
        Attempt++;
        var delay = TimeSpan.FromTicks((long)(ceiling.Ticks * Math.Clamp(_random(), 0, 1)));
        return delay < floor ? floor : delay;
    }

    /// <summary>Starts again from the base delay (after a connection proved stable).</summary>
    public void Reset() => Attempt = 0;
}
