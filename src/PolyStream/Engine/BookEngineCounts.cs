
namespace PolyStream.Engine;

/// <summary>The running totals of a <see cref="BookEngine"/>, for metrics.</summary>
public sealed record BookEngineCounts
{
    /// <summary>Frames given to <see cref="BookEngine.Process(ReadOnlySpan{byte}, long)"/>, parsed or not.</summary>
    public long Frames { get; init; }

    /// <summary>Frames that could not be parsed and were dropped whole.</summary>
    public long ParseFailures { get; init; }

    /// <summary>Snapshots applied to tracked books, from the WebSocket or REST.</summary>
    public long Snapshots { get; init; }

    /// <summary><c>price_change</c> messages applied, counted once per tracked book they changed.</summary>
    public long Deltas { get; init; }

    /// <summary><c>price_change</c> messages held back from a tracked book that had no snapshot yet.</summary>
    public long GatedDeltas { get; init; }

    /// <summary>Entries and events ignored because their asset is not tracked (complement leakage included).</summary>
    public long Untracked { get; init; }

    /// <summary>Events of a kind the engine does not know, ignored.</summary>
    public long Unknown { get; init; }

    /// <summary>Hashes compared.</summary>
    public long HashesChecked { get; init; }

    /// <summary>Hashes that did not match, held ones included.</summary>
    public long HashMismatches { get; init; }

    /// <summary>Snapshots whose mismatch was explained by a newer last trade price within the tolerance window.</summary>
    public long ToleratedRaces { get; init; }

    /// <summary>Times a market's two books were found not to mirror each other.</summary>
    public long MirrorMismatches { get; init; }

    /// <summary>Resyncs requested.</summary>
    public long ResyncRequests { get; init; }

    /// <summary>Events the books rejected as invalid (a price out of range); the book was marked suspect.</summary>
    public long Rejected { get; init; }

    /// <summary>User events (<c>order</c>, <c>trade</c>) that came on the unauthenticated market channel and were refused.</summary>
    public long Refused { get; init; }

    /// <summary>REST snapshots ignored because the synced book was already newer than them.</summary>
    public long OutdatedSnapshots { get; init; }

    /// <summary>Events whose processing failed unexpectedly; they were skipped and the books they touched marked suspect.</summary>
    public long Faults { get; init; }
}
