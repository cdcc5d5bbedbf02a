using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PolyStream.Simulator;
using PolyStream.Streaming;

namespace PolyStream.Cli.Commands;

/// <summary>
/// <c>polystream bench</c>: the in-process simulator at full speed → <see cref="Streamer"/> over loopback →
/// N subscribers, measuring throughput, latency from frame receipt to delivery, allocation and memory.
/// </summary>
internal static class BenchCommand
{
    private const int MaxSamples = 4_000_000;

    public static Command Create()
    {
        var duration = DurationOption.Create("--duration", "How long to measure after the books are synced (default 20s)");
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers reading the event stream.", DefaultValueFactory = _ => 4 };
        var markets = new Option<int>("--markets") { Description = "Simulated markets (two books each).", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "End with one JSON object with every figure (events_per_s, p50_us, p99_us, alloc_bytes_per_event, working_set_mb, ...)." };
        subscribers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) { r.AddError("--subscribers must be between 1 and 64."); } });
        markets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 5_000) { r.AddError("--markets must be between 1 and 5000."); } });
        var command = new Command(
            "bench",
            "Measure the whole pipeline on this machine: simulator at max rate → Streamer (same process, loopback WebSocket) → N subscribers.\n"
            + "Prints frames/s, events/s, level updates/s, latency p50/p99/p99.9 from frame receipt to delivery, allocation per event, GCs and memory.\n\n"
            + "Examples:\n"
            + "  polystream bench\n"
            + "  polystream bench --duration 60s --subscribers 16 --markets 500 --json")
        {
            duration, subscribers, markets, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(duration) ?? TimeSpan.FromSeconds(20),
            result.GetValue(subscribers),
            result.GetValue(markets),
            result.GetValue(json),
            result.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TimeSpan duration, int subscriberCount, int markets, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var simulator = new SimulatorServer(new SimulatorOptions { Markets = markets, Seed = 1, EventsPerSecond = double.PositiveInfinity, MarketLifecycle = false, AccountOrderShare = 0, HistoryLimit = 1_000 });
        await using var simulatorScope = simulator.ConfigureAwait(false);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        string[] tokens = [.. simulator.Engine.Markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];
        var streamer = new Streamer(new StreamerConfig { MarketAssets = tokens, EventBufferSize = 1 << 20 });
        await using var streamerScope = streamer.ConfigureAwait(false);
        await output.WriteLineAsync($"bench: {markets} markets ({tokens.Length} books), {subscriberCount} subscribers, simulator in this process at max rate over loopback; warming up…").ConfigureAwait(false);
        await streamer.StartAsync(simulator.BaseUrl, cancellationToken: cancellationToken).ConfigureAwait(false);
        await WaitForSyncAsync(streamer, tokens.Length, cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = Enumerable.Range(0, subscriberCount).Select(i => new Reader(streamer.Subscribe(new SubscriberOptions { Capacity = 1 << 20, Name = $"bench-{i}" }), i == 0)).ToList();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var framesBefore = streamer.Shards.Sum(s => s.Connection.FramesReceived);
        var deltasBefore = streamer.Shards.Sum(s => s.Books.Deltas);
        var clock = Stopwatch.StartNew();
        var tasks = readers.Select(r => r.RunAsync(stop.Token)).ToList();
        await output.WriteLineAsync($"measuring for {duration.TotalSeconds:F0}s…").ConfigureAwait(false);
        try
        {
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var events = readers[0].Count;
        var latencies = readers[0].Latencies();
        var figures = new Dictionary<string, double>
        {
            ["frames_per_s"] = (streamer.Shards.Sum(s => s.Connection.FramesReceived) - framesBefore) / seconds,
            ["events_per_s"] = events / seconds,
            ["level_updates_per_s"] = (streamer.Shards.Sum(s => s.Books.Deltas) - deltasBefore) / seconds,
            ["p50_us"] = Percentile(latencies, 0.50),
            ["p99_us"] = Percentile(latencies, 0.99),
            ["p999_us"] = Percentile(latencies, 0.999),
            ["alloc_bytes_per_event"] = events == 0 ? 0 : (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)(events),
            ["gc0"] = GC.CollectionCount(0) - gcBefore.Item1,
            ["gc1"] = GC.CollectionCount(1) - gcBefore.Item2,
            ["gc2"] = GC.CollectionCount(2) - gcBefore.Item3,
            ["working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
            ["heap_bytes_per_book"] = GC.GetTotalMemory(forceFullCollection: false) / (double)tokens.Length,
            ["lagged_events"] = readers.Sum(r => r.Lagged),
            ["subscribers"] = subscriberCount,
            ["books"] = tokens.Length,
        };

        foreach (var (name, value) in figures)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {value,14:N1}")).ConfigureAwait(false);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(figures.ToDictionary(f => f.Key, f => Math.Round(f.Value, 1)), CliJsonContext.Default.DictionaryStringDouble)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Waits up to a minute for every book to sync, so the measurement covers steady state, not the initial dump.</summary>
    private static async Task WaitForSyncAsync(Streamer streamer, int books, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (streamer.GetAllOrderBooks().Count(b => b.IsSynced) < books && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1e6 / Stopwatch.Frequency;

    /// <summary>One subscriber: counts events and, for the first, samples the latency from frame receipt to delivery.</summary>
    private sealed class Reader(EventSubscriber events, bool sample)
    {
        private readonly long[] _samples = sample ? new long[MaxSamples] : [];
        private int _sampled;

        public long Count { get; private set; }

        public long Lagged { get; private set; }

        public long[] Latencies()
        {
            var sorted = _samples.AsSpan(0, _sampled).ToArray();
            Array.Sort(sorted);
            return sorted;
        }

        public async Task RunAsync(CancellationToken stop)
        {
            await using var scope = ((IAsyncDisposable)events).ConfigureAwait(false);
            try
            {
                while (await events.WaitToReadAsync(stop).ConfigureAwait(false))
                {
                    while (events.TryRead(out var e))
                    {
                        Count++;
                        if (e is Streaming.Lagged lagged)
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
}
