
namespace PolyStream.Bus;

/// <summary>What offering one event to a subscriber's queue did.</summary>
internal enum WriteOutcome
{
    /// <summary>Queued (possibly after dropping or conflating an older event).</summary>
    Written,

    /// <summary>The queue is full and its policy is to make the publisher wait.</summary>
    Full,

    /// <summary>The queue was full and its policy ended the subscriber just now.</summary>
    Disconnected,

    /// <summary>The subscriber has ended; nothing more is accepted.</summary>
    Closed,
}
