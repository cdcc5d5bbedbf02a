using Microsoft.Extensions.Logging;

namespace PolyStream.Bus;

/// <summary>Log messages of the event bus: 21xx subscribers (20xx are the WebSocket subscriptions).</summary>
internal static partial class BusLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Subscriber {Name} added (capacity {Capacity}, overflow {Overflow})")]
    public static partial void SubscriberAdded(ILogger logger, string name, int capacity, OverflowPolicy overflow);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Subscriber {Name} removed")]
    public static partial void SubscriberRemoved(ILogger logger, string name);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Subscriber {Name} disconnected: its queue of {Capacity} events was full")]
    public static partial void SubscriberDisconnected(ILogger logger, string name, int capacity);
}
