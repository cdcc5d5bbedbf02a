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
    private EventSubscriber? _events;

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

    private (NatsEventSink Sink, Task Run) Start(SubscriberOptions? subscriber = null, Action? beforeRun = null, TimeProvider? time = null, TimeSpan? batchAge = null, int maxInFlight = 8)
    {
        var options = new NatsScaleOutOptions { MaxInFlight = maxInFlight, SnapshotInterval = TimeSpan.FromMinutes(1), BatchAge = batchAge ?? new NatsScaleOutOptions().BatchAge };
        var sink = new NatsEventSink(_publisher, new BusEncoder("polystream", "node-a-1"), (view, seq) => _acknowledged.Enqueue((view.AssetId, seq)), options, _ownership, _engine.Engine.GetOrderBook, time ?? TimeProvider.System);
        var events = _events = _engine.Bus.Subscribe(subscriber ?? new SubscriberOptions { Capacity = 10_000 });
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

        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "A", 1, 1), "the delta stored");

        Assert.Equal(["book_snapshot A 1:0", "book_delta A 1:1"], _publisher.Events.Where(e => e.Type is "book_snapshot" or "book_delta").Select(e => $"{e.Type} {e.Asset} {e.Epoch}:{e.Seq}"));
        Assert.Equal("A:1:0", _publisher.Stored.Single(m => m.Subject == "polystream.book_snapshot.A").MessageId);
        Assert.Equal(0, sink.Retried);
        Assert.Equal(_publisher.Events.Count, sink.Published);
        Assert.Contains(_acknowledged, a => a.Asset == "A");
    }

    [Fact]
    public async Task AFailedPublish_IsRetriedUntilStored_ThenItsBooksAreRebased()
    {
        _publisher.FailOnce(m => m.Payload.Span.IndexOf("\"book_delta\""u8) >= 0);
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");

        var events = _publisher.Events.ToList();
        var delta = events.FindIndex(e => e is { Type: "book_delta", Asset: "A", Epoch: 1, Seq: 1 });
        Assert.True(delta >= 0, "the failed delta was retried until stored");
        Assert.True(delta < events.FindIndex(e => e.Type == "book_rebase"), "the re-base comes after the retried delta");
        Assert.Equal((1L, 1L), (sink.Retried, sink.Rebased));
    }

    [Fact]
    public async Task AWindowStoredOutOfOrder_WithoutAnyFailure_HasItsBooksRebased()
    {
        var (sink, _) = Start();
        await SnapshotBothBooksAsync();

        // A's snapshot reaches the stream after B's delta that was sent behind it, as after a reconnect.
        _publisher.StoreLateOnce(m => m.Subject == "polystream.book_snapshot.A");
        _publisher.Hold();
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "B", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Waiting > 0, "the sink waiting on its publisher");
        _ = _engine.Venue.ChangeFrame(1002, "A", Side.Sell, "0.6", "9"); // never delivered: A's next book opens an epoch, so it goes alone
        _engine.Feed(_engine.Venue.BookFrame("A", 1002));
        _engine.Feed(_engine.Venue.ChangeFrame(1003, "B", Side.Buy, "0.46", "2"));
        _publisher.Release();

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");
        Assert.Equal(0, sink.Retried);
        var events = _publisher.Events.ToList();
        Assert.True(events.FindLastIndex(e => e is { Type: "book_snapshot", Asset: "A" }) < events.FindIndex(e => e.Type == "book_rebase"), "the re-base follows the late snapshot");
    }

    [Fact]
    public async Task APublishStoredBelowOneOfAnEarlierRound_HasItsBookRebasedAfterBoth()
    {
        var (sink, _) = Start(batchAge: TimeSpan.Zero);
        await SnapshotBothBooksAsync();

        // A's first delta reaches the stream only after the next round's, as after a reconnect.
        _publisher.StoreLateOnce(m => m.Books.Any(b => b is { AssetId: "A", Seq: 1 }));
        var calls = _publisher.Calls;
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Calls > calls, "the first delta's round sent");
        _engine.Feed(_engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.46", "2"));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");
        var events = _publisher.Events.ToList();
        var rebase = events.FindIndex(e => e.Type == "book_rebase");
        Assert.Equal([2L, 1L], events.Take(rebase).Where(e => e is { Type: "book_delta", Asset: "A" }).Select(e => e.Seq));
        Assert.Equal((0L, 1L, 1L), (sink.Retried, sink.Reordered, sink.Rebased));
        Assert.Equal(2, _publisher.Stored.Single(m => m.Subject == "polystream.book_rebase.A").Books.Single().Seq);
    }

    [Fact]
    public async Task WhileAcknowledgementsAreSlow_LaterRoundsGoOut_UpToMaxInFlightMessages()
    {
        var (sink, _) = Start(batchAge: TimeSpan.Zero, maxInFlight: 2);
        await SnapshotBothBooksAsync();

        _publisher.Hold();
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Waiting == 1, "the first round waiting on the publisher");
        _engine.Feed(_engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.46", "2"));
        await WaitUntilAsync(() => _publisher.Waiting == 2, "a second round sent before the first was acknowledged");

        // Two messages in flight, the most allowed: the next event waits in the queue.
        _engine.Feed(_engine.Venue.ChangeFrame(1003, "A", Side.Buy, "0.46", "3"));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal((2, 1), (_publisher.Waiting, _events!.Counts.Queued));

        _publisher.Release();
        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "A", 1, 3), "the third delta stored");
        Assert.Equal([1L, 2L, 3L], _publisher.Events.Where(e => e is { Type: "book_delta", Asset: "A" }).Select(e => e.Seq));
        Assert.Equal((0L, 0L, 0L), (sink.Retried, sink.Reordered, sink.Rebased));
        Assert.Equal(_publisher.Events.Count, sink.Published);
    }

    [Fact]
    public async Task AWindowStoredInOrder_IsNotRebased()
    {
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _publisher.Hold();
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Waiting > 0, "the sink waiting on its publisher");
        _engine.Feed(_engine.Venue.BookFrame("B", 1002));
        _engine.Feed(_engine.Venue.ChangeFrame(1003, "A", Side.Buy, "0.46", "2"));
        _publisher.Release();

        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "A", 1, 2), "A's second delta stored");
        Assert.Equal((0L, 0L), (sink.Retried, sink.Rebased));
    }

    [Fact]
    public async Task EventsOfAnAssetNotHeld_AreNotPublished()
    {
        _ownership.Release("B");
        Start();
        _engine.Feed(_engine.Venue.BookFrame("B", 1000));
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == "A:1:0"), "A's snapshot stored");

        Assert.DoesNotContain(_publisher.Events, e => e.Asset == "B");
    }

    [Fact]
    public async Task WhileTheLeaseIsUnconfirmed_NothingIsPublished_AndTheBookIsRebasedOnceItIs_WithoutWaitingForAnotherEvent()
    {
        var (sink, _) = Start();
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.MessageId == "A:1:0"), "A's snapshot stored");

        _ownership.Trusted = false;
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));
        await WaitUntilAsync(() => _engine.Bus.Subscribers.All(s => s.Counts.Queued == 0), "the delta consumed");
        Assert.False(_publisher.HasEvent("book_delta", "A", 1, 1), "a delta published while the lease was unconfirmed");

        _ownership.Trusted = true;

        await WaitUntilAsync(() => _publisher.Stored.Any(m => m.Subject == "polystream.book_rebase.A"), "a re-base of A");
        Assert.Equal(1, sink.Rebased);
        Assert.Equal(1, _publisher.Stored.Single(m => m.Subject == "polystream.book_rebase.A").Books.Single().Seq);
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

        await WaitUntilAsync(() => sink.Rebased == 2 && RebasesStored == 2, "both books re-based");

        Assert.Contains(_publisher.Stored, m => m.Subject == "polystream.book_rebase.A");
        Assert.Contains(_publisher.Stored, m => m.Subject == "polystream.book_rebase.B");
    }

    [Fact]
    public async Task ReBasesAfterALag_DoNotHoldUpTheEventsThatFollow()
    {
        _publisher.Hold();
        var (sink, _) = Start(new SubscriberOptions { Capacity = 2, Overflow = OverflowPolicy.DropOldest }, batchAge: TimeSpan.Zero, beforeRun: () =>
        {
            _engine.Feed(_engine.Venue.BookFrame("A", 1000));
            _engine.Feed(_engine.Venue.BookFrame("B", 1000));
            for (var i = 0; i < 10; i++)
            {
                _engine.Feed(_engine.Venue.ChangeFrame(1001 + i, "A", Side.Buy, "0.46", (30 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        });
        await WaitUntilAsync(() => sink.Rebased == 2, "both books' re-bases sent");
        var waiting = _publisher.Waiting;

        // The re-bases wait for the stream; B's next delta goes out meanwhile.
        _engine.Feed(_engine.Venue.ChangeFrame(2000, "B", Side.Buy, "0.46", "7"));
        await WaitUntilAsync(() => _publisher.Waiting > waiting, "B's delta sent while the re-bases wait");

        _publisher.Release();
        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "B", 1, 1), "B's delta stored");
        var events = _publisher.Events.ToList();
        Assert.True(events.FindIndex(e => e is { Type: "book_rebase", Asset: "B" }) < events.FindIndex(e => e is { Type: "book_delta", Asset: "B" }), "B's delta follows its re-base");
        Assert.Single(_publisher.Stored, m => m.Subject == "polystream.book_rebase.B");
    }

    [Fact]
    public async Task ASinkThatKeepsLagging_RebasesEachBookAtMostOncePerInterval_AndDropsItsDeltasMeanwhile()
    {
        var time = new FakeTimeProvider();

        // One message in flight: the sink stops reading as soon as a publish waits, so a held publisher makes it lag.
        var (sink, _) = Start(new SubscriberOptions { Capacity = 4, Overflow = OverflowPolicy.DropOldest }, time: time, batchAge: TimeSpan.Zero, maxInFlight: 1);
        await SnapshotBothBooksAsync();

        await LagAsync(1001);
        await WaitUntilAsync(() => sink.Rebased == 2 && RebasesStored == 2, "both books re-based after the first lag");
        var afterFirst = _publisher.Events.Count;
        var aRebase = _publisher.Stored.Last(m => m.Subject == "polystream.book_rebase.A");
        Assert.True(aRebase.Books.Single().Seq < _engine.View("A").Seq, "A was re-based in place of a queued delta, not at its latest state");
        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "A", 1, _engine.View("A").Seq), "A's deltas after its re-base published");

        await LagAsync(2001);
        Assert.Equal(2, sink.Rebased);
        // Only the delta in flight when the lag began; none of those read after it, and no second re-base.
        Assert.Equal(["polystream.book_delta.A"], _publisher.Events.Skip(afterFirst).Select(e => e.Subject).Where(s => s.StartsWith("polystream.book_", StringComparison.Ordinal)));

        // No further event: the interval passing is enough. The sink arms its next look on the clock as it parks,
        // which may come after this advance, so the clock keeps moving in look-sized steps until it looks.
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                return sink.Rebased >= 3 && RebasesStored >= 3;
            },
            "A re-based once the interval passed");
        Assert.Equal(_engine.View("A").Seq, _publisher.Stored.Last(m => m.Subject == "polystream.book_rebase.A").Books.Single().Seq);
    }

    [Fact]
    public async Task EventsWaitingTogether_GoOutBatchedBySlot_AndEveryEventIsCountedPublished()
    {
        var (sink, _) = Start();
        await SnapshotBothBooksAsync();

        _publisher.Hold();
        _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "1"));
        await WaitUntilAsync(() => _publisher.Waiting > 0, "the sink waiting on its publisher");
        for (var i = 0; i < 20; i++)
        {
            _engine.Feed(_engine.Venue.ChangeFrame(1002 + i, i % 2 == 0 ? "A" : "B", Side.Buy, "0.46", (2 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        _publisher.Release();
        await WaitUntilAsync(() => _publisher.HasEvent("book_delta", "B", 1, 10), "B's last delta stored");

        var batches = _publisher.Stored.Where(m => m.Subject.StartsWith("polystream.batch.", StringComparison.Ordinal) && m.Events > 1).ToList();
        Assert.NotEmpty(batches);
        var slotSubjects = new[] { "A", "B" }.Select(a => BusNames.BatchSubject("polystream", BusNames.SlotOf(a, new NatsScaleOutOptions().Slots))).ToHashSet();
        Assert.All(batches, b => Assert.Contains(b.Subject, slotSubjects));
        Assert.Equal(_publisher.Events.Count, sink.Published);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), _publisher.Events.Where(e => e is { Type: "book_delta", Asset: "B" }).Select(e => e.Seq));
        Assert.Equal(0, sink.Rebased);
    }

    [Fact]
    public async Task WhileEventsKeepComing_ARoundWaitsItsBatchAge_SoItsSlotsEventsGoOutInOneMessage()
    {
        var time = new FakeTimeProvider();
        var (sink, _) = Start(time: time, batchAge: TimeSpan.FromMilliseconds(50));
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        await WaitUntilAsync(() => _publisher.HasEvent("book_snapshot", "A", 1, 0), "the first event, after a quiet spell, published at once");

        for (var i = 1; i <= 10; i++)
        {
            _engine.Feed(_engine.Venue.ChangeFrame(1000 + i, "A", Side.Buy, "0.46", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(_publisher.HasEvent("book_delta", "A", 1, 1), "a delta went out before the round's batch age had passed");

        // The sink arms its wait on the clock as it parks, so the clock moves in small steps until it publishes.
        await WaitUntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
                return _publisher.HasEvent("book_delta", "A", 1, 10);
            },
            "the deltas published once the batch age passed");
        var batch = _publisher.Stored[^1];
        Assert.StartsWith("polystream.batch.", batch.Subject, StringComparison.Ordinal);
        Assert.Equal(10, batch.Events); // all ten deltas, which came while the round waited
        Assert.Equal(_publisher.Events.Count, sink.Published);
    }

    /// <summary>Re-bases stored: the sink counts one as it sends it.</summary>
    private int RebasesStored => _publisher.Stored.Count(m => m.Subject.StartsWith("polystream.book_rebase.", StringComparison.Ordinal));

    /// <summary>Feeds the books of A and B and waits until both snapshots are stored.</summary>
    private async Task SnapshotBothBooksAsync()
    {
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        _engine.Feed(_engine.Venue.BookFrame("B", 1000));
        await WaitUntilAsync(() => _publisher.Stored.Count(m => m.Subject.StartsWith("polystream.book_snapshot.", StringComparison.Ordinal)) == 2, "both snapshots stored");
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
        private readonly ConcurrentQueue<Func<BusMessage, bool>> _failOnce = new();
        private readonly ConcurrentQueue<Func<BusMessage, bool>> _storeLate = new();
        private readonly object _gate = new();
        private readonly List<BusMessage> _stored = [];
        private TaskCompletionSource _anotherStored = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _lastTurn = Task.CompletedTask;

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
        private int _calls;

        /// <summary>Publishes begun, stored or not.</summary>
        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Publishes waiting for <see cref="Release"/>.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        /// <summary>The events stored, in stream order, each as read back from its message (<see cref="NatsBusEvent.Of"/>).</summary>
        public IReadOnlyList<StoredEvent> Events =>
        [
            .. Stored.SelectMany((m, i) => NatsBusEvent.Of("polystream", m.Subject, (ulong)i + 1, m.Payload.Span)).Select(StoredEvent.Of),
        ];

        public bool HasEvent(string type, string asset, long epoch, long seq) =>
            Events.Any(e => e.Type == type && e.Asset == asset && e.Epoch == epoch && e.Seq == seq);

        /// <summary>Fails the first publish of a message that <paramref name="matches"/>.</summary>
        public void FailOnce(Func<BusMessage, bool> matches) => _failOnce.Enqueue(matches);

        /// <summary>Stores the first message that <paramref name="matches"/> only after another one: a publish held back across a reconnect.</summary>
        public void StoreLateOnce(Func<BusMessage, bool> matches) => _storeLate.Enqueue(matches);

        /// <summary>Makes publishes wait until <see cref="Release"/>, like a slow server.</summary>
        public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _held.TrySetResult();

        public async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);

            // Publishes reach the stream in the order they were made, like a connection that stays up.
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task previous;
            lock (_gate)
            {
                (previous, _lastTurn) = (_lastTurn, turn.Task);
            }

            try
            {
                Interlocked.Increment(ref _waiting);
                await _held.Task.WaitAsync(cancellationToken);
                await previous.WaitAsync(cancellationToken);
                Interlocked.Decrement(ref _waiting);
                if (_failOnce.TryPeek(out var fail) && fail(message) && _failOnce.TryDequeue(out _))
                {
                    return null;
                }

                if (_storeLate.TryPeek(out var late) && late(message) && _storeLate.TryDequeue(out _))
                {
                    Task another;
                    lock (_gate)
                    {
                        another = _anotherStored.Task;
                    }

                    turn.TrySetResult(); // Lets the next one overtake.
                    await another.WaitAsync(cancellationToken);
                }

                lock (_gate)
                {
                    // A copy, as the server keeps: the sink gives the body back to its encoder's pool once it is stored.
                    _stored.Add(message with { Payload = message.Payload.ToArray() });
                    _anotherStored.TrySetResult();
                    _anotherStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return (ulong)_stored.Count;
                }
            }
            finally
            {
                turn.TrySetResult();
            }
        }

        private static TaskCompletionSource CompletedHold()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }

    /// <summary>One stored event: its subject as if alone, type and position.</summary>
    private sealed record StoredEvent(string Subject, string Type, string? Asset, long Epoch, long Seq)
    {
        public static StoredEvent Of(NatsBusEvent e)
        {
            using var json = System.Text.Json.JsonDocument.Parse(e.Json);
            var root = json.RootElement;
            return new StoredEvent(e.Subject, root.GetProperty("type").GetString()!, e.AssetId, root.GetProperty("epoch").GetInt64(), root.GetProperty("seq").GetInt64());
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
