using PolyStream.Events;

namespace PolyStream.Bus;

/// <summary>Where a producer (the book engine, the user feed) hands each event it makes, in order, without waiting.</summary>
internal interface IEventSink
{
    /// <summary>Takes one event; never blocks the caller (a live socket reader is behind it).</summary>
    public void Publish(StreamEvent streamEvent);
}
