using BenchmarkDotNet.Attributes;
using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Benchmarks;

/// <summary>
/// Publishing one event to 1, 4 and 16 subscribers that keep up (each drains its queue after every batch), read
/// one event at a time or several under one lock.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int Batch = 1_000;

    private EventBus _bus = null!;
    private EventSubscriber[] _subscribers = [];
    private readonly StreamEvent[] _read = new StreamEvent[256];
    private StreamEvent _event = null!;
    private System.Threading.Channels.Channel<StreamEvent>[] _channels = [];

    [Params(1, 4, 16)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bus = new EventBus();
        _subscribers = [.. Enumerable.Range(0, Subscribers).Select(i => _bus.Subscribe(new SubscriberOptions { Capacity = Batch * 2, Name = $"s{i}" }))];
        _event = new Lagged { AssetId = MarketFrames.Yes, Count = 1 };
        _channels = [.. Enumerable.Range(0, Subscribers).Select(_ => System.Threading.Channels.Channel.CreateBounded<StreamEvent>(Batch * 2))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "floor: one bounded Channel per reader")]
    public int Channels()
    {
        for (var i = 0; i < Batch; i++)
        {
            foreach (var channel in _channels)
            {
                channel.Writer.TryWrite(_event);
            }
        }

        var read = 0;
        foreach (var channel in _channels)
        {
            while (channel.Reader.TryRead(out _))
            {
                read++;
            }
        }

        return read;
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Batch, Description = "publish one event to every subscriber")]
    public int Publish()
    {
        PublishBatch();
        var read = 0;
        foreach (var subscriber in _subscribers)
        {
            while (subscriber.TryRead(out _))
            {
                read++;
            }
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "publish one event to every subscriber, read 256 at a time")]
    public int PublishReadAvailable()
    {
        PublishBatch();
        var read = 0;
        foreach (var subscriber in _subscribers)
        {
            int count;
            while ((count = subscriber.ReadAvailable(_read)) > 0)
            {
                read += count;
            }
        }

        return read;
    }

    private void PublishBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            _bus.Publish(_event);
        }
    }
}
