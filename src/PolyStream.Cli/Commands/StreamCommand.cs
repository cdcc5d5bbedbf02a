using System.CommandLine;
using PolyStream.Cli.Output;
using PolyStream.Cli.UniverseMode;
using PolyStream.Nats;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream stream</c>: print the live event stream of some tokens, or of every active market, as text or NDJSON.</summary>
internal static class StreamCommand
{
    public static Command Create()
    {
        var watch = new WatchVerb("stream", gatherOption: true);
        var json = new Option<bool>("--json") { Description = "One JSON object per line (NDJSON) with type, asset_id, epoch and seq." };
        var duration = DurationOption.Create("--duration", "Stop after this long; default until Ctrl+C");
        var nats = new Option<string?>("--nats") { Description = "Read the events a scale-out published to this NATS server (nats://host:4222) instead of the venue; --asset filters, all by default." };
        var natsStream = new Option<string>("--nats-stream") { Description = "The JetStream stream to read with --nats.", DefaultValueFactory = _ => new NatsScaleOutOptions().StreamName };
        var natsCredentials = new Option<FileInfo?>("--nats-creds") { Description = "A NATS credentials file for --nats." };
        var fromStart = new Option<bool>("--from-start") { Description = "With --nats: start with the oldest event the stream holds, not the next new one." };
        var command = new Command(
            "stream",
            "Stream live, hash-verified book events for some tokens or every active market, or read them back from a scale-out's NATS stream.\n\n"
            + "Examples:\n"
            + "  polystream stream --market will-it-rain-tomorrow\n"
            + "  polystream stream --all --json\n"
            + "  polystream stream --all --filter text=bitcoin --filter neg-risk=false --filter min-volume=10000\n"
            + "  polystream stream --asset TOKEN_ID --json | jq -c '{type, best_bid, best_ask}'\n"
            + "  polystream stream --host http://127.0.0.1:8081 --market simulated-event-0 --duration 30s\n"
            + "  polystream stream --nats nats://127.0.0.1:4222 --from-start --json\n\n"
            + "Says on stderr what it streams from where, and every failed connection with its URL and next attempt; with --all,\n"
            + "'N/M markets synced' until the universe is synced. Each listing and resolution is a universe_changed event.\n"
            + "exit 1 when the first connection does not succeed within --connect-timeout.")
        {
            json, duration, nats, natsStream, natsCredentials, fromStart,
        };
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        watch.Validate(command, source: nats);
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
            // The changes are in the event stream itself; the watch adds the progress while the universe syncs.
            await using var universe = UniverseWatch.StartIf(config.Universe is not null, streamer, new UniverseConsoleReport(result.InvocationConfiguration.Error, "stream", changes: false)).ConfigureAwait(false);
            if (!await watch.StartAsync(result, streamer, report, watched, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Failure;
            }

            using var ndjson = new NdjsonWriter();
            ILineFormat format = result.GetValue(json) ? ndjson : new EventTextFormat();
            using var buffered = new BufferedOutput(output, TimeProvider.System);
            var printer = new EventPrinter(format, buffered);
            try
            {
                await printer.RunAsync(events, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Duration, Ctrl+C or a closed pipe: streaming runs until stopped.
            }

            if (!PolyStreamCli.ReaderGone(result.InvocationConfiguration))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream stream: stopped after {printer.Count} event(s).").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
