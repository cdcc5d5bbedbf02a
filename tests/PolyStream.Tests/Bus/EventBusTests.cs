using PolyStream.Bus;
using PolyStream.Events;
using static PolyStream.Tests.TestSupport.TestEvents;

namespace PolyStream.Tests.Bus;

public sealed class EventBusTests
{
    [Fact]
    public async Task Publish_DropOldestSlowSubscriber_GetsLaggedCountWhileFastLosesNothing()
    {
        await using var bus = new EventBus();
        await using var fast = bus.Subscribe(new SubscriberOptions { Capacity = 16 });
        await using var slow = bus.Subscribe(new SubscriberOptions { Capacity = 10, Overflow = OverflowPolicy.DropOldest });
        var fastSeen = new List<long>();

        for (var n = 1; n <= 10_000; n++)
        {
            bus.Publish(Quote(n));
            // The fast subscriber keeps up: it reads after every publish.
            fastSeen.AddRange(Drain(fast).Select(e => e.Seq));
        }

        Assert.Equal(Enumerable.Range(1, 10_000).Select(n => (long)n), fastSeen);
        Assert.Equal(new SubscriberCounts(10_000, 0, 0, 0, false), fast.Counts);

        var slowSeen = Drain(slow);
        var lagged = Assert.IsType<Lagged>(slowSeen[0]);
        Assert.Equal(9_990, lagged.Count);
        Assert.Equal(Enumerable.Range(9_991, 10).Select(n => (long)n), slowSeen.Skip(1).Select(e => e.Seq));
        Assert.Equal(new SubscriberCounts(10, 9_990, 1, 0, false), slow.Counts);
    }

    [Fact]
    public async Task TryRead_LossBetweenReads_LaggedComesRightBeforeTheNextDeliveredEvent()
    {
        await using var bus = new EventBus();
        await using var slow = bus.Subscribe(new SubscriberOptions { Capacity = 3 });

        for (var n = 1; n <= 5; n++)
        {
            bus.Publish(Quote(n));
        }

        Assert.True(slow.TryRead(out var first));
        Assert.Equal(2, Assert.IsType<Lagged>(first).Count);
        Assert.True(slow.TryRead(out var third));
        Assert.Equal(3, third.Seq);
        bus.Publish(Quote(6));
        bus.Publish(Quote(7));

        var rest = Drain(slow);

        Assert.Equal(1, Assert.IsType<Lagged>(rest[0]).Count);
        Assert.Equal([5L, 6, 7], rest.Skip(1).Select(e => e.Seq));
    }

    [Fact]
    public async Task Publish_ConflateSlowSubscriber_EndsWithTheLatestStateOfEveryAsset()
    {
        await using var bus = new EventBus();
        await using var ui = bus.Subscribe(new SubscriberOptions { Capacity = 4, Overflow = OverflowPolicy.Conflate });
        string[] assets = ["A", "B", "C", "D", "E", "F"];
        var published = 0;

        for (var n = 1; n <= 600; n++)
        {
            bus.Publish(State(assets[n % assets.Length], n));
            published++;
            if (n % 7 == 0)
            {
                bus.Publish(Quote(n));
                published++;
            }
        }

        var seen = Drain(ui);
        var delivered = seen.Where(e => e is not Lagged).ToList();
        var latest = delivered.OfType<BookDeltaApplied>().GroupBy(e => e.AssetId!).ToDictionary(g => g.Key, g => g.Last().Seq);
        var expected = assets.ToDictionary(a => a, a => (long)Enumerable.Range(1, 600).Last(n => assets[n % assets.Length] == a));
        Assert.Equal(expected, latest);
        Assert.True(delivered.Count <= assets.Length + 4, $"delivered {delivered.Count}");
        var counts = ui.Counts;
        Assert.Equal(published, counts.Delivered + counts.Dropped);
        Assert.Equal(counts.Dropped, seen.OfType<Lagged>().Sum(l => l.Count));
    }

    [Fact]
    public async Task Publish_ConflateFullOfStates_DropsNewNonStateEventsAndCountsThem()
    {
        await using var bus = new EventBus();
        await using var ui = bus.Subscribe(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.Conflate });

        bus.Publish(State("A", 1));
        bus.Publish(State("B", 2));
        bus.Publish(Quote(3));
        bus.Publish(State("A", 4));

