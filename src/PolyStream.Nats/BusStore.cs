using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>The stream and the two buckets, created when missing with the settings the scale-out relies on.</summary>
internal sealed class BusStore
{
    private readonly NatsScaleOutOptions _options;
    private readonly INatsJSStream _stream;

    private BusStore(NatsScaleOutOptions options, INatsJSContext jetStream, INatsJSStream stream, INatsKVStore snapshots, INatsKVStore leases)
    {
        _options = options;
        JetStream = jetStream;
        _stream = stream;
        Snapshots = snapshots;
        Leases = leases;
    }

    public INatsJSContext JetStream { get; }

    public INatsKVStore Snapshots { get; }

    public INatsKVStore Leases { get; }

    /// <summary>Opens (creating or updating) the stream and buckets; safe for many nodes at once.</summary>
    public static async Task<BusStore> OpenAsync(NatsConnection connection, NatsScaleOutOptions options, CancellationToken cancellationToken)
    {
        var jetStream = new NatsJSContext(connection);
        var stream = await jetStream.CreateOrUpdateStreamAsync(
            new StreamConfig(options.StreamName, [BusNames.AllSubjects(options.SubjectPrefix)])
            {
                Storage = StreamConfigStorage.File,
                MaxAge = options.StreamMaxAge,
                DuplicateWindow = options.DuplicateWindow,
            },
            cancellationToken).ConfigureAwait(false);
        var kv = new NatsKVContext(jetStream);
        var snapshots = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(options.SnapshotBucket) { History = 1, Storage = NatsKVStorageType.File }, cancellationToken).ConfigureAwait(false);
        var leases = await kv.CreateOrUpdateStoreAsync(
            new NatsKVConfig(options.LeaseBucket) { History = 1, Storage = NatsKVStorageType.File, MaxAge = LeaseTiming.For(options.LeasePeriod).Ttl },
            cancellationToken).ConfigureAwait(false);
        return new BusStore(options, jetStream, stream, snapshots, leases);
    }

    /// <summary>
    /// The furthest state of a book anyone published: its KV snapshot, or the last re-base on the stream when
    /// that is further (its owner died before writing the snapshot). A node taking the asset over restores
    /// it from here, so its next snapshot opens an epoch above every epoch already on the stream.
    /// </summary>
    public async Task<BookCheckpoint?> LastPublishedAsync(string assetId, CancellationToken cancellationToken)
    {
        BookCheckpoint? best = null;
        try
        {
            var entry = await Snapshots.GetEntryAsync<byte[]>(assetId, cancellationToken: cancellationToken).ConfigureAwait(false);
            best = entry.Value is { } value ? BookSnapshotRecord.TryParse(value)?.Book : null;
        }
        catch (Exception ex) when (ex is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
        {
            // Never snapshotted (or purged by an operator): maybe on the stream.
        }

        foreach (var name in BusNames.BookCarriers)
        {
            if (await LastBookOnAsync(BusNames.Subject(_options.SubjectPrefix, name, assetId), cancellationToken).ConfigureAwait(false) is { } book
                && (best is null || (book.Epoch, book.Seq).CompareTo((best.Epoch, best.Seq)) > 0))
            {
                best = book;
            }
        }

        return best;
    }

    private async Task<BookCheckpoint?> LastBookOnAsync(string subject, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _stream.GetAsync(new StreamMsgGetRequest { LastBySubj = subject }, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Message.Data);
            var root = document.RootElement;
            // A version 2 message carries a book-bearing event alone; a version 1 message is the event.
            var carrier = root.TryGetProperty("events", out var events) && events.GetArrayLength() == 1 ? events[0] : root;
            return carrier.TryGetProperty("book", out var book) ? BookCheckpointJson.Read(book) : null;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }
    }
}
