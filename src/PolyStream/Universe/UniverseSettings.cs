namespace PolyStream.Universe;

/// <summary>What universe mode runs with, taken once from the streamer's configuration.</summary>
/// <param name="Filter">Which open markets to follow.</param>
/// <param name="Selector">Which of them this streamer carries, by condition id; <see langword="null"/> for all.</param>
/// <param name="RediscoveryInterval">How often the universe is discovered again.</param>
/// <param name="ResolvedBookRetention">How long a resolved market's last books stay readable.</param>
/// <param name="PlacementChunk">Tokens placed at a time: one connection's worth.</param>
/// <param name="Time">The clock of the re-discovery timer and the retention.</param>
internal sealed record UniverseSettings(
    UniverseFilter Filter,
    Func<string, bool>? Selector,
    TimeSpan RediscoveryInterval,
    TimeSpan ResolvedBookRetention,
    int PlacementChunk,
    TimeProvider Time);
