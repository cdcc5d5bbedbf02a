namespace PolyStream.Events;

/// <summary>Why the followed universe changed (<see cref="UniverseChanged.Reason"/>).</summary>
public enum UniverseChangeReason
{
    /// <summary>The first discovery at start found the universe.</summary>
    Discovered,

    /// <summary>A market listed (<c>new_market</c>) and joined it.</summary>
    Listed,

    /// <summary>A market resolved and left it: its <c>market_resolved</c> came, or the CLOB said it closed before its tokens were subscribed.</summary>
    Resolved,

    /// <summary>A periodic re-discovery found markets listed or gone while a connection missed their events.</summary>
    Rediscovered,

    /// <summary>The selector was re-applied (<see cref="Streamer.ReselectUniverseAsync"/>): another node took or gave up markets.</summary>
    Reselected,
}
