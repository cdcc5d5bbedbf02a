using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Publishes a node's ordered event stream to JetStream in rounds — each message a batch of a slot's events
/// (<see cref="BusBatcher"/>) or one event alone, under its de-duplication id — and reports each book the stream
/// acknowledged (to the <see cref="SnapshotWriter"/>). Rounds are pipelined: a round goes out while earlier
/// ones still wait for their acknowledgements, up to <see cref="NatsScaleOutOptions.MaxInFlight"/> messages, and
/// the rounds are settled in the order sent.
/// </summary>
/// <remarks>
/// <para>
/// Pipelined so that events do not wait in the sink's queue for a round trip: at 200,000 events a second a
/// round that waited for its acknowledgements left thousands of events queued, and every garbage collection
/// copied them into an older generation. A round in flight is held as its encoded bodies and the books' latest
/// views.
/// </para>
/// <para>
/// A publish that fails is retried until the stream takes it (the id makes a retry of a stored event a
/// no-op), but by then later events may be stored ahead of it; across a reconnect the client can also deliver
/// publishes out of order without any failing. So after any failure, after a round whose acknowledged
/// sequences do not rise above every one acknowledged before it, and after the sink itself lagged behind the
/// streamer, it re-bases the books involved: one <c>book_rebase</c> per book with its whole state, after which
/// every replica is exact again. After a lag a book is re-based in place of its next event (so its later events
/// follow on without a gap), or at its current state if it has none queued, and no book more than once per
/// <see cref="NatsScaleOutOptions.SnapshotInterval"/> (<see cref="RebaseSchedule"/>).
/// </para>
/// </remarks>
internal sealed class NatsEventSink(IBusPublisher publisher, BusEncoder encoder, Action<BookView, ulong> acknowledged, NatsScaleOutOptions options, IAssetOwnership ownership, Func<string, BookView?> currentBook, TimeProvider time)
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(2);

    // How often books waiting for a re-base are looked at again when no event comes.
    private static readonly TimeSpan s_waitingLook = TimeSpan.FromMilliseconds(100);
    private readonly RebaseSchedule _gaps = new(options.SnapshotInterval, time);
    private readonly BusBatcher _batcher = new(encoder, options.Slots);
    private readonly Queue<Round> _inFlight = new();
    private readonly Stack<Round> _spareRounds = new();

    // Books a settled round may have stored out of order (a publish failed, or one was stored below an earlier one): re-based by the loop.
    private readonly HashSet<string> _disordered = new(StringComparer.Ordinal);
    private int _messagesInFlight;

    // The highest sequence a settled round's publish was stored at: a later publish stored below it overtook one sent before it.
    private ulong _highestSettled;
    private long _published;
    private long _retried;
    private long _rebased;
    private long _reordered;
    private long _lastAcknowledged;

    /// <summary>Events the stream acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes that failed once and were retried.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Books re-based after a failure or a lag.</summary>
    public long Rebased => Interlocked.Read(ref _rebased);

    /// <summary>Rounds with a publish stored below one sent before it although every publish succeeded (a reconnect, or a duplicate).</summary>
    public long Reordered => Interlocked.Read(ref _reordered);

    /// <summary>The highest stream sequence the stream acknowledged to this sink.</summary>
    public ulong LastAcknowledged => (ulong)Interlocked.Read(ref _lastAcknowledged);

    /// <summary>Publishes the subscriber's events until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(EventSubscriber events, CancellationToken cancellationToken)
    {
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        long? lastRound = null;
        while (await WaitAsync(events, rebasesWaiting: withheld.Count > 0 || _gaps.Any, cancellationToken).ConfigureAwait(false))
        {
            await GatherAsync(lastRound, cancellationToken).ConfigureAwait(false);
            lastRound = time.GetTimestamp();
            await SettleAsync(untilRoomFor: 1, cancellationToken).ConfigureAwait(false);
            var round = NewRound();
            TakeWindow(events, round, withheld, options.MaxInFlight - _messagesInFlight);
            Send(round, cancellationToken);
            await RebaseDisorderedAsync(cancellationToken).ConfigureAwait(false);

            // Books with a gap and no event in this round: re-based at their current state.
            if (_gaps.Any)
            {
                await RebaseAsync(_gaps.Due(), cancellationToken).ConfigureAwait(false);
            }

            if (withheld.Count > 0 && ownership.IsTrusted)
            {
                await RebaseAsync(withheld, cancellationToken).ConfigureAwait(false);
                withheld.Clear();
            }
        }

        // The subscriber ended: settle every round in flight (room for a whole window), and re-base what that finds out of order.
        do
        {
            await SettleAsync(untilRoomFor: options.MaxInFlight, cancellationToken).ConfigureAwait(false);
            await RebaseDisorderedAsync(cancellationToken).ConfigureAwait(false);
        }
        while (_inFlight.Count > 0);
    }

    /// <summary>
    /// Waits for events, settling the rounds in flight as their acknowledgements come; <see langword="false"/> once
    /// the subscriber has ended. While books wait for a re-base (the lease to be trusted again, a re-base interval to
    /// pass) it also returns after <see cref="s_waitingLook"/>, so they are re-based when the events stop too, not
    /// only at the next event.
    /// </summary>
    private async ValueTask<bool> WaitAsync(EventSubscriber events, bool rebasesWaiting, CancellationToken cancellationToken)
    {
        using var look = rebasesWaiting ? new CancellationTokenSource(s_waitingLook, time) : null;
        using var wait = look is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, look.Token);
        try
        {
            var ready = events.WaitToReadAsync(wait?.Token ?? cancellationToken);
            if (ready.IsCompleted || _inFlight.Count == 0)
            {
                return await ready.ConfigureAwait(false);
            }

            // Nothing to read yet: settle what the stream acknowledged meanwhile, so a failure is mended without waiting
            // for the next event. Books to re-base end the wait (abandoned: the subscriber's next wait re-arms it).
            var readable = ready.AsTask();
            while (_inFlight.TryPeek(out var oldest) && !readable.IsCompleted && _disordered.Count == 0)
            {
                await Task.WhenAny(readable, oldest.Stored).ConfigureAwait(false);
                if (oldest.Stored.IsCompleted)
                {
                    await SettleOldestAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return readable.IsCompleted || _disordered.Count == 0 ? await readable.ConfigureAwait(false) : true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true; // Time to look at the waiting re-bases again.
        }
    }

    /// <summary>
    /// Waits until <see cref="NatsScaleOutOptions.BatchAge"/> has passed since the last round began, so a flow of events
    /// goes out in rounds of that age: at tens of thousands of events a second a round trip gathers one or two per slot,
    /// and every message costs the node and the server about as much as the events in it.
    /// </summary>
    private async ValueTask GatherAsync(long? lastRound, CancellationToken cancellationToken)
    {
        var wait = lastRound is { } last ? options.BatchAge - time.GetElapsedTime(last) : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the events waiting, up to <paramref name="room"/> messages, encoding into the round those this node may
    /// publish now; the batches still open when no event waits go out in this round too.
    /// </summary>
    private void TakeWindow(EventSubscriber events, Round round, HashSet<string> withheld, int room)
    {
        var window = round.Messages;
        while (window.Count + _batcher.Open < room && events.TryRead(out var streamEvent))
        {
            switch (streamEvent)
            {
                case Lagged:
                    _gaps.GapIn(ownership.HeldAssets); // Lost events can be anyone's.
                    break;
                case { AssetId: { } foreign } when !ownership.Holds(foreign):
                    break; // Another node's now (handed over, not yet unsubscribed here).
                case { AssetId: { } held } when !ownership.IsTrusted:
                    withheld.Add(held); // The lease may have lapsed unseen: publish nothing now, re-base once it is renewed.
                    break;
                case BookStateEvent { AssetId: { } gapped, Book.Epoch: > 0 } change when _gaps.HasGap(gapped) && change is not (BookSnapshotApplied or TickSizeChanged):
                    if (_gaps.IsDue(gapped))
                    {
                        // The whole book at this event's position: the events after it follow on.
                        _batcher.AddRebase(change.Book, window);
                        round.Touched.Add(gapped);
                        _gaps.Rebased(gapped);
                        Interlocked.Increment(ref _rebased);
                    }

                    break; // Otherwise dropped: a replica could not apply it across the gap anyway.
                default:
                    if (_batcher.Add(streamEvent, window))
                    {
                        if (streamEvent.AssetId is { } asset)
                        {
                            round.Touched.Add(asset);
                            if (streamEvent is BookSnapshotApplied or TickSizeChanged)
                            {
                                _gaps.Closed(asset); // A whole book: the gap ends here.
                            }
                        }
                    }

                    break;
            }
        }

        _batcher.Flush(window);
    }

    private Round NewRound() => _spareRounds.Count > 0 ? _spareRounds.Pop() : new Round();

    /// <summary>Starts publishing the round's messages together, so their round trips overlap, and keeps it in flight until it is settled.</summary>
    private void Send(Round round, CancellationToken cancellationToken)
    {
        if (round.Messages.Count == 0)
        {
            _spareRounds.Push(round);
            return;
        }

        foreach (var message in round.Messages)
        {
            round.Attempts.Add(TryPublishAsync(message, cancellationToken));
        }

        round.Stored = Task.WhenAll(round.Attempts);
        _inFlight.Enqueue(round);
        _messagesInFlight += round.Messages.Count;
    }

    /// <summary>Settles the rounds in flight, oldest first, until <paramref name="untilRoomFor"/> more messages may go out.</summary>
    private async Task SettleAsync(int untilRoomFor, CancellationToken cancellationToken)
    {
        while (_inFlight.TryPeek(out var oldest) && (oldest.Stored.IsCompleted || _messagesInFlight + untilRoomFor > options.MaxInFlight))
        {
            await SettleOldestAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the oldest round's acknowledgements, retries what failed until it is stored, and marks the round's books
    /// for a re-base when any publish failed or was stored below one sent before it.
    /// </summary>
    private async Task SettleOldestAsync(CancellationToken cancellationToken)
    {
        var round = _inFlight.Peek();

        // The server stores publishes in the order they reach it, which is the order sent only while the connection
        // stays up: publishes the client held across a reconnect can reach the server after later ones.
        var failed = false;
        var reordered = false;
        for (var i = 0; i < round.Messages.Count; i++)
        {
            if (await round.Attempts[i].ConfigureAwait(false) is { } sequence)
            {
                // A duplicate's sequence is its first copy's, so it too counts as out of order: a rare, harmless re-base.
                reordered |= sequence <= _highestSettled;
                _highestSettled = Math.Max(_highestSettled, sequence);
                continue;
            }

            // Its books are re-based below, so its new sequence needs no comparing.
            failed = true;
            Interlocked.Increment(ref _retried);
            await PublishUntilStoredAsync(round.Messages[i], cancellationToken).ConfigureAwait(false);
        }

        if (reordered && !failed)
        {
            Interlocked.Increment(ref _reordered);
        }

        _inFlight.Dequeue();
        _messagesInFlight -= round.Messages.Count;
        round.Messages.ForEach(encoder.Release);
        if (failed || reordered)
        {
            _disordered.UnionWith(round.Touched);
        }

        round.Clear();
        _spareRounds.Push(round);
    }

    /// <summary>Re-bases the books settled rounds may have stored out of order.</summary>
    private async Task RebaseDisorderedAsync(CancellationToken cancellationToken)
    {
        if (_disordered.Count > 0)
        {
            // Taken first: settling room for the re-bases can find more.
            string[] books = [.. _disordered];
            _disordered.Clear();
            await RebaseAsync(books, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Re-bases the given held books at their current state: rounds of one message per book, sent without waiting for
    /// their acknowledgements like any other (a sink that waited here after a lag lagged again), settled in order.
    /// </summary>
    private async Task RebaseAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken)
    {
        var rebases = new List<BusMessage>();
        foreach (var asset in assetIds)
        {
            if (ownership.Holds(asset) && currentBook(asset) is { Epoch: > 0 } view)
            {
                rebases.Add(encoder.EncodeRebase(view));
                _gaps.Rebased(asset);
            }
            else
            {
                _gaps.Closed(asset); // Not ours, or no book yet: its first snapshot will base it.
            }
        }

        // A re-base is the whole book at its current position: an older event of the book stored after it is skipped
        // by the replicas, and one stored out of order is found like any other and re-based again.
        foreach (var window in rebases.Chunk(options.MaxInFlight))
        {
            await SettleAsync(untilRoomFor: window.Length, cancellationToken).ConfigureAwait(false);
            var round = NewRound();
            foreach (var message in window)
            {
                round.Messages.Add(message);
                round.Touched.Add(message.Books[0].AssetId);
            }

            Send(round, cancellationToken);
        }

        Interlocked.Add(ref _rebased, rebases.Count);
    }

    private async Task PublishUntilStoredAsync(BusMessage message, CancellationToken cancellationToken)
    {
        var delay = s_firstRetry;
        while (await TryPublishAsync(message, cancellationToken).ConfigureAwait(false) is null)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_lastRetry.Ticks));
        }
    }

    private async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
    {
        var sequence = await publisher.TryPublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (sequence is { } stored)
        {
            Acknowledged(message, stored);
        }

        return sequence;
    }

    private void Acknowledged(BusMessage message, ulong sequence)
    {
        Interlocked.Add(ref _published, message.Events);
        var last = Interlocked.Read(ref _lastAcknowledged);
        while ((long)sequence > last && Interlocked.CompareExchange(ref _lastAcknowledged, (long)sequence, last) != last)
        {
            last = Interlocked.Read(ref _lastAcknowledged);
        }

        foreach (var book in message.Books)
        {
            acknowledged(book, sequence);
        }
    }

    /// <summary>A round of messages in flight: their publishes and the books they carry, reused once settled.</summary>
    private sealed class Round
    {
        public List<BusMessage> Messages { get; } = [];

        /// <summary>The assets whose events the round carries: re-based when it is stored out of order.</summary>
        public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

        /// <summary>Each message's publish: the sequence it was stored at, or <see langword="null"/> when it failed.</summary>
        public List<Task<ulong?>> Attempts { get; } = [];

        /// <summary>Completes when every publish of the round has been answered.</summary>
        public Task Stored { get; set; } = Task.CompletedTask;

        public void Clear()
        {
            Messages.Clear();
            Touched.Clear();
            Attempts.Clear();
            Stored = Task.CompletedTask;
        }
    }
}
