using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using PolyStream.Events;
using PolyStream.Threading;

namespace PolyStream.Bus;

/// <summary>
/// One reader of a <see cref="Streamer"/>'s or a <see cref="Recording.Replayer"/>'s event stream: a bounded queue with an overflow policy, read in order with
/// <c>await foreach</c> or <see cref="WaitToReadAsync"/> and <see cref="TryRead"/>. One reader at a time.
/// </summary>
/// <remarks>
/// Events lost to the policy are reported by a <see cref="Lagged"/> event placed before the next event
/// read. Disposing unsubscribes and ends the enumeration; queued events are discarded. Leaving an
/// <c>await foreach</c> early does not unsubscribe: dispose the subscriber when done with it.
/// </remarks>
public sealed class EventSubscriber : IAsyncEnumerable<StreamEvent>, IAsyncDisposable, IWakeable
{
    private readonly EventBus _bus;
    private readonly Lock _gate = new();
    private readonly Queue<StreamEvent>? _queue;
    private readonly LinkedList<StreamEvent>? _conflated;
    private readonly Dictionary<string, LinkedListNode<StreamEvent>>? _latestState;
    private readonly ReadWaiter _reader = new();
    private bool _readerWaiting;
    private TaskCompletionSource? _spaceWaiter;
    private StreamEvent? _final;
    private bool _completed;
    private bool _disconnected;
    private long _pendingLag;
    private long _lagBeforeFinal;
    private long _delivered;
    private long _dropped;
    private long _laggedNotices;

    internal EventSubscriber(EventBus bus, SubscriberOptions options, string name)
    {
        _bus = bus;
        Options = options;
        Name = name;
        if (options.Overflow == OverflowPolicy.Conflate)
        {
            _conflated = new LinkedList<StreamEvent>();
            _latestState = new Dictionary<string, LinkedListNode<StreamEvent>>(StringComparer.Ordinal);
        }
        else
        {
            _queue = new Queue<StreamEvent>(Math.Min(options.Capacity, 1024));
        }
    }

    /// <summary>The options the subscriber was created with.</summary>
    public SubscriberOptions Options { get; }

    /// <summary>The subscriber's name in logs and metrics.</summary>
    public string Name { get; }

