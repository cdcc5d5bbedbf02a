using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>Options of a <see cref="BookEngine"/>.</summary>
internal sealed record BookEngineOptions
{
    /// <summary>The default options.</summary>
    public static BookEngineOptions Default { get; } = new();

    /// <summary>Which hashes to check. Default <see cref="HashPolicy.Verify"/>.</summary>
    public HashPolicy HashPolicy { get; init; } = HashPolicy.Verify;

    /// <summary>Whether a mismatch requests a fresh snapshot (and turns the book <see cref="BookTrustState.Resyncing"/>). Default <see langword="true"/>.</summary>
    public bool AutoSyncOnHashMismatch { get; init; } = true;

    /// <summary>
    /// How long a snapshot whose hash did not match is held as suspect waiting for a newer
    /// <c>last_trade_price</c> that may explain it (POLYMARKET.md §3.4). Default 250 ms;
    /// <see cref="TimeSpan.Zero"/> disables the tolerance.
    /// </summary>
    public TimeSpan LastTradeTolerance { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most <c>price_change</c> messages kept per untrusted book to replay on top of a REST snapshot
    /// that is older than them. Default 1,000; a snapshot older than a message dropped from it (or applied
    /// before buffering began) leaves the book suspect.
    /// </summary>
    public int ReplayBufferLimit { get; init; } = 1000;

    /// <summary>Whether the two books of a market are checked to be mirror images after a message changes both. Default <see langword="true"/>.</summary>
    public bool CheckMirrors { get; init; } = true;

    /// <summary>
    /// The hash metadata assumed for a token tracked without any (a capture or replay that did not record
    /// it). <see langword="null"/> assumes nothing: such a token's snapshots base its book unhashed, and it
    /// stays <see cref="BookTrustState.Unsynced"/> (<see cref="BookStateReason.MetadataUnavailable"/>) until a
    /// REST summary brings the metadata. Default <see cref="BookMetadata.Typical"/>; a streamer sets none.
    /// </summary>
    public BookMetadata? AssumedMetadata { get; init; } = BookMetadata.Typical;

    /// <summary>
    /// Whether a crossed or locked book is shown to consumers cleaned (<see cref="Books.OrderBook.Uncrossed"/>):
    /// the levels the newest change crossed are left out of its views. The book itself stays the venue's, so
    /// its hashes still verify. Default <see langword="false"/>: views show the book as the venue sent it.
    /// </summary>
    public bool CleanCrossedBooks { get; init; }

    /// <summary>
    /// Whether the book's hash after each trade is computed from the live book (<see cref="LastTradeReceived.Hash"/>),
    /// for a consumer that republishes every book state with its hash (the NATS sink): a trade's view links to the
    /// book before it, and rebuilding it to hash cost that consumer more than hashing here. Default <see langword="false"/>.
    /// </summary>
    public bool HashTrades { get; init; }

    /// <summary>The tick used when neither a snapshot nor the metadata says. Default <c>0.01</c>.</summary>
    public ExactDecimal DefaultTickSize { get; init; } = ExactDecimal.FromParts(1, 2);

    /// <summary>The hash algorithm. Default <see cref="BookHashVersion.Current"/>.</summary>
    public BookHashVersion HashVersion { get; init; } = BookHashVersion.Current;

    /// <summary>Limits for the engine's frame parser. Default <see cref="FrameParserOptions.Default"/>.</summary>
    public FrameParserOptions Parser { get; init; } = FrameParserOptions.Default;
}
