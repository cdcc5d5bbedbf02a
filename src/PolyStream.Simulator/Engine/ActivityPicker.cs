namespace PolyStream.Simulator.Engine;

/// <summary>
/// Picks the market a step acts on, weighted by activity profile: a profile's share of the flow is its
/// weight times its number of markets, then a market is drawn evenly within the profile. With one
/// profile it draws exactly as an even pick over every market, so uniform runs replay as before.
/// </summary>
internal sealed class ActivityPicker
{
    private const int Attempts = 8;

    private readonly List<(ActivityProfile Profile, List<MarketState> Markets)> _groups = [];

    public void Add(MarketState market)
    {
        foreach (var (profile, markets) in _groups)
        {
            if (profile == market.Activity)
            {
                markets.Add(market);
                return;
            }
        }

        _groups.Add((market.Activity, [market]));
    }

    /// <summary>An open market, or <see langword="null"/> when a few draws found only resolved ones (the caller falls back).</summary>
    public MarketState? Pick(Random random)
    {
        if (_groups.Count == 0)
        {
            return null;
        }

        var markets = _groups.Count == 1 ? _groups[0].Markets : DrawGroup(random);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var candidate = markets[random.Next(markets.Count)];
            if (candidate.IsActive)
            {
                return candidate;
            }
        }

        return null;
    }

    private List<MarketState> DrawGroup(Random random)
    {
        long total = 0;
        foreach (var (profile, markets) in _groups)
        {
            total += (long)profile.Weight * markets.Count;
        }

        var draw = random.NextInt64(total);
        foreach (var (profile, markets) in _groups)
        {
            draw -= (long)profile.Weight * markets.Count;
            if (draw < 0)
            {
                return markets;
            }
        }

        return _groups[^1].Markets;
    }
}
