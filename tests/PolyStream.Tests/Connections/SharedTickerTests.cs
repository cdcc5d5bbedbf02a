using Microsoft.Extensions.Time.Testing;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

public sealed class SharedTickerTests
{
    [Fact]
    public void Register_ManyChecks_OneTimerRunsThemAllOnTheSameTick()
    {
        var time = new CountingTimeProvider();
        var ticker = new SharedTicker(TimeSpan.FromSeconds(1), time);
        var checks = Enumerable.Range(0, 50).Select(_ => new CountingCheck()).ToList();
        checks.ForEach(ticker.Register);

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(1, time.TimersCreated);
        Assert.All(checks, c => Assert.Equal(3, c.Ticks.Count));
        Assert.Equal(checks[0].Ticks, checks[^1].Ticks);
    }

    [Fact]
    public void Unregister_LastCheck_StopsTheTimerUntilTheNextRegistration()
    {
        var time = new CountingTimeProvider();
        var ticker = new SharedTicker(TimeSpan.FromSeconds(1), time);
        var first = new CountingCheck();
        var second = new CountingCheck();
        ticker.Register(first);
        time.Advance(TimeSpan.FromSeconds(1));

        ticker.Unregister(first);
        var liveWhileEmpty = time.LiveTimers;
        time.Advance(TimeSpan.FromSeconds(5));
        ticker.Register(second);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(first.Ticks);
        Assert.Single(second.Ticks);
        Assert.Equal(0, liveWhileEmpty);
        Assert.Equal(2, time.TimersCreated);
        Assert.Equal(1, time.LiveTimers);
    }

    private sealed class CountingCheck : ITickHandler
    {
        public List<long> Ticks { get; } = [];

        public void OnTick(long now) => Ticks.Add(now);
    }

    /// <summary>A fake clock that counts the timers created on it and those not yet disposed.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        private int _live;

        public int TimersCreated { get; private set; }

        public int LiveTimers => _live;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimersCreated++;
            _live++;
            return new CountedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class CountedTimer(ITimer inner, CountingTimeProvider owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                owner._live--;
                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
