using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Universe;

/// <summary>
/// Sits between the market shards and the bus in universe mode: passes every event on, then hands each listing
/// and resolution to the follower, so consumers have a resolution before its tokens are unsubscribed.
/// </summary>
internal sealed class MarketLifecycleTap : IEventSink
{
    private readonly IEventSink _inner;
    private readonly Action<StreamEvent> _onLifecycle;

    /// <summary>Creates a tap.</summary>
    /// <param name="inner">Where every event goes (the streamer's bus).</param>
    /// <param name="onLifecycle">Gets each <see cref="MarketCreated"/> and <see cref="MarketResolved"/> once published; must only enqueue.</param>
    public MarketLifecycleTap(IEventSink inner, Action<StreamEvent> onLifecycle)
    {
        _inner = inner;
        _onLifecycle = onLifecycle;
    }

    /// <inheritdoc />
    public void Publish(StreamEvent streamEvent)
    {
        _inner.Publish(streamEvent);
        if (streamEvent is MarketCreated or MarketResolved)
        {
            _onLifecycle(streamEvent);
        }
    }
}