    /// <summary>The subscriber's counters now.</summary>
    public SubscriberCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return new SubscriberCounts(_delivered, _dropped, _laggedNotices, Count, _disconnected);
            }
        }
    }

    private int Count => _queue?.Count ?? _conflated!.Count;

    /// <summary>Takes the next event if one is queued; a <see cref="Lagged"/> notice comes first when events were lost.</summary>
    public bool TryRead([MaybeNullWhen(false)] out StreamEvent streamEvent)
    {
        TaskCompletionSource? space = null;
        bool read;
        lock (_gate)
        {
            read = TakeLocked(out streamEvent, ref space);
        }

        space?.TrySetResult();
        return read;
    }

    /// <summary>
    /// Moves up to <paramref name="destination"/>'s length of the queued events into it, in order, as repeated
    /// <see cref="TryRead"/> calls would (notices included), and returns how many; 0 when none is queued.
    /// </summary>
    /// <remarks>
    /// One lock for the lot: a reader keeping up with a fast stream otherwise contends with the publisher on
    /// every event.
    /// </remarks>
    public int ReadAvailable(Span<StreamEvent> destination)
    {
        TaskCompletionSource? space = null;
        var count = 0;
        lock (_gate)
        {
            while (count < destination.Length && TakeLocked(out var streamEvent, ref space))
            {
                destination[count++] = streamEvent;
            }
        }

        space?.TrySetResult();
        return count;
    }

    /// <summary>Waits until an event can be read; <see langword="false"/> once the subscriber has ended and nothing is left.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Count > 0 || _final is not null)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _reader.Arm();
            _readerWaiting = true;
        }

        return _reader.WaitAsync(cancellationToken);
    }

    /// <summary>Reads every event in order until the subscriber ends.</summary>
    public IAsyncEnumerator<StreamEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Unsubscribes, discards what is queued and ends any enumeration; idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        _bus.Remove(this);
        Complete(final: null, clear: true);
        return ValueTask.CompletedTask;
    }

    internal WriteOutcome TryWrite(StreamEvent streamEvent, bool mayBlock)
    {
        WriteOutcome outcome;
        bool wake;
        lock (_gate)
        {
            outcome = WriteLocked(streamEvent, mayBlock);
            if (outcome is WriteOutcome.Closed or WriteOutcome.Full)
            {
                return outcome;
            }

            wake = TakeWaitingReader();
        }

        if (wake)
        {
            WakeReader();
        }

        return outcome;
    }

    /// <summary>Writes one frame's events in order under one lock, as <see cref="TryWrite"/> without blocking does each, and wakes the reader once.</summary>
    internal WriteOutcome TryWriteAll(ReadOnlySpan<StreamEvent> streamEvents)
    {
        var outcome = WriteOutcome.Closed;
        bool wake;
        lock (_gate)
        {
            foreach (var streamEvent in streamEvents)
            {
                outcome = WriteLocked(streamEvent, mayBlock: false);
                if (outcome is WriteOutcome.Closed or WriteOutcome.Disconnected)
                {
                    // A disconnected subscriber takes nothing more; its reader still has to find the final notice.
                    break;
                }
            }

            if (outcome == WriteOutcome.Closed)
            {
                return outcome;
            }

            wake = TakeWaitingReader();
        }

        if (wake)
        {
            WakeReader();
        }

        return outcome;
    }

    /// <inheritdoc />
    void IWakeable.Wake() => _reader.Complete(readable: true);

    /// <summary>Wakes the waiting reader for a write: now, or when the publishing thread releases the wake-ups it holds (<see cref="HeldWakes"/>).</summary>
    private void WakeReader()
    {
        if (!HeldWakes.TryHold(this))
        {
            _reader.Complete(readable: true);
        }
    }

    /// <summary>The next event or notice, under the lock; a blocked publisher's space waiter is handed out to be released outside it.</summary>
    private bool TakeLocked([MaybeNullWhen(false)] out StreamEvent streamEvent, ref TaskCompletionSource? space)
    {
        var count = Count;
        if (count == 0 && _final is null)
        {
            streamEvent = null;
            return false;
        }

        if (_pendingLag > 0)
        {
            streamEvent = new Lagged { Count = _pendingLag };
            _pendingLag = 0;
            _laggedNotices++;
        }
        else if (count > 0)
        {
            streamEvent = Dequeue();
            _delivered++;
            space ??= _spaceWaiter;
            _spaceWaiter = null;
        }
        else if (_lagBeforeFinal > 0)
        {
            streamEvent = new Lagged { Count = _lagBeforeFinal };
            _lagBeforeFinal = 0;
            _laggedNotices++;
        }
        else
        {
            streamEvent = _final!;
            _final = null;
        }

        return true;
    }

    /// <summary>Under the lock: whether a reader waits to be woken, and it is then no longer waiting (it is woken once).</summary>
    private bool TakeWaitingReader()
    {
        var wake = _readerWaiting;
        _readerWaiting = false;
        return wake;
    }

    /// <summary>Queues one event under the lock, applying the overflow policy when the queue is full.</summary>
    private WriteOutcome WriteLocked(StreamEvent streamEvent, bool mayBlock)
    {
        if (_completed)
        {
            return WriteOutcome.Closed;
        }

        if (Count < Options.Capacity)
        {
            Enqueue(streamEvent);
            return WriteOutcome.Written;
        }

        switch (Options.Overflow)
        {
            case OverflowPolicy.Block when mayBlock:
                return WriteOutcome.Full;
            case OverflowPolicy.Conflate:
                Conflate(streamEvent);
                return WriteOutcome.Written;
            case OverflowPolicy.Disconnect:
                // The lost event comes after everything queued, so it is reported just before the final notice.
                _dropped++;
                _lagBeforeFinal = 1;
                _disconnected = true;
                _completed = true;
                _final = new SubscriberDisconnected { Reason = $"queue full ({Options.Capacity} events) under the Disconnect policy" };
                return WriteOutcome.Disconnected;
            default:
                // DropOldest, and Block when the publisher cannot wait.
                _queue!.Dequeue();
                _dropped++;
                _pendingLag++;
                _queue.Enqueue(streamEvent);
                return WriteOutcome.Written;
        }
    }

    internal Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_completed || Count < Options.Capacity)
            {
                return Task.CompletedTask;
            }

            _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _spaceWaiter.Task.WaitAsync(cancellationToken);
        }
    }

    internal void Complete(SubscriberDisconnected? final, bool clear)
    {
        bool wake;
        TaskCompletionSource? space;
        lock (_gate)
        {
            if (!_completed)
            {
                _completed = true;
                _final = final;
            }

            if (clear)
            {
                _queue?.Clear();
                _conflated?.Clear();
                _latestState?.Clear();
                _final = null;
                _pendingLag = 0;
                _lagBeforeFinal = 0;
            }

            wake = TakeWaitingReader();
            space = _spaceWaiter;
            _spaceWaiter = null;
        }

        if (wake)
        {
            // The reader looks again and finds the final notice, or the end.
            _reader.Complete(readable: true);
        }

        space?.TrySetResult();
    }

    private async IAsyncEnumerable<StreamEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out var streamEvent))
            {
                yield return streamEvent;
            }
        }
    }

    private void Enqueue(StreamEvent streamEvent)
    {
        if (_queue is not null)
        {
            _queue.Enqueue(streamEvent);
            return;
        }

        var node = _conflated!.AddLast(streamEvent);
        if (StateKey(streamEvent) is { } asset)
        {
            _latestState![asset] = node;
        }
    }

    private StreamEvent Dequeue()
    {
        if (_queue is not null)
        {
            return _queue.Dequeue();
        }

        var node = _conflated!.First!;
        _conflated.RemoveFirst();
        if (StateKey(node.Value) is { } asset && _latestState!.TryGetValue(asset, out var latest) && latest == node)
        {
            _latestState.Remove(asset);
        }

        return node.Value;
    }

    private void Conflate(StreamEvent streamEvent)
    {
        // Make room by giving up, in order of preference: this asset's queued state (superseded by
        // the new one), the oldest event that is no asset's latest state. When every queued event is
        // some asset's latest state, a new state is kept beyond capacity (bounded by the assets) and a
        // new non-state event is the one dropped.
        var asset = StateKey(streamEvent);
        LinkedListNode<StreamEvent>? victim = null;
        if (asset is not null && _latestState!.TryGetValue(asset, out var previous))
        {
            victim = previous;
        }
        else if (_conflated!.Count > _latestState!.Count)
        {
            // Some queued event is not an asset's latest state; the oldest such is usually near the head.
            for (var node = _conflated.First; node is not null; node = node.Next)
            {
                if (StateKey(node.Value) is not { } key || _latestState![key] != node)
                {
                    victim = node;
                    break;
                }
            }
        }

        if (victim is not null)
        {
            _conflated!.Remove(victim);
            _dropped++;
            _pendingLag++;
        }
        else if (asset is null)
        {
            _dropped++;
            _pendingLag++;
            return;
        }

        Enqueue(streamEvent);
    }

    private static string? StateKey(StreamEvent streamEvent) => streamEvent is BookStateEvent ? streamEvent.AssetId : null;
}
