using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

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
        Quote = new BestBidAskEvent { Market = "0xmarket", AssetId = assetId },
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
    public static async Task<(List<StreamEvent> Events, BookEngineCounts Counts)> OfSampleAsync(string sample)
    {
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var engine = new BookEngine(bus);
        var frame = Fixture.Sample(sample);
        foreach (var wireEvent in new FrameParser().Parse(frame).Events)
        {
            if (TrackedBy(wireEvent) is { } assetId)
            {
                engine.Track(assetId);
            }
        }

        Assert.True(engine.Process(frame, 7));
        return (Drain(events), engine.Counts);
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
