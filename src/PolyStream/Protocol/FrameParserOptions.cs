
namespace PolyStream.Protocol;

/// <summary>Limits the frame parser enforces; a frame beyond any of them is rejected whole.</summary>
internal sealed record FrameParserOptions
{
    /// <summary>The default options.</summary>
    public static FrameParserOptions Default { get; } = new();

    /// <summary>The largest frame accepted, in bytes. Default 32 MiB: an initial dump of hundreds of deep books fits.</summary>
    public int MaxFrameBytes { get; init; } = WireLimits.MaxFrameBytes;

    /// <summary>The deepest JSON nesting accepted. Default 16; the deepest real event nests 3 levels.</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>The most levels accepted on one side of one book. Default 10,001: every price at a 0.0001 tick.</summary>
    public int MaxLevelsPerSide { get; init; } = WireLimits.MaxLevelsPerSide;

    /// <summary>The most events accepted in one frame. Default 100,000.</summary>
    public int MaxEventsPerFrame { get; init; } = 100_000;

    /// <summary>The most distinct asset and market ids kept interned. Default 200,000; past it ids are still read, just not shared.</summary>
    public int MaxInternedIds { get; init; } = 200_000;
}
