
namespace PolyStream.Cli.Tui;

/// <summary>What the universe view needs of one book: its midpoint and spread (when both sides have orders) and whether it is synced.</summary>
internal readonly record struct TokenQuote(decimal? Midpoint, decimal? Spread, bool Synced);
