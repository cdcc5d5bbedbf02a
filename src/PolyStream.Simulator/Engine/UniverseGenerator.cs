using System.Collections.Immutable;
using System.Globalization;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>
/// Decides what each listed market is, from its own seeded stream (so the order flow's stream is the
/// same whatever the universe): neg-risk events of 3–30 legs next to standalone binaries, minimum
/// sizes 1, 5 or 15, a few hot books and a quiet tail, and the recurring "up or down" series. With
/// <see cref="SimulatorOptions.Uniform"/> every market is a standalone binary with the old defaults.
/// </summary>
internal sealed class UniverseGenerator
{
    /// <summary>The assets of the up-or-down series, one series each.</summary>
    public static readonly ImmutableArray<string> SeriesAssets = ["BTC", "ETH", "SOL", "XRP"];

    // About one slot in twelve opens an event; events average about twelve legs, so roughly half
    // the markets are neg-risk legs, as on the venue where elections and sports carry many outcomes.
    private const double EventChance = 0.08;
    private const int MinLegs = 3;
    private const int MaxLegs = 30;
    private const int MarketsPerSeries = 10;

    private static readonly ImmutableArray<string> s_upDown = ["Up", "Down"];
    private static readonly ImmutableArray<string> s_seriesTags = ["Crypto", "Up or Down"];
    private static readonly ImmutableArray<string> s_eventTags = ["Politics", "Elections"];
    private static readonly ImmutableArray<string> s_standaloneTags = ["Simulated"];
    private static readonly DateTimeOffset s_longLivedEnd = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ExactDecimal s_defaultMinOrderSize = ExactDecimal.FromParts(5, 0);
    private static readonly ExactDecimal[] s_minOrderSizes = [ExactDecimal.FromParts(1, 0), s_defaultMinOrderSize, ExactDecimal.FromParts(15, 0)];

    private readonly SimulatorOptions _options;
    private readonly Random _random;
    private readonly ExactDecimal? _minOrderSize;
    private readonly int _eventSlots;
    private readonly Queue<MarketPlan> _pendingLegs = new();
    private int _events;

