
namespace PolyStream.Events;

/// <summary>A frame could not be parsed; it was dropped whole and counted, and no book changed.</summary>
public sealed record ParseFailure : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.ParseFailure;

    /// <summary>Why the frame was rejected, for a log line: the class of failure, about where in the frame, and what was wrong.</summary>
    public required string Reason { get; init; }

    /// <summary>How many frames this engine has failed to parse so far, this one included.</summary>
    public long TotalFailures { get; init; }
}
