using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using PolyStream.Streaming;

namespace PolyStream.Nats;

/// <summary>
/// Publishes a node's ordered event stream to JetStream, a window of events at a time, each under its
/// de-duplication id, and feeds what the stream acknowledged to the <see cref="SnapshotWriter"/>.
/// </summary>
/// <remarks>
/// A publish that fails is retried until the stream takes it (the id makes a retry of a stored event a
/// no-op), but by then later events of the window may be stored ahead of it. So after any failure, and
/// after the sink itself lagged behind the streamer, it re-bases the books involved: one
/// <c>book_rebase</c> per book with its whole state, after which every replica is exact again.
/// </remarks>
internal sealed class NatsEventSink(INatsJSContext jetStream, BusEncoder encoder, SnapshotWriter snapshots, NatsScaleOutOptions options, IAssetOwnership ownership, Func<string, BookView?> currentBook, TimeProvider time, ILogger logger)
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
        while (await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var lagged = false;
            while (window.Count < options.MaxInFlight && events.TryRead(out var streamEvent))
            {
                if (streamEvent is Lagged)
                {
                    lagged = true;
                }
                else if ((streamEvent.AssetId is null || ownership.Owns(streamEvent.AssetId)) && encoder.Encode(streamEvent) is { } message)
                {
                    window.Add(message);
                    if (streamEvent.AssetId is { } asset)
                    {
                        touched.Add(asset);
                    }
                }
            }

            var disordered = await PublishWindowAsync(window, cancellationToken).ConfigureAwait(false);
            if (lagged || disordered)
            {
                // Lost events can be anyone's; a failed window only its own books'.
                await RebaseAsync(lagged ? null : touched, cancellationToken).ConfigureAwait(false);
            }

            window.Clear();
            touched.Clear();
        }
    }

    /// <summary>Re-bases every owned book that streams (<paramref name="assetIds"/> <see langword="null"/>) or the given ones.</summary>
    public async Task RebaseAsync(IEnumerable<string>? assetIds, CancellationToken cancellationToken)
    {
        foreach (var asset in assetIds ?? [.. ownership.OwnedAssets])
        {
            if (ownership.Owns(asset) && currentBook(asset) is { Epoch: > 0 } view)
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
        try
        {
            var ack = await jetStream.PublishAsync(message.Subject, message.Payload, opts: new NatsJSPubOpts { MsgId = message.MessageId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            ack.EnsureSuccess();
            Acknowledged(message, ack.Seq);
            return ack.Seq;
        }
        catch (Exception ex) when (ex is NatsJSException or NatsException or TimeoutException)
        {
            NatsLog.PublishFailed(logger, message.Subject, ex.Message);
            return null;
        }
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
            snapshots.Published(book, sequence);
        }
    }
}
