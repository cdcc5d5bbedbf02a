
namespace PolyStream.Protocol;

/// <summary>Why a frame could not be parsed; nothing from the frame was returned.</summary>
/// <param name="Kind">The class of failure, for counting.</param>
/// <param name="Message">What was wrong, for a log line.</param>
/// <param name="BytePosition">About where in the frame the problem was found.</param>
internal sealed record FrameParseError(FrameErrorKind Kind, string Message, long BytePosition)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} at byte {BytePosition}: {Message}";
}
