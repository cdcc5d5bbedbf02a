
namespace PolyStream.Protocol;

/// <summary>Why a frame was rejected; a label for counting failures.</summary>
internal enum FrameErrorKind
{
    /// <summary>The frame was empty or white space only.</summary>
    Empty,

    /// <summary>The bytes are not valid JSON (truncated, bad syntax, too deep).</summary>
    MalformedJson,

    /// <summary>Valid JSON whose fields have the wrong shape, type or value for their event.</summary>
    InvalidEvent,

    /// <summary>A configured limit was exceeded (frame size, levels, events).</summary>
    LimitExceeded,
}
