
namespace PolyStream.Nats;

/// <summary>
/// The books whose copy on the bus has a gap because the sink lost events, and when each was last re-based.
/// A book is re-based as soon as it has a gap, but at most once per interval: a sink that keeps falling
/// behind then drops the deltas of books with a gap instead of multiplying whole books, which is what let
/// it catch up again. Used by the sink's loop only.
/// </summary>
internal sealed class RebaseSchedule(TimeSpan interval, TimeProvider time)
{
    private readonly HashSet<string> _gaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rebasedAt = new(StringComparer.Ordinal);

    /// <summary>Notes that these books' events may have been lost.</summary>
    public void GapIn(IEnumerable<string> assetIds) => _gaps.UnionWith(assetIds);

    /// <summary>Whether any book has a gap still to close.</summary>
    public bool Any => _gaps.Count > 0;

    /// <summary>Whether the book's copy on the bus has a gap.</summary>
    public bool HasGap(string assetId) => _gaps.Contains(assetId);

    /// <summary>Whether the book may be re-based now: never before, or not within the interval.</summary>
    public bool IsDue(string assetId) => !_rebasedAt.TryGetValue(assetId, out var at) || time.GetElapsedTime(at) >= interval;

    /// <summary>The books with a gap that may be re-based now.</summary>
    public List<string> Due() => [.. _gaps.Where(IsDue)];

    /// <summary>A re-base of the book is on its way: its gap is closed.</summary>
    public void Rebased(string assetId)
    {
        _gaps.Remove(assetId);
        _rebasedAt[assetId] = time.GetTimestamp();
    }

    /// <summary>Something else closed the book's gap: a snapshot, or it has no book to re-base yet.</summary>
    public void Closed(string assetId) => _gaps.Remove(assetId);
}
