using System.CommandLine;
using PolyStream.Rest;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream markets [list|search TEXT]</c>: list CLOB markets, or find open ones through Gamma, with their token ids.</summary>
internal static class MarketsCommand
{
    public static Command Create()
    {
        var host = CommonOptions.ClobHost();
        var all = AllOption();
        var command = new Command(
            "markets",
            "Discover markets and their CLOB token ids; without a subcommand, lists them.\n\n"
            + "Examples:\n"
            + "  polystream markets\n"
            + "  polystream markets list --all\n"
            + "  polystream markets search bitcoin\n"
            + "  polystream markets search \"fed rate\" --gamma-host http://127.0.0.1:8081/gamma/");
        command.Options.Add(host);
        command.Options.Add(all);
        command.SetAction((result, cancellationToken) => ListAsync(result, host, all, cancellationToken));
        command.Subcommands.Add(CreateSearch());
        command.Subcommands.Add(CreateList());
        return command;
    }

    private static Command CreateSearch()
    {
        var text = new Argument<string>("TEXT") { Description = "Text to find in a market's question or slug (case-insensitive)." };
        var gammaHost = CommonOptions.GammaHost();
        var maxPages = WholeNumberOption.Create("--max-pages", "Stop after this many pages of 500 open markets.", 40, 1, int.MaxValue);
        text.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("TEXT must not be empty; name something to find, such as bitcoin.");
            }
        });
        var command = new Command("search", "Search open markets by text; prints slug, question and the token ids to stream.") { text, gammaHost, maxPages };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            using var gamma = new GammaClient(new GammaClientOptions { Host = result.GetRequiredValue(gammaHost), Transport = new ClobClientOptions { AllowInsecureTransport = result.GetValue(CommonOptions.Insecure) } });
            try
            {
                var progress = new InlineProgress<int>(pages => error.Write($"\rsearching… {pages} page(s) read"));
                var markets = await gamma.SearchMarketsAsync(result.GetRequiredValue(text), progress, result.GetValue(maxPages), cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync().ConfigureAwait(false);
                foreach (var market in markets)
                {
                    var tokens = string.Join(' ', market.ClobTokenIds.Zip(market.Outcomes, (id, outcome) => $"{outcome}={id}"));
                    await output.WriteLineAsync($"{TerminalText.Clean(market.Slug)}\t{TerminalText.Clean(market.Question)}\t{TerminalText.Clean(tokens)}").ConfigureAwait(false);
                }

                await error.WriteLineAsync($"{markets.Count} market(s) found.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (ClobApiException ex)
            {
                await error.WriteLineAsync($"\npolystream markets search: Gamma at {result.GetRequiredValue(gammaHost)}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static Command CreateList()
    {
        var host = CommonOptions.ClobHost();
        var all = AllOption();
        var command = new Command("list", "List CLOB markets page by page (GET /markets): condition id, slug and token ids.") { host, all };
        command.SetAction((result, cancellationToken) => ListAsync(result, host, all, cancellationToken));
        return command;
    }

    private static Option<bool> AllOption() => new("--all") { Description = "Include closed markets." };

    private static async Task<int> ListAsync(ParseResult result, Option<Uri> host, Option<bool> all, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        using var client = new ClobClient(new ClobClientOptions { Host = result.GetRequiredValue(host), AllowInsecureTransport = result.GetValue(CommonOptions.Insecure) });
        var shown = 0;
        var read = 0;
        try
        {
            await foreach (var market in client.GetMarketsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (++read % 100 == 0)
                {
                    await error.WriteAsync($"\rreading… {read} markets").ConfigureAwait(false);
                }

                if (result.GetValue(all) || !market.Closed)
                {
                    shown++;
                    var tokens = string.Join(' ', market.Tokens.Select(t => $"{t.Outcome}={t.TokenId}"));
                    await output.WriteLineAsync($"{TerminalText.Clean(market.ConditionId)}\t{TerminalText.Clean(market.Slug)}\t{TerminalText.Clean(tokens)}").ConfigureAwait(false);
                }
            }

            await error.WriteLineAsync($"\r{shown} of {read} market(s) listed.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (ClobApiException ex)
        {
            await error.WriteLineAsync($"\npolystream markets list: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

}
