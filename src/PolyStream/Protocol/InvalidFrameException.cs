
namespace PolyStream.Protocol;

/// <summary>Thrown inside the parser for a field with the wrong shape or an exceeded limit; never escapes <see cref="FrameParser"/>.</summary>
internal sealed class InvalidFrameException(FrameErrorKind kind, string message) : Exception(message)
{
    public FrameErrorKind Kind { get; } = kind;

    public static InvalidFrameException Event(string message) => new(FrameErrorKind.InvalidEvent, message);

    public static InvalidFrameException Limit(string message) => new(FrameErrorKind.LimitExceeded, message);
}
