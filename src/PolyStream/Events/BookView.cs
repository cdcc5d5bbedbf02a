using System.Diagnostics.CodeAnalysis;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>An immutable view of one tracked book: its contents, trust state and position in the stream, safe for any thread.</summary>
/// <remarks>
/// A view made for an applied <c>price_change</c> or <c>last_trade_price</c>
/// does not copy the book: it links to the previous view and the (immutable) event, and <see cref="Summary"/>
/// replays the links over the nearest copy on first read, then keeps the result. Every link holds only immutable data,
/// so a reader on any thread rebuilds exactly the book after that change, never a torn one.
/// </remarks>
public sealed record BookView
{
    /// <summary>
    /// Links allowed before a change copies the book again: it bounds a reader's replay and the changes
    /// a view keeps alive, while copying (about 2.5 KB at 2×20 levels) only once per this many changes.
    /// </summary>
    internal const int MaxChain = 8;

    private readonly BookView? _previous;
    private readonly WireEvent? _change;
    private readonly int _chain;
    private readonly BookTop? _top;
    private BookSummary? _summary;

    /// <summary>Creates a view; set <see cref="AssetId"/>, <see cref="Summary"/> and <see cref="State"/>.</summary>
    public BookView()
    {
    }

    /// <summary>
    /// The view that follows <paramref name="previous"/> for <paramref name="book"/>: the same contents when
    /// <paramref name="contentChanged"/> is <see langword="false"/>; a link when the book differs from
    /// <paramref name="previous"/> by exactly <paramref name="applied"/> (a <see cref="PriceChangeEvent"/> or a
    /// <see cref="LastTradePriceEvent"/>) and the chain is short; otherwise a copy of <paramref name="book"/>,
    /// or <paramref name="cleaned"/> when given (a crossed book shown without the levels it crossed, which no
    /// later view may link to). The caller sets the state fields.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Summary is never null: it reads the copy set here or rebuilds one from the links set here.
    internal BookView(BookView previous, OrderBook book, bool contentChanged, WireEvent? applied, BookSummary? cleaned = null)
    {
        AssetId = previous.AssetId;
        if (!contentChanged && cleaned is null)
        {
            // The same contents: the previous view's copy if it has one by now, else its links.
            _summary = Volatile.Read(ref previous._summary);
            _top = previous.Top;
            if (_summary is null)
            {
                _previous = previous._previous;
                _change = previous._change;
                _chain = previous._chain;
            }
        }
        else if (cleaned is not null)
        {
            _summary = cleaned;
            _top = BookTop.Of(cleaned);
            IsCleaned = true;
        }
        else if (applied is PriceChangeEvent or LastTradePriceEvent && previous._chain < MaxChain && !previous.IsCleaned)
        {
            _previous = previous;
            _change = applied;
            _chain = previous._chain + 1;
            _top = BookTop.Of(book);
        }
        else
        {
            _summary = book.Summary();
            _top = BookTop.Of(book);
        }
    }
#pragma warning restore CS8618

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>The book's contents and hashed fields; empty before the first snapshot.</summary>
    public required BookSummary Summary
    {
        get => Volatile.Read(ref _summary) ?? Rebuild();
        init
        {
            _summary = value;
            _previous = null;
            _change = null;
            _chain = 0;
            _top = null;
        }
    }

    /// <summary>The best prices and hash of <see cref="Summary"/>, without building a linked view's summary.</summary>
    internal BookTop Top => _top ?? BookTop.Of(Summary);

    /// <summary>How far the contents can be trusted.</summary>
    public required BookTrustState State { get; init; }

    /// <summary>Why the book is in <see cref="State"/> (for example <see cref="BookStateReason.MetadataUnavailable"/>); <see langword="null"/> before anything happened to it.</summary>
    public BookStateReason? StateReason { get; init; }

    /// <summary>
    /// Whether <see cref="Summary"/> is a crossed book shown cleaned (<c>CleanCrossedBooks</c>): the levels the newest
    /// change crossed are left out, so its levels are not the venue's and its <see cref="BookSummary.Hash"/> is empty.
    /// </summary>
    public bool IsCleaned { get; private init; }

    /// <summary>Best ask minus best bid of <see cref="Summary"/>, exact; <see langword="null"/> when a side is empty (see <see cref="BookSummary.Spread"/>).</summary>
    public decimal? Spread => Summary.Spread;

    /// <summary>The book's epoch: changes whenever the book is re-based; 0 before the first snapshot.</summary>
    public long Epoch { get; init; }

    /// <summary>The number of <c>price_change</c> messages applied within <see cref="Epoch"/>.</summary>
    public long Seq { get; init; }

    /// <summary>The outcome of the most recent hash check; <see cref="HashOutcome.NotChecked"/> when none was made.</summary>
    internal HashOutcome LastHashOutcome { get; init; }

    /// <summary>The receive time of the frame that last changed the view; 0 when none did.</summary>
    public long ReceiveTimestamp { get; init; }

    /// <summary>Whether the contents can be trusted: <see cref="BookTrustState.Synced"/>.</summary>
    public bool IsSynced => State == BookTrustState.Synced;

    /// <summary>Whether both views show the same book in the same state and stream position (contents compared as <see cref="BookSummary"/> records).</summary>
    public bool Equals(BookView? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (AssetId == other.AssetId && State == other.State && StateReason == other.StateReason && Epoch == other.Epoch && Seq == other.Seq
                && LastHashOutcome == other.LastHashOutcome && ReceiveTimestamp == other.ReceiveTimestamp
                && EqualityComparer<BookSummary>.Default.Equals(Summary, other.Summary)));

    /// <inheritdoc />
    // The contents are left out: hashing them would build a lazily linked view's summary.
    public override int GetHashCode() => HashCode.Combine(AssetId, State, Epoch, Seq, LastHashOutcome, ReceiveTimestamp);

    /// <summary>Replays the links back to the nearest copy, oldest first, on a private book; the first result built is kept.</summary>
    private BookSummary Rebuild()
    {
        var changes = new WireEvent[_chain];
        var count = 0;
        var view = this;
        BookSummary? basis;
        while ((basis = Volatile.Read(ref view._summary)) is null)
        {
            changes[count++] = view._change!;
            view = view._previous!;
        }

        var book = new OrderBook(AssetId);
        book.ReplaceWithSnapshotNoHash(basis.ToSnapshot());
        for (var i = count - 1; i >= 0; i--)
        {
            if (changes[i] is PriceChangeEvent change)
            {
                book.ApplyPriceChange(change, verify: false);
            }
            else
            {
                book.RecordTrade((LastTradePriceEvent)changes[i]);
            }
        }

        var built = book.Summary();
        return Interlocked.CompareExchange(ref _summary, built, null) ?? built;
    }
}
