using System.CommandLine;
using System.Text;
using PolyStream.Books;
using PolyStream.Rest;
using PolyStream.Simulator.Wire;
using Spectre.Console;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream book ID</c>: one token's REST snapshot as a table (with its hash checked) or as the venue's JSON.</summary>
internal static class BookCommand
{
    public static Command Create()
    {
        var token = new Argument<string>("TOKEN_ID") { Description = "The token (asset) id." };
        var host = CommonOptions.ClobHost();
        var json = new Option<bool>("--json") { Description = "Print the summary as the venue's JSON (key order and decimals as sent)." };
        var depth = WholeNumberOption.Create("--depth", "Levels per side in the table.", 10, 1, 10_000);
        var command = new Command(
            "book",
            "Fetch one token's order book over REST and show it with its hash verified.\n\n"
            + "Examples:\n"
            + "  polystream book TOKEN_ID\n"
            + "  polystream book TOKEN_ID --json | jq .bids")
        {
            token, host, json, depth,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            using var client = new ClobClient(new ClobClientOptions { Host = result.GetRequiredValue(host), AllowInsecureTransport = result.GetValue(CommonOptions.Insecure) });
            try
            {
                var snapshot = await client.GetBookAsync(result.GetRequiredValue(token), cancellationToken).ConfigureAwait(false);
                var book = new OrderBook(snapshot.AssetId);
                var check = book.ReplaceWithSnapshot(snapshot);
                var summary = book.Summary();
                if (result.GetValue(json))
                {
                    await output.WriteLineAsync(Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, summary)))).ConfigureAwait(false);
                }
                else
                {
                    Render(output, summary, check, result.GetValue(depth));
                }

                return check.IsMismatch ? ExitCodes.Failure : ExitCodes.Ok;
            }
            catch (ClobApiException ex)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream book: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static void Render(TextWriter output, BookSummary book, HashCheck check, int depth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle($"{AssetResolver.Short(book.AssetId)} · tick {book.TickSize} · last {book.LastTradePrice?.ToString() ?? "-"}") };
        table.AddColumns("bid size", "bid", "ask", "ask size");
        var bids = book.Bids.Reverse().Take(depth).ToList();
        var asks = book.Asks.Reverse().Take(depth).ToList();
        for (var i = 0; i < Math.Max(bids.Count, asks.Count); i++)
        {
            table.AddRow(
                i < bids.Count ? bids[i].Size.ToString() : string.Empty,
                i < bids.Count ? $"[green]{bids[i].Price}[/]" : string.Empty,
                i < asks.Count ? $"[red]{asks[i].Price}[/]" : string.Empty,
                i < asks.Count ? asks[i].Size.ToString() : string.Empty);
        }

        console.Write(table);
        console.MarkupLine(check.Outcome switch
        {
            HashOutcome.Matched => $"hash [green]{check.Expected} verified[/]",
            HashOutcome.Mismatched => $"hash [red]mismatch[/]: venue {check.Expected}, computed {check.Actual}",
            _ => "hash not sent",
        });
    }
}
