namespace PolyStream.Engine;

/// <summary>The running totals of one connection's book engine, for metrics (<see cref="Diagnostics.ShardHealth.Books"/>).</summary>
/// <param name="Frames">Frames the engine was given, parsed or not.</param>
/// <param name="ParseFailures">Frames that could not be parsed and were dropped whole.</param>
/// <param name="Snapshots">Snapshots applied to tracked books, from the WebSocket or REST.</param>
/// <param name="Deltas"><c>price_change</c> messages applied, counted once per tracked book they changed.</param>
/// <param name="GatedDeltas"><c>price_change</c> messages held back from a tracked book that had no snapshot yet.</param>
/// <param name="Untracked">Entries and events ignored because their asset is not tracked (complement leakage included).</param>
/// <param name="Unknown">Events of a kind the engine does not know, ignored.</param>
/// <param name="HashesChecked">Hashes compared.</param>
/// <param name="HashMismatches">Hashes that did not match, held ones included.</param>
/// <param name="ToleratedRaces">Snapshots whose mismatch was explained by a newer last trade price within the tolerance window.</param>
/// <param name="MirrorMismatches">Times a market's two books were found not to mirror each other.</param>
/// <param name="ResyncRequests">Resyncs requested.</param>
/// <param name="Rejected">Events the books rejected as invalid (a price out of range); the book was marked suspect.</param>
/// <param name="Refused">User events (<c>order</c>, <c>trade</c>) that came on the unauthenticated market channel and were refused.</param>
/// <param name="OutdatedSnapshots">REST snapshots ignored because the synced book was already newer than them.</param>
/// <param name="Faults">Events whose processing failed unexpectedly; they were skipped and the books they touched marked suspect.</param>
public readonly record struct BookEngineCounts(
    long Frames,
    long ParseFailures,
    long Snapshots,
    long Deltas,
    long GatedDeltas,
    long Untracked,
    long Unknown,
    long HashesChecked,
    long HashMismatches,
    long ToleratedRaces,
    long MirrorMismatches,
    long ResyncRequests,
    long Rejected,
    long Refused,
    long OutdatedSnapshots,
    long Faults)
{
    /// <summary>Times a verified book became crossed or locked (best bid at or above best ask).</summary>
    public long Crossings { get; init; }

    /// <summary><c>price_change</c> messages skipped because the REST summary the book was based on already held them (the WebSocket lagged behind the REST answer).</summary>
    public long OutdatedDeltas { get; init; }
}
