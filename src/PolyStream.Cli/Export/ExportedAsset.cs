using System.Collections.Immutable;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Cli.Export;

/// <summary>What the export keeps per token: its labels, whether its book is trusted, the open gap, and what it last wrote.</summary>
internal sealed class ExportedAsset(string assetId, string outcome)
{
    public string AssetId { get; } = assetId;

    public string Outcome { get; } = outcome;

    public string Market { get; set; } = string.Empty;

    /// <summary>Whether the book was Synced after the last event.</summary>
    public bool Synced { get; set; }

    /// <summary>Whether it has been Synced at all: the stretch before its first snapshot is no gap.</summary>
    public bool EverSynced { get; set; }

    /// <summary>The epoch whose full book the incremental export last wrote; -1 when a re-base must be written as a snapshot.</summary>
    public long WrittenEpoch { get; set; } = -1;

    /// <summary>When the open gap began, Unix microseconds; <see langword="null"/> when none is open.</summary>
    public long? GapFrom { get; set; }

    public string GapReason { get; set; } = string.Empty;

    /// <summary>Events for this token while the open gap lasted, after the one that opened it.</summary>
    public int GapEvents { get; set; }

    /// <summary>When the next loss of trust began, when a recorded gap announced it (a restart: the previous run's last record).</summary>
    public long? NotedFrom { get; set; }

    /// <summary>Why the next loss of trust happens, when a recorded gap announced it.</summary>
    public string? NotedReason { get; set; }

    /// <summary>The best levels last written as a quote.</summary>
    public (PriceLevel? Bid, PriceLevel? Ask) Quote { get; set; }

    /// <summary>The top levels last written as a book snapshot at a change.</summary>
    public (ImmutableArray<PriceLevel> Bids, ImmutableArray<PriceLevel> Asks) Top { get; set; } = ([], []);

    public static bool SameTop(BookSummary book, (ImmutableArray<PriceLevel> Bids, ImmutableArray<PriceLevel> Asks) top, int depth) =>
        SameSide(book.Bids, top.Bids, depth) && SameSide(book.Asks, top.Asks, depth);

    private static bool SameSide(ImmutableArray<PriceLevel> levels, ImmutableArray<PriceLevel> top, int depth)
    {
        var count = Math.Min(depth, levels.Length);
        if (count != top.Length)
        {
            return false;
        }

        // Best level last on both: compare the top `count` from the end.
        for (var i = 1; i <= count; i++)
        {
            if (levels[^i] != top[^i])
            {
                return false;
            }
        }

        return true;
    }

    public static ImmutableArray<PriceLevel> TopOf(ImmutableArray<PriceLevel> levels, int depth) =>
        levels.Length <= depth ? levels : levels[^depth..];
}
