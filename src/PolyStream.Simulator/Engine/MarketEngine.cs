using System.Collections.Immutable;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>
/// A seeded, deterministic exchange: binary markets as varied as the venue's (standalone ones, legs of
/// neg-risk events, a recurring up-or-down series; see <see cref="SimulatorOptions.Uniform"/>), each one
/// book in YES-token terms projected to the NO token, driven one step at a time by order placement,
/// cancellation and matching. The same seed and step count give the same books and frames (timestamps
/// come from the injected clock).
/// </summary>
/// <remarks>Not thread-safe: one caller at a time (the server serialises its pump, sockets and REST).</remarks>
public sealed partial class MarketEngine
{
    private static readonly ExactDecimal s_cent = ExactDecimal.FromParts(1, 2);
    private static readonly ExactDecimal s_mill = ExactDecimal.FromParts(1, 3);

    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly List<MarketState> _markets = [];
    private readonly Dictionary<string, (MarketState Market, bool IsYes)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MarketState> _byCondition = new(StringComparer.Ordinal);
    private readonly Queue<SimFrame> _history = new();
    private readonly UniverseGenerator _universe;
    private readonly ActivityPicker _picker;
    private readonly List<MarketState> _liveSeries = [];
    private long _sequence;

    /// <summary>Creates the engine and its initial markets with seeded books.</summary>
    public MarketEngine(SimulatorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Markets);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _random = new Random(options.Seed);
        _universe = new UniverseGenerator(options);
        _picker = new ActivityPicker(dropResolved: !options.Uniform);
        Account = new SimAccount(
            options.ApiKey ?? Uuid(),
            options.ApiSecret ?? Convert.ToBase64String(Bytes(32)).Replace('+', '-').Replace('/', '_'),
            options.ApiPassphrase ?? Hex(32),
            "0x" + Hex(20));
        var now = _universe.SeriesCount > 0 ? _time.GetUtcNow() : default;
        for (var i = 0; i < options.Markets; i++)
        {
            var market = AddMarket(_universe.Initial(i, now));
            if (market.Window is not null)
            {
                _liveSeries.Add(market);
            }
        }
    }

    /// <summary>The number of steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The number of frames emitted so far.</summary>
    public long FrameCount => _sequence;

    /// <summary>The simulated trading account whose orders and trades the user channel reports.</summary>
    public SimAccount Account { get; }

    /// <summary>Every market ever listed, resolved ones included, in listing order.</summary>
    public IReadOnlyList<SimMarket> Markets => _markets.ConvertAll(m => m.Info);

    /// <summary>The most recent frames (up to <see cref="SimulatorOptions.HistoryLimit"/>), oldest first.</summary>
    public IReadOnlyList<SimFrame> History => [.. _history];

    /// <summary>Whether the market is open (not resolved).</summary>
    public bool IsActive(string conditionId) => _byCondition.TryGetValue(conditionId, out var m) && m.IsActive;

    /// <summary>The market a condition id names, or <see langword="null"/>.</summary>
    public SimMarket? FindMarket(string conditionId) => _byCondition.TryGetValue(conditionId, out var m) ? m.Info : null;

    /// <summary>The market of a token, or <see langword="null"/> when the token is unknown.</summary>
    public SimMarket? FindMarketOfToken(string assetId) => _tokens.TryGetValue(assetId, out var t) ? t.Market.Info : null;

    /// <summary>The exact current book of a token (ground truth, hash included), or <see langword="null"/> when it has none (unknown or resolved).</summary>
    public BookSummary? GetBook(string assetId)
    {
        if (!_tokens.TryGetValue(assetId, out var token) || !token.Market.IsActive)
        {
            return null;
        }

        return token.IsYes ? token.Market.YesSummary() : token.Market.NoSummary();
    }

    /// <summary>The taker side of the token's last trade, or <see langword="null"/> before any trade.</summary>
    public Side? LastTradeSide(string assetId) =>
        _tokens.TryGetValue(assetId, out var token) && token.Market.LastTradeYesSide is { } side
            ? (token.IsYes ? side : SimOrder.Opposite(side))
            : null;

    /// <summary>The exact current book of every token of every open market (ground truth), YES then NO per market.</summary>
    public IReadOnlyList<BookSummary> GetBooks()
    {
        var books = new List<BookSummary>(_markets.Count * 2);
        foreach (var market in _markets)
        {
            if (market.IsActive)
            {
                books.Add(market.YesSummary());
                books.Add(market.NoSummary());
            }
        }

        return books;
    }

    /// <summary>A market's traded volume and resting liquidity (USDC), as Gamma reports them; the market must exist.</summary>
    internal (decimal Volume, decimal Liquidity) VolumeAndLiquidityOf(string conditionId)
    {
        var market = _byCondition[conditionId];
        return (market.Volume, market.Liquidity());
    }

    /// <summary>A market's tick size now (its last one once resolved); the market must exist.</summary>
    internal ExactDecimal TickSizeOf(string conditionId) => _byCondition[conditionId].Yes.TickSize;

    /// <summary>The winning token of a resolved market, or <see langword="null"/>.</summary>
    public string? WinningAssetId(string conditionId) => _byCondition.TryGetValue(conditionId, out var m) ? m.WinningAssetId : null;

    /// <summary>Takes one step of order flow and returns the frames it emitted (possibly none).</summary>
    public IReadOnlyList<SimFrame> Step()
    {
        var frames = new List<SimFrame>();
        Steps++;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        AdvanceTrades(now, frames);
        // A step that rotates a series does nothing else, as a random listing does not: a client that
        // snapshots a new market on its new_market then sees every later change of it exactly once.
        if (_options.MarketLifecycle && RotateSeries(now, frames))
        {
            return frames;
        }

        if (_options.MarketLifecycle && _random.NextDouble() < 0.0005 && _markets.Count > 0)
        {
            ResolveAndList(now, frames);
            return frames;
        }

        var market = PickActiveMarket();
        if (market is null)
        {
            return frames;
        }

        Drift(market);
        var action = _random.NextDouble();
        if (action < 0.5 || market.Resting.Count < 4)
        {
            Place(market, now, frames);
        }
        else if (action < 0.82 || market.Resting.Count > 80)
        {
            Cancel(market, now, frames);
        }
        else
        {
            Take(market, now, frames);
        }

        return frames;
    }

    /// <summary>Takes <paramref name="count"/> steps and returns every frame emitted.</summary>
    public IReadOnlyList<SimFrame> Step(int count)
    {
        var all = new List<SimFrame>();
        for (var i = 0; i < count; i++)
        {
            all.AddRange(Step());
        }

        return all;
    }

    /// <summary>Moves a market's fair value (tests use it to force tick-size changes); flow follows within a few steps.</summary>
    public void SetFairValue(string conditionId, decimal yesPrice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(yesPrice, 0.01m);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(yesPrice, 0.99m);
        _byCondition[conditionId].Fair = yesPrice;
    }

    /// <summary>The market a step acts on, weighted by activity: a few hot books take much of the flow.</summary>
    private MarketState? PickActiveMarket() => _picker.Pick(_random) ?? _markets.Find(m => m.IsActive);

    private void Drift(MarketState market)
    {
        var move = _random.Next(4) switch { 0 => -0.01m, 1 => 0.01m, _ => 0m };
        market.Fair = Math.Clamp(market.Fair + move, 0.01m, 0.99m);
    }

    private SimFrame Emit(List<SimFrame> frames, WireEventKind kind, string market, ImmutableArray<string> assets, byte[] utf8)
    {
        var frame = new SimFrame(++_sequence, kind, market, assets, utf8);
        frames.Add(frame);
        if (_options.HistoryLimit > 0)
        {
            if (_history.Count >= _options.HistoryLimit)
            {
                _history.Dequeue();
            }

            _history.Enqueue(frame);
        }

        return frame;
    }

    private static ExactDecimal Exact(decimal value) => ExactDecimal.FromDecimal(value).Normalize();

    private static ExactDecimal TickFor(decimal yesPrice) => yesPrice > 0.96m || yesPrice < 0.04m ? s_mill : s_cent;

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Hex(int bytes) => Convert.ToHexStringLower(Bytes(bytes));

    private string Uuid()
    {
        var hex = Hex(16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private string TokenId()
    {
        var digits = new char[77];
        digits[0] = (char)('1' + _random.Next(9));
        for (var i = 1; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + _random.Next(10));
        }

        return new string(digits);
    }
}
