using PolyStream.Events;

namespace PolyStream.Universe;

/// <summary>
/// The last books of resolved markets, readable for a while after their tokens are unsubscribed, then dropped.
/// Thread-safe: the follower keeps and prunes, any reader gets.
/// </summary>
internal sealed class RetainedBooks
{
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (BookView View, long KeptAt)> _books = new(StringComparer.Ordinal);

    public RetainedBooks(TimeSpan retention, TimeProvider time)
    {
        _retention = retention;
        _time = time;
    }

    /// <summary>Books kept now, expired ones included until the next <see cref="Prune"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _books.Count;
            }
        }
    }

    /// <summary>Keeps these books from now; a book kept again starts its time again.</summary>
    public void Keep(IEnumerable<BookView> views)
    {
        if (_retention <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var view in views)
            {
                _books[view.AssetId] = (view, now);
            }
        }
    }

    /// <summary>A token's kept book, or <see langword="null"/> when none is kept or its time is up.</summary>
    public BookView? Get(string assetId)
    {
        lock (_gate)
        {
            return _books.TryGetValue(assetId, out var kept) && !Expired(kept.KeptAt, _time.GetTimestamp()) ? kept.View : null;
        }
    }

    /// <summary>Drops a token's kept book: it is streamed again.</summary>
    public void Forget(string assetId)
    {
        lock (_gate)
        {
            _books.Remove(assetId);
        }
    }

    /// <summary>Drops every book whose time is up.</summary>
    public void Prune()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var (asset, kept) in _books)
            {
                if (Expired(kept.KeptAt, now))
                {
                    _books.Remove(asset);
                }
            }
        }
    }

    private bool Expired(long keptAt, long now) => _time.GetElapsedTime(keptAt, now) >= _retention;
}
