using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>
/// Lets one copy of each market lifecycle event through. The venue sends <c>new_market</c> to every
/// connection and <c>market_resolved</c> to every connection that carries one of the market's tokens,
/// so a streamer with several connections receives each several times; its readers should see it once.
/// </summary>
/// <remarks>
/// Shared by the engines of all of a streamer's connections, so it locks. A market is listed and resolved
/// once, and the copies arrive within moments of each other, so remembering the latest
/// <see cref="Capacity"/> events is enough and keeps memory bounded however long the process runs.
/// </remarks>
internal sealed class MarketEventGate
{
    /// <summary>How many recent events are remembered.</summary>
    public const int Capacity = 4096;

    private readonly Lock _lock = new();
    private readonly HashSet<(WireEventKind, string)> _seen = [];
    private readonly Queue<(WireEventKind, string)> _order = new();

    /// <summary>Whether this is the first copy of <paramref name="kind"/> for <paramref name="market"/> (a condition id).</summary>
    public bool TryPass(WireEventKind kind, string market)
    {
        var key = (kind, market);
        lock (_lock)
        {
            if (!_seen.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > Capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
