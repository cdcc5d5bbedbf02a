using System.Diagnostics.Metrics;
using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Diagnostics;

/// <summary>
/// The streamer's <see cref="System.Diagnostics.Metrics"/> instruments (meter <see cref="MeterName"/>; instrument
/// names carry no prefix, since exporters prefix the meter's name: <c>polystream_hash_checks</c>).
/// Counters and gauges are observed from the counts the components already keep, so the hot path
/// pays only for the frame-latency histogram, and only while something listens.
/// </summary>
internal sealed class StreamerMetrics : IDisposable
{
    public const string MeterName = "PolyStream";

    private readonly Meter _meter = new(MeterName, typeof(StreamerMetrics).Assembly.GetName().Version?.ToString(3));
    private readonly Histogram<double> _frameLatency;

    /// <summary>Creates the instruments, each observing what a component already counts.</summary>
    /// <param name="totals">Every connection's counts added up.</param>
    /// <param name="resyncsAccepted">REST snapshots accepted so far.</param>
    /// <param name="restBudgetLeft">REST resync calls left in the current window.</param>
    /// <param name="books">Every book, for the books-by-state gauge.</param>
    /// <param name="bus">The event bus, for published and dropped events.</param>
    public StreamerMetrics(Func<StreamerTotals> totals, Func<long> resyncsAccepted, Func<double> restBudgetLeft, IOrderBookSource books, EventBus bus)
    {
        _frameLatency = _meter.CreateHistogram<double>("frame.latency", "ms", "From a frame's receipt to the end of its processing (queueing included).");
        _meter.CreateObservableCounter("frames", () => totals().Frames, description: "Frames received on market connections.");
        _meter.CreateObservableCounter("frames.dropped", () => totals().DroppedFrames, description: "Frames dropped because a shard's queue was full.");
        _meter.CreateObservableCounter("parse_failures", () => totals().ParseFailures, description: "Frames that could not be parsed.");
        _meter.CreateObservableCounter("hash.checks", () => totals().HashesChecked, description: "Book hashes checked.");
        _meter.CreateObservableCounter("hash.mismatches", () => totals().HashMismatches, description: "Book hashes that did not match.");
        _meter.CreateObservableCounter("reconnects", () => totals().Reconnects, description: "Market connections re-established.");
        _meter.CreateObservableCounter("resyncs", resyncsAccepted, description: "REST snapshots accepted to re-base books.");
        _meter.CreateObservableCounter("events", () => bus.PublishedCount, description: "Events published to subscribers.");
        _meter.CreateObservableCounter("subscriber.dropped", () => bus.Subscribers.Sum(s => s.Counts.Dropped), description: "Events subscribers lost to their overflow policy.");
        _meter.CreateObservableGauge("books", () => BooksByState(books), description: "Books by trust state.");
        _meter.CreateObservableGauge("shards.up", () => totals().ShardsUp, description: "Market connections subscribed and flowing.");
        _meter.CreateObservableGauge("rest.budget", restBudgetLeft, description: "REST resync calls left in the current window.");
    }

    /// <summary>Records how long a frame received at <paramref name="receivedAt"/> waited and was processed; a no-op (not even a clock read) unless a listener is attached.</summary>
    public void RecordFrame(TimeProvider time, long receivedAt)
    {
        if (_frameLatency.Enabled)
        {
            _frameLatency.Record(time.GetElapsedTime(receivedAt).TotalMilliseconds);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> BooksByState(IOrderBookSource books) =>
        books.GetAllOrderBooks()
            .GroupBy(b => b.State)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("state", g.Key.ToString())));
}
