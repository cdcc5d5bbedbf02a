using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using PolyStream.Simulator;
using PolyStream.Simulator.Faults;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream sim</c>: serves the local exchange simulator until Ctrl+C or SIGTERM.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on; other than loopback needs --allow-remote and --access-token.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = WholeNumberOption.Create("--port", "TCP port; 0 picks a free one.", 8081, 0, 65_535);
        var markets = WholeNumberOption.Create("--markets", "Number of binary markets (two tokens each).", 20, 1, 100_000);
        var seed = WholeNumberOption.Create("--seed", "Random seed; the same seed replays the same order flow.", 1, int.MinValue, int.MaxValue);
        var rate = new Option<double>("--rate")
        {
            Description = "Engine steps per second (N, 0 = frozen) or 'max'.",
            DefaultValueFactory = _ => 10,
            CustomParser = r => NumberOrMax.Parse(r, zeroAllowed: true, "steps per second"),
        };
        var fault = new Option<string[]>("--fault")
        {
            Description = "Inject a fault; repeatable. One of: " + FaultSpec.Help,
            AllowMultipleArgumentsPerToken = false,
        };
        var negRisk = new Option<bool>("--neg-risk") { Description = "Make every market neg-risk (hashed with every book); default: the markets of neg-risk events only. '--neg-risk false' makes none." };
        var noLifecycle = new Option<bool>("--no-lifecycle") { Description = "Markets never resolve and none list: every slug stays open (for scripts and examples)." };
        var minOrderSize = new Option<string?>("--min-order-size")
        {
            Description = "min_order_size of every market (hashed with every book), as the venue renders it; default: 1, 5 or 15 per market.",
        };
        var uniform = new Option<bool>("--uniform") { Description = "Make every market alike: standalone, min_order_size 5, not neg-risk, even activity, no up-or-down series." };
        minOrderSize.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>() ?? string.Empty;
            if (!PolyStream.Protocol.ExactDecimal.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _))
            {
                result.AddError($"--min-order-size must be a plain decimal such as 5 or 0.5, not '{text}'.");
            }
        });
        var apiKey = new Option<string?>("--api-key") { Description = "API key the user channel accepts (default: derived from the seed)." };
        var apiSecret = new Option<string?>("--api-secret") { Description = "API secret the user channel accepts." };
        var apiPassphrase = new Option<string?>("--api-passphrase") { Description = "API passphrase the user channel accepts." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a --host other machines can reach (needs --access-token)." };
        var accessToken = new Option<string?>("--access-token") { Description = "Bearer token every request must carry (16+ characters); required with --allow-remote." };
        fault.Validators.Add(result =>
        {
            foreach (var spec in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (FaultSpec.Validate(spec) is { } error)
                {
                    result.AddError(error);
                }
            }
        });
        host.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? string.Empty;
            if (text != "localhost" && !System.Net.IPAddress.TryParse(text, out _))
            {
                result.AddError($"--host must be an IP address or localhost, not '{text}'.");
            }
        });

        var command = new Command(
            "sim",
            "Serve a local Polymarket CLOB: /ws/market, /ws/user, the REST market-data and API-key endpoints, and a small Gamma under /gamma/, over a seeded market engine.\n\n"
            + "Prints the REST and WebSocket URLs and the user-channel credentials, then serves until Ctrl+C or SIGTERM (exit 0).\n\n"
            + "Examples:\n"
            + "  polystream sim\n"
            + "  polystream sim --port 0 --markets 200 --seed 7 --rate max\n"
            + "  polystream sim --neg-risk --min-order-size 15\n"
            + "  polystream sim --uniform\n"
            + "  polystream sim --no-lifecycle --markets 4\n"
            + "  polystream sim --fault corrupt-hash-every=100 --fault drop-every=60\n"
            + "  polystream sim --fault close-every=30:1011 --fault oversized-every=1000\n"
            + "  polystream sim --fault reject-connects=3:5 --fault rest-delay=500 --fault ghost-book")
        {
            host, port, markets, seed, rate, fault, negRisk, noLifecycle, minOrderSize, uniform, apiKey, apiSecret, apiPassphrase, allowRemote, accessToken,
        };

        command.SetAction((result, cancellationToken) => RunAsync(
            new SimulatorOptions
            {
                Host = result.GetRequiredValue(host),
                Port = result.GetValue(port),
                Markets = result.GetValue(markets),
                Seed = result.GetValue(seed),
                EventsPerSecond = result.GetValue(rate),
                Uniform = result.GetValue(uniform),
                // A flag has an implicit result even when absent; only one given on the command line overrides.
                NegRisk = result.GetResult(negRisk) is { Implicit: false } ? result.GetValue(negRisk) : null,
                MarketLifecycle = !result.GetValue(noLifecycle),
                MinOrderSize = result.GetValue(minOrderSize),
                ApiKey = result.GetValue(apiKey),
                ApiSecret = result.GetValue(apiSecret),
                ApiPassphrase = result.GetValue(apiPassphrase),
                AllowRemote = result.GetValue(allowRemote),
                AccessToken = result.GetValue(accessToken),
            },
            result.GetValue(fault) ?? [],
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>What kind of universe runs, in a few words: "uniform", or the neg-risk events and series of a varied one.</summary>
    private static string Universe(SimulatorOptions options, IReadOnlyList<PolyStream.Simulator.Engine.SimMarket> markets)
    {
        if (options.Uniform)
        {
            return "uniform";
        }

        var grouped = markets.Where(m => m.GroupItemTitle.Length > 0).ToList();
        var events = grouped.Select(m => m.EventSlug).Distinct(StringComparer.Ordinal).Count();
        var series = markets.Count(m => m.Series is not null);
        return string.Create(CultureInfo.InvariantCulture, $"varied: {grouped.Count} in {events} multi-market events, {series} up-or-down series");
    }

    private static async Task RepeatAsync(PeriodicFault fault, SimulatorFaults faults, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(fault.Period);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            fault.Act(faults);
        }
    }

    private static async Task<int> RunAsync(SimulatorOptions options, string[] faults, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var server = new SimulatorServer(options);
        await using var serverScope = server.ConfigureAwait(false);
        var periodic = new List<PeriodicFault>();
        foreach (var spec in faults)
        {
            FaultSpec.Apply(spec, server.Faults, out var timed);
            if (timed is not null)
            {
                periodic.Add(timed);
            }
        }

        // Read before the pump starts: the engine is not safe to read while it steps.
        var universe = Universe(options, server.Engine.Markets);
        try
        {
            await server.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"polystream sim: cannot listen on {options.Host}:{options.Port}: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync($"polystream sim: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var account = server.Engine.Account;
        await output.WriteLineAsync($"REST       {server.BaseUrl}").ConfigureAwait(false);
        await output.WriteLineAsync($"Market WS  {server.MarketWebSocketUrl}").ConfigureAwait(false);
        await output.WriteLineAsync($"User WS    {server.UserWebSocketUrl}").ConfigureAwait(false);
        await output.WriteLineAsync($"Gamma      {server.GammaUrl}").ConfigureAwait(false);
        await output.WriteLineAsync($"User auth  apiKey={account.ApiKey} secret={account.Secret} passphrase={account.Passphrase} (simulator-only credentials)").ConfigureAwait(false);
        await output.WriteLineAsync($"Markets    {options.Markets} ({universe}), seed {options.Seed}, rate {(double.IsPositiveInfinity(options.EventsPerSecond) ? "max" : options.EventsPerSecond.ToString(CultureInfo.InvariantCulture))}/s; Ctrl+C to stop.").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        try
        {
            var loops = periodic.ConvertAll(fault => RepeatAsync(fault, server.Faults, stop.Token));
            loops.Add(Task.Delay(Timeout.Infinite, stop.Token));
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: a normal stop.
        }

        await output.WriteLineAsync($"Stopped after {server.Engine.Steps} steps.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
