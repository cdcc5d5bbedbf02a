using PolyStream.Bus;

namespace PolyStream.Cli.Output;

/// <summary>
/// Prints a subscriber's events, one line each, into a <see cref="BufferedOutput"/>. The lines are written out
/// as soon as no more events are ready, and at least every <see cref="MaxDelay"/> while they keep coming.
/// After writing out it lets the next events gather for <see cref="Gather"/> instead of waking for each one:
/// at a few thousand lines a second, wake-ups cost more CPU than formatting.
/// </summary>
internal sealed class EventPrinter
{
    /// <summary>The longest a printed line waits in the buffer while events keep coming.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the next events gather after the printer wrote out what was ready.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    private readonly ILineFormat _format;
    private readonly BufferedOutput _output;
    private readonly TimeProvider _time;

    public EventPrinter(ILineFormat format, BufferedOutput output, TimeProvider time)
    {
        _format = format;
        _output = output;
        _time = time;
    }

    /// <summary>The events printed so far.</summary>
    public long Count { get; private set; }

    /// <summary>Prints until the subscriber completes; cancelling <paramref name="stop"/> ends it with an <see cref="OperationCanceledException"/>. What was printed is written out either way.</summary>
    public async Task RunAsync(EventSubscriber events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(events);
        try
        {
            while (true)
            {
                while (events.TryRead(out var streamEvent))
                {
                    _format.Write(streamEvent, _output);
                    Count++;
                    if (_output.Age >= MaxDelay)
                    {
                        _output.Flush();
                    }
                }

                if (_output.Pending > 0)
                {
                    _output.Flush();
                    await Task.Delay(Gather, _time, stop).ConfigureAwait(false);
                }
                else if (!await events.WaitToReadAsync(stop).ConfigureAwait(false))
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
}
