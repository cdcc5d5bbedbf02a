using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

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

    /// <summary>Why the book is in its state, shown on its view; <see langword="null"/> before anything happened to it.</summary>
    public BookStateReason? StateReason { get; set; }

    /// <summary>
    /// Whether the book's hashed <c>min_order_size</c> and <c>neg_risk</c> are known (from REST, the cache or
    /// an explicit assumption); without them its snapshots are never hashed and it is never trusted.
    /// </summary>
    public bool HasMetadata { get; set; }

    /// <summary>Whether the book is crossed or locked now (reported once when it becomes so, and once when it stops).</summary>
    public bool Crossed { get; set; }

    /// <summary>The side of the newest level change, which a crossed book's cleaned view keeps; <see langword="null"/> after a snapshot.</summary>
    public Side? NewestSide { get; set; }

    /// <summary>
    /// Whether a WebSocket snapshot has based the book since it was tracked: the first one is the
    /// subscription's, and no delta before it was ever subscribed, so it continues the epoch of a REST base.
    /// </summary>
    public bool SawWebSocketSnapshot { get; set; }

    /// <summary>
    /// Whether a tick size change cleared a verified book and nothing has gone wrong since: the venue's next
    /// snapshot then continues the epoch (the deltas in between are held, so nothing was missed).
    /// </summary>
    public bool TickRebasePending { get; set; }

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

    /// <summary>The tick a <c>tick_size_change</c> announced since the last snapshot; a REST snapshot with another tick predates it.</summary>
    public ExactDecimal? AnnouncedTickSize { get; set; }

    /// <summary>
    /// The timestamp of the REST summary that last based the book, until the stream passes it: a REST answer
    /// can outrun the WebSocket, and the deltas up to this time that arrive after it are in the book already.
    /// <see langword="null"/> once a newer delta or a WebSocket snapshot has come.
    /// </summary>
    public long? RestBasedAt { get; set; }

    /// <summary>
    /// The price and time of the latest trade seen for the token, re-applied over a REST snapshot older than it;
    /// <see langword="null"/> when the latest trade had no timestamp. Values, not the trade's message: a book's
    /// state outlives many collections, and every object it keeps is copied by each of them.
    /// </summary>
    public (ExactDecimal Price, long Timestamp)? LastTrade { get; set; }

    /// <summary>
    /// The book timestamp after which <see cref="ReplayBuffer"/> holds every delta: the book's timestamp
    /// when buffering began, raised past any delta dropped from a full buffer; <see langword="null"/> for
    /// all of them. A REST snapshot older than this cannot be brought up to date.
    /// </summary>
    public long? ReplayCoversAfter { get; private set; }

    /// <summary>Whether buffering has begun since the last re-base.</summary>
    public bool ReplayStarted { get; private set; }

    public void BufferForReplay(PriceChangeEvent change, int limit)
    {
        if (!ReplayStarted)
        {
            // Every delta up to the book's current timestamp was applied before buffering began.
            ReplayStarted = true;
            ReplayCoversAfter = Book.Timestamp;
        }

        if (limit <= 0)
        {
            ReplayCoversAfter = Math.Max(ReplayCoversAfter ?? long.MinValue, change.Timestamp ?? long.MaxValue);
            return;
        }

        if (ReplayBuffer.Count >= limit)
        {
            var dropped = ReplayBuffer.Dequeue();
            ReplayCoversAfter = Math.Max(ReplayCoversAfter ?? long.MinValue, dropped.Timestamp ?? long.MaxValue);
        }

        ReplayBuffer.Enqueue(change);
    }

    public void ClearReplayBuffer()
    {
        ReplayBuffer.Clear();
        ReplayStarted = false;
        ReplayCoversAfter = null;
    }

    /// <summary>The latest immutable view; written by the engine's one writer, read from any thread.</summary>
    public BookView View
    {
        get => Volatile.Read(ref _view);
        set => Volatile.Write(ref _view, value);
    }
}
