using PolyStream.Connections;

namespace PolyStream.Diagnostics;

/// <summary>The counts of every market connection of a <see cref="Streamer"/> added up, read once from <see cref="Streamer.Shards"/>.</summary>
/// <param name="Shards">Market connections.</param>
/// <param name="ShardsUp">Connections subscribed and flowing.</param>
/// <param name="Frames">Frames received.</param>
/// <param name="DroppedFrames">Frames dropped because a shard's queue was full.</param>
/// <param name="ParseFailures">Frames that could not be parsed.</param>
/// <param name="Deltas">Level changes applied.</param>
/// <param name="HashesChecked">Book hashes checked.</param>
/// <param name="HashMismatches">Book hashes that did not match.</param>
/// <param name="ResyncRequests">Books that asked for a fresh snapshot.</param>
/// <param name="Reconnects">Connections re-established.</param>
public readonly record struct StreamerTotals(
    int Shards,
    int ShardsUp,
    long Frames,
    long DroppedFrames,
    long ParseFailures,
    long Deltas,
    long HashesChecked,
    long HashMismatches,
    long ResyncRequests,
    long Reconnects)
{
    /// <summary>Adds up the given shards.</summary>
    public static StreamerTotals Of(IReadOnlyCollection<ShardHealth> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var totals = new StreamerTotals { Shards = shards.Count };
        foreach (var shard in shards)
        {
            totals = totals with
            {
                ShardsUp = totals.ShardsUp + (shard.Connection.State == WsState.Subscribed ? 1 : 0),
                Frames = totals.Frames + shard.Connection.FramesReceived,
                DroppedFrames = totals.DroppedFrames + shard.DroppedFrames,
                ParseFailures = totals.ParseFailures + shard.Books.ParseFailures,
                Deltas = totals.Deltas + shard.Books.Deltas,
                HashesChecked = totals.HashesChecked + shard.Books.HashesChecked,
                HashMismatches = totals.HashMismatches + shard.Books.HashMismatches,
                ResyncRequests = totals.ResyncRequests + shard.Books.ResyncRequests,
                Reconnects = totals.Reconnects + shard.Connection.ReconnectCount,
            };
        }

        return totals;
    }
}
