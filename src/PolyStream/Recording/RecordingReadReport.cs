using System.Collections.Immutable;

namespace PolyStream.Recording;

/// <summary>What reading a recording found, torn tails included.</summary>
public sealed record RecordingReadReport
{
    /// <summary>Segments read.</summary>
    public int Segments { get; init; }

    /// <summary>Intact blocks read.</summary>
    public long Blocks { get; init; }

    /// <summary>Frames read.</summary>
    public long Frames { get; init; }

    /// <summary>Segments whose end was torn (a crash mid-write), with what was wrong; their intact part was read.</summary>
    public ImmutableArray<string> TornSegments { get; init; } = [];
}
