using CsCheck;
using PolyStream.Bus;
using PolyStream.Events;
using static PolyStream.Tests.TestSupport.TestEvents;

namespace PolyStream.Tests.Bus;

/// <summary>Random publishes and reads against the invariant: a subscriber's losses are exactly accounted for.</summary>
public sealed class EventSubscriberPropertyTests
{
    private static readonly Gen<(bool Publish, bool State, int Asset, int Reads)> s_busOp =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 4], (kind, state, asset, reads) => (kind > 0, state, asset, reads));

    [Theory]
    [InlineData(OverflowPolicy.DropOldest)]
    [InlineData(OverflowPolicy.Conflate)]
    public void EventSubscriber_RandomPublishesAndReads_EveryLossIsReportedExactly(OverflowPolicy policy)
    {
        Gen.Select(Gen.Int[1, 5], s_busOp.Array[1, 200]).Sample((capacity, operations) =>
        {
            var bus = new EventBus();
            var subscriber = bus.Subscribe(new SubscriberOptions { Capacity = capacity, Overflow = policy });
            var seen = new List<StreamEvent>();
            var lastState = new Dictionary<string, long>();
            long published = 0;
            foreach (var (publish, state, asset, reads) in operations)
            {
                if (publish)
                {
                    var streamEvent = Event(state, asset, ++published);
                    bus.Publish(streamEvent);
                    if (state)
                    {
                        lastState[streamEvent.AssetId!] = streamEvent.Seq;
                    }
                }
                else
                {
                    for (var i = 0; i < reads && subscriber.TryRead(out var streamEvent); i++)
                    {
                        seen.Add(streamEvent);
                    }
                }
            }

            seen.AddRange(Drain(subscriber));
            var counts = subscriber.Counts;
            Assert.Equal(published, counts.Delivered + counts.Dropped);
            Assert.Equal(counts.Dropped, seen.OfType<Lagged>().Sum(l => l.Count));

            // Delivered events keep publishing order; under DropOldest a gap is exactly the Lagged count before it.
            long previous = 0, lagged = 0;
            foreach (var streamEvent in seen)
            {
                if (streamEvent is Lagged notice)
                {
                    // Losses after a notice was read but before the next event make a second notice.
                    lagged += notice.Count;
                    continue;
                }

                Assert.True(streamEvent.Seq > previous);
                if (policy == OverflowPolicy.DropOldest)
                {
                    Assert.Equal(previous + 1 + lagged, streamEvent.Seq);
                }

                previous = streamEvent.Seq;
                lagged = 0;
            }

            if (policy == OverflowPolicy.Conflate)
            {
                var delivered = seen.OfType<BookStateEvent>().GroupBy(e => e.AssetId!).ToDictionary(g => g.Key, g => g.Last().Seq);
                Assert.Equal(lastState, delivered);
            }
        }, iter: 500);
    }

    [Theory]
    [InlineData(OverflowPolicy.DropOldest)]
    [InlineData(OverflowPolicy.Conflate)]
    [InlineData(OverflowPolicy.Disconnect)]
    public void ReadAvailable_RandomPublishesAndReads_GivesWhatTryReadGivesInTheSameOrder(OverflowPolicy policy)
    {
        Gen.Select(Gen.Int[1, 5], s_busOp.Array[1, 200]).Sample((capacity, operations) =>
        {
            // Two subscribers of one bus see the same publishes; one reads an event at a time, the other in batches.
            var bus = new EventBus();
            var single = bus.Subscribe(new SubscriberOptions { Capacity = capacity, Overflow = policy });
            var batched = bus.Subscribe(new SubscriberOptions { Capacity = capacity, Overflow = policy });
            var one = new List<StreamEvent>();
            var many = new List<StreamEvent>();
            var buffer = new StreamEvent[4];
            long published = 0;
            foreach (var (publish, state, asset, reads) in operations)
            {
                if (publish)
                {
                    bus.Publish(Event(state, asset, ++published));
                    continue;
                }

                for (var i = 0; i < reads && single.TryRead(out var streamEvent); i++)
                {
                    one.Add(streamEvent);
                }

                var read = batched.ReadAvailable(buffer.AsSpan(0, reads));
                many.AddRange(buffer.Take(read));
            }

            bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
            one.AddRange(Drain(single));
            for (var read = batched.ReadAvailable(buffer); read > 0; read = batched.ReadAvailable(buffer))
            {
                many.AddRange(buffer.Take(read));
            }

            Assert.Equal(one.Select(Describe), many.Select(Describe));
            Assert.Equal(single.Counts, batched.Counts);
        }, iter: 500);

        // Notices are made per read, so they are compared by what they say; delivered events are the same objects.
        static string Describe(StreamEvent e) => e switch
        {
            Lagged lagged => $"lagged {lagged.Count}",
            SubscriberDisconnected disconnected => $"disconnected {disconnected.Reason}",
            _ => $"{e.Kind} {e.AssetId} {e.Seq}",
        };
    }

    /// <summary>The <paramref name="n"/>th event published: a book state (conflated) or a quote (not), of one of a few assets.</summary>
    private static StreamEvent Event(bool state, int asset, long n) => state ? State($"asset-{asset}", n) : Quote(n, $"asset-{asset}");
}
