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
        var watch = new WatchVerb("tui");
        var command = new Command(
            "tui",
            "Live terminal view of some books: trust state, depth ladder, trades, feed health. ↑/↓ select, p pause, q quit.\n\n"
            + "Examples:\n"
            + "  polystream tui --market will-it-rain-tomorrow\n"
            + "  polystream tui --host http://127.0.0.1:8081 --market simulated-event-0")
        {
        };
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        CommonOptions.RequireSomethingToWatch(command, watch.Assets, watch.Markets);
        command.SetAction((result, cancellationToken) => watch.RunAsync(result, probe: true, async (watched, config) =>
        {
            var hostUri = result.GetRequiredValue(watch.ClobHost);
            using var logs = FileLoggerFactory.Open(DataPaths.Resolve());
            var streamer = new Streamer(config, logs);
            await using var scope = streamer.ConfigureAwait(false);
            var monitor = new FeedMonitor(streamer);
            await using var monitorScope = monitor.ConfigureAwait(false);
            // The screen's logs go to the file; the report only bounds the wait for the first connection.
            using var report = watch.Report(result);
            if (!await watch.StartAsync(result, streamer, report, watched, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Failure;
            }

            var output = result.InvocationConfiguration.Output;
            if (!PlainReport.IsTerminal(output))
            {
                // Not a terminal (tui | cat, a log file): plain lines rather than frames.
                var plain = new PlainReport(streamer, monitor, watched, output);
                await plain.RunAsync(cancellationToken).ConfigureAwait(false);
                await plain.WriteBooksAsync().ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            await LiveScreen.RunAsync(console, new Dashboard(streamer, monitor, watched, hostUri.ToString(), console), monitor, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
