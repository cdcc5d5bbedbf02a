using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Events;

namespace PolyStream.Bus;

/// <summary>
/// Fans one ordered stream of <see cref="StreamEvent"/>s out to many subscribers, each with its own
/// bounded queue and overflow policy, so a slow or failing consumer never stalls the publisher or
/// another consumer.
/// </summary>
/// <remarks>
/// Publishing walks an immutable array of subscribers that is swapped on subscribe and unsubscribe,
/// and only ever takes a subscriber's short queue lock: <see cref="Publish"/> never waits for a
/// consumer. Only <see cref="PublishAsync"/> waits, and only for <see cref="OverflowPolicy.Block"/>
/// subscribers, which a bus accepts when <see cref="EventBusOptions.AllowBlockingSubscribers"/> is set.
/// Publishing is safe from several threads; each subscriber sees one publisher's events in order.
/// </remarks>
internal sealed class EventBus : IEventSink, IAsyncDisposable
{
    private readonly EventBusOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _subscribersGate = new();
    private EventSubscriber[] _subscribers = [];
    private long _published;
    private int _nextId;
    private bool _disposed;

    /// <summary>Creates a bus.</summary>
    /// <param name="options">Default subscriber options and whether blocking subscribers are allowed.</param>
    /// <param name="logger">Where subscription changes are logged; none by default.</param>
    public EventBus(EventBusOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? EventBusOptions.Default;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The number of events published so far.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>The subscribers now attached.</summary>
    public IReadOnlyList<EventSubscriber> Subscribers => Array.AsReadOnly(Volatile.Read(ref _subscribers));

    /// <summary>Adds a subscriber that receives every event published from now on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is less than 1.</exception>
    /// <exception cref="InvalidOperationException">A <see cref="OverflowPolicy.Block"/> subscriber on a bus that does not allow them.</exception>
    /// <exception cref="ObjectDisposedException">The bus was disposed.</exception>
    public EventSubscriber Subscribe(SubscriberOptions? options = null)
    {
        options ??= _options.DefaultSubscriber;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, nameof(options));
        if (options.Overflow == OverflowPolicy.Block && !_options.AllowBlockingSubscribers)
        {
            throw new InvalidOperationException("This bus does not allow Block subscribers; set EventBusOptions.AllowBlockingSubscribers for sources that can wait, such as replay.");
        }

        EventSubscriber subscriber;
        lock (_subscribersGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var id = ++_nextId;
            subscriber = new EventSubscriber(this, options, options.Name.Length > 0 ? options.Name : $"subscriber-{id}");
            _subscribers = [.. _subscribers, subscriber];
        }

        BusLog.SubscriberAdded(_logger, subscriber.Name, options.Capacity, options.Overflow);
        return subscriber;
    }

    /// <summary>
    /// Offers an event to every subscriber without waiting: a full queue applies its policy, and a full
    /// <see cref="OverflowPolicy.Block"/> queue drops its oldest event here as under <see cref="OverflowPolicy.DropOldest"/>.
    /// </summary>
    public void Publish(StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        Interlocked.Increment(ref _published);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.TryWrite(streamEvent, mayBlock: false) == WriteOutcome.Disconnected)
            {
                Disconnected(subscriber);
            }
        }
    }

    /// <summary>
    /// Offers the events one frame made to every subscriber without waiting, as <see cref="Publish"/> does each:
    /// a subscriber takes them under one lock and its reader is woken once for all of them.
    /// </summary>
    public void PublishAll(ReadOnlySpan<StreamEvent> streamEvents)
    {
        if (streamEvents.IsEmpty)
        {
            return;
        }

        Interlocked.Add(ref _published, streamEvents.Length);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.TryWriteAll(streamEvents) == WriteOutcome.Disconnected)
            {
                Disconnected(subscriber);
            }
        }
    }

    /// <summary>
    /// Offers an event to every subscriber, waiting for room in full <see cref="OverflowPolicy.Block"/>
    /// queues; completes synchronously when none is full. When cancelled while waiting, the event has
    /// reached the subscribers before the full one and none after it.
    /// </summary>
    public ValueTask PublishAsync(StreamEvent streamEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        Interlocked.Increment(ref _published);
        var subscribers = Volatile.Read(ref _subscribers);
        for (var i = 0; i < subscribers.Length; i++)
        {
            var outcome = subscribers[i].TryWrite(streamEvent, mayBlock: true);
            if (outcome == WriteOutcome.Full)
            {
                return PublishSlowAsync(streamEvent, subscribers, i, cancellationToken);
            }

            if (outcome == WriteOutcome.Disconnected)
            {
                Disconnected(subscribers[i]);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ends every subscriber after what is queued; publishing afterwards reaches nobody.</summary>
    public ValueTask DisposeAsync()
    {
        EventSubscriber[] subscribers;
        lock (_subscribersGate)
        {
            _disposed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete(final: null, clear: false);
        }

        return ValueTask.CompletedTask;
    }

    internal void Remove(EventSubscriber subscriber)
    {
        lock (_subscribersGate)
        {
            var index = Array.IndexOf(_subscribers, subscriber);
            if (index < 0)
            {
                return;
            }

            var next = new EventSubscriber[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, next, 0, index);
            Array.Copy(_subscribers, index + 1, next, index, next.Length - index);
            _subscribers = next;
        }

        BusLog.SubscriberRemoved(_logger, subscriber.Name);
    }

    private async ValueTask PublishSlowAsync(StreamEvent streamEvent, EventSubscriber[] subscribers, int index, CancellationToken cancellationToken)
    {
        for (var i = index; i < subscribers.Length; i++)
        {
            while (true)
            {
                var outcome = subscribers[i].TryWrite(streamEvent, mayBlock: true);
                if (outcome == WriteOutcome.Full)
                {
                    await subscribers[i].WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (outcome == WriteOutcome.Disconnected)
                {
                    Disconnected(subscribers[i]);
                }

                break;
            }
        }
    }

    private void Disconnected(EventSubscriber subscriber)
    {
        Remove(subscriber);
        BusLog.SubscriberDisconnected(_logger, subscriber.Name, subscriber.Options.Capacity);
    }
}
