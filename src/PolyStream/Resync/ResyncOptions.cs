
namespace PolyStream.Resync;

/// <summary>How books that need a fresh snapshot are fetched over REST.</summary>
public sealed record ResyncOptions
{
    /// <summary>The <c>POST /books</c> calls allowed per <see cref="Window"/>. Default 500, the venue's published limit.</summary>
    public int RequestsPerWindow { get; init; } = 500;

    /// <summary>The window of <see cref="RequestsPerWindow"/>. Default 10 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tokens fetched per <c>POST /books</c> call. Default 50.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>
    /// How far a REST book's best bid may sit below, or best ask above, the last top of book seen on
    /// the WebSocket before it is refused as a ghost (the stale 0.01/0.99 book). Default 0.05.
    /// </summary>
    public decimal GhostTolerance { get; init; } = 0.05m;

    /// <summary>Attempts per token before falling back to a WebSocket resubscribe. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before a failed call's tokens are tried again. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between two attempts to fetch the hash metadata of a token that has none (the wait
    /// doubles from <see cref="RetryDelay"/>); its book stays <see cref="Events.BookTrustState.Unsynced"/> meanwhile. Default 60 s.
    /// </summary>
    public TimeSpan MetadataRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}
