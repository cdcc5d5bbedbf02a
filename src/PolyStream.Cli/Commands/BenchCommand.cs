using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Rest;
using PolyStream.Simulator;

namespace PolyStream.Cli.Commands;

/// <summary>
/// <c>polystream bench</c>: the simulator (in this process or a child one, at max or a fixed rate) →
/// <see cref="Streamer"/> over loopback → N subscribers, measuring throughput, latency from frame receipt
/// to delivery, allocation and memory.
/// </summary>
internal static class BenchCommand
{
    private const int MaxSamples = 4_000_000;

    /// <summary>The first line a child simulator prints, followed by its REST base URL.</summary>
    private const string ListeningPrefix = "bench simulator listening on ";

    /// <summary>How long a child simulator outlives the warm-up and measurement at most, should its parent never close its input.</summary>
    private static readonly TimeSpan s_childGrace = TimeSpan.FromMinutes(3);

    public static Command Create()
    {
        var duration = DurationOption.Create("--duration", "How long to measure after the warm-up (default 20s)");
        var warmup = DurationOption.Create("--warmup", "How long to run the load with the subscribers reading before measuring, so JIT tiering and the backlog of the initial dump are behind (default 5s)");
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers reading the event stream.", DefaultValueFactory = _ => 4 };
        var markets = new Option<int>("--markets") { Description = "Simulated markets (two books each).", DefaultValueFactory = _ => 100 };
        var assetsPerConnection = new Option<int>("--assets-per-connection")
        {
            Description = "The most books on one WebSocket connection (the streamer's MaxAssetsPerConnection); fewer open more connections, each with its own writer loop.",
            DefaultValueFactory = _ => new StreamerConfig().MaxAssetsPerConnection,
        };
        // Without a default value: help would print max as "Infinity"; not given means max.
        var rate = new Option<double?>("--rate")
        {
            Description = "The offered load: simulator engine steps per second, stepped every millisecond (N), or 'max' (default) for as fast as it goes.",
            // Not 0, unlike the simulator's own --rate: a frozen simulator would leave nothing to measure.
            CustomParser = r => NumberOrMax.Parse(r, zeroAllowed: false, "steps per second"),
        };
        var hashPolicy = new Option<HashPolicy>("--hash-policy")
        {
            Description = "Which book hashes the streamer checks: Verify (every message, the default), Sample:N (one message in N) or Off.",
            DefaultValueFactory = _ => HashPolicy.Verify,
            CustomParser = ParseHashPolicy,
        };
        var simProcess = new Option<bool>("--sim-process") { Description = "Run the simulator in a child process (this executable) instead of this one, so it shares only the CPUs, not the GC or the thread pool." };
        var asSimulator = new Option<bool>("--as-simulator") { Description = "Serve the bench's simulator for a parent bench until its input closes.", Hidden = true };
        var nats = new Option<string?>("--nats")
        {
            Description = "Also publish every event to JetStream at this URL (nats://127.0.0.1:4222) through a scale-out node, and measure what the stream acknowledged. "
                + "Uses a stream and buckets of its own (POLYSTREAM_BENCH, polystream-bench-*), deleted before and after the run.",
        };
        var replica = new Option<bool>("--replica") { Description = "With --nats: also rebuild every book from the stream in this process (a NatsBookReplica proving each step by its content hash) and report how fast it reads and whether it diverged." };
        var json = new Option<bool>("--json") { Description = "End with one JSON object with every figure (simulator, rate, events_per_s, p50_us, p99_us, alloc_bytes_per_event, working_set_mb, ...)." };
        subscribers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) { r.AddError("--subscribers must be between 1 and 64."); } });
        markets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 5_000) { r.AddError("--markets must be between 1 and 5000."); } });
        assetsPerConnection.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 500) { r.AddError("--assets-per-connection must be between 1 and 500 (the venue stops sending past ~500)."); } });
        var command = new Command(
            "bench",
            "Measure the whole pipeline on this machine: simulator → Streamer (loopback WebSocket) → N subscribers.\n"
            + "By default the simulator runs in this process at max rate; --sim-process moves it to a child process and --rate offers a fixed load.\n"
            + "After the books sync, it runs --warmup under load before measuring steady state for --duration.\n"
            + "Prints frames/s, events/s, level updates/s, latency p50/p99/p99.9 from frame receipt to delivery, allocation and CPU per event, GCs and memory.\n\n"
            + "Examples:\n"
            + "  polystream bench\n"
            + "  polystream bench --sim-process --rate 100000 --duration 15s --json\n"
            + "  polystream bench --sim-process --rate 69000 --assets-per-connection 50 --json\n"
            + "  polystream bench --duration 60s --subscribers 16 --markets 500 --json\n"
            + "  polystream bench --sim-process --rate 16000 --nats nats://127.0.0.1:4222 --replica --json")
        {
            duration, warmup, subscribers, markets, assetsPerConnection, rate, hashPolicy, simProcess, nats, replica, asSimulator, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(replica) && r.GetValue(nats) is null)
            {
                r.AddError("--replica needs --nats URL: the replica reads what the node publishes there.");
            }
        });
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new BenchSettings(
                result.GetValue(duration) ?? TimeSpan.FromSeconds(20),
                result.GetValue(warmup) ?? TimeSpan.FromSeconds(5),
                result.GetValue(subscribers),
                result.GetValue(markets),
                result.GetValue(assetsPerConnection),
                result.GetValue(rate) ?? double.PositiveInfinity,
                result.GetRequiredValue(hashPolicy),
                result.GetValue(simProcess),
                result.GetValue(nats),
                result.GetValue(replica),
                result.GetValue(json));
            return result.GetValue(asSimulator)
                ? ServeSimulatorAsync(settings, result.InvocationConfiguration.Output, cancellationToken)
                : RunAsync(settings, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>The bench's simulator: no market lifecycle or account orders, so every step moves subscribed books; a short history; paced every millisecond.</summary>
    private static SimulatorOptions SimulatorFor(BenchSettings settings) => new()
    {
        Markets = settings.Markets,
        Seed = 1,
        EventsPerSecond = settings.Rate,
        PumpInterval = TimeSpan.FromMilliseconds(1),
        MarketLifecycle = false,
        AccountOrderShare = 0,
        HistoryLimit = 1_000,
    };

    private static async Task<int> RunAsync(BenchSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (simulator, baseUrl, where) = settings.SimProcess
            ? await ChildSimulator.StartAsync(settings, cancellationToken).ConfigureAwait(false)
            : await StartInProcessAsync(settings, cancellationToken).ConfigureAwait(false);
        await using var simulatorScope = simulator.ConfigureAwait(false);
        var tokens = await TokensAsync(baseUrl, cancellationToken).ConfigureAwait(false);
        // With --nats the node subscribes the streamer to the tokens it owns (all of them: it is alone).
        var streamer = new Streamer(new StreamerConfig { MarketAssets = settings.NatsUrl is null ? tokens : [], EventBufferSize = 1 << 20, HashPolicy = settings.HashPolicy, MaxAssetsPerConnection = settings.AssetsPerConnection });
        await using var streamerScope = streamer.ConfigureAwait(false);
        await output.WriteLineAsync($"bench: {settings.Markets} markets ({tokens.Length} books), {settings.Subscribers} subscribers, simulator {where} at {RateText(settings.Rate)} steps/s over loopback{(settings.NatsUrl is null ? "" : $", publishing to NATS at {settings.NatsUrl}")}; syncing the books…").ConfigureAwait(false);
        await streamer.StartAsync(baseUrl, cancellationToken: cancellationToken).ConfigureAwait(false);
        BenchBus? bus;
        try
        {
            bus = settings.NatsUrl is { } natsUrl ? await BenchBus.StartAsync(streamer, tokens, natsUrl, settings.Replica, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (NATS.Client.Core.NatsException ex)
        {
            await error.WriteLineAsync($"polystream bench: cannot use NATS at {settings.NatsUrl}: {ex.Message}. {NatsHint.ServerNotRunning}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"polystream bench: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            await WaitForSyncAsync(streamer, tokens.Length, cancellationToken).ConfigureAwait(false);
            return await MeasureAsync(settings, streamer, bus, tokens.Length, where, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (bus is not null)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Warms up with the subscribers reading, then measures for the duration and prints the figures.</summary>
    private static async Task<int> MeasureAsync(BenchSettings settings, Streamer streamer, BenchBus? bus, int books, string where, TextWriter output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = Enumerable.Range(0, settings.Subscribers).Select(i => new Reader(streamer.Subscribe(new SubscriberOptions { Capacity = 1 << 20, Name = $"bench-{i}" }), i == 0)).ToList();
        var tasks = readers.Select(r => r.RunAsync(stop.Token)).ToList();
        await output.WriteLineAsync($"synced; warming up under load for {settings.Warmup.TotalSeconds:F0}s…").ConfigureAwait(false);
        await Task.Delay(settings.Warmup, cancellationToken).ConfigureAwait(false);
        readers.ForEach(r => r.StartMeasuring());
        bus?.StartMeasuring();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var before = streamer.Totals;
        var clock = Stopwatch.StartNew();
        await output.WriteLineAsync($"measuring for {settings.Duration.TotalSeconds:F0}s…").ConfigureAwait(false);
        try
        {
            await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var after = streamer.Totals;
        self.Refresh();
        var events = readers[0].Count;
        var latencies = readers[0].Latencies();
        var figures = new Dictionary<string, double>
        {
            ["frames_per_s"] = (after.Frames - before.Frames) / seconds,
            ["events_per_s"] = events / seconds,
            ["level_updates_per_s"] = (after.Deltas - before.Deltas) / seconds,
            ["p50_us"] = Percentile(latencies, 0.50),
            ["p99_us"] = Percentile(latencies, 0.99),
            ["p999_us"] = Percentile(latencies, 0.999),
            ["alloc_bytes_per_event"] = events == 0 ? 0 : (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)events,
            ["cpu_us_per_event"] = events == 0 ? 0 : (self.TotalProcessorTime - cpuBefore).TotalMicroseconds / events,
            ["cpu_cores_used"] = (self.TotalProcessorTime - cpuBefore).TotalSeconds / seconds,
            ["gc0"] = GC.CollectionCount(0) - gcBefore.Item1,
            ["gc1"] = GC.CollectionCount(1) - gcBefore.Item2,
            ["gc2"] = GC.CollectionCount(2) - gcBefore.Item3,
            ["working_set_mb"] = self.PeakWorkingSet64 / (1024.0 * 1024.0),
            ["heap_bytes_per_book"] = GC.GetTotalMemory(forceFullCollection: false) / (double)books,
            ["lagged_events"] = readers.Sum(r => r.Lagged),
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

        await output.WriteLineAsync($"{"simulator",-22} {where}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"rate",-22} {RateText(settings.Rate)}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"hash_policy",-22} {settings.HashPolicy}").ConfigureAwait(false);
        foreach (var (name, value) in figures)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {value,14:N1}")).ConfigureAwait(false);
        }

        if (settings.Json)
        {
            await output.WriteLineAsync(Json(settings, figures)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>One line of JSON: where the simulator ran and the offered rate as strings, then every figure rounded to 0.1 (null when there is none).</summary>
    private static string Json(BenchSettings settings, Dictionary<string, double> figures)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("simulator", settings.SimProcess ? "child-process" : "in-process");
            writer.WriteString("rate", RateText(settings.Rate));
            writer.WriteString("hash_policy", settings.HashPolicy.ToString());
            foreach (var (name, value) in figures)
            {
                // A percentile of no samples is NaN, which JSON cannot carry.
                if (double.IsFinite(value))
                {
                    writer.WriteNumber(name, Math.Round(value, 1));
                }
                else
                {
                    writer.WriteNull(name);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static HashPolicy ParseHashPolicy(ArgumentResult result)
    {
        try
        {
            return HashPolicy.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty);
        }
        catch (FormatException ex)
        {
            result.AddError(ex.Message);
            return HashPolicy.Verify;
        }
    }

    private static string RateText(double rate) =>
        double.IsPositiveInfinity(rate) ? "max" : rate.ToString(CultureInfo.InvariantCulture);

    private static async Task<(IAsyncDisposable Simulator, Uri BaseUrl, string Where)> StartInProcessAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var server = new SimulatorServer(SimulatorFor(settings));
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (server, server.BaseUrl, "in this process");
    }

    /// <summary>Every token of every market the simulator lists over REST, as any client would find them.</summary>
    private static async Task<string[]> TokensAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var client = new ClobClient(new ClobClientOptions { Host = baseUrl });
        var tokens = new List<string>();
        await foreach (var market in client.GetMarketsAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.AddRange(market.Tokens.Select(t => t.TokenId));
        }

        return [.. tokens];
    }

    /// <summary>
    /// The child side of <c>--sim-process</c>: serves the bench's simulator and announces its URL, until the
    /// parent closes this process's input, or at most the measurement plus a grace period.
    /// </summary>
    private static async Task<int> ServeSimulatorAsync(BenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var server = new SimulatorServer(SimulatorFor(settings));
        await using var serverScope = server.ConfigureAwait(false);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(ListeningPrefix + server.BaseUrl).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var input = Console.OpenStandardInput();
        await using var inputScope = input.ConfigureAwait(false);
        // A console read blocks its thread and ignores cancellation: it gets a thread of its own, not one of
        // the simulator's pool threads, and the lifetime races it; the process exits right after either way.
        var closed = Task.Factory.StartNew(() => Drain(input), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAny(closed, Task.Delay(settings.Warmup + settings.Duration + s_childGrace, cancellationToken)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static void Drain(Stream input)
    {
        var buffer = new byte[256];
        while (input.Read(buffer) > 0)
        {
            // The parent writes nothing; end of input is the signal.
        }
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

    private sealed record BenchSettings(TimeSpan Duration, TimeSpan Warmup, int Subscribers, int Markets, int AssetsPerConnection, double Rate, HashPolicy HashPolicy, bool SimProcess, string? NatsUrl, bool Replica, bool Json);

    /// <summary>The bench's simulator in a child process: this CLI again, with the hidden <c>--as-simulator</c>.</summary>
    private sealed class ChildSimulator : IAsyncDisposable
    {
        private const string ChildGen0Budget = "0x10000000";
        private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(10);
        private readonly Process _process;

        private ChildSimulator(Process process) => _process = process;

        public static async Task<(IAsyncDisposable Simulator, Uri BaseUrl, string Where)> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
        {
            var start = SelfStart();
            foreach (var argument in (string[])["bench", "--as-simulator", "--markets", settings.Markets.ToString(CultureInfo.InvariantCulture), "--rate", RateText(settings.Rate), "--duration", string.Create(CultureInfo.InvariantCulture, $"{settings.Duration.TotalSeconds}s"), "--warmup", string.Create(CultureInfo.InvariantCulture, $"{settings.Warmup.TotalSeconds}s")])
            {
                start.ArgumentList.Add(argument);
            }

            var child = new ChildSimulator(Process.Start(start) ?? throw new InvalidOperationException($"Could not start the simulator process {start.FileName}."));
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(s_startLimit);
                while (await child._process.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false) is { } line)
                {
                    if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
                    {
                        return (child, new Uri(line[ListeningPrefix.Length..]), $"in a child process (pid {child._process.Id})");
                    }
                }

                throw new InvalidOperationException("The simulator process ended before it listened.");
            }
            catch
            {
                await child.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Closes the child's input, its signal to stop; kills it only if it has not ended within 10 s.</summary>
        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            using var limit = new CancellationTokenSource(s_stopLimit);
            try
            {
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _process.Dispose();
        }

        /// <summary>
        /// How to run this CLI again: its own launcher when it is the entry point, otherwise (under
        /// <c>dotnet</c>, or hosted by tests) the <c>dotnet</c> host with the CLI's assembly.
        /// </summary>
        private static ProcessStartInfo SelfStart()
        {
            var cli = typeof(BenchCommand).Assembly;
            var host = Environment.ProcessPath;
            var start = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            // The load generator's own GC pauses return as catch-up bursts the streamer would then be measured on;
            // a 256 MB gen0 budget makes them rare. Only the child gets it: the streamer runs as configured.
            start.Environment["DOTNET_GCgen0size"] = ChildGen0Budget;
            var hostIsDotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet";
            if (host is not null && !hostIsDotnet && Assembly.GetEntryAssembly() == cli)
            {
                start.FileName = host;
                return start;
            }

            start.FileName = hostIsDotnet ? host! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            start.ArgumentList.Add(cli.Location);
            return start;
        }
    }

    /// <summary>One subscriber: reads from the start, and once measuring counts events and, for the first, samples the latency from frame receipt to delivery.</summary>
    private sealed class Reader(EventSubscriber events, bool sample)
    {
        private readonly long[] _samples = sample ? new long[MaxSamples] : [];
        private int _sampled;
        private volatile bool _measuring;

        public long Count { get; private set; }

        public long Lagged { get; private set; }

        /// <summary>Ends the warm-up: what is read from now on counts.</summary>
        public void StartMeasuring() => _measuring = true;

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
}
