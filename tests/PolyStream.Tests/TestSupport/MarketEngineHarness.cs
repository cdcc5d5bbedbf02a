using System.Text;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Tests.TestSupport;

/// <summary>
/// A client-side replica: parses engine frames with the core parser and keeps books, counting hash outcomes.
/// It knows each market's <c>min_order_size</c> and <c>neg_risk</c> before the token's first book, as a
/// client that read REST would: WebSocket books do not carry them, yet they are hashed.
/// </summary>
internal sealed class MarketEngineHarness
{
    private readonly FrameParser _parser = new();
    private readonly List<WireEvent> _events = [];

    public MarketEngineHarness(int markets = 20, int seed = 1, bool lifecycle = true)
        : this(new SimulatorOptions { Markets = markets, Seed = seed, MarketLifecycle = lifecycle })
    {
    }

    public MarketEngineHarness(SimulatorOptions options)
    {
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        Engine = new MarketEngine(options, Time);
        foreach (var market in Engine.Markets)
        {
            Snapshot(market.YesTokenId);
            Snapshot(market.NoTokenId);
        }
    }

    public FakeTimeProvider Time { get; }

    public MarketEngine Engine { get; }

    public Dictionary<string, OrderBook> Books { get; } = new(StringComparer.Ordinal);

    public long Frames { get; private set; }

    public long Matched { get; private set; }

    public List<string> Failures { get; } = [];

    /// <summary>Bases a token's replica on the engine's current book, rendered as a WebSocket <c>book</c> and parsed back.</summary>
    public void Snapshot(string assetId)
    {
        var book = Engine.GetBook(assetId)!;
        Apply(WireWriter.Write(w => WireWriter.WsBook(w, book)));
    }

    public void Apply(ReadOnlyMemory<byte> frame)
    {
        Frames++;
        _events.Clear();
        if (!_parser.TryParse(frame.Span, _events, out var error))
        {
            Failures.Add($"unparseable: {error} {Encoding.UTF8.GetString(frame.Span)}");
            return;
        }

        foreach (var wireEvent in _events.ToArray())
        {
            switch (wireEvent)
            {
                case BookEvent book:
                    if (!Books.TryGetValue(book.AssetId, out var target))
                    {
                        var market = Engine.FindMarketOfToken(book.AssetId)!;
                        target = new OrderBook(book.AssetId, book.Market) { MinOrderSize = market.MinOrderSize, NegRisk = market.NegRisk };
                        Books[book.AssetId] = target;
                    }

                    Check(target.ReplaceWithSnapshot(book), book.AssetId, "book");
                    break;
                case PriceChangeEvent change:
                    foreach (var asset in AssetsOf(change))
                    {
                        if (Books.TryGetValue(asset, out var changed))
                        {
                            Check(changed.ApplyPriceChange(change).Hash, asset, "price_change");
                        }
                    }

                    break;
                case LastTradePriceEvent trade when Books.TryGetValue(trade.AssetId, out var traded):
                    traded.RecordTrade(trade);
                    break;
                case NewMarketEvent:
                    foreach (var market in Engine.Markets)
                    {
                        if (!Books.ContainsKey(market.YesTokenId) && Engine.GetBook(market.YesTokenId) is not null)
                        {
                            Snapshot(market.YesTokenId);
                            Snapshot(market.NoTokenId);
                        }
                    }

                    break;
                case MarketResolvedEvent resolved:
                    foreach (var asset in resolved.AssetIds)
                    {
                        Books.Remove(asset);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    public void Run(int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            foreach (var frame in Engine.Step())
            {
                Apply(frame.Utf8);
            }
        }
    }

    private static HashSet<string> AssetsOf(PriceChangeEvent change)
    {
        var assets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in change.Changes)
        {
            assets.Add(entry.AssetId);
        }

        return assets;
    }

    private void Check(HashCheck check, string asset, string kind)
    {
        if (check.Outcome == HashOutcome.Matched)
        {
            Matched++;
        }
        else if (Failures.Count < 20)
        {
            Failures.Add($"{kind} {asset} frame {Frames}: {check.Outcome} expected {check.Expected} computed {check.Actual}");
        }
    }
}
