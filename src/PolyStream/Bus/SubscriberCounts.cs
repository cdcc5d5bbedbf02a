using PolyStream.Events;

namespace PolyStream.Bus;

/// <summary>The counters of one <see cref="EventSubscriber"/>, for metrics.</summary>
/// <param name="Delivered">Stream events handed to the consumer (the bus's own <see cref="Lagged"/> and <see cref="SubscriberDisconnected"/> notices excluded).</param>
/// <param name="Dropped">Events lost to the overflow policy: dropped, conflated away, or refused at disconnection.</param>
/// <param name="LaggedNotices">How many <see cref="Lagged"/> events were delivered.</param>
/// <param name="Queued">Events waiting to be read now.</param>
/// <param name="IsDisconnected">Whether the overflow policy ended the subscriber.</param>
public readonly record struct SubscriberCounts(long Delivered, long Dropped, long LaggedNotices, int Queued, bool IsDisconnected);
