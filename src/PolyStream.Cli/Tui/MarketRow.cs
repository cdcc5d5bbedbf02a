using PolyStream.Rest;

namespace PolyStream.Cli.Tui;

/// <summary>One market of the universe view.</summary>
/// <param name="Market">The market as discovered.</param>
/// <param name="Price">Its first outcome's midpoint, or <see langword="null"/> while a side of that book is empty or unknown.</param>
/// <param name="Change">The price now minus the price when the view first saw one.</param>
/// <param name="Spread">The first outcome's spread.</param>
/// <param name="EventsPerSecond">Book events per second of all its tokens, over the last look.</param>
/// <param name="SyncedTokens">How many of its tokens are synced.</param>
internal sealed record MarketRow(GammaMarket Market, decimal? Price, decimal? Change, decimal? Spread, double EventsPerSecond, int SyncedTokens);
