using System.Collections.Immutable;

namespace PolyStream.Recording;

/// <summary>Where and how a <see cref="RecordingWriter"/> writes.</summary>
public sealed record RecordingWriterOptions
{
    /// <summary>The recording's folder; segments are numbered files inside it.</summary>
    public required string Directory { get; init; }

    /// <summary>A segment is closed and a new one opened past this size. Default 256 MiB.</summary>
    public long MaxSegmentBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>A segment is closed and a new one opened past this age. Default 1 hour.</summary>
    public TimeSpan MaxSegmentAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Frames are compressed in blocks of about this many bytes. Default 256 KiB.</summary>
    public int BlockBytes { get; init; } = 256 * 1024;

    /// <summary>A partly filled block is written at least this often, bounding what a crash can lose. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether each block is forced to the disk (fsync), surviving power loss too, at a cost in speed. Default <see langword="false"/> (survives a process crash).</summary>
    public bool Durable { get; init; }

    /// <summary>Sealed blocks waiting for the disk beyond this many bytes make new frames drop (counted), never the caller wait. Default 256 MiB.</summary>
    public long MaxQueuedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Brotli quality, 0 (fastest) to 11. Default 4.</summary>
    public int CompressionQuality { get; init; } = 4;

    /// <summary>Written into each segment header.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Written into each segment header.</summary>
    public ImmutableArray<string> Assets { get; init; } = [];

    /// <summary>Closed segments older than this (by when they were closed) are deleted, oldest first; <see langword="null"/> (the default) keeps them all.</summary>
    public TimeSpan? RetainAge { get; init; }

    /// <summary>The oldest closed segments are deleted while the recording's segments together exceed this many bytes; <see langword="null"/> (the default) keeps them all.</summary>
    public long? RetainBytes { get; init; }

    /// <summary>A label per token (market and outcome) written into the manifest, for exports; none by default.</summary>
    internal ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Opens a new segment file; tests use it to stand in a disk that fills up. Default a new <see cref="FileStream"/>.</summary>
    internal Func<string, Stream>? CreateFile { get; init; }

    /// <summary>The clock for rotation, flushing and headers. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
