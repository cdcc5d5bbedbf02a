using PolyStream.Books;

namespace PolyStream.Streaming;

/// <summary>An immutable view of one tracked book: its contents, trust state and position in the stream, safe for any thread.</summary>
public sealed record BookView
{
    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>The book's contents and hashed fields; empty before the first snapshot.</summary>
    public required BookSummary Summary { get; init; }

    /// <summary>How far the contents can be trusted.</summary>
    public required BookTrustState State { get; init; }

    /// <summary>The book's epoch: changes whenever the book is re-based; 0 before the first snapshot.</summary>
    public long Epoch { get; init; }

    /// <summary>The number of <c>price_change</c> messages applied within <see cref="Epoch"/>.</summary>
    public long Seq { get; init; }

    /// <summary>The outcome of the most recent hash check; <see cref="HashOutcome.NotChecked"/> when none was made.</summary>
    public HashOutcome LastHashOutcome { get; init; }

    /// <summary>The receive time of the frame that last changed the view; 0 when none did.</summary>
    public long ReceiveTimestamp { get; init; }

    /// <summary>Whether the contents can be trusted: <see cref="BookTrustState.Synced"/>.</summary>
    public bool IsSynced => State == BookTrustState.Synced;
}
