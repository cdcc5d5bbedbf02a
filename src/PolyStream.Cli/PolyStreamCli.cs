using System.CommandLine;
using PolyStream.Cli.Commands;

namespace PolyStream.Cli;

/// <summary>Builds the <c>polystream</c> command tree and runs it; tests call it in-process with captured output.</summary>
internal static class PolyStreamCli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "polystream: exact, hash-verified Polymarket order books.\n\n"
            + "Examples:\n"
            + "  polystream verify capture.ndjson\n"
            + "  polystream verify old.ndjson --hash-version v9 --tick-size 0.01\n"
            + "  polystream sim --port 8081 --markets 20 --rate 50");
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(SimCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var result = CreateRootCommand().Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await configuration.Error.WriteLineAsync($"polystream: {error.Message}").ConfigureAwait(false);
            }

            var verb = result.CommandResult.Command.Name;
            await configuration.Error.WriteLineAsync($"Run 'polystream {verb} --help' for usage and examples.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
