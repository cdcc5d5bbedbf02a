using PolyStream.Bus;
using PolyStream.Events;
using PolyStream.Threading;

namespace PolyStream.Cli.Output;

/// <summary>
/// Prints a subscriber's events, one line each, into a <see cref="BufferedOutput"/>, on a thread of its own. The
/// lines are written out as soon as no more events are ready, and at least every <see cref="MaxDelay"/> while they
/// keep coming. After writing out it sleeps for <see cref="Gather"/> and lets the next events gather instead of
/// waking for each one: at a few thousand lines a second, wake-ups cost more CPU than formatting.
/// </summary>
/// <remarks>
/// The gathering is a plain sleep of the printing thread, not a runtime timer: a timer wakes the runtime's timer
/// thread, which wakes a thread-pool worker to run the continuation, two wake-ups where the sleep costs one; the
/// timer thread alone took 15 % of <c>stream --json</c>'s CPU samples at 2,700 lines/s (docs/performance.md, "CPU per output line").
/// </remarks>
internal sealed class EventPrinter
{
    /// <summary>The longest a printed line waits in the buffer while events keep coming.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the next events gather after the printer wrote out what was ready.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    // The ready events taken under one lock of the subscriber (EventSubscriber.ReadAvailable).
    private readonly StreamEvent[] _batch = new StreamEvent[256];
    private readonly ILineFormat _format;
    private readonly BufferedOutput _output;

    public EventPrinter(ILineFormat format, BufferedOutput output)
    {
        _format = format;
        _output = output;
    }

    /// <summary>The events printed so far.</summary>
    public long Count { get => Volatile.Read(ref field); private set => Volatile.Write(ref field, value); }

    /// <summary>Prints until the subscriber completes; cancelling <paramref name="stop"/> ends it with an <see cref="OperationCanceledException"/>. What was printed is written out either way.</summary>
    public Task RunAsync(EventSubscriber events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(events);
        return DedicatedThread.Run(() => Run(events, stop));
    }

    private void Run(EventSubscriber events, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                int read;
                while ((read = events.ReadAvailable(_batch)) > 0)
                {
                    foreach (var streamEvent in _batch.AsSpan(0, read))
                    {
                        _format.Write(streamEvent, _output);
                        Count++;
                        if (_output.Age >= MaxDelay)
                        {
                            _output.Flush();
                        }
                    }

                    _batch.AsSpan(0, read).Clear();
                }

                if (_output.Pending > 0)
                {
                    _output.Flush();
                    if (stop.WaitHandle.WaitOne(Gather))
                    {
                        stop.ThrowIfCancellationRequested();
                    }
                }
                else if (!WaitToRead(events, stop))
                {
                    return;
                }
            }
        }
        finally
        {
            _output.Flush();
        }
    }

    /// <summary>Blocks until an event is ready (<see langword="true"/>) or the subscriber completed; only when the stream went quiet.</summary>
    private static bool WaitToRead(EventSubscriber events, CancellationToken stop)
    {
        var ready = events.WaitToReadAsync(stop);
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }
}
