using System.CommandLine;
using PolyStream.Auth;
using PolyStream.Cli.Tui;
using Spectre.Console;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream tui</c>: the live screen against any host.</summary>
internal static class TuiCommand
{
    public static Command Create()
    {
        var assets = CommonOptions.Assets();
        var markets = CommonOptions.Markets();
        var host = CommonOptions.ClobHost();
        var gammaHost = CommonOptions.GammaHost();
        var command = new Command(
            "tui",
            "Live terminal view of some books: trust state, depth ladder, trades, feed health. ↑/↓ select, p pause, q quit.\n\n"
            + "Examples:\n"
            + "  polystream tui --market will-it-rain-tomorrow\n"
            + "  polystream tui --host http://127.0.0.1:8081 --gamma-host http://127.0.0.1:8081/gamma --market simulated-event-0")
        {
            assets, markets, host, gammaHost,
        };
        CommonOptions.RequireSomethingToWatch(command, assets, markets);
        command.SetAction((result, cancellationToken) => WatchVerb.RunAsync(result, "tui", assets, markets, gammaHost, async (watched, config) =>
        {
            var hostUri = result.GetRequiredValue(host);
            using var logs = FileLoggerFactory.Open(DataPaths.Resolve());
            var streamer = new Streamer(config, logs);
            await using var scope = streamer.ConfigureAwait(false);
            var monitor = new FeedMonitor(streamer);
            await using var monitorScope = monitor.ConfigureAwait(false);
            await streamer.StartAsync(hostUri, cancellationToken: cancellationToken).ConfigureAwait(false);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(result.InvocationConfiguration.Output) });
            await LiveScreen.RunAsync(console, new Dashboard(streamer, monitor, watched, hostUri.ToString()), monitor, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
