
namespace PolyStream.Bus;

/// <summary>Options of an <see cref="EventBus"/>.</summary>
internal sealed record EventBusOptions
{
    /// <summary>The default options.</summary>
    public static EventBusOptions Default { get; } = new();

    /// <summary>The options used by <see cref="EventBus.Subscribe"/> when none are given. Default <see cref="SubscriberOptions.Default"/>.</summary>
    public SubscriberOptions DefaultSubscriber { get; init; } = SubscriberOptions.Default;

    /// <summary>
    /// Whether <see cref="OverflowPolicy.Block"/> subscribers are accepted. Default <see langword="false"/>:
    /// a live feed must never wait for a consumer, so blocking is opted into by replay-like sources only.
    /// </summary>
    public bool AllowBlockingSubscribers { get; init; }
}
