using PolyStream.Streaming;

namespace PolyStream.Nats;

/// <summary>
/// Publishes a node's ordered event stream to JetStream, a window of events at a time, each under its
/// de-duplication id, and reports each book the stream acknowledged (to the <see cref="SnapshotWriter"/>).
/// </summary>
/// <remarks>
/// A publish that fails is retried until the stream takes it (the id makes a retry of a stored event a
/// no-op), but by then later events of the window may be stored ahead of it. So after any failure, and
/// after the sink itself lagged behind the streamer, it re-bases the books involved: one
/// <c>book_rebase</c> per book with its whole state, after which every replica is exact again.
/// </remarks>
internal sealed class NatsEventSink(IBusPublisher publisher, BusEncoder encoder, Action<BookView, ulong> acknowledged, NatsScaleOutOptions options, IAssetOwnership ownership, Func<string, BookView?> currentBook, TimeProvider time)
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(2);
    private long _published;
    private long _retried;
    private long _rebased;
    private long _lastAcknowledged;

    /// <summary>Events the stream acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes that failed once and were retried.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Books re-based after a failure or a lag.</summary>
    public long Rebased => Interlocked.Read(ref _rebased);

    /// <summary>The highest stream sequence the stream acknowledged to this sink.</summary>
    public ulong LastAcknowledged => (ulong)Interlocked.Read(ref _lastAcknowledged);

    /// <summary>Publishes the subscriber's events until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(EventSubscriber events, CancellationToken cancellationToken)
    {
        var window = new List<BusMessage>(options.MaxInFlight);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        while (await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var lagged = TakeWindow(events, window, touched, withheld);
            var disordered = await PublishWindowAsync(window, cancellationToken).ConfigureAwait(false);
            if (lagged || disordered)
            {
                // Lost events can be anyone's; a failed window only its own books'.
                await RebaseAsync(lagged ? null : touched, cancellationToken).ConfigureAwait(false);
            }

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
    /// Reads up to a window of events, encoding those this node may publish now; returns whether the
    /// subscriber lost events before them.
    /// </summary>
    private bool TakeWindow(EventSubscriber events, List<BusMessage> window, HashSet<string> touched, HashSet<string> withheld)
    {
        var lagged = false;
        while (window.Count < options.MaxInFlight && events.TryRead(out var streamEvent))
        {
            switch (streamEvent)
            {
                case Lagged:
                    lagged = true;
                    break;
                case { AssetId: { } foreign } when !ownership.Holds(foreign):
                    break; // Another node's now (handed over, not yet unsubscribed here).
                case { AssetId: { } held } when !ownership.IsTrusted:
                    withheld.Add(held); // The lease may have lapsed unseen: publish nothing now, re-base once it is renewed.
                    break;
                default:
                    if (encoder.Encode(streamEvent) is { } message)
                    {
                        window.Add(message);
                        if (streamEvent.AssetId is { } asset)
                        {
                            touched.Add(asset);
                        }
                    }

                    break;
            }
        }

        return lagged;
    }

    /// <summary>Re-bases every held book that streams (<paramref name="assetIds"/> <see langword="null"/>) or the given ones.</summary>
    private async Task RebaseAsync(IEnumerable<string>? assetIds, CancellationToken cancellationToken)
    {
        foreach (var asset in assetIds ?? [.. ownership.HeldAssets])
        {
            if (ownership.Holds(asset) && currentBook(asset) is { Epoch: > 0 } view)
            {
                var message = encoder.EncodeRebase(view);
                await PublishUntilStoredAsync(message, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _rebased);
            }
        }
    }

    private async Task<bool> PublishWindowAsync(List<BusMessage> window, CancellationToken cancellationToken)
    {
        // Started together so the round trips overlap; the server stores them in the order sent.
        var attempts = new Task<ulong?>[window.Count];
        for (var i = 0; i < window.Count; i++)
        {
            attempts[i] = TryPublishAsync(window[i], cancellationToken);
        }

        var disordered = false;
        for (var i = 0; i < window.Count; i++)
        {
            if (await attempts[i].ConfigureAwait(false) is null)
            {
                disordered = true;
                Interlocked.Increment(ref _retried);
                await PublishUntilStoredAsync(window[i], cancellationToken).ConfigureAwait(false);
            }
        }

        return disordered;
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
        Interlocked.Increment(ref _published);
        var last = Interlocked.Read(ref _lastAcknowledged);
        while ((long)sequence > last && Interlocked.CompareExchange(ref _lastAcknowledged, (long)sequence, last) != last)
        {
            last = Interlocked.Read(ref _lastAcknowledged);
        }

        if (message.Book is { } book)
        {
            acknowledged(book, sequence);
        }
    }
}
