
namespace PolyStream.Bus;

/// <summary>The queue of one subscriber to a <see cref="Streamer"/> or a <see cref="Recording.Replayer"/>.</summary>
public sealed record SubscriberOptions
{
    /// <summary>The default options.</summary>
    public static SubscriberOptions Default { get; } = new();

    /// <summary>The most events queued for the subscriber. Default 4,096.</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>What happens when the queue is full. Default <see cref="OverflowPolicy.DropOldest"/>.</summary>
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.DropOldest;

    /// <summary>A name for logs and metrics. Default empty: the bus numbers subscribers instead.</summary>
    public string Name { get; init; } = string.Empty;
}
