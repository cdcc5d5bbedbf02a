using System.CommandLine;
using PolyStream.Cli.Commands;

namespace PolyStream.Cli;

/// <summary>Builds the <c>polystream</c> command tree and runs it; tests call it in-process with captured output.</summary>
internal static class PolyStreamCli
{
    public static Command CreateRootCommand()
    {
        // A plain command named for the tool: RootCommand would take its name from the assembly (PolyStream.Cli).
        var root = new Command(
            "polystream",
            "polystream: exact, hash-verified Polymarket order books.\n\n"
            + "Examples:\n"
            + "  polystream demo\n"
            + "  polystream verify capture.ndjson\n"
            + "  polystream verify old.ndjson --hash-version v9 --tick-size 0.01\n"
            + "  polystream sim --port 8081 --markets 20 --rate 50\n"
            + "  polystream markets search bitcoin\n"
            + "  polystream auth init");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(CommonOptions.Insecure);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ChaosCommand.Create());
        root.Subcommands.Add(StreamCommand.Create());
        root.Subcommands.Add(TuiCommand.Create());
        root.Subcommands.Add(BookCommand.Create());
        root.Subcommands.Add(RecordCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(DaemonCommand.Create());
        root.Subcommands.Add(SimCommand.Create());
        root.Subcommands.Add(AuthCommand.Create());
        root.Subcommands.Add(MarketsCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var result = CreateRootCommand().Parse(args);
        if (result.Errors.Count > 0)
        {
            // One mistake, one line: a misspelt option with a value (--duraton 2s) is two unmatched tokens, and
            // the first names the mistake.
            await configuration.Error.WriteLineAsync($"polystream: {Relevant(result).FirstOrDefault(result.Errors[0]).Message}").ConfigureAwait(false);
            var command = string.Join(' ', Lineage(result.CommandResult));
            await configuration.Error.WriteLineAsync($"Run '{command} --help' for usage and examples.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Exceptions reach the handlers below instead of System.CommandLine's stack-trace printer, and the
        // caller's token (StopSignals in the executable) is the one cancellation path, not System.CommandLine's.
        configuration.EnableDefaultExceptionHandler = false;
        configuration.ProcessTerminationTimeout = null;
        try
        {
            var code = await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            return ReaderGone(configuration) ? ExitCodes.Ok : code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM cut the work short; a closed pipe ended it as the reader wished.
            if (ReaderGone(configuration))
            {
                return ExitCodes.Ok;
            }

            await configuration.Error.WriteLineAsync($"{string.Join(' ', Lineage(result.CommandResult))}: interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (ArgumentException ex) when (ex.ParamName == "uri")
        {
            // A plain-text remote host without --insecure: a usage problem with a stated fix.
            await configuration.Error.WriteLineAsync($"polystream: {ex.Message.Split(" (Parameter", 2)[0]}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Verbs report expected failures themselves; this is the last line against a stack trace on the user's screen.
            await configuration.Error.WriteLineAsync($"polystream: unexpected error: {ex.Message}").ConfigureAwait(false);
            await configuration.Error.WriteLineAsync("This is a bug; please report it with the command you ran.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Whether the reader of standard output went away (<c>| head</c>): the verb ends without another word.</summary>
    public static bool ReaderGone(InvocationConfiguration configuration) => configuration.Output is PipeOutput { ReaderGone: true };

    /// <summary>The parse errors worth showing: "Required command was not provided" only when nothing else explains it (a misspelt verb does).</summary>
    private static IEnumerable<System.CommandLine.Parsing.ParseError> Relevant(ParseResult result) =>
        result.UnmatchedTokens.Count == 0
            ? result.Errors
            : result.Errors.Where(e => e.SymbolResult is not System.CommandLine.Parsing.CommandResult { Command.Action: null } || result.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal)));

    /// <summary>The command's words from the root, e.g. <c>polystream auth init</c>.</summary>
    private static Stack<string> Lineage(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new Stack<string>();
        for (System.CommandLine.Parsing.SymbolResult? current = command; current is not null; current = current.Parent)
        {
            if (current is System.CommandLine.Parsing.CommandResult result)
            {
                names.Push(result.Command.Name);
            }
        }

        return names;
    }
}
