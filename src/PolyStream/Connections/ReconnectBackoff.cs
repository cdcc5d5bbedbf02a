
namespace PolyStream.Connections;

/// <summary>
/// Exponential backoff with full jitter whose attempt count survives across connections: it only
/// starts again from the base once a connection has stayed up for the stability period.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly TimeSpan _stableAfter;
    private readonly Func<double> _random;

    /// <summary>Creates a policy; <paramref name="random"/> returns values in [0, 1) (default <see cref="Random.Shared"/>).</summary>
    public ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan stableAfter, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(stableAfter, TimeSpan.Zero);
        _base = baseDelay;
        _max = maxDelay;
        _stableAfter = stableAfter;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Attempts made since the last reset.</summary>
    public int Attempt { get; private set; }

    /// <summary>The ceiling of the next draw: base × 2^attempt, capped at the maximum.</summary>
    public TimeSpan Ceiling => FullJitter(_base, _max, Attempt, random: 1);

    /// <summary>
    /// Full jitter: <paramref name="random"/> (in [0, 1]) of min(<paramref name="maxDelay"/>, base × 2^attempt),
    /// so clients that failed together do not retry together. The REST retries draw from it too.
    /// </summary>
    public static TimeSpan FullJitter(TimeSpan baseDelay, TimeSpan maxDelay, int attempt, double random)
    {
        // 2^31 overflows; by attempt 30 any sane base is far past the cap anyway.
        var ceiling = Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30)), maxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ceiling * Math.Clamp(random, 0, 1)));
    }

    /// <summary>Draws the next wait uniformly in [0, ceiling] and counts the attempt; the result is at least <paramref name="floor"/>.</summary>
    public TimeSpan Next(TimeSpan floor = default)
    {
        var delay = FullJitter(_base, _max, Attempt, _random());
        Attempt++;
        return delay < floor ? floor : delay;
    }

    /// <summary>The wait after a connection that was up for <paramref name="connectedFor"/> (zero if it never opened): a stable one resets the attempts first.</summary>
    public TimeSpan NextAfter(TimeSpan connectedFor, TimeSpan floor = default)
    {
        // Only a connection that stayed up long enough proves the venue healthy again; flapping keeps growing.
        if (connectedFor >= _stableAfter && connectedFor > TimeSpan.Zero)
        {
            Reset();
        }

        return Next(floor);
    }

    /// <summary>Starts again from the base delay (after a connection proved stable).</summary>
    public void Reset() => Attempt = 0;
}
