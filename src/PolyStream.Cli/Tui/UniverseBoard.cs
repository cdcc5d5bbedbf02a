using PolyStream.Rest;

namespace PolyStream.Cli.Tui;

/// <summary>
/// The universe view's model, without a terminal: one row per market with its price, change, spread and activity,
/// sorted by a key, narrowed by a search, and a selection that stays on its market while the rows move.
/// </summary>
internal sealed class UniverseBoard
{
    private readonly Dictionary<string, decimal> _firstPrice = new(StringComparer.Ordinal);
    private Dictionary<string, long> _lastEvents = new(StringComparer.Ordinal);
    private List<MarketRow> _all = [];
    private List<MarketRow> _shown = [];
    private string? _selected;

    public UniverseSort Sort { get; private set; } = UniverseSort.Activity;

    /// <summary>The search text: rows whose question or slug contain it (case-insensitive).</summary>
    public string Search { get; private set; } = string.Empty;

    /// <summary>How many markets the universe has, searched or not.</summary>
    public int Total => _all.Count;

    /// <summary>The rows that pass the search, in sort order.</summary>
    public IReadOnlyList<MarketRow> Shown => _shown;

    /// <summary>The index of the selected row in <see cref="Shown"/>; 0 when it left.</summary>
    public int SelectedIndex => Math.Max(0, _shown.FindIndex(r => r.Market.ConditionId == _selected));

    /// <summary>The selected market, or <see langword="null"/> when no row is shown.</summary>
    public MarketRow? Selected => _shown.Count == 0 ? null : _shown[SelectedIndex];

    /// <summary>Takes a fresh look at <paramref name="markets"/>: each one's quotes, and its events per second since the last look <paramref name="elapsed"/> ago.</summary>
    /// <param name="markets">The universe.</param>
    /// <param name="quote">A token's quote, or <see langword="null"/> when it is not streamed (yet).</param>
    /// <param name="events">The count of book events a token has had so far.</param>
    /// <param name="elapsed">The time since the last look.</param>
    public void Update(IReadOnlyList<GammaMarket> markets, Func<string, TokenQuote?> quote, Func<string, long> events, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var counts = new Dictionary<string, long>(markets.Count, StringComparer.Ordinal);
        var rows = new List<MarketRow>(markets.Count);
        foreach (var market in markets)
        {
            var id = market.ConditionId;
            var first = market.ClobTokenIds.IsEmpty ? null : quote(market.ClobTokenIds[0]);
            var synced = 0;
            long count = 0;
            foreach (var token in market.ClobTokenIds)
            {
                synced += quote(token)?.Synced == true ? 1 : 0;
                count += events(token);
            }

            counts[id] = count;
            var price = first?.Midpoint;
            if (price is { } now)
            {
                _firstPrice.TryAdd(id, now);
            }

            var change = price is { } p && _firstPrice.TryGetValue(id, out var then) ? p - then : (decimal?)null;
            var rate = _lastEvents.TryGetValue(id, out var before) ? (count - before) / seconds : 0;
            rows.Add(new MarketRow(market, price, change, first?.Spread, rate, synced));
        }

        foreach (var gone in _firstPrice.Keys.Where(id => !counts.ContainsKey(id)).ToList())
        {
            _firstPrice.Remove(gone);
        }

        _lastEvents = counts;
        _all = rows;
        Arrange();
    }

    public void SortBy(UniverseSort sort)
    {
        Sort = sort;
        Arrange();
    }

    /// <summary>Sets the search text, keeping the selection when its market still passes.</summary>
    public void SearchFor(string text)
    {
        Search = text;
        Arrange();
    }

    /// <summary>Moves the selection by <paramref name="rows"/> (negative: up), within the rows shown.</summary>
    public void Move(int rows)
    {
        if (_shown.Count > 0)
        {
            _selected = _shown[Math.Clamp(SelectedIndex + rows, 0, _shown.Count - 1)].Market.ConditionId;
        }
    }

    private void Arrange()
    {
        var shown = Search.Length == 0
            ? _all
            : _all.Where(r => r.Market.Question.Contains(Search, StringComparison.OrdinalIgnoreCase) || r.Market.Slug.Contains(Search, StringComparison.OrdinalIgnoreCase)).ToList();
        Func<MarketRow, decimal> key = Sort switch
        {
            UniverseSort.Movers => r => r.Change is { } c ? Math.Abs(c) : -1,
            UniverseSort.Spread => r => r.Spread ?? -1,
            _ => r => (decimal)r.EventsPerSecond,
        };
        // Ties (many quiet markets) in a fixed order, so rows do not swap places between looks.
        _shown = [.. shown.OrderByDescending(key).ThenBy(r => r.Market.Question, StringComparer.Ordinal).ThenBy(r => r.Market.ConditionId, StringComparer.Ordinal)];
        if (_shown.Count > 0 && !_shown.Exists(r => r.Market.ConditionId == _selected))
        {
            _selected = _shown[0].Market.ConditionId;
        }
    }
}
