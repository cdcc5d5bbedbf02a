using System.CommandLine;
using PolyStream.Events;
using PolyStream.Nats;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream stream</c>: print the live event stream of some tokens, as text or NDJSON.</summary>
internal static class StreamCommand
{
    public static Command Create()
    {
        var watch = new WatchVerb("stream");
        var json = new Option<bool>("--json") { Description = "One JSON object per line (NDJSON) with type, asset_id, epoch and seq." };
        var duration = DurationOption.Create("--duration", "Stop after this long; default until Ctrl+C");
        var nats = new Option<string?>("--nats") { Description = "Read the events a scale-out published to this NATS server (nats://host:4222) instead of the venue; --asset filters, all by default." };
        var natsStream = new Option<string>("--nats-stream") { Description = "The JetStream stream to read with --nats.", DefaultValueFactory = _ => new NatsScaleOutOptions().StreamName };
        var natsCredentials = new Option<FileInfo?>("--nats-creds") { Description = "A NATS credentials file for --nats." };
        var fromStart = new Option<bool>("--from-start") { Description = "With --nats: start with the oldest event the stream holds, not the next new one." };
        var command = new Command(
            "stream",
            "Stream live, hash-verified book events for some tokens, or read them back from a scale-out's NATS stream.\n\n"
            + "Examples:\n"
            + "  polystream stream --market will-it-rain-tomorrow\n"
            + "  polystream stream --asset TOKEN_ID --json | jq -c '{type, best_bid, best_ask}'\n"
            + "  polystream stream --host http://127.0.0.1:8081 --market simulated-event-0 --duration 30s\n"
            + "  polystream stream --nats nats://127.0.0.1:4222 --from-start --json\n\n"
            + "Says on stderr what it streams from where, and every failed connection with its URL and next attempt;\n"
            + "exit 1 when the first connection does not succeed within --connect-timeout.")
        {
            json, duration, nats, natsStream, natsCredentials, fromStart,
        };
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        CommonOptions.RequireSomethingToWatch(command, watch.Assets, watch.Markets, source: nats);
        command.SetAction((result, cancellationToken) => watch.RunAsync(result, probe: result.GetValue(nats) is null, async (watched, config) =>
        {
            var output = result.InvocationConfiguration.Output;
            using var stop = DurationOption.StopAfter(result, duration, cancellationToken);
            if (result.GetValue(nats) is { } natsUrl)
            {
                var options = new NatsScaleOutOptions { Url = natsUrl, StreamName = result.GetRequiredValue(natsStream), CredentialsFile = result.GetValue(natsCredentials)?.FullName };
                return await BusStreamPrinter.RunAsync(options, watched.Select(w => w.AssetId).ToHashSet(StringComparer.Ordinal), result.GetValue(fromStart), result.GetValue(json), output, result.InvocationConfiguration.Error, stop.Token, cancellationToken).ConfigureAwait(false);
            }

            using var report = watch.Report(result);
            var streamer = new Streamer(config, report);
            await using var scope = streamer.ConfigureAwait(false);
            var events = streamer.Events();
            await using var eventsScope = ((IAsyncDisposable)events).ConfigureAwait(false);
            if (!await watch.StartAsync(result, streamer, report, watched, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Failure;
            }

            var writeJson = result.GetValue(json);
            long count = 0;
            try
            {
                await foreach (var e in ((IAsyncEnumerable<StreamEvent>)events).WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    count++;
                    await output.WriteLineAsync(writeJson ? StreamEventJson.Line(e) : Text(e)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Duration, Ctrl+C or a closed pipe: streaming runs until stopped.
            }

            if (!PolyStreamCli.ReaderGone(result.InvocationConfiguration))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream stream: stopped after {count} event(s).").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>One text line for an event; venue strings in it are cleaned for the terminal.</summary>
    internal static string Text(StreamEvent e) => TerminalText.Clean(Describe(e));

    private static string Describe(StreamEvent e)
    {
        var head = $"{StreamEventJson.TypeName(e.Kind),-20} {(e.AssetId is null ? string.Empty : AssetResolver.Short(e.AssetId)),-12} {e.Epoch}:{e.Seq}";
        return e switch
        {
            BookStateChanged c => $"{head}  {c.OldState} -> {c.NewState} ({c.Reason})",
            HashMismatchDetected m => $"{head}  expected {m.Expected} computed {m.Actual}",
            LastTradeReceived t => $"{head}  {t.Side} {t.Size} @ {t.Price}",
            BookStateEvent { Book.Summary: var b } s => $"{head}  {s.Book.State} {b.BestBid?.Price.ToString() ?? "-"} / {b.BestAsk?.Price.ToString() ?? "-"}",
            Lagged l => $"{head}  lost {l.Count} events (this reader was too slow)",
            _ when VenueEventText.Detail(e) is { } detail => $"{head}  {detail}",
            _ => head,
        };
    }
}
