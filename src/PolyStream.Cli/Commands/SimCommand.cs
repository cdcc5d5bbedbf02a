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
        var port = new Option<int>("--port")
        {
            Description = "TCP port; 0 picks a free one.",
            DefaultValueFactory = _ => 8081,
        };
        var markets = new Option<int>("--markets")
        {
            Description = "Number of binary markets (two tokens each).",
            DefaultValueFactory = _ => 20,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed; the same seed replays the same order flow.",
            DefaultValueFactory = _ => 1,
        };
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
        var negRisk = new Option<bool>("--neg-risk") { Description = "Mark every market neg-risk (hashed with every book)." };
        var minOrderSize = new Option<string>("--min-order-size")
        {
            Description = "min_order_size hashed with every book, as the venue renders it.",
            DefaultValueFactory = _ => "5",
        };
        minOrderSize.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? string.Empty;
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
        markets.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--markets must be between 1 and 100000.");
            }
        });
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });

        var command = new Command(
            "sim",
            "Serve a local Polymarket CLOB: /ws/market, /ws/user, the REST market-data and API-key endpoints, and a small Gamma under /gamma/, over a seeded market engine.\n\n"
            + "Prints the REST and WebSocket URLs and the user-channel credentials, then serves until Ctrl+C or SIGTERM (exit 0).\n\n"
            + "Examples:\n"
            + "  polystream sim\n"
            + "  polystream sim --port 0 --markets 200 --seed 7 --rate max\n"
            + "  polystream sim --fault corrupt-hash-every=100 --fault drop-every=60\n"
            + "  polystream sim --fault close-every=30:1011 --fault oversized-every=1000\n"
            + "  polystream sim --fault reject-connects=3:5 --fault rest-delay=500 --fault ghost-book")
        {
            host, port, markets, seed, rate, fault, negRisk, minOrderSize, apiKey, apiSecret, apiPassphrase, allowRemote, accessToken,
        };

        command.SetAction((result, cancellationToken) => RunAsync(
            new SimulatorOptions
            {
                Host = result.GetRequiredValue(host),
                Port = result.GetValue(port),
                Markets = result.GetValue(markets),
                Seed = result.GetValue(seed),
                EventsPerSecond = result.GetValue(rate),
                NegRisk = result.GetValue(negRisk),
                MinOrderSize = result.GetRequiredValue(minOrderSize),
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

        try
        {
            await server.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (IOException exception)
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
        await output.WriteLineAsync($"Markets    {options.Markets}, seed {options.Seed}, rate {(double.IsPositiveInfinity(options.EventsPerSecond) ? "max" : options.EventsPerSecond.ToString(CultureInfo.InvariantCulture))}/s; Ctrl+C to stop.").ConfigureAwait(false);
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
