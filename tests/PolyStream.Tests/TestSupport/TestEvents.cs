using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Auth;
using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Sharding;

namespace PolyStream.Tests.TestSupport;

/// <summary>Small stream events for bus tests, numbered so order and loss can be checked.</summary>
internal static class TestEvents
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>A non-state event numbered by <paramref name="n"/> (kept in <see cref="StreamEvent.Seq"/>).</summary>
    public static StreamEvent Quote(long n, string assetId = "A") => new BestBidAskReceived
    {
        AssetId = assetId,
        Seq = n,
        Market = "0xmarket",
    };

    /// <summary>A book state event for an asset, numbered by <paramref name="n"/>.</summary>
    public static StreamEvent State(string assetId, long n) => new BookDeltaApplied
    {
        AssetId = assetId,
        Epoch = 1,
        Seq = n,
        Changes = [],
        Book = new BookView
        {
            AssetId = assetId,
            Summary = new BookSummary { Market = "0xmarket", AssetId = assetId },
            State = BookTrustState.Synced,
            Epoch = 1,
            Seq = n,
        },
    };

    /// <summary>
    /// What a fresh engine publishes for one real frame of the shared samples (vectors/samples), received at 7,
    /// with the engine's counts after it; every token the frame's book-level events name is tracked first.
    /// </summary>
    /// <summary>
    /// A real sample frame's stream events, through the path the venue would send it by: the user feed for
    /// orders and trades (only the authenticated channel carries them), a market engine for the rest.
    /// The parse-failure count comes from whichever handled it.
    /// </summary>
    public static async Task<(List<StreamEvent> Events, long ParseFailures)> OfSampleAsync(string sample)
    {
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var frame = Fixture.Sample(sample);
        var parsed = new FrameParser().Parse(frame).Events;
        if (parsed.Any(e => e is OrderEvent or TradeEvent))
        {
            var user = new WsConfig { Channel = WsChannel.User, Credentials = new ApiCredentials("key", "c2VjcmV0", "pass") };
            await using var feed = new UserFeed(user, bus, NullLoggerFactory.Instance);
            feed.OnFrame(frame, 7, connectionId: 1);
            var published = Drain(events);
            return (published, published.OfType<ParseFailure>().LongCount());
        }

        var engine = new BookEngine(bus);
        foreach (var wireEvent in parsed)
        {
            if (TrackedBy(wireEvent) is { } assetId)
            {
                engine.Track(assetId);
            }
        }

        Assert.True(engine.Process(frame, 7));
        return (Drain(events), engine.Counts.ParseFailures);
    }

    private static string? TrackedBy(WireEvent wireEvent) => wireEvent switch
    {
        LastTradePriceEvent e => e.AssetId,
        BestBidAskEvent e => e.AssetId,
        TickSizeChangeEvent e => e.AssetId,
        _ => null,
    };

    public static List<StreamEvent> Drain(EventSubscriber subscriber)
    {
        var events = new List<StreamEvent>();
        while (subscriber.TryRead(out var streamEvent))
        {
            events.Add(streamEvent);
        }

        return events;
    }
}
