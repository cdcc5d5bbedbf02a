
namespace PolyStream.Events;

/// <summary>A book's trust state changed.</summary>
public sealed record BookStateChanged : BookStateEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.BookStateChanged;

    /// <summary>The state before.</summary>
    public BookTrustState OldState { get; init; }

    /// <summary>The state after.</summary>
    public BookTrustState NewState { get; init; }

    /// <summary>Why it changed.</summary>
    public BookStateReason Reason { get; init; }
}
