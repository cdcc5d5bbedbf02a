using System.CommandLine;
using PolyStream.Auth;
using PolyStream.Cli.Tui;
using PolyStream.Cli.UniverseMode;
using Spectre.Console;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream tui</c>: the live screen against any host, of some books or (<c>--all</c>) of every active market.</summary>
internal static class TuiCommand
{
    public static Command Create()
    {
        var watch = new WatchVerb("tui", gatherOption: true);
        var command = new Command(
            "tui",
            "Live terminal view of some books: trust state, depth ladder, trades, feed health. ↑/↓ select, p pause, q quit.\n"
            + "With --all, every active market in a list: a/m/s sort by activity (events/s), movers (price change since shown)\n"
            + "or spread, / searches the questions and slugs, enter opens a market's ladder and esc comes back.\n\n"
            + "Examples:\n"
            + "  polystream tui --market will-it-rain-tomorrow\n"
            + "  polystream tui --all --filter tag=crypto\n"
            + "  polystream tui --host http://127.0.0.1:8081 --market simulated-event-0")
        {
        };
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        watch.Validate(command);
        command.SetAction((result, cancellationToken) => watch.RunAsync(result, probe: true, async (watched, config) =>
        {
            var hostUri = result.GetRequiredValue(watch.ClobHost);
            using var logs = FileLoggerFactory.Open(DataPaths.Resolve());
            var streamer = new Streamer(config, logs);
            await using var scope = streamer.ConfigureAwait(false);
            var monitor = new FeedMonitor(streamer);
            await using var monitorScope = monitor.ConfigureAwait(false);
            var output = result.InvocationConfiguration.Output;
            var terminal = PlainReport.IsTerminal(output);
            // On a terminal the screen shows the progress; in plain lines, stderr says it.
            await using var universe = UniverseWatch.StartIf(config.Universe is not null && !terminal, streamer, new UniverseConsoleReport(result.InvocationConfiguration.Error, "tui", changes: true)).ConfigureAwait(false);
            // The screen's logs go to the file; the report only bounds the wait for the first connection.
            using var report = watch.Report(result);
            if (!await watch.StartAsync(result, streamer, report, watched, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Failure;
            }

            if (!terminal)
            {
                // Not a terminal (tui | cat, a log file): plain lines rather than frames.
                var plain = new PlainReport(streamer, monitor, output);
                await plain.RunAsync(cancellationToken).ConfigureAwait(false);
                await plain.WriteBooksAsync(config.Universe is null ? watched : [.. watched, .. streamer.UniverseMarkets.SelectMany(AssetResolver.Tokens)]).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            ILiveView view = config.Universe is null
                ? new Dashboard(streamer, monitor, watched, hostUri.ToString(), console)
                : new UniverseScreen(streamer, monitor, hostUri.ToString(), console);
            await LiveScreen.RunAsync(console, view, monitor, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
