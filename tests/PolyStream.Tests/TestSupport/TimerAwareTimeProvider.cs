using Microsoft.Extensions.Time.Testing;

namespace PolyStream.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows how many of its timers are waiting to fire, so a test advances
/// the clock only once the code under test has set its timer (advanced before, the timer would count from the
/// new time and the test would wait for a wake-up that never comes).
/// </summary>
internal sealed class TimerAwareTimeProvider : FakeTimeProvider
{
    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _pending;

    public TimerAwareTimeProvider()
    {
    }

    public TimerAwareTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>Timers set to fire that have not yet fired (a one-shot timer), been stopped or been disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, period);
        timer.Arm(dueTime);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return timer;
    }

    /// <summary>Completes once at least <paramref name="count"/> timers are pending; throws a <see cref="TimeoutException"/> after 10 s.</summary>
    public async Task WaitForPendingTimersAsync(int count = 1)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_pending >= count)
            {
                return;
            }

            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(s_waitLimit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the code under test did not set {count} timer(s) within {s_waitLimit}; {PendingTimers} pending");
        }
    }

    private void Adjust(int change)
    {
        lock (_gate)
        {
            _pending += change;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_pending >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Wraps a fake timer to track whether it is set to fire.</summary>
    private sealed class WatchedTimer(TimerAwareTimeProvider owner, TimeSpan period) : ITimer
    {
        private readonly Lock _gate = new();
        private TimeSpan _period = period;
        private bool _armed;

        public ITimer Inner { get; set; } = null!;

        public void Arm(TimeSpan dueTime) => SetArmed(dueTime != Timeout.InfiniteTimeSpan);

        public void Fired()
        {
            lock (_gate)
            {
                if (_period != Timeout.InfiniteTimeSpan && _period != TimeSpan.Zero)
                {
                    return; // A periodic timer stays set.
                }
            }

            SetArmed(false);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _period = period;
            }

            Arm(dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            SetArmed(false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            SetArmed(false);
            return Inner.DisposeAsync();
        }

        private void SetArmed(bool armed)
        {
            lock (_gate)
            {
                if (_armed == armed)
                {
                    return;
                }

                _armed = armed;
            }

            owner.Adjust(armed ? 1 : -1);
        }
    }
}
