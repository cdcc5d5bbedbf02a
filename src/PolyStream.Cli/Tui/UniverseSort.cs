
namespace PolyStream.Cli.Tui;

/// <summary>What the universe view's market list is ordered by, largest first.</summary>
internal enum UniverseSort
{
    /// <summary>Events per second, both tokens together.</summary>
    Activity,

    /// <summary>The size of the price change since the market was first seen (either way).</summary>
    Movers,

    /// <summary>The first token's spread, widest first.</summary>
    Spread,
}
