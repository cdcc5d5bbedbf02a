using System.CommandLine;
using System.Globalization;
using PolyStream.Bus;
using PolyStream.Events;
using PolyStream.Recording;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream replay PATH</c>: run a recording through the live book engine, paced or as fast as possible.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A recording folder or one .psrec segment." };
        // Without a default value: help would print max as "Infinity"; not given means max (1 when serving).
        var speed = new Option<double?>("--speed")
        {
            Description = "1 = original pace, 10 = ten times faster, max = as fast as possible (the default; 1 with --serve).",
            CustomParser = r => NumberOrMax.Parse(r, zeroAllowed: false, unit: string.Empty),
        };
        var json = new Option<bool>("--json") { Description = "Print every event as NDJSON (type, asset_id, epoch, seq, …)." };
        var serve = WholeNumberOption.Optional("--serve", "Instead of replaying here, serve the recording on this port (ws://127.0.0.1:PORT/ws/market; 0 picks one) to any client, at --speed (default 1 when serving).", 0, 65_535);
        var command = new Command(
            "replay",
            "Replay a recording through the same book engine that runs live: books, hashes, trust states and events.\n"
            + "Ends with 'frames=N events=N books=N synced=N hashes_checked=N mismatched=N frames_per_s=N' (on stderr with --json, so stdout stays NDJSON);\n"
            + "exit 1 when a hash mismatched, 2 when PATH holds no recorded frame.\n\n"
            + "Examples:\n"
            + "  polystream replay ~/recordings/rain\n"
            + "  polystream replay rec --speed 10 --json | jq 'select(.type==\"book_state_changed\")'\n"
            + "  polystream replay rec --serve 8090 --speed 1")
        {
            path, speed, json, serve,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(serve) is { } port)
            {
                return await ServeAsync(result.GetRequiredValue(path), port, result.GetValue(speed) ?? 1, result.InvocationConfiguration, cancellationToken).ConfigureAwait(false);
            }

            Replayer replayer;
            try
            {
                replayer = new Replayer(result.GetRequiredValue(path), new ReplayOptions { Speed = result.GetValue(speed) ?? double.PositiveInfinity });
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream replay: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            await using var replayerScope = replayer.ConfigureAwait(false);

            // A blocking subscriber: the replay waits for it instead of dropping events.
            var events = replayer.Subscribe(new SubscriberOptions { Capacity = 65_536, Overflow = OverflowPolicy.Block, Name = "replay" });
            var printJson = result.GetValue(json);
            long count = 0;
            var reader = Task.Run(
                async () =>
                {
                    await foreach (var e in ((IAsyncEnumerable<StreamEvent>)events).ConfigureAwait(false))
                    {
                        count++;
                        if (printJson)
                        {
                            await output.WriteLineAsync(StreamEventJson.Line(e)).ConfigureAwait(false);
                        }
                    }
                },
                CancellationToken.None);
            var replay = await replayer.RunAsync(cancellationToken).ConfigureAwait(false);
            await reader.ConfigureAwait(false);

            var books = replayer.GetAllOrderBooks();
            foreach (var torn in replay.Report.TornSegments)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"note: {torn}").ConfigureAwait(false);
            }

            if (replay.MetadataAssumed)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("note: the recording stores no REST books: every book was hashed with min_order_size 5 and neg_risk false, so books of other markets mismatch.").ConfigureAwait(false);
            }

            if (replay.RestBooksRejected > 0)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"note: {replay.RestBooksRejected} stored REST book(s) were unreadable and skipped.").ConfigureAwait(false);
            }

            var summary = printJson ? result.InvocationConfiguration.Error : output;
            await summary.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"frames={replay.Frames} events={count} books={books.Count} synced={books.Count(b => b.IsSynced)} hashes_checked={replay.HashesChecked} mismatched={replay.HashMismatches} frames_per_s={replay.FramesPerSecond:F0}")).ConfigureAwait(false);
            if (replay.Frames == 0)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream replay: '{result.GetRequiredValue(path)}' holds no recorded frame.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return replay.HashMismatches == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<int> ServeAsync(string path, int port, double speed, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        try
        {
            // The recording's problems are the user's (exit 2); the port's are the machine's (exit 1, as in sim).
            RecordingReader.Open(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await configuration.Error.WriteLineAsync($"polystream replay: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var server = new Simulator.RecordingServer(new Simulator.RecordingServerOptions { Recording = path, Port = port, Speed = speed });
        await using var scope = server.ConfigureAwait(false);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            await configuration.Error.WriteLineAsync($"polystream replay: cannot listen on port {port}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await configuration.Output.WriteLineAsync($"Serving {path} at {server.MarketWebSocketUrl} (speed {speed}); Ctrl+C to stop.").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: serving runs until stopped.
        }

        await configuration.Error.WriteLineAsync("polystream replay: stopped serving.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
