using System.CommandLine;
using PolyStream.Cli.Tui;
using PolyStream.Cli.UniverseMode;
using PolyStream.Connections;
using PolyStream.Rest;
using PolyStream.Universe;

namespace PolyStream.Cli.Commands;

/// <summary>
/// What the verbs that watch live tokens (<c>stream</c>, <c>record</c>, <c>tui</c>) share: their host options,
/// resolving <c>--asset</c>/<c>--market</c> into tokens (naming unknown tokens and resolved markets) or following
/// every active market with <c>--all</c> and <c>--filter</c> (universe mode), saying
/// on stderr what is streamed from where, the first connection bounded in time, and the venue refusing a
/// request (an unknown market, a rate limit) as one line and exit 1.
/// </summary>
internal sealed class WatchVerb
{
    private readonly string _verb;

    /// <param name="verb">The verb's name, for its lines on stderr.</param>
    /// <param name="gatherOption">
    /// Whether it has <c>--gather</c> (<see cref="Gather"/>): for a verb whose output waits anyway, not for a recording,
    /// whose receive times pace its replay.
    /// </param>
    public WatchVerb(string verb, bool gatherOption)
    {
        _verb = verb;
        GammaHost = CommonOptions.GammaHost(ClobHost);
        if (gatherOption)
        {
            Gather = DurationOption.Create(
                "--gather",
                $"Let each connection's frames gather this long before reading them, at most {WsConfig.MaxReceiveGather.TotalMilliseconds:F0}ms: one wake-up for the frames of a window when they come one at a time, each event up to that much later; default off",
                WsConfig.MaxReceiveGather,
                examples: "5ms, 10ms");
        }
    }

    /// <summary><c>--gather</c> (<see cref="WsConfig.ReceiveGather"/>), when the verb has it.</summary>
    public Option<TimeSpan?>? Gather { get; }

    public Option<string[]> Assets { get; } = CommonOptions.Assets();

    public Option<string[]> Markets { get; } = CommonOptions.Markets();

    /// <summary><c>--all</c>: universe mode; <c>--asset</c>/<c>--market</c> add fixed tokens on top.</summary>
    public Option<bool> All { get; } = new("--all")
    {
        Description = "Follow every active market (universe mode): discovered at the start, each new listing added as it lists, each resolved market dropped. --asset and --market add fixed tokens on top.",
    };

    public Option<UniverseFilter?> Filter { get; } = UniverseFilterOption.Create();

    public Option<Uri> ClobHost { get; } = CommonOptions.ClobHost();

    public Option<Uri> GammaHost { get; }

    public Option<TimeSpan?> ConnectTimeout { get; } = DurationOption.Create("--connect-timeout", "Give up (exit 1) when the first connection has not succeeded after this long; default 30s");

    /// <summary>The options every watching verb has, in the order help lists them.</summary>
    public IEnumerable<Option> Options
    {
        get
        {
            Option[] shared = [Assets, Markets, All, Filter, ClobHost, GammaHost, ConnectTimeout];
            return Gather is null ? shared : [.. shared, Gather];
        }
    }

    /// <summary>The markets <c>--all</c> follows, or <see langword="null"/> without it.</summary>
    public UniverseFilter? Universe(ParseResult result) => result.GetValue(All) ? result.GetValue(Filter) ?? UniverseFilter.All : null;

    /// <summary>Requires something to watch (<c>--asset</c>, <c>--market</c> or <c>--all</c>, unless <paramref name="source"/> names another source), and <c>--filter</c> only with <c>--all</c>.</summary>
    public void Validate(Command command, Option<string?>? source = null)
    {
        CommonOptions.RequireSomethingToWatch(command, Assets, Markets, All, source);
        command.Validators.Add(r =>
        {
            if (r.GetResult(Filter) is not null && !r.GetValue(All))
            {
                r.AddError("--filter chooses among the markets --all follows: add --all.");
            }

            if (source is not null && r.GetValue(source) is not null && r.GetValue(All))
            {
                r.AddError($"--all follows the venue's markets; {source.Name} reads what a scale-out published instead: use one or the other.");
            }
        });
    }

    /// <summary>Resolves the watched tokens and runs <paramref name="watch"/> with them and a streamer configuration for them.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="probe">Whether to ask the CLOB host for each token's book first (not when reading another source).</param>
    /// <param name="watch">The verb's work.</param>
    /// <param name="cancellationToken">The stop signal.</param>
    public async Task<int> RunAsync(ParseResult result, bool probe, Func<IReadOnlyList<WatchedAsset>, StreamerConfig, Task<int>> watch, CancellationToken cancellationToken)
    {
        var error = result.InvocationConfiguration.Error;
        void Warn(string line) => error.WriteLine($"polystream {_verb}: {line}");
        try
        {
            var insecure = result.GetValue(CommonOptions.Insecure);
            var universe = Universe(result);
            var gammaHost = result.GetRequiredValue(GammaHost);
            var watched = await AssetResolver.ResolveAsync(result.GetValue(Assets) ?? [], result.GetValue(Markets) ?? [], gammaHost, insecure, Warn, cancellationToken).ConfigureAwait(false);
            if (probe)
            {
                watched = await AssetProbe.KnownAsync(watched, result.GetRequiredValue(ClobHost), insecure, Warn, cancellationToken).ConfigureAwait(false);
                // In universe mode the fixed tokens are extras: the universe is still there to stream.
                if (watched.Count == 0 && universe is null)
                {
                    Warn("nothing left to stream.");
                    return ExitCodes.Failure;
                }
            }

            // The universe is discovered where --market names are looked up: one Gamma for both.
            var config = new StreamerConfig
            {
                MarketAssets = [.. watched.Select(w => w.AssetId)],
                Universe = universe,
                GammaHost = gammaHost,
                AllowInsecureTransport = insecure,
                Ws = new WsConfig { ReceiveGather = (Gather is null ? null : result.GetValue(Gather)) ?? TimeSpan.Zero },
            };
            return await watch(watched, config).ConfigureAwait(false);
        }
        catch (ClobApiException ex)
        {
            Warn(ex.Message);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Says what is streamed from where, starts <paramref name="streamer"/> and waits for its first connection; <see langword="false"/> (with a line) when it never came.</summary>
    public async Task<bool> StartAsync(ParseResult result, Streamer streamer, ConnectionReport report, IReadOnlyList<WatchedAsset> watched, CancellationToken cancellationToken)
    {
        var host = result.GetRequiredValue(ClobHost);
        var error = result.InvocationConfiguration.Error;
        var names = watched.Count <= 4 ? string.Join(", ", watched.Select(w => w.Label)) : $"{string.Join(", ", watched.Take(3).Select(w => w.Label))} and {watched.Count - 3} more";
        var what = streamer.Config.Universe is { } universe
            ? UniverseFilterOption.Describe(universe) + $" listed on {streamer.Config.GammaHost}" + (watched.Count == 0 ? string.Empty : $" and {watched.Count} fixed token(s) ({names})")
            : $"{watched.Count} token(s) ({names})";
        await error.WriteLineAsync($"polystream {_verb}: {what} from {host}").ConfigureAwait(false);
        await streamer.StartAsync(host, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await report.WaitForFirstConnectionAsync(streamer, result.GetValue(ConnectTimeout) ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The logger that turns connection failures into lines on stderr.</summary>
    public ConnectionReport Report(ParseResult result) =>
        new(result.InvocationConfiguration.Error, _verb, Streamer.ChannelUrl(result.GetRequiredValue(ClobHost), null, WsConfig.ProductionMarketUrl, "ws/market"));
}
