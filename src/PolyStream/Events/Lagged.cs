
namespace PolyStream.Events;

/// <summary>
/// The subscriber lost <see cref="Count"/> events to its overflow policy before the next event it receives;
/// losses between reading a notice and the next event come as a second notice.
/// </summary>
public sealed record Lagged : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.Lagged;

    /// <summary>How many events were lost since the previous delivered event.</summary>
    public long Count { get; init; }
}