        var seen = Drain(ui);

        Assert.Equal(2, Assert.IsType<Lagged>(seen[0]).Count);
        Assert.Equal([2L, 4], seen.Skip(1).Select(e => e.Seq));
    }

    [Fact]
    public async Task Publish_DisconnectPolicyOverflow_EndsOnlyThatSubscriberWithAReason()
    {
        await using var bus = new EventBus();
        await using var strict = bus.Subscribe(new SubscriberOptions { Capacity = 5, Overflow = OverflowPolicy.Disconnect });
        await using var other = bus.Subscribe(new SubscriberOptions { Capacity = 100 });

        for (var n = 1; n <= 10; n++)
        {
            bus.Publish(Quote(n));
        }

        var strictSeen = new List<StreamEvent>();
        await foreach (var streamEvent in strict.WithCancellation(TestContext.Current.CancellationToken))
        {
            strictSeen.Add(streamEvent);
        }

        Assert.Equal([1L, 2, 3, 4, 5], strictSeen.Take(5).Select(e => e.Seq));
        Assert.Equal(1, Assert.IsType<Lagged>(strictSeen[5]).Count);
        Assert.Contains("Disconnect", Assert.IsType<SubscriberDisconnected>(strictSeen[6]).Reason, StringComparison.Ordinal);
        Assert.Equal(7, strictSeen.Count);
        Assert.True(strict.Counts.IsDisconnected);
        Assert.DoesNotContain(strict, bus.Subscribers);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), Drain(other).Select(e => e.Seq));
        Assert.False(other.Counts.IsDisconnected);
    }

    [Fact]
    public async Task ReadAll_SubscriberThatThrows_DoesNotAffectOthersOrThePublisher()
    {
        await using var bus = new EventBus();
        var faulty = bus.Subscribe(new SubscriberOptions { Capacity = 64 });
        var healthy = bus.Subscribe(new SubscriberOptions { Capacity = 100_000 });
        var ct = TestContext.Current.CancellationToken;
        var faultyLoop = Task.Run(
            async () =>
            {
                var received = 0;
                await foreach (var streamEvent in faulty.WithCancellation(ct))
                {
                    if (++received == 3)
                    {
                        throw new InvalidOperationException("consumer bug");
                    }
                }
            },
            ct);
        var healthyLoop = Task.Run(
            async () =>
            {
                var seen = new List<long>();
                await foreach (var streamEvent in healthy.WithCancellation(ct))
                {
                    seen.Add(streamEvent.Seq);
                }

                return seen;
            },
            ct);

        for (var n = 1; n <= 5_000; n++)
        {
            bus.Publish(Quote(n));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => faultyLoop.WaitAsync(WaitLimit, ct));
        await bus.DisposeAsync();
        var healthySeen = await healthyLoop.WaitAsync(WaitLimit, ct);

        Assert.Equal(Enumerable.Range(1, 5_000).Select(n => (long)n), healthySeen);
        Assert.Equal(5_000, bus.PublishedCount);
    }

    [Fact]
    public async Task PublishAsync_BlockSubscriberFull_WaitsUntilItReads()
    {
        await using var bus = new EventBus(new EventBusOptions { AllowBlockingSubscribers = true });
        await using var replay = bus.Subscribe(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.Block });
        var ct = TestContext.Current.CancellationToken;

        Assert.True(bus.PublishAsync(Quote(1), ct).AsTask().IsCompletedSuccessfully);
        Assert.True(bus.PublishAsync(Quote(2), ct).AsTask().IsCompletedSuccessfully);
        var third = bus.PublishAsync(Quote(3), ct).AsTask();

        Assert.False(third.IsCompleted);
        Assert.True(replay.TryRead(out var first));
        await third.WaitAsync(WaitLimit, ct);

        Assert.Equal(1, first.Seq);
        Assert.Equal([2L, 3], Drain(replay).Select(e => e.Seq));
        Assert.Equal(0, replay.Counts.Dropped);
    }

    [Fact]
    public async Task PublishAsync_BlockedSubscriberDisposed_ReleasesThePublisher()
    {
        await using var bus = new EventBus(new EventBusOptions { AllowBlockingSubscribers = true });
        var replay = bus.Subscribe(new SubscriberOptions { Capacity = 1, Overflow = OverflowPolicy.Block });
        var ct = TestContext.Current.CancellationToken;
        await bus.PublishAsync(Quote(1), ct);
        var second = bus.PublishAsync(Quote(2), ct).AsTask();
        Assert.False(second.IsCompleted);

        await replay.DisposeAsync();

        await second.WaitAsync(WaitLimit, ct);
        Assert.Empty(bus.Subscribers);
    }

    [Fact]
    public async Task Subscribe_BlockOnABusThatDoesNotAllowIt_Throws()
    {
        await using var bus = new EventBus();

        Assert.Throws<InvalidOperationException>(() => bus.Subscribe(new SubscriberOptions { Overflow = OverflowPolicy.Block }));
    }

    [Fact]
    public async Task Publish_FullBlockSubscriber_DropsOldestInsteadOfWaiting()
    {
        await using var bus = new EventBus(new EventBusOptions { AllowBlockingSubscribers = true });
        await using var replay = bus.Subscribe(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.Block });

        bus.Publish(Quote(1));
        bus.Publish(Quote(2));
        bus.Publish(Quote(3));

        var seen = Drain(replay);
        Assert.Equal(1, Assert.IsType<Lagged>(seen[0]).Count);
        Assert.Equal([2L, 3], seen.Skip(1).Select(e => e.Seq));
    }

    [Fact]
    public async Task Publish_SubscribersThatNeverRead_NeverBlockThePublisher()
    {
        await using var bus = new EventBus();
        var dropOldest = bus.Subscribe(new SubscriberOptions { Capacity = 16 });
        var conflate = bus.Subscribe(new SubscriberOptions { Capacity = 16, Overflow = OverflowPolicy.Conflate });
        var disconnect = bus.Subscribe(new SubscriberOptions { Capacity = 16, Overflow = OverflowPolicy.Disconnect });
        var ct = TestContext.Current.CancellationToken;

        await Task.Run(
            () =>
            {
                for (var n = 1; n <= 100_000; n++)
                {
                    bus.Publish(n % 2 == 0 ? Quote(n) : State("A", n));
                }
            },
            ct).WaitAsync(WaitLimit, ct);

        Assert.Equal(100_000, bus.PublishedCount);
        Assert.Equal(new SubscriberCounts(0, 100_000 - 16, 0, 16, false), dropOldest.Counts);
        Assert.Equal(100_000 - 16, conflate.Counts.Dropped);
        Assert.True(disconnect.Counts.IsDisconnected);
        Assert.Equal(1, disconnect.Counts.Dropped);
    }

    [Fact]
    public async Task WaitToReadAsync_CancelledWait_ThrowsAndTheNextWaitStillGetsTheEvent()
    {
        await using var bus = new EventBus();
        await using var subscriber = bus.Subscribe();
        using var first = new CancellationTokenSource();

        var cancelled = subscriber.WaitToReadAsync(first.Token);
        await first.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        var next = subscriber.WaitToReadAsync(TestContext.Current.CancellationToken);
        Assert.False(next.IsCompleted);
        bus.Publish(Quote(1));
        Assert.True(await next.AsTask().WaitAsync(WaitLimit, TestContext.Current.CancellationToken));
        Assert.Equal([1L], Drain(subscriber).Select(e => e.Seq));
    }

    [Fact]
    public async Task WaitToReadAsync_AfterAWaitThatEnded_AnEarlierTokenNoLongerCancels()
    {
        await using var bus = new EventBus();
        await using var subscriber = bus.Subscribe();
        using var earlier = new CancellationTokenSource();

        var woken = subscriber.WaitToReadAsync(earlier.Token);
        bus.Publish(Quote(1));
        Assert.True(await woken);
        Drain(subscriber);
        var later = subscriber.WaitToReadAsync(TestContext.Current.CancellationToken);
        await earlier.CancelAsync();

        // The earlier wait's token belongs to a wait that ended; the one now pending is untouched by it.
        Assert.False(later.IsCompleted);
        bus.Publish(Quote(2));
        Assert.True(await later.AsTask().WaitAsync(WaitLimit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DisposeAsync_Subscriber_EndsItsEnumeration()
    {
        await using var bus = new EventBus();
        var subscriber = bus.Subscribe();
        var ct = TestContext.Current.CancellationToken;
        var loop = Task.Run(
            async () =>
            {
                var count = 0;
                await foreach (var streamEvent in subscriber.WithCancellation(ct))
                {
                    count++;
                }

                return count;
            },
            ct);

        await subscriber.DisposeAsync();

        Assert.Equal(0, await loop.WaitAsync(WaitLimit, ct));
        Assert.Empty(bus.Subscribers);
    }

    [Fact]
    public async Task DisposeAsync_Bus_DeliversWhatIsQueuedThenEnds()
    {
        var bus = new EventBus();
        var subscriber = bus.Subscribe();
        bus.Publish(Quote(1));
        bus.Publish(Quote(2));

        await bus.DisposeAsync();

        var seen = new List<long>();
        await foreach (var streamEvent in subscriber.WithCancellation(TestContext.Current.CancellationToken))
        {
            seen.Add(streamEvent.Seq);
        }

        Assert.Equal([1L, 2], seen);
        Assert.Throws<ObjectDisposedException>(() => bus.Subscribe());
    }

    [Fact]
    public async Task Publish_ConcurrentPublishersAndAReader_EveryEventIsDeliveredOrCountedInOrder()
    {
        var bus = new EventBus();
        var subscriber = bus.Subscribe(new SubscriberOptions { Capacity = 64 });
        var ct = TestContext.Current.CancellationToken;
        var reader = Task.Run(
            async () =>
            {
                var seen = new List<StreamEvent>();
                await foreach (var streamEvent in subscriber.WithCancellation(ct))
                {
                    seen.Add(streamEvent);
                }

                return seen;
            },
            ct);
        var publishers = new[] { "P1", "P2" }.Select(p => Task.Run(
            () =>
            {
                for (var n = 1; n <= 50_000; n++)
                {
                    bus.Publish(Quote(n, p));
                }
            },
            ct)).ToArray();

        await Task.WhenAll(publishers).WaitAsync(WaitLimit, ct);
        await bus.DisposeAsync();
        var seen = await reader.WaitAsync(WaitLimit, ct);

        var counts = subscriber.Counts;
        Assert.Equal(100_000, counts.Delivered + counts.Dropped);
        Assert.Equal(counts.Dropped, seen.OfType<Lagged>().Sum(l => l.Count));
        foreach (var publisher in new[] { "P1", "P2" })
        {
            var sequence = seen.Where(e => e.AssetId == publisher).Select(e => e.Seq).ToList();
            Assert.Equal(sequence.Order(), sequence);
        }
    }

    [Fact]
    public async Task PublishAll_WaitingReader_WokenOnceFindsTheWholeBatchInOrder()
    {
        await using var bus = new EventBus();
        await using var reader = bus.Subscribe(new SubscriberOptions { Capacity = 16 });
        var waiting = reader.WaitToReadAsync(TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        bus.PublishAll([Quote(1), Quote(2), Quote(3)]);

        Assert.True(await waiting);
        Assert.Equal([1L, 2, 3], Drain(reader).Select(e => e.Seq));
        Assert.Equal(3, bus.PublishedCount);
    }

    [Fact]
    public async Task PublishAll_BatchPastCapacity_AppliesThePolicyPerEventLikePublish()
    {
        await using var bus = new EventBus();
        await using var dropping = bus.Subscribe(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.DropOldest });
        await using var strict = bus.Subscribe(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.Disconnect });
        await using var roomy = bus.Subscribe(new SubscriberOptions { Capacity = 10 });

        bus.PublishAll([Quote(1), Quote(2), Quote(3), Quote(4)]);

        var dropped = Drain(dropping);
        Assert.Equal(2, Assert.IsType<Lagged>(dropped[0]).Count);
        Assert.Equal([3L, 4], dropped.Skip(1).Select(e => e.Seq));
        var ended = Drain(strict);
        Assert.Equal([1L, 2], ended.Take(2).Select(e => e.Seq));
        Assert.IsType<SubscriberDisconnected>(ended[^1]);
        Assert.DoesNotContain(strict, bus.Subscribers);
        Assert.Equal([1L, 2, 3, 4], Drain(roomy).Select(e => e.Seq));
    }
}
