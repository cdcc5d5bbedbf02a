using System.Text.Json;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream stream --nats</c>: prints the events a scale-out published, read back from the stream.</summary>
internal static class BusStreamPrinter
{
    public static async Task<int> RunAsync(NatsScaleOutOptions options, IReadOnlySet<string> assets, bool fromStart, bool json, TextWriter output, TextWriter error, CancellationToken stop, CancellationToken cancellationToken)
    {
        NatsEventFeed feed;
        try
        {
            feed = await NatsEventFeed.OpenAsync(options, fromStart, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(Redaction.Url($"polystream stream: {ex.Message}")).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (NATS.Client.JetStream.NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            await error.WriteLineAsync($"polystream stream: there is no stream '{options.StreamName}' at {Redaction.Url(options.Url)}. Start a daemon with PolyStream:Nats:Url set (docs/scale-out.md), or name the stream with --nats-stream.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (NATS.Client.Core.NatsException ex)
        {
            await error.WriteLineAsync(Redaction.Url($"polystream stream: cannot reach NATS at {options.Url}: {ex.Message}. {NatsHint.ServerNotRunning}")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using var feedScope = feed.ConfigureAwait(false);
        try
        {
            await foreach (var e in feed.ReadAllAsync(stop).ConfigureAwait(false))
            {
                if (assets.Count == 0 || (e.AssetId is { } asset && assets.Contains(asset)))
                {
                    await output.WriteLineAsync(TerminalText.Clean(json ? e.Json : Text(e))).ConfigureAwait(false); // The bus is input too.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Duration or Ctrl+C.
        }

        return ExitCodes.Ok;
    }

    /// <summary>One line per event, like the local stream's, with the stream sequence and the publishing node.</summary>
    private static string Text(NatsBusEvent e)
    {
        try
        {
            using var document = JsonDocument.Parse(e.Json);
            var root = document.RootElement;
            string Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null ? value.ToString() : "-";
            var asset = e.AssetId is null ? string.Empty : AssetResolver.Short(e.AssetId);
            var head = $"#{e.Sequence,-8} {Field("type"),-20} {asset,-12} {Field("epoch")}:{Field("seq")}";
            if (root.TryGetProperty("state", out _))
            {
                return $"{head}  {Field("state")} {Field("best_bid")} / {Field("best_ask")}  [{Field("node")}]";
            }

            return VenueEventText.Detail(root) is { } detail ? $"{head}  {detail}  [{Field("node")}]" : $"{head}  [{Field("node")}]";
        }
        catch (JsonException)
        {
            return $"#{e.Sequence,-8} {e.Subject}  (unreadable: {e.Json.Length} bytes)";
        }
    }
}
