
namespace PolyStream.Events;

/// <summary>
/// One event of the ordered stream a <see cref="Streamer"/> (or a <see cref="Recording.Replayer"/>) publishes to its subscribers.
/// </summary>
/// <remarks>
/// Book events carry the asset's <see cref="Epoch"/> and <see cref="Seq"/>: the epoch changes
/// whenever the book is re-based (snapshot, tick size change, resync), the sequence counts applied
/// <c>price_change</c> messages within an epoch, so a consumer that sees a gap knows it missed one.
/// </remarks>
public abstract record StreamEvent
{
    /// <summary>What kind of event this is, for the JSON writer's <c>type</c> and the bus's subjects; consumers tell events apart by type.</summary>
    internal abstract StreamEventKind Kind { get; }

    /// <summary>The token the event is about, or <see langword="null"/> when it is about no single token.</summary>
    public string? AssetId { get; init; }

    /// <summary>The asset's book epoch when the event was made; 0 before its first snapshot or when no asset applies.</summary>
    public long Epoch { get; init; }

    /// <summary>The number of <c>price_change</c> messages applied in <see cref="Epoch"/> so far; 0 right after a re-base.</summary>
    public long Seq { get; init; }

    /// <summary>The receive time the socket reader stamped the frame with (passed through unchanged); 0 for events made by no frame.</summary>
    public long ReceiveTimestamp { get; init; }
}
