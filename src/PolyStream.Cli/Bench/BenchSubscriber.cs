using System.Buffers;
using System.Diagnostics;
using PolyStream.Bus;
using PolyStream.Cli.Output;
using PolyStream.Events;

namespace PolyStream.Cli.Bench;

/// <summary>
/// One of the bench's subscribers: reads from the start, and once measuring counts events and lag, with
/// <c>--output ndjson</c> formats each event as its NDJSON line into a buffer, and, if it samples, records the
/// latency from frame receipt to delivery (after the formatting).
/// </summary>
internal sealed class BenchSubscriber(EventSubscriber events, bool sample, bool ndjson) : IDisposable
{
    // Caps the sampling subscriber's memory at 32 MB; past it, events are still counted, no longer sampled.
    private const int MaxSamples = 4_000_000;

    // The formatted lines go nowhere: the buffer starts over once this full, as an output would have written them out.
    private const int OutputBufferBytes = 1 << 20;

    // Read as a stream consumer would, several ready events under one lock (EventSubscriber.ReadAvailable).
    private const int ReadBatch = 256;

    private readonly StreamEvent[] _batch = new StreamEvent[ReadBatch];
    private readonly long[] _samples = sample ? new long[MaxSamples] : [];
    private readonly NdjsonWriter? _ndjson = ndjson ? new NdjsonWriter() : null;
    private readonly ArrayBufferWriter<byte> _output = new(ndjson ? OutputBufferBytes + 4096 : 1);
    private int _sampled;
    private volatile bool _measuring;

    /// <summary>Events read since <see cref="StartMeasuring"/>, <see cref="Lagged"/> notices included.</summary>
    public long Count { get; private set; }

    /// <summary>Events lost to the subscriber's overflow policy since <see cref="StartMeasuring"/>, as its <see cref="Events.Lagged"/> notices count them.</summary>
    public long Lagged { get; private set; }

    /// <summary>NDJSON bytes formatted since <see cref="StartMeasuring"/>; 0 without <c>--output ndjson</c>.</summary>
    public long FormattedBytes { get; private set; }

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
                int read;
                while ((read = events.ReadAvailable(_batch)) > 0)
                {
                    foreach (var e in _batch.AsSpan(0, read))
                    {
                        Read(e);
                    }

                    _batch.AsSpan(0, read).Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The measurement window closed.
        }
    }

    public void Dispose() => _ndjson?.Dispose();

    private void Read(StreamEvent e)
    {
        Format(e);
        if (!_measuring)
        {
            return;
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

    /// <summary>With <c>--output ndjson</c>, appends the event's line to the output buffer, as <c>stream --json</c> would before writing it out.</summary>
    private void Format(StreamEvent e)
    {
        if (_ndjson is null)
        {
            return;
        }

        if (_output.WrittenCount >= OutputBufferBytes)
        {
            _output.ResetWrittenCount();
        }

        var before = _output.WrittenCount;
        _ndjson.Write(e, _output);
        if (_measuring)
        {
            FormattedBytes += _output.WrittenCount - before;
        }
    }
}
