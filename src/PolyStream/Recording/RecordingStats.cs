
namespace PolyStream.Recording;

/// <summary>A writer's counters.</summary>
internal sealed record RecordingStats
{
    /// <summary>Frames accepted.</summary>
    public long Frames { get; init; }

    /// <summary>Frames written to disk in complete blocks.</summary>
    public long FramesWritten { get; init; }

    /// <summary>Frames lost: the write queue was full, or their block could not be written (disk full, I/O error).</summary>
    public long FramesDropped { get; init; }

    /// <summary>Blocks written.</summary>
    public long Blocks { get; init; }

    /// <summary>Segments opened.</summary>
    public int Segments { get; init; }

    /// <summary>Old segments deleted by the retention limits.</summary>
    public int SegmentsDeleted { get; init; }

    /// <summary>Compressed bytes written, headers included.</summary>
    public long BytesWritten { get; init; }

    /// <summary>The last write failure, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }
}
