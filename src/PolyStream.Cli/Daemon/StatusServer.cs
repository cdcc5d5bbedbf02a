using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PolyStream.Events;
using PolyStream.Simulator.Server;
using Prometheus;

namespace PolyStream.Cli.Daemon;

/// <summary>
/// The daemon's HTTP status: <c>/metrics</c> in Prometheus text (prometheus-net, which also exports the
/// streamer's <see cref="System.Diagnostics.Metrics"/> meter) and <c>/health</c> as JSON, per shard and per book.
/// Bound to loopback by default; another address needs <see cref="DaemonSettings.StatusAllowRemote"/> and a
/// bearer token. <c>/health</c> lists books one by one only with <see cref="DaemonSettings.StatusListBooks"/>.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <exception cref="ArgumentException">The host is reachable from other machines without the opt-in and a token.</exception>
    public static async Task<StatusServer> StartAsync(Streamer streamer, Nats.NatsNode? node, DaemonSettings settings, CancellationToken cancellationToken)
    {
        var address = RemoteAccess.Address(settings.StatusHost, settings.StatusAllowRemote, settings.StatusAccessToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, settings.StatusPort));
        var app = builder.Build();
        RemoteAccess.RequireToken(app, settings.StatusAccessToken);
        app.MapMetrics("/metrics");
        var listBooks = settings.StatusListBooks;
        app.MapGet("/health", (HttpContext context) => WriteHealthAsync(context, streamer, node, listBooks));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var server = new StatusServer(app) { Url = new Uri(app.Urls.First()) };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task WriteHealthAsync(HttpContext context, Streamer streamer, Nats.NatsNode? node, bool listBooks)
    {
        var books = streamer.GetAllOrderBooks();
        var shards = streamer.Shards;
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.Body);
        await using var writerScope = writer.ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteString("status", books.Count > 0 && books.All(b => b.IsSynced) ? "ok" : "degraded");
        writer.WriteNumber("books", books.Count);
        writer.WriteNumber("synced", books.Count(b => b.IsSynced));
        writer.WriteStartArray("shards");
        foreach (var shard in shards)
        {
            writer.WriteStartObject();
            writer.WriteNumber("shard", shard.Shard);
            writer.WriteString("state", shard.Connection.State.ToString());
            writer.WriteNumber("assets", shard.Assets);
            writer.WriteNumber("reconnects", shard.Connection.ReconnectCount);
            writer.WriteNumber("frames", shard.Connection.FramesReceived);
            writer.WriteNumber("dropped_frames", shard.DroppedFrames);
            writer.WriteNumber("hash_mismatches", shard.Books.HashMismatches);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (streamer.Config.Universe is not null)
        {
            WriteUniverse(writer, streamer);
        }

        if (listBooks)
        {
            // Off by default: the list names every asset streamed, which says what the operator trades.
            WriteBooks(writer, books);
        }

        if (node is not null)
        {
            WriteScaleOut(writer, node);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteBooks(Utf8JsonWriter writer, IReadOnlyCollection<BookView> books)
    {
        writer.WriteStartArray("book_states");
        foreach (var book in books)
        {
            writer.WriteStartObject();
            writer.WriteString("asset_id", book.AssetId);
            writer.WriteString("state", book.State.ToString());
            writer.WriteNumber("epoch", book.Epoch);
            writer.WriteNumber("seq", book.Seq);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUniverse(Utf8JsonWriter writer, Streamer streamer)
    {
        var (synced, markets) = streamer.UniverseProgress;
        writer.WriteStartObject("universe");
        writer.WriteNumber("discovered", streamer.UniverseMarkets.Count);
        writer.WriteNumber("markets", markets);
        writer.WriteNumber("synced", synced);
        writer.WriteEndObject();
    }

    private static void WriteScaleOut(Utf8JsonWriter writer, Nats.NatsNode node)
    {
        var counts = node.Counts;
        writer.WriteStartObject("nats");
        writer.WriteString("node", node.NodeId);
        writer.WriteString("publisher", node.Publisher);
        writer.WriteStartArray("slots");
        foreach (var slot in node.OwnedSlots)
        {
            writer.WriteNumberValue(slot);
        }

        writer.WriteEndArray();
        writer.WriteNumber("owned_assets", node.OwnedAssets.Count);
        writer.WriteNumber("published", counts.Published);
        writer.WriteNumber("retried", counts.Retried);
        writer.WriteNumber("rebased", counts.Rebased);
        writer.WriteNumber("snapshots_written", counts.SnapshotsWritten);
        writer.WriteNumber("last_acknowledged", counts.LastAcknowledged);
        writer.WriteNumber("refused_ids", counts.RefusedIds);
        writer.WriteEndObject();
    }
}
