using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PolyStream.Cli.Export;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream export RECORDING --kind KIND --out FILE</c>: research tables (Tardis layouts) from a recording, every hash verified.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var recording = new Argument<string>("RECORDING") { Description = "A recording folder (its segments in order) or one .psrec segment." };
        var kind = new Option<string>("--kind") { Description = "trades | quotes | book_snapshot | incremental_book_l2", Required = true };
        kind.AcceptOnlyFromAmong("trades", "quotes", "book_snapshot", "incremental_book_l2");
        var format = new Option<string?>("--format") { Description = "parquet | csv; default from the --out extension" };
        format.AcceptOnlyFromAmong("parquet", "csv");
        var output = new Option<string>("--out") { Description = "The table's file; the gaps table goes beside it as FILE.gaps.csv or FILE.gaps.parquet.", Required = true };
        var from = new Option<long?>("--from") { Description = "Rows received at or after this time (ISO 8601 such as 2026-11-24T10:00:00Z, or Unix microseconds).", CustomParser = ParseTime };
        var to = new Option<long?>("--to") { Description = "Rows received before this time (same forms as --from).", CustomParser = ParseTime };
        var assets = CommonOptions.TokenIds(new("--asset") { Description = "These token ids only (repeatable); default every token recorded.", AllowMultipleArgumentsPerToken = true });
        var depth = WholeNumberOption.Create("--depth", "book_snapshot: levels per side (default 25; Tardis also publishes 5).", 25, 1, 1000);
        var interval = DurationOption.Create("--interval", "book_snapshot: a snapshot of every trusted book at this interval; default one at every change of the top levels");
        var command = new Command(
            "export",
            "Turn a recording into research tables: it is replayed through the live book engine with every hash verified,\n"
            + "rows come only from books the engine trusts, and every stretch without trust is listed in a gaps table.\n"
            + "CSV uses the Tardis layouts (incremental_book_L2, book_snapshot_N, trades, quotes; microseconds since the epoch,\n"
            + "exchange=polymarket, symbol=token id); Parquet adds market, outcome, epoch, seq and hash_verified, with exact decimals.\n"
            + "See docs/collecting.md for loading the files in DuckDB, pandas and polars.\n\n"
            + "Examples:\n"
            + "  polystream export ~/recordings/rain --kind trades --out trades.parquet\n"
            + "  polystream export rec --kind book_snapshot --depth 5 --interval 1s --out book_snapshot_5.csv.gz\n"
            + "  polystream export rec --kind incremental_book_l2 --format csv --out l2.csv --from 2026-11-24T10:00:00Z --to 2026-11-24T11:00:00Z")
        {
            recording, kind, format, output, from, to, assets, depth, interval,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var outPath = result.GetRequiredValue(output);
            var gzip = outPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            var chosen = result.GetValue(format) ?? Path.GetExtension(gzip ? outPath[..^3] : outPath).TrimStart('.').ToLowerInvariant();
            if (chosen is not ("parquet" or "csv"))
            {
                await error.WriteLineAsync($"polystream export: say --format parquet or csv ('{outPath}' has neither extension).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (gzip && chosen == "parquet")
            {
                await error.WriteLineAsync($"polystream export: Parquet compresses its own columns; write '{outPath[..^3]}' instead of a gzipped file.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var request = new ExportRequest
            {
                Recording = result.GetRequiredValue(recording),
                Kind = ParseKind(result.GetRequiredValue(kind)),
                Format = chosen == "csv" ? ExportFormat.Csv : ExportFormat.Parquet,
                Out = outPath,
                FromMicros = result.GetValue(from),
                ToMicros = result.GetValue(to),
                Assets = [.. result.GetValue(assets) ?? []],
                Depth = result.GetValue(depth),
                Interval = result.GetValue(interval),
            };
            return await RunAsync(request, result.InvocationConfiguration, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs an export, printing progress on stderr and one summary line on stdout; removes the files of a failed export.</summary>
    public static async Task<int> RunAsync(ExportRequest request, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var error = console.Error;
        var finished = false;
        try
        {
            var result = await ExportFiles.WriteAsync(request, new InlineProgress<ExportProgress>(p => error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"export: {p.Frames:N0} frames, {p.Rows:N0} rows, reached {DateTimeOffset.UnixEpoch.AddTicks(p.ReachedMicros * 10):yyyy-MM-ddTHH:mm:ssZ}"))), cancellationToken).ConfigureAwait(false);
            finished = true;
            foreach (var torn in result.Report.TornSegments)
            {
                // A torn tail is what a crash leaves; everything before it was exported.
                await error.WriteLineAsync($"note: {torn}").ConfigureAwait(false);
            }

            await console.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"exported kind={ExportSchema.Name(request.Kind, request.Depth)} rows={result.Rows} gaps={result.Gaps} frames={result.Frames} hashes_checked={result.HashesChecked} mismatched={result.HashMismatches} out={request.Out} gaps_out={request.GapsPath}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            await error.WriteLineAsync($"polystream export: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"polystream export: cannot write '{request.Out}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        finally
        {
            if (!finished)
            {
                // Half a table is worse than none: a reader could take it for the whole.
                File.Delete(request.Out);
                File.Delete(request.GapsPath);
            }
        }
    }

    private static ExportKind ParseKind(string text) => text switch
    {
        "trades" => ExportKind.Trades,
        "quotes" => ExportKind.Quotes,
        "book_snapshot" => ExportKind.BookSnapshot,
        _ => ExportKind.IncrementalBookL2,
    };

    private static long? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
        {
            return micros;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return (time - DateTimeOffset.UnixEpoch).Ticks / 10;
        }

        result.AddError($"'{text}' is not a time such as 2026-11-24T10:00:00Z or Unix microseconds.");
        return null;
    }
}
