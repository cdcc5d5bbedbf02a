using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Bus;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>The sink's ordering, retry and re-base policy over a publisher that can be told to fail.</summary>
public sealed class NatsEventSinkTests : IAsyncDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);
    private readonly BookEngineHarness _engine = new(null, "A", "B");
    private readonly FakePublisher _publisher = new();
    private readonly FakeOwnership _ownership = new("A", "B");
    private readonly ConcurrentQueue<(string Asset, ulong Sequence)> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();

    public NatsEventSinkTests()
    {
        _engine.Venue.WithBook("A").WithBook("B");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _engine.DisposeAsync();
    }

    private (NatsEventSink Sink, Task Run) Start(SubscriberOptions? subscriber = null, Action? beforeRun = null, TimeProvider? time = null)
    {
        var options = new NatsScaleOutOptions { MaxInFlight = 8, SnapshotInterval = TimeSpan.FromMinutes(1) };
        var sink = new NatsEventSink(_publisher, new BusEncoder("polystream", "node-a-1"), (view, seq) => _acknowledged.Enqueue((view.AssetId, seq)), options, _ownership, _engine.Engine.GetOrderBook, time ?? TimeProvider.System);
        var events = _engine.Bus.Subscribe(subscriber ?? new SubscriberOptions { Capacity = 10_000 });
        beforeRun?.Invoke();
        return (sink, Task.Run(() => sink.RunAsync(events, _stop.Token)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < s_limit, $"not within {s_limit}: {what}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task EveryEvent_IsPublishedInOrderUnderItsId_AndBooksAreReportedAcknowledged()
    {
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == "A:1:1"), "the delta stored");

        Assert.Equal(["A:1:0", "A:1:1"], _publisher.Stored.Select(m => m.MessageId).Where(id => id.Split(':').Length == 3));
        Assert.Equal(0, sink.Retried);
        Assert.Contains(_acknowledged, a => a.Asset == "A");
    }

    [Fact]
    public async Task AFailedPublish_IsRetriedUntilStored_ThenItsBooksAreRebased()
    {
        _publisher.FailOnce("A:1:1");
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");

        var ids = _publisher.Stored.Select(m => m.MessageId).ToList();
        Assert.Contains("A:1:1", ids);
        Assert.True(ids.IndexOf("A:1:1") < ids.FindIndex(id => id.Contains("book_rebase", StringComparison.Ordinal)), "the re-base comes after the retried delta");
        Assert.Equal((1L, 1L), (sink.Retried, sink.Rebased));
    }

    [Fact]
    public async Task EventsOfAnAssetNotHeld_AreNotPublished()
    {
        _ownership.Release("B");
        Start();
        _engine.Feed(_engine.Venue.BookFrame("B", 1000));
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == "A:1:0"), "A's snapshot stored");

        Assert.DoesNotContain(_publisher.Stored, m => m.Subject.EndsWith(".B", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhileTheLeaseIsUnconfirmed_NothingIsPublished_AndTheBookIsRebasedOnceItIs()
    {
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == "A:1:0"), "A's snapshot stored");

        _ownership.Trusted = false;
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));
        await WaitUntilAsync(() => _engine.Bus.Subscribers.All(s => s.Counts.Queued == 0), "the delta consumed");
        Assert.DoesNotContain(_publisher.Stored, m => m.MessageId == "A:1:1");

        _ownership.Trusted = true;
        _engine.Feed(_engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.47", "5"));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");
        Assert.Equal(1, sink.Rebased);
    }

    [Fact]
    public async Task WhenTheSinkLagged_EveryHeldBookIsRebased()
    {
        var (sink, _) = Start(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.DropOldest }, beforeRun: () =>
        {
            _engine.Feed(_engine.Venue.BookFrame("A", 1000));
            _engine.Feed(_engine.Venue.BookFrame("B", 1000));
            for (var i = 0; i < 10; i++)
            {
                _engine.Feed(_engine.Venue.ChangeFrame(1001 + i, "A", Side.Buy, "0.46", (30 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        });

        await WaitUntilAsync(() => sink.Rebased == 2, "both books re-based");

        Assert.Contains(_publisher.Stored, m => m.Subject == "polystream.book_rebase.A");
        Assert.Contains(_publisher.Stored, m => m.Subject == "polystream.book_rebase.B");
    }

    [Fact]
    public async Task ASinkThatKeepsLagging_RebasesEachBookAtMostOncePerInterval_AndDropsItsDeltasMeanwhile()
    {
        var time = new FakeTimeProvider();
        var (sink, _) = Start(new SubscriberOptions { Capacity = 4, Overflow = OverflowPolicy.DropOldest }, time: time);
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _engine.Feed(_engine.Venue.BookFrame("B", 1000));
        await WaitUntilAsync(() => _publisher.Stored.Count(m => m.Subject.StartsWith("polystream.book_snapshot.", StringComparison.Ordinal)) == 2, "both snapshots stored");

        await LagAsync(1001);
        await WaitUntilAsync(() => sink.Rebased == 2, "both books re-based after the first lag");
        var afterFirst = _publisher.Stored.Count;
        var aRebase = _publisher.Stored.Last(m => m.Subject == "polystream.book_rebase.A");
        Assert.True(aRebase.Book!.Seq < _engine.View("A").Seq, "A was re-based in place of a queued delta, not at its latest state");
        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == $"A:1:{_engine.View("A").Seq}"), "A's deltas after its re-base published");

        await LagAsync(2001);
        Assert.Equal(2, sink.Rebased);
        // Only the delta in flight when the lag began; none of those read after it, and no second re-base.
        Assert.Equal(["polystream.book_delta.A"], _publisher.Stored.Skip(afterFirst).Select(m => m.Subject).Where(s => s.StartsWith("polystream.book_", StringComparison.Ordinal)));

        time.Advance(TimeSpan.FromMinutes(1));
        _engine.Feed(_engine.Venue.ChangeFrame(3001, "A", Side.Buy, "0.44", "7"));
        await WaitUntilAsync(() => sink.Rebased >= 3, "A re-based once the interval passed");
        Assert.Equal(_engine.View("A").Seq, _publisher.Stored.Last(m => m.Subject == "polystream.book_rebase.A").Book!.Seq);
    }

    /// <summary>Holds the publisher while more deltas of A arrive than the sink's queue keeps, then lets it go on.</summary>
    private async Task LagAsync(long timestamp)
    {
        _publisher.Hold();
        _engine.Feed(_engine.Venue.ChangeFrame(timestamp, "A", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Waiting > 0, "the sink waiting on its publisher");
        for (var i = 1; i <= 10; i++)
        {
            _engine.Feed(_engine.Venue.ChangeFrame(timestamp + i, "A", Side.Buy, "0.46", (1 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        _publisher.Release();
        await WaitUntilAsync(() => _engine.Bus.Subscribers.All(s => s.Counts.Queued == 0), "the queued events read");
        await WaitUntilAsync(() => _publisher.Waiting == 0, "the window published");
    }

    private sealed class FakePublisher : IBusPublisher
    {
        private readonly ConcurrentDictionary<string, bool> _failOnce = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private readonly List<BusMessage> _stored = [];

        public IReadOnlyList<BusMessage> Stored
        {
            get
            {
                lock (_gate)
                {
                    return [.. _stored];
                }
            }
        }

        private TaskCompletionSource _held = CompletedHold();
        private int _waiting;

        /// <summary>Publishes waiting for <see cref="Release"/>.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public void FailOnce(string messageId) => _failOnce[messageId] = true;

        /// <summary>Makes publishes wait until <see cref="Release"/>, like a slow server.</summary>
        public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _held.TrySetResult();

        public async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            await _held.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _waiting);
            if (_failOnce.TryRemove(message.MessageId, out _))
            {
                return null;
            }

            lock (_gate)
            {
                _stored.Add(message);
                return (ulong)_stored.Count;
            }
        }

        private static TaskCompletionSource CompletedHold()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }

    private sealed class FakeOwnership(params string[] held) : IAssetOwnership
    {
        private readonly ConcurrentDictionary<string, bool> _held = new(held.ToDictionary(a => a, _ => true), StringComparer.Ordinal);

        public bool Trusted { get; set; } = true;

        public bool IsTrusted => Trusted;

        public IReadOnlyCollection<string> HeldAssets => [.. _held.Keys];

        public bool Holds(string assetId) => _held.ContainsKey(assetId);

        public void Release(string assetId) => _held.TryRemove(assetId, out _);
    }
}
