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

    /// <summary>The minimum order size hashed with a book when its asset was tracked without one. Default <c>5</c>.</summary>
    public ExactDecimal DefaultMinOrderSize { get; init; } = ExactDecimal.FromParts(5, 0);

    /// <summary>Whether markets are neg-risk when an asset was tracked without saying. Default <see langword="false"/>.</summary>
    public bool DefaultNegRisk { get; init; }

    /// <summary>The tick used when a snapshot carries no <c>tick_size</c>. Default <c>0.01</c>.</summary>
    public ExactDecimal DefaultTickSize { get; init; } = ExactDecimal.FromParts(1, 2);

    /// <summary>The hash algorithm. Default <see cref="BookHashVersion.Current"/>.</summary>
    public BookHashVersion HashVersion { get; init; } = BookHashVersion.Current;

    /// <summary>Limits for the engine's frame parser. Default <see cref="FrameParserOptions.Default"/>.</summary>
    public FrameParserOptions Parser { get; init; } = FrameParserOptions.Default;
}
