
namespace PolyStream.Protocol;

/// <summary>The outcome of parsing one frame: its events, or the reason it was rejected.</summary>
/// <param name="Events">The frame's events in order; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the frame was rejected, or <see langword="null"/> on success.</param>
internal sealed record FrameParseResult(IReadOnlyList<WireEvent> Events, FrameParseError? Error)
{
    /// <summary>Whether the frame parsed.</summary>
    public bool IsSuccess => Error is null;
}
