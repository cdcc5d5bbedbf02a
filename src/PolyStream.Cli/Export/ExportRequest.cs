using System.Collections.Immutable;

namespace PolyStream.Cli.Export;

/// <summary>What to export, from where, to where.</summary>
internal sealed record ExportRequest
{
    /// <summary>A recording folder or one segment file.</summary>
    public required string Recording { get; init; }

    public required ExportKind Kind { get; init; }

    public required ExportFormat Format { get; init; }

    /// <summary>The output file; the gaps table goes beside it (<see cref="GapsPath"/>).</summary>
    public required string Out { get; init; }

    /// <summary>Rows received at or after this time only, Unix microseconds.</summary>
    public long? FromMicros { get; init; }

    /// <summary>Rows received before this time only, Unix microseconds.</summary>
    public long? ToMicros { get; init; }

    /// <summary>These tokens only; empty means every token the recording holds.</summary>
    public ImmutableHashSet<string> Assets { get; init; } = [];

    /// <summary>Levels per side of a book snapshot. Default 25.</summary>
    public int Depth { get; init; } = 25;

    /// <summary>Book snapshots at this interval; <see langword="null"/> for one at every change of the top levels.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Rows per batch (a Parquet row group).</summary>
    public int BatchRows { get; init; } = 128 * 1024;

    /// <summary>The gaps table: <c>OUT.gaps.csv</c> or <c>OUT.gaps.parquet</c> beside <see cref="Out"/>.</summary>
    public string GapsPath => Path.ChangeExtension(Gzip ? Out[..^3] : Out, null) + ".gaps" + (Format == ExportFormat.Csv ? ".csv" : ".parquet") + (Gzip ? ".gz" : string.Empty);

    /// <summary>Whether the CSV files are gzipped, as Tardis ships its datasets (the output's name ends in <c>.gz</c>).</summary>
    public bool Gzip => Format == ExportFormat.Csv && Out.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
