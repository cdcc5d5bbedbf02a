using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Cli.Chaos;

/// <summary>
/// A subscriber that never lags (a queue far larger than the soak produces) and checks every book's
/// <c>(Epoch, Seq)</c>: within an epoch each delta must be the previous one plus one. Anything
/// missing, and any <see cref="Lagged"/> notice, counts as lost.
/// </summary>
internal sealed class SequenceAudit : IAsyncDisposable
{
    private readonly EventSubscriber _events;
    private readonly Dictionary<string, (long Epoch, long Seq)> _positions = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private long _lost;

    public SequenceAudit(Streamer streamer)
    {
        _events = streamer.Subscribe(new SubscriberOptions { Capacity = 4_000_000, Name = "chaos-audit" });
        _loop = ReadAsync();
    }

    public long Lost => Interlocked.Read(ref _lost);

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task ReadAsync()
    {
        await foreach (var e in ((IAsyncEnumerable<StreamEvent>)_events).ConfigureAwait(false))
        {
            if (e is Lagged lagged)
            {
                Interlocked.Add(ref _lost, lagged.Count);
                continue;
            }

            if (e is not BookStateEvent || e.AssetId is not { } asset)
            {
                continue;
            }

            if (e is BookDeltaApplied && _positions.TryGetValue(asset, out var last) && last.Epoch == e.Epoch && e.Seq > last.Seq + 1)
            {
                Interlocked.Add(ref _lost, e.Seq - last.Seq - 1);
            }

            _positions[asset] = (e.Epoch, e.Seq);
        }
    }
}
