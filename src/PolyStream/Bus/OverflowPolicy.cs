using PolyStream.Events;

namespace PolyStream.Bus;

/// <summary>What a subscriber's queue does when an event arrives and it is full.</summary>
public enum OverflowPolicy
{
    /// <summary>Drops the oldest queued event; the subscriber gets a <see cref="Lagged"/> event before its next one.</summary>
    DropOldest,

    /// <summary>
    /// Keeps only the latest book state per asset: a newer <see cref="BookStateEvent"/> replaces the queued
    /// one of the same asset; other events are dropped oldest first. Losses are reported with <see cref="Lagged"/>.
    /// </summary>
    Conflate,

    /// <summary>Ends this subscriber with a <see cref="SubscriberDisconnected"/> event after what is queued.</summary>
    Disconnect,

    /// <summary>
    /// Makes the publisher wait for room; only for sources that can wait: a <see cref="Recording.Replayer"/>
    /// accepts it, a <see cref="Streamer"/> (whose socket readers must never wait) does not.
    /// </summary>
    Block,
}
