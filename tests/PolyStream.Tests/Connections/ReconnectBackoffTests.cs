using Microsoft.Extensions.Time.Testing;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan s_base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stable = TimeSpan.FromSeconds(60);

    [Fact]
    public void Next_TopOfRange_CeilingDoublesUpToMax()
    {
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, () => 1.0);

        var delays = Enumerable.Range(0, 9).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(9, backoff.Attempt);
    }

    [Fact]
    public void Next_FullJitter_DrawsBetweenZeroAndCeiling()
    {
        var draws = new Queue<double>([0.0, 0.5, 0.25]);
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, draws.Dequeue);

        Assert.Equal(TimeSpan.Zero, backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void Next_SeededRandom_EveryDrawWithinItsCeiling()
    {
        var random = new Random(42);
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, random.NextDouble);
        var distinct = new HashSet<TimeSpan>();

        for (var i = 0; i < 200; i++)
        {
            var ceiling = backoff.Ceiling;
            var delay = backoff.Next();
            Assert.InRange(delay, TimeSpan.Zero, ceiling);
            Assert.True(ceiling <= s_max);
            distinct.Add(delay);
        }

        Assert.True(distinct.Count > 150, "full jitter should spread the draws");
    }

    [Fact]
    public void Next_GrowsAcrossAttempts_UntilReset()
    {
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, () => 1.0);
        backoff.Next();
        backoff.Next();
        backoff.Next();
        Assert.Equal(TimeSpan.FromSeconds(8), backoff.Ceiling);

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void Next_Floor_RaisesShortDraws()
    {
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, () => 0.1);

        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Next(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, backoff.Attempt);
    }

    [Fact]
    public void Next_ManyAttempts_NoOverflow()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromDays(1), TimeSpan.FromDays(2), s_stable, () => 1.0);

        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(backoff.Next(), TimeSpan.Zero, TimeSpan.FromDays(2));
        }
    }

    [Fact]
    public void Constructor_MaxBelowBase_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(s_max, s_base, s_stable));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero, s_max, s_stable));
    }

    /// <summary>Runs one connection on the fake clock that stays up for <paramref name="uptime"/>, then returns the next wait.</summary>
    private static TimeSpan Session(FakeTimeProvider time, ReconnectBackoff backoff, TimeSpan uptime)
    {
        var connectedAt = time.GetTimestamp();
        time.Advance(uptime);
        return backoff.NextAfter(time.GetElapsedTime(connectedAt));
    }

    [Fact]
    public void NextAfter_FlappingConnections_KeepGrowingAcrossAttempts()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, () => 1.0);

        // Each connection opens, lives 59 s (just short of stable), and drops.
        var delays = Enumerable.Range(0, 7).Select(_ => Session(time, backoff, TimeSpan.FromSeconds(59)).TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60], delays);
    }

    [Fact]
    public void NextAfter_StableConnection_ResetsToBase()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(s_base, s_max, s_stable, () => 1.0);
        backoff.NextAfter(TimeSpan.Zero);
        backoff.NextAfter(TimeSpan.Zero);
        backoff.NextAfter(TimeSpan.Zero);

        var afterStable = Session(time, backoff, TimeSpan.FromSeconds(60));
        var afterShort = Session(time, backoff, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), afterStable);
        Assert.Equal(TimeSpan.FromSeconds(2), afterShort);
    }

    [Fact]
    public void NextAfter_FailedConnects_NeverReset()
    {
        var backoff = new ReconnectBackoff(s_base, s_max, TimeSpan.Zero, () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextAfter(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextAfter(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextAfter(TimeSpan.FromMilliseconds(1)));
    }
}
