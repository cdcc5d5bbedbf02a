namespace PolyStream.Simulator.Engine;

/// <summary>
/// Picks the market a step acts on, weighted by activity profile: a profile's share of the flow is its
/// weight times its number of markets, then a market is drawn evenly within the profile. With one
/// profile it draws exactly as an even pick over every market, so uniform runs replay as before.
/// </summary>
/// <param name="dropResolved">
/// Whether resolved markets leave the draw. Without it (uniform runs, as before) they stay and a draw
/// that finds one retries; over hours of series rotations that would starve the hot profile.
/// </param>
internal sealed class ActivityPicker(bool dropResolved)
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

    /// <summary>Takes a resolved market out of the draw, when resolved markets are dropped.</summary>
    public void Resolved(MarketState market)
    {
        if (!dropResolved)
        {
            return;
        }

        foreach (var (profile, markets) in _groups)
        {
            if (profile == market.Activity)
            {
                markets.Remove(market);
                return;
            }
        }
    }

    /// <summary>An open market, or <see langword="null"/> when a few draws found only resolved ones (the caller falls back).</summary>
    public MarketState? Pick(Random random)
    {
        var markets = _groups.Count == 1 ? _groups[0].Markets : DrawGroup(random);
        if (markets is not { Count: > 0 })
        {
            return null;
        }

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

    private List<MarketState>? DrawGroup(Random random)
    {
        long total = 0;
        foreach (var (profile, markets) in _groups)
        {
            total += (long)profile.Weight * markets.Count;
        }

        if (total == 0)
        {
            return null;
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

        return null;
    }
}
