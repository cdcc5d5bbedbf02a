using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Streaming;

/// <summary>One tracked token inside a <see cref="BookEngine"/>: its book, trust state and published view.</summary>
internal sealed class TrackedAsset
{
    private BookView _view;

    public TrackedAsset(OrderBook book)
    {
        Book = book;
        _view = new BookView { AssetId = book.AssetId, Summary = book.Summary(), State = BookTrustState.Unsynced };
    }

    public OrderBook Book { get; }

    public string AssetId => Book.AssetId;

    public BookTrustState State { get; set; }

    public long Epoch { get; set; }

    public long Seq { get; set; }

    /// <summary>The <c>price_change</c> messages applied since tracking began, for sampling.</summary>
    public long DeltaMessages { get; set; }

    public HashOutcome LastHashOutcome { get; set; }

    /// <summary>Whether a snapshot mismatch is held for the last-trade tolerance window.</summary>
    public bool Pending { get; set; }

    /// <summary>When the held mismatch began, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long PendingSince { get; set; }

    /// <summary>Deltas received while the book was not synced, oldest first, to replay on top of a REST snapshot.</summary>
    public Queue<PriceChangeEvent> ReplayBuffer { get; } = new();

    /// <summary>The newest timestamp among deltas dropped from a full <see cref="ReplayBuffer"/>; a snapshot must not be older.</summary>
    public long? ReplayDroppedThrough { get; private set; }

    public void BufferForReplay(PriceChangeEvent change, int limit)
    {
        if (limit <= 0)
        {
            return;
        }

        if (ReplayBuffer.Count >= limit)
        {
            var dropped = ReplayBuffer.Dequeue();
            ReplayDroppedThrough = Math.Max(ReplayDroppedThrough ?? long.MinValue, dropped.Timestamp ?? long.MaxValue);
        }

        ReplayBuffer.Enqueue(change);
    }

    public void ClearReplayBuffer()
    {
        ReplayBuffer.Clear();
        ReplayDroppedThrough = null;
    }

    /// <summary>The latest immutable view; written by the engine's one writer, read from any thread.</summary>
    public BookView View
    {
        get => Volatile.Read(ref _view);
        set => Volatile.Write(ref _view, value);
    }
}
