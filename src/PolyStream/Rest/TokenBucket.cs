
namespace PolyStream.Rest;

/// <summary>
/// A token bucket on an injectable clock: <c>capacity</c> requests at once, refilled evenly over
/// <c>period</c>. Matches the venue's published "N requests per 10 s" limits.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _tokensPerTick;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(int capacity, TimeSpan period, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _time = time;
        _capacity = capacity;
        _tokens = capacity;
        _tokensPerTick = capacity / (period.TotalSeconds * time.TimestampFrequency);
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>The tokens available now, for metrics and the TUI's "budget left".</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <summary>Takes a token if one is there; otherwise says how long until one will be.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            var ticks = (1 - _tokens) / _tokensPerTick;
            retryAfter = TimeSpan.FromSeconds(ticks / _time.TimestampFrequency);
            return false;
        }
    }

    /// <summary>Waits (on the injected clock) until a token is available and takes it.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (!TryAcquire(out var wait))
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + ((now - _lastRefill) * _tokensPerTick));
        _lastRefill = now;
    }
}
