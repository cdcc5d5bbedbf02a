using PolyStream.Events;

namespace PolyStream.Bus;

/// <summary>Where a producer (the book engine, the user feed) hands each event it makes, in order, without waiting.</summary>
internal interface IEventSink
{
    /// <summary>Takes one event; never blocks the caller (a live socket reader is behind it).</summary>
    public void Publish(StreamEvent streamEvent);

    /// <summary>Takes the events one frame made, in order, without waiting; a sink that can hand them over at once (and wake each reader once) does so.</summary>
    public void PublishAll(ReadOnlySpan<StreamEvent> streamEvents)
    {
        foreach (var streamEvent in streamEvents)
        {
            Publish(streamEvent);
        }
    }
}
