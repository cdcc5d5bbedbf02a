using System.Collections.Immutable;
using System.CommandLine;
using PolyStream.Cli.UniverseMode;
using PolyStream.Recording;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream record</c>: stream some tokens, or every active market, and record every raw frame into a crash-safe recording.</summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var watch = new WatchVerb("record", gatherOption: false);
        var output = new Option<string>("--out") { Description = "The recording's folder (segments are numbered files inside it).", Required = true };
        var duration = DurationOption.Create("--duration", "Stop after this long; default until Ctrl+C");
        var rotation = RecordingOptions.Create();
        var command = new Command(
            "record",
            "Record the raw market-channel frames of some tokens, or of every active market (--all, with its listings and resolutions),\n"
            + "exactly as received, into compressed, segmented, crash-safe files. Check a recording with 'polystream verify DIR'.\n\n"
            + "Examples:\n"
            + "  polystream record --market will-it-rain-tomorrow --out ~/recordings/rain\n"
            + "  polystream record --all --out ~/recordings/venue --rotate 1h --retain-size 500GiB\n"
            + "  polystream record --asset TOKEN_ID --out rec --duration 1h\n"
            + "  polystream record --market will-it-rain-tomorrow --out rec --rotate 1h --rotate-size 1GiB --retain 168h --retain-size 500GiB")
        {
            output, duration,
        };
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        rotation.AddTo(command);
        watch.Validate(command);
        command.SetAction((result, cancellationToken) => watch.RunAsync(result, probe: true, async (watched, config) =>
        {
            using var stop = DurationOption.StopAfter(result, duration, cancellationToken);
            try
            {
                var hostUri = result.GetRequiredValue(watch.ClobHost);
                var recorder = RecordingWriter.Start(rotation.Apply(result, new RecordingWriterOptions
                {
                    Directory = result.GetRequiredValue(output),
                    Source = hostUri.ToString(),
                    Assets = [.. config.MarketAssets],
                    Labels = watched.ToImmutableDictionary(w => w.AssetId, w => w.Label),
                }));
                await using var recorderScope = recorder.ConfigureAwait(false);
                using var report = watch.Report(result);
                var streamer = new Streamer(config with { Recorder = recorder }, report);
                await using (streamer.ConfigureAwait(false))
                {
                    await using var universe = UniverseWatch.StartIf(config.Universe is not null, streamer, new UniverseConsoleReport(result.InvocationConfiguration.Error, "record", changes: true)).ConfigureAwait(false);
                    if (!await watch.StartAsync(result, streamer, report, watched, cancellationToken).ConfigureAwait(false))
                    {
                        return ExitCodes.Failure;
                    }

                    var what = config.Universe is { } filter ? UniverseFilterOption.Describe(filter) : $"{watched.Count} token(s)";
                    await result.InvocationConfiguration.Output.WriteLineAsync($"recording {what} from {hostUri} into {result.GetRequiredValue(output)}; Ctrl+C to stop").ConfigureAwait(false);
                    // Duration or Ctrl+C, or the recorder stopping by itself (a full disk): stop the stream first, then the recorder writes its last block.
                    await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), recorder.Stopped).ConfigureAwait(false);
                }

                if (recorder.Stopped.IsCompleted)
                {
                    await result.InvocationConfiguration.Error.WriteLineAsync($"polystream record: {await recorder.Stopped.ConfigureAwait(false)} in {result.GetRequiredValue(output)}.").ConfigureAwait(false);
                }

                await recorder.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                var stats = recorder.Stats;
                await result.InvocationConfiguration.Output.WriteLineAsync($"recorded frames={stats.FramesWritten} dropped={stats.FramesDropped} segments={stats.Segments} deleted={stats.SegmentsDeleted} bytes={stats.BytesWritten}").ConfigureAwait(false);
                return stats.FramesDropped == 0 && !recorder.Stopped.IsCompleted ? ExitCodes.Ok : ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream record: cannot write the recording: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }, cancellationToken));
        return command;
    }
}
