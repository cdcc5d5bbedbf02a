using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Publishes a node's ordered event stream to JetStream a window of messages at a time — each a batch of a
/// slot's events (<see cref="BusBatcher"/>) or one event alone — under their de-duplication ids, and reports
/// each book the stream acknowledged (to the <see cref="SnapshotWriter"/>).
/// </summary>
/// <remarks>
/// A publish that fails is retried until the stream takes it (the id makes a retry of a stored event a
/// no-op), but by then later events of the window may be stored ahead of it; across a reconnect the client
/// can also deliver a window's publishes out of order without any failing. So after any failure, after a
/// window whose acknowledged sequences do not rise in the order sent, and after the sink itself lagged
/// behind the streamer, it re-bases the books involved: one
/// <c>book_rebase</c> per book with its whole state, after which every replica is exact again. After a lag
/// a book is re-based in place of its next event (so its later events follow on without a gap), or at its
/// current state if it has none queued, and no book more than once per
/// <see cref="NatsScaleOutOptions.SnapshotInterval"/> (<see cref="RebaseSchedule"/>).
/// </remarks>
internal sealed class NatsEventSink(IBusPublisher publisher, BusEncoder encoder, Action<BookView, ulong> acknowledged, NatsScaleOutOptions options, IAssetOwnership ownership, Func<string, BookView?> currentBook, TimeProvider time)
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(2);

    // How often books waiting for a re-base are looked at again when no event comes.
    private static readonly TimeSpan s_waitingLook = TimeSpan.FromMilliseconds(100);
    private readonly RebaseSchedule _gaps = new(options.SnapshotInterval, time);
    private readonly BusBatcher _batcher = new(encoder, options.Slots);
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

    /// <summary>Rounds whose acknowledged sequences did not rise in the order sent although every publish succeeded (a reconnect, or a duplicate).</summary>
    public long Reordered => Interlocked.Read(ref _reordered);

    /// <summary>The highest stream sequence the stream acknowledged to this sink.</summary>
    public ulong LastAcknowledged => (ulong)Interlocked.Read(ref _lastAcknowledged);

    /// <summary>Publishes the subscriber's events until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(EventSubscriber events, CancellationToken cancellationToken)
    {
        var window = new List<BusMessage>(options.MaxInFlight);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        long? lastRound = null;
        while (await WaitAsync(events, rebasesWaiting: withheld.Count > 0 || _gaps.Any, cancellationToken).ConfigureAwait(false))
        {
            await GatherAsync(lastRound, cancellationToken).ConfigureAwait(false);
            lastRound = time.GetTimestamp();
            TakeWindow(events, window, touched, withheld);
            if (await PublishWindowAsync(window, cancellationToken).ConfigureAwait(false))
            {
                // A failed window may have stored its books' events out of order.
                await RebaseAsync(touched, cancellationToken).ConfigureAwait(false);
            }

            // Books with a gap and no event in this window: re-based at their current state.
            await RebaseAsync(_gaps.Due(), cancellationToken).ConfigureAwait(false);
            if (withheld.Count > 0 && ownership.IsTrusted)
            {
                await RebaseAsync(withheld, cancellationToken).ConfigureAwait(false);
                withheld.Clear();
            }

            window.Clear();
            touched.Clear();
        }
    }

    /// <summary>
    /// Waits for events; <see langword="false"/> once the subscriber has ended. While books wait for a re-base (the
    /// lease to be trusted again, a re-base interval to pass) it also returns after <see cref="s_waitingLook"/>, so
    /// they are re-based when the events stop too, not only at the next event.
    /// </summary>
    private async ValueTask<bool> WaitAsync(EventSubscriber events, bool rebasesWaiting, CancellationToken cancellationToken)
    {
        if (!rebasesWaiting)
        {
            return await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        using var look = new CancellationTokenSource(s_waitingLook, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, look.Token);
        try
        {
            return await events.WaitToReadAsync(wait.Token).ConfigureAwait(false);
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
    /// Reads the events waiting, up to a window of messages, encoding those this node may publish now; the
    /// batches still open when no event waits go out in this window too.
    /// </summary>
    private void TakeWindow(EventSubscriber events, List<BusMessage> window, HashSet<string> touched, HashSet<string> withheld)
    {
        while (window.Count + _batcher.Open < options.MaxInFlight && events.TryRead(out var streamEvent))
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
                        touched.Add(gapped);
                        _gaps.Rebased(gapped);
                        Interlocked.Increment(ref _rebased);
                    }

                    break; // Otherwise dropped: a replica could not apply it across the gap anyway.
                default:
                    if (_batcher.Add(streamEvent, window))
                    {
                        if (streamEvent.AssetId is { } asset)
                        {
                            touched.Add(asset);
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

    /// <summary>Re-bases the given held books at their current state, a window at a time like events.</summary>
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

        foreach (var window in rebases.Chunk(options.MaxInFlight))
        {
            // Each is retried until stored; one message per book, so no book's order can suffer.
            await PublishWindowAsync(window, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _rebased, rebases.Count);
    }

    /// <summary>Publishes a window; returns whether its messages may have been stored out of order.</summary>
    private async Task<bool> PublishWindowAsync(IReadOnlyList<BusMessage> window, CancellationToken cancellationToken)
    {
        // Started together so the round trips overlap. The server stores them in the order they reach it, which
        // is the order sent only while the connection stays up: publishes the client held across a reconnect
        // can reach the server after later ones. So the order is checked from the acknowledged sequences.
        var attempts = new Task<ulong?>[window.Count];
        for (var i = 0; i < window.Count; i++)
        {
            attempts[i] = TryPublishAsync(window[i], cancellationToken);
        }

        var failed = false;
        var reordered = false;
        var previous = 0UL;
        for (var i = 0; i < window.Count; i++)
        {
            if (await attempts[i].ConfigureAwait(false) is { } sequence)
            {
                // A duplicate's sequence is its first copy's, so it too counts as out of order: a rare, harmless re-base.
                reordered |= sequence <= previous;
                previous = sequence;
                continue;
            }

            failed = true;
            Interlocked.Increment(ref _retried);
            await PublishUntilStoredAsync(window[i], cancellationToken).ConfigureAwait(false);
        }

        if (reordered && !failed)
        {
            Interlocked.Increment(ref _reordered);
        }

        return failed || reordered;
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
}
