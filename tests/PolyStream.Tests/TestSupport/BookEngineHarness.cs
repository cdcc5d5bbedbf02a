using Microsoft.Extensions.Time.Testing;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;

namespace PolyStream.Tests.TestSupport;

/// <summary>A <see cref="BookEngine"/> wired to a bus, a fake clock and a <see cref="TestSupport.Venue"/> that writes its frames.</summary>
internal sealed class BookEngineHarness : IAsyncDisposable
{
    private long _receiveTimestamp;

    public BookEngineHarness(BookEngineOptions? options = null, params string[] tracked)
    {
        Events = Bus.Subscribe(new SubscriberOptions { Capacity = 100_000 });
        Engine = new BookEngine(Bus, options, Time, Resyncs.Add);
        foreach (var assetId in tracked)
        {
            Engine.Track(assetId);
        }
    }

    public FakeTimeProvider Time { get; } = new();

    public EventBus Bus { get; } = new();

    public EventSubscriber Events { get; }

    public List<string> Resyncs { get; } = [];

    public BookEngine Engine { get; }

    public Venue Venue { get; } = new();

    /// <summary>Processes one frame and returns every event it published.</summary>
    public List<StreamEvent> Feed(byte[] frame)
    {
        Engine.Process(frame, ++_receiveTimestamp);
        return TestEvents.Drain(Events);
    }

    public List<StreamEvent> Drain() => TestEvents.Drain(Events);

    public BookView View(string assetId) => Engine.GetOrderBook(assetId)!;

    public async ValueTask DisposeAsync() => await Bus.DisposeAsync();
}
