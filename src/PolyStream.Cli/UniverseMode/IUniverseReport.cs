using PolyStream.Rest;

namespace PolyStream.Cli.UniverseMode;

/// <summary>Where a <see cref="UniverseWatch"/> says what it sees: the terminal of a verb, or the daemon's log.</summary>
internal interface IUniverseReport
{
    /// <summary>Before the universe first syncs: <paramref name="synced"/> of <paramref name="markets"/> markets have every book synced (both 0 while discovering).</summary>
    public void Progress(int synced, int markets, TimeSpan elapsed);

    /// <summary>Every market of the universe synced for the first time; from now on joins and leaves are reported.</summary>
    public void Synced(int markets, int tokens, TimeSpan elapsed);

    /// <summary>A market joined the universe (a listing, or one re-discovery found).</summary>
    public void Joined(GammaMarket market);

    /// <summary>A market left the universe (resolved, closed, or gone at re-discovery).</summary>
    public void Left(GammaMarket market);
}
