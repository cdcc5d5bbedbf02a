using System.CommandLine;
using System.CommandLine.Parsing;
using PolyStream.Connections;
using PolyStream.Engine;

namespace PolyStream.Cli.Bench;

/// <summary>The options of <c>polystream bench</c>, their checks, and the <see cref="BenchSettings"/> they parse into.</summary>
internal sealed class BenchOptions
{
    /// <summary>The frames source's default load in steps per second: about 200,000 events per second, the target's.</summary>
    private const double DefaultFramesRate = 69_000;

    private readonly Option<TimeSpan?> _duration = DurationOption.Create("--duration", "How long to measure after the warm-up (default 20s)");
    private readonly Option<TimeSpan?> _warmup = DurationOption.Create("--warmup", "How long to run the load with the subscribers reading before measuring, so JIT tiering and the backlog of the initial dump are behind (default 5s)");
    private readonly Option<int> _subscribers = WholeNumberOption.Create("--subscribers", "Subscribers reading the event stream.", 4, 1, 64);
    private readonly Option<int> _markets = WholeNumberOption.Create("--markets", "Simulated markets (two books each).", 100, 1, 5_000);

    private readonly Option<int> _assetsPerConnection = WholeNumberOption.Create(
        "--assets-per-connection",
        "The most books on one WebSocket connection (the streamer's MaxAssetsPerConnection); fewer open more connections, each with its own writer loop.",
        new StreamerConfig().MaxAssetsPerConnection,
        1,
        500,
        " (the venue stops sending past ~500)");

    private readonly Option<int> _wakeHold = WholeNumberOption.Create(
        "--wake-hold-us",
        "Microseconds a connection's reader may hold subscribers' wake-ups while more frames wait (the streamer's WsConfig.WakeHold); 0 wakes them after every frame.",
        (int)new WsConfig().WakeHold.TotalMicroseconds,
        0,
        10_000);

    private readonly Option<BenchSource?> _source = new("--source")
    {
        Description = "Where the load comes from: 'frames' (default) sends a recording of the varied simulator, rendered once at start, from memory in a child process, "
            + "so the figures are the streamer's; 'sim' runs the simulator itself (the default with --sim-process).",
        CustomParser = ParseSource,
    };

    // Without a default value: help would print max as "Infinity"; not given means the source's default.
    private readonly Option<double?> _rate = new("--rate")
    {
        Description = "The offered load: simulator engine steps per second, sent every millisecond (N), or 'max' for as fast as it goes. Default 69000 with --source frames (~200,000 events/s), max with sim.",
        // Not 0, unlike the simulator's own --rate: a frozen simulator would leave nothing to measure.
        CustomParser = r => NumberOrMax.Parse(r, zeroAllowed: false, "steps per second"),
    };

    private readonly Option<HashPolicy> _hashPolicy = new("--hash-policy")
    {
        Description = "Which book hashes the streamer checks: Verify (every message, the default), Sample:N (one message in N) or Off.",
        DefaultValueFactory = _ => HashPolicy.Verify,
        CustomParser = ParseHashPolicy,
    };

    private readonly Option<bool> _simProcess = new("--sim-process") { Description = "With --source sim (implied): run the simulator in a child process (this executable) instead of this one, so it shares only the CPUs, not the GC or the thread pool." };
    private readonly Option<string?> _output = new("--output")
    {
        Description = "'ndjson': each subscriber also formats every event as its NDJSON line (the schema of 'stream --json') into a buffer, so formatting is in the measured path.",
        CustomParser = r => r.Tokens is [{ Value: "ndjson" }] ? "ndjson" : Invalid<string>(r, $"--output takes 'ndjson', not '{(r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty)}'."),
    };
    private readonly Option<bool> _asSimulator = new("--as-simulator") { Description = "Serve the bench's simulator for a parent bench until its input closes.", Hidden = true };

    private readonly Option<string?> _nats = new("--nats")
    {
        Description = "Also publish every event to JetStream at this URL (nats://127.0.0.1:4222) through a scale-out node, and measure what the stream acknowledged. "
            + "Uses a stream and buckets of its own (POLYSTREAM_BENCH, polystream-bench-*), deleted before and after the run.",
    };

    private readonly Option<bool> _replica = new("--replica") { Description = "With --nats: also rebuild every book from the stream in this process (a NatsBookReplica proving each step by its content hash) and report how fast it reads and whether it diverged." };
    private readonly Option<bool> _json = new("--json") { Description = "End with one JSON object with every figure (simulator, rate, events_per_s, p50_us, p99_us, alloc_bytes_per_event, working_set_mb, ...)." };

    /// <summary>Adds every option to <paramref name="command"/> in the order help lists them, and the check that spans two of them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[_duration, _warmup, _subscribers, _markets, _assetsPerConnection, _wakeHold, _source, _rate, _hashPolicy, _simProcess, _output, _nats, _replica, _asSimulator, _json])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if (r.GetValue(_replica) && r.GetValue(_nats) is null)
            {
                r.AddError("--replica needs --nats URL: the replica reads what the node publishes there.");
            }

            if (r.GetValue(_simProcess) && r.GetValue(_source) == BenchSource.Frames)
            {
                r.AddError("--sim-process is for --source sim: pre-rendered frames are always served by a child process.");
            }
        });
    }

    /// <summary>Whether this process is a parent bench's simulator (the hidden <c>--as-simulator</c>), not a bench.</summary>
    public bool IsChildSimulator(ParseResult result) => result.GetValue(_asSimulator);

    /// <summary>The run the options describe, with the documented defaults for what was not given.</summary>
    public BenchSettings Read(ParseResult result)
    {
        var source = result.GetValue(_source) ?? (result.GetValue(_simProcess) ? BenchSource.Simulator : BenchSource.Frames);
        return new BenchSettings(
            result.GetValue(_duration) ?? TimeSpan.FromSeconds(20),
            result.GetValue(_warmup) ?? TimeSpan.FromSeconds(5),
            result.GetValue(_subscribers),
            result.GetValue(_markets),
            result.GetValue(_assetsPerConnection),
            TimeSpan.FromMicroseconds(result.GetValue(_wakeHold)),
            result.GetValue(_rate) ?? (source == BenchSource.Frames ? DefaultFramesRate : double.PositiveInfinity),
            result.GetRequiredValue(_hashPolicy),
            source,
            result.GetValue(_simProcess),
            result.GetValue(_output) is not null,
            result.GetValue(_nats),
            result.GetValue(_replica),
            result.GetValue(_json));
    }

    private static BenchSource? ParseSource(ArgumentResult result) => result.Tokens is [{ Value: var text }] ? text switch
    {
        "frames" => BenchSource.Frames,
        "sim" => BenchSource.Simulator,
        _ => Invalid<BenchSource?>(result, $"--source takes 'frames' or 'sim', not '{text}'."),
    } : null;

    private static T? Invalid<T>(ArgumentResult result, string error)
    {
        result.AddError(error);
        return default;
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
}
