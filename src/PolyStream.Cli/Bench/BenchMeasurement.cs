using System.Diagnostics;
using PolyStream.Bus;

namespace PolyStream.Cli.Bench;

/// <summary>
/// The measurement window: subscribers reading from the start, a warm-up under load, then throughput,
/// latency, CPU, allocation, GCs and memory over the duration, as named figures.
/// </summary>
internal static class BenchMeasurement
{
    /// <summary>Warms up with the subscribers reading, then measures for the duration; the figures in report order.</summary>
    public static async Task<Dictionary<string, double>> RunAsync(BenchSettings settings, Streamer streamer, BenchBus? bus, int books, TextWriter progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Only the first subscriber samples latency; the others are the fan-out load.
        var readers = Enumerable.Range(0, settings.Subscribers).Select(i => new BenchSubscriber(streamer.Subscribe(new SubscriberOptions { Capacity = 1 << 20, Name = $"bench-{i}" }), sample: i == 0, settings.Ndjson)).ToList();
        var tasks = readers.Select(r => r.RunAsync(stop.Token)).ToList();
        await progress.WriteLineAsync($"synced; warming up under load for {settings.Warmup.TotalSeconds:F0}s…").ConfigureAwait(false);
        await Task.Delay(settings.Warmup, cancellationToken).ConfigureAwait(false);
        readers.ForEach(r => r.StartMeasuring());
        bus?.StartMeasuring();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pausedBefore = GC.GetTotalPauseDuration();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var before = streamer.Totals;
        var clock = Stopwatch.StartNew();
        await progress.WriteLineAsync($"measuring for {settings.Duration.TotalSeconds:F0}s…").ConfigureAwait(false);
        try
        {
            await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false);
            readers.ForEach(r => r.Dispose());
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var after = streamer.Totals;
        self.Refresh();
        var events = readers[0].Count;
        var latency = readers[0].LatencyMicroseconds(0.50, 0.99, 0.999);
        var figures = new Dictionary<string, double>
        {
            ["frames_per_s"] = (after.Frames - before.Frames) / seconds,
            ["events_per_s"] = events / seconds,
            ["level_updates_per_s"] = (after.Deltas - before.Deltas) / seconds,
            // With the default Verify, one check per book a message moved: every hash verified, none failed.
            ["hash_checks_per_s"] = (after.HashesChecked - before.HashesChecked) / seconds,
            ["hash_mismatches"] = after.HashMismatches - before.HashMismatches,
            ["p50_us"] = latency[0],
            ["p99_us"] = latency[1],
            ["p999_us"] = latency[2],
            ["alloc_bytes_per_event"] = events == 0 ? 0 : (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)events,
            ["cpu_us_per_event"] = events == 0 ? 0 : (self.TotalProcessorTime - cpuBefore).TotalMicroseconds / events,
            ["cpu_cores_used"] = (self.TotalProcessorTime - cpuBefore).TotalSeconds / seconds,
            ["gc0"] = GC.CollectionCount(0) - gcBefore.Item1,
            ["gc1"] = GC.CollectionCount(1) - gcBefore.Item2,
            ["gc2"] = GC.CollectionCount(2) - gcBefore.Item3,
            // Every thread stops for a pause, so the events around one wait for it: read a p99 against this.
            ["gc_pause_ms"] = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds,
            ["working_set_mb"] = self.PeakWorkingSet64 / (1024.0 * 1024.0),
            ["heap_bytes_per_book"] = GC.GetTotalMemory(forceFullCollection: false) / (double)books,
            ["lagged_events"] = readers.Sum(r => r.Lagged),
            ["ndjson_bytes_per_event"] = events == 0 ? 0 : readers[0].FormattedBytes / (double)events,
            // Frames the shard queue had no room for, and the resyncs they (or anything else) caused: above
            // zero, the streamer was overrun and the rates count re-basing books, not steady flow.
            ["dropped_frames"] = after.DroppedFrames - before.DroppedFrames,
            ["resync_requests"] = after.ResyncRequests - before.ResyncRequests,
            ["subscribers"] = settings.Subscribers,
            ["connections"] = streamer.Shards.Count,
            ["books"] = books,
        };
        foreach (var (name, value) in bus?.Figures(seconds) ?? [])
        {
            figures[name] = value;
        }

        return figures;
    }
}