    public UniverseGenerator(SimulatorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SeriesPeriod, TimeSpan.FromSeconds(1), nameof(options.SeriesPeriod));
        _options = options;
        // A stream of its own, derived from the seed, so the order flow's stream is the same whatever the universe.
        _random = new Random(unchecked((options.Seed * 7919) + 104_729));
        _minOrderSize = options.MinOrderSize is { } text ? ExactDecimal.Parse(text) : null;
        SeriesCount = options.Uniform ? 0 : Math.Min(SeriesAssets.Length, options.Markets / MarketsPerSeries);
        _eventSlots = options.Markets - SeriesCount;
    }

    /// <summary>How many up-or-down series run (one market each at a time): one per ten initial markets, at most four, none when uniform.</summary>
    public int SeriesCount { get; }

    /// <summary>The plan of initial market <paramref name="index"/>: event legs and standalone binaries, then one market per series.</summary>
    public MarketPlan Initial(int index, DateTimeOffset now)
    {
        if (index >= _eventSlots)
        {
            return SeriesMarket(WindowAt(index - _eventSlots, now));
        }

        if (_options.Uniform)
        {
            return Standalone(index);
        }

        if (_pendingLegs.TryDequeue(out var leg))
        {
            return leg;
        }

        var room = _eventSlots - index;
        if (room >= MinLegs && _random.NextDouble() < EventChance)
        {
            // Squaring skews toward small events: most have a handful of outcomes, a few have dozens.
            var skew = _random.NextDouble();
            PlanEvent(Math.Min(room, MinLegs + (int)((MaxLegs - MinLegs + 1) * skew * skew)));
            return _pendingLegs.Dequeue();
        }

        return Standalone(index);
    }

    /// <summary>The plan of a market listed while running (a standalone binary, nothing traded yet).</summary>
    public MarketPlan Listing(int index) => Standalone(index) with { PriorVolume = 0m };

    /// <summary>The window of series <paramref name="asset"/> that contains <paramref name="at"/>; windows are staggered across assets.</summary>
    public SeriesWindow WindowAt(int asset, DateTimeOffset at)
    {
        var period = (long)_options.SeriesPeriod.TotalMilliseconds;
        var offset = asset * period / Math.Max(1, SeriesCount);
        var now = at.ToUnixTimeMilliseconds();
        var start = now - ((((now - offset) % period) + period) % period);
        var opens = DateTimeOffset.FromUnixTimeMilliseconds(start);
        return new SeriesWindow(asset, $"{SeriesAssets[asset].ToLowerInvariant()}-updown-{PeriodLabel()}", opens, opens + _options.SeriesPeriod);
    }

    /// <summary>The plan of the series market trading in <paramref name="window"/>: Up/Down, even odds, busy.</summary>
    public MarketPlan SeriesMarket(SeriesWindow window)
    {
        // Minutes when the window is on whole minutes (as the venue's are), else seconds: staggered windows need them.
        var format = window.Start.Second == 0 && window.End.Second == 0 ? "HH:mm" : "HH:mm:ss";
        var question = string.Create(
            CultureInfo.InvariantCulture,
            $"{SeriesAssets[window.Asset]} Up or Down - {window.Start.ToString("MMMM d, " + format, CultureInfo.InvariantCulture)}-{window.End.ToString(format, CultureInfo.InvariantCulture)} UTC");
        var slug = string.Create(CultureInfo.InvariantCulture, $"{window.Series}-{window.Start.ToUnixTimeSeconds()}");
        var negRisk = _options.NegRisk ?? false;
        return new MarketPlan
        {
            Question = question,
            Slug = slug,
            MinOrderSize = _minOrderSize ?? s_defaultMinOrderSize,
            NegRisk = negRisk,
            NegRiskMarketId = negRisk ? NewId() : string.Empty,
            Activity = ActivityProfile.Hot,
            EndDate = window.End,
            Fair = 0.5m,
            EventSlug = slug,
            Outcomes = s_upDown,
            Window = window,
            Tags = s_seriesTags,
        };
    }

    private MarketPlan Standalone(int index)
    {
        var negRisk = _options.NegRisk ?? false;
        var activity = _options.Uniform ? ActivityProfile.Even : DrawActivity();
        return new MarketPlan
        {
            Question = string.Create(CultureInfo.InvariantCulture, $"Will simulated event {index} happen?"),
            Slug = string.Create(CultureInfo.InvariantCulture, $"simulated-event-{index}"),
            MinOrderSize = _minOrderSize ?? (_options.Uniform ? s_defaultMinOrderSize : DrawMinOrderSize()),
            NegRisk = negRisk,
            NegRiskMarketId = negRisk ? NewId() : string.Empty,
            Activity = activity,
            EndDate = s_longLivedEnd,
            PriorVolume = activity.PriorVolume,
            Tags = s_standaloneTags,
        };
    }

    /// <summary>Queues the legs of one neg-risk event: one shared id and minimum size, fair values that sum to about 1.</summary>
    private void PlanEvent(int legs)
    {
        var number = ++_events;
        var negRisk = _options.NegRisk ?? true;
        var negRiskMarketId = negRisk ? NewId() : string.Empty;
        var minOrderSize = _minOrderSize ?? DrawMinOrderSize();
        var eventSlug = string.Create(CultureInfo.InvariantCulture, $"simulated-election-{number}");
        // Cubed draws give a favourite or two and a tail of long shots priced under 0.04 (tick 0.001).
        var weights = new double[legs];
        for (var i = 0; i < legs; i++)
        {
            var draw = _random.NextDouble();
            weights[i] = (draw * draw * draw) + 0.001;
        }

        var total = weights.Sum();
        for (var i = 0; i < legs; i++)
        {
            var candidate = i + 1;
            var activity = DrawActivity();
            _pendingLegs.Enqueue(new MarketPlan
            {
                Question = string.Create(CultureInfo.InvariantCulture, $"Will candidate {candidate} win simulated election {number}?"),
                Slug = string.Create(CultureInfo.InvariantCulture, $"{eventSlug}-candidate-{candidate}"),
                MinOrderSize = minOrderSize,
                NegRisk = negRisk,
                NegRiskMarketId = negRiskMarketId,
                Activity = activity,
                EndDate = s_longLivedEnd,
                PriorVolume = activity.PriorVolume,
                Tags = s_eventTags,
                Fair = Math.Clamp(Math.Round((decimal)(weights[i] / total), 2), 0.01m, 0.97m),
                EventId = (800_000 + number).ToString(CultureInfo.InvariantCulture),
                EventSlug = eventSlug,
                EventTitle = string.Create(CultureInfo.InvariantCulture, $"Simulated election {number}: who wins?"),
                GroupItemTitle = string.Create(CultureInfo.InvariantCulture, $"Candidate {candidate}"),
            });
        }
    }

    private ExactDecimal DrawMinOrderSize() => _random.NextDouble() switch
    {
        < 0.2 => s_minOrderSizes[0],
        < 0.8 => s_minOrderSizes[1],
        _ => s_minOrderSizes[2],
    };

    private ActivityProfile DrawActivity() => _random.NextDouble() switch
    {
        < 0.03 => ActivityProfile.Hot,
        < 0.2 => ActivityProfile.Warm,
        _ => ActivityProfile.Quiet,
    };

    private string NewId()
    {
        Span<byte> bytes = stackalloc byte[32];
        _random.NextBytes(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    private string PeriodLabel()
    {
        var period = _options.SeriesPeriod;
        return period.TotalSeconds % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)period.TotalMinutes}m")
            : period.TotalMilliseconds % 1000 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(long)period.TotalSeconds}s")
                : string.Create(CultureInfo.InvariantCulture, $"{(long)period.TotalMilliseconds}ms");
    }
}
