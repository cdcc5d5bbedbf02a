using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Keeps each owned book's latest published state in the snapshot bucket. Re-bases are written at once,
/// plain deltas at most every <see cref="NatsScaleOutOptions.SnapshotInterval"/> per book: a replica
/// replays the stream from the record's position, so an older record costs replay, never correctness.
/// </summary>
internal sealed class SnapshotWriter(INatsKVStore bucket, NatsScaleOutOptions options, string publisher, IAssetOwnership ownership, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long At, long Epoch)> _written = new(StringComparer.Ordinal);
    private long _writes;

    /// <summary>Books written so far.</summary>
    public long Written => Interlocked.Read(ref _writes);

    /// <summary>Notes a book as acknowledged by the stream at <paramref name="streamSequence"/>.</summary>
    public void Published(BookView view, ulong streamSequence)
    {
        lock (_pending)
        {
            var known = _pending.TryGetValue(view.AssetId, out var before);
            if (known && (before!.View.Epoch, before.View.Seq).CompareTo((view.Epoch, view.Seq)) > 0)
            {
                // Acknowledgements of one window complete in any order; keep the furthest state.
                return;
            }

            var epochWritten = _written.TryGetValue(view.AssetId, out var written) ? written.Epoch : -1;
            var rebased = view.Epoch != (known ? before!.View.Epoch : epochWritten);
            _pending[view.AssetId] = new Pending(view, streamSequence, rebased || (before?.Urgent ?? false));
        }
    }

    /// <summary>Writes what is due until cancelled; a failed write is retried at the next round.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var round = TimeSpan.FromMilliseconds(Math.Clamp(options.SnapshotInterval.TotalMilliseconds / 4, 20, 250));
        using var timer = new PeriodicTimer(round, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await FlushAsync(force: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the pending books that are due, or all of them with <paramref name="force"/> (a clean shutdown).</summary>
    public async Task FlushAsync(bool force, CancellationToken cancellationToken)
    {
        foreach (var pending in TakeDue(force))
        {
            try
            {
                await bucket.PutAsync(pending.View.AssetId, BookSnapshotRecord.Of(pending.View, pending.StreamSequence, publisher).ToJson(), cancellationToken: cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
            }
            catch (Exception ex) when (ex is NatsKVException or NatsException or TimeoutException)
            {
                NatsLog.SnapshotWriteFailed(logger, pending.View.AssetId, ex.Message);
                lock (_pending)
                {
                    // A newer state may have arrived meanwhile; it supersedes the failed one.
                    _pending.TryAdd(pending.View.AssetId, pending with { Urgent = true });
                }
            }
        }
    }

    private List<Pending> TakeDue(bool force)
    {
        var now = time.GetTimestamp();
        var due = new List<Pending>();
        lock (_pending)
        {
            var handedOver = new List<string>();
            foreach (var (asset, pending) in _pending)
            {
                if (!ownership.Holds(asset))
                {
                    // Another node owns it now and writes it from there.
                    handedOver.Add(asset);
                }
                else if (force || pending.Urgent || !_written.TryGetValue(asset, out var written) || time.GetElapsedTime(written.At, now) >= options.SnapshotInterval)
                {
                    due.Add(pending);
                }
            }

            foreach (var asset in handedOver)
            {
                _pending.Remove(asset);
                _written.Remove(asset);
            }

            foreach (var pending in due)
            {
                _pending.Remove(pending.View.AssetId);
                _written[pending.View.AssetId] = (now, pending.View.Epoch);
            }
        }

        return due;
    }

    private sealed record Pending(BookView View, ulong StreamSequence, bool Urgent);
}
