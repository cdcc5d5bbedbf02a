using System.Diagnostics;
using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Cli.Bench;

/// <summary>
/// One of the bench's subscribers: reads from the start, and once measuring counts events and lag and,
/// if it samples, records the latency from frame receipt to delivery.
/// </summary>
internal sealed class BenchSubscriber(EventSubscriber events, bool sample)
{
    // Caps the sampling subscriber's memory at 32 MB; past it, events are still counted, no longer sampled.
    private const int MaxSamples = 4_000_000;

    private readonly long[] _samples = sample ? new long[MaxSamples] : [];
    private int _sampled;
    private volatile bool _measuring;

    /// <summary>Events read since <see cref="StartMeasuring"/>, <see cref="Lagged"/> notices included.</summary>
    public long Count { get; private set; }

    /// <summary>Events lost to the subscriber's overflow policy since <see cref="StartMeasuring"/>, as its <see cref="Events.Lagged"/> notices count them.</summary>
    public long Lagged { get; private set; }

    /// <summary>Ends the warm-up: what is read from now on counts.</summary>
    public void StartMeasuring() => _measuring = true;

    /// <summary>The sampled latencies at each of <paramref name="quantiles"/>, in microseconds; NaN with no samples.</summary>
    public double[] LatencyMicroseconds(params ReadOnlySpan<double> quantiles)
    {
        var sorted = _samples.AsSpan(0, _sampled).ToArray();
        Array.Sort(sorted);
        var latencies = new double[quantiles.Length];
        for (var i = 0; i < quantiles.Length; i++)
        {
            latencies[i] = sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantiles[i] * sorted.Length))] * 1e6 / Stopwatch.Frequency;
        }

        return latencies;
    }

    /// <summary>Reads until <paramref name="stop"/> is cancelled, then disposes the subscription.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await using var scope = ((IAsyncDisposable)events).ConfigureAwait(false);
        try
        {
            while (await events.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (events.TryRead(out var e))
                {
                    if (!_measuring)
                    {
                        continue;
                    }

                    Count++;
                    if (e is Lagged lagged)
                    {
                        Lagged += lagged.Count;
                    }
                    else if (_sampled < _samples.Length && e.ReceiveTimestamp != 0)
                    {
                        _samples[_sampled++] = Stopwatch.GetTimestamp() - e.ReceiveTimestamp;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The measurement window closed.
        }
    }
}
