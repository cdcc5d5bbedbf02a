using System.Collections.Immutable;
using System.Text.Json;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// One event of a bus message, read and checked, ready to be applied to its replica book. A message is read
/// whole before any of it is applied, so a batch with one unreadable event changes nothing.
/// </summary>
/// <param name="AssetId">The book.</param>
/// <param name="Epoch">The book's epoch after the event.</param>
/// <param name="Seq">The book's seq after the event.</param>
internal abstract record BusUpdate(string AssetId, long Epoch, long Seq)
{
    /// <summary>Applies the event to its book and says what it did.</summary>
    public abstract ReplicaStep ApplyTo(ReplicaBook book);

    /// <summary>
    /// The book events of a version 1 message (one event, <c>node</c> in it) or a version 2 batch
    /// (<c>{"v":2,"node":…,"events":[…]}</c>) about the books <paramref name="follows"/> accepts; none for a
    /// newer version, which this reader skips.
    /// </summary>
    /// <exception cref="JsonException">Any part of the message is unreadable or lacks what a replica needs (also <see cref="KeyNotFoundException"/>, <see cref="FormatException"/>, <see cref="InvalidOperationException"/>, <see cref="ArgumentException"/>).</exception>
    public static List<BusUpdate> Read(ReadOnlySpan<byte> json, Func<string, bool> follows)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var updates = new List<BusUpdate>();
        switch (root.GetProperty("v").GetInt32())
        {
            case > BusEncoder.BatchVersion:
                break; // A newer schema: skipped, as consumers are told to.
            case BusEncoder.BatchVersion:
                var node = root.GetProperty("node").GetString() ?? throw new JsonException("the batch names no node");
                var events = root.GetProperty("events");
                if (events.GetArrayLength() == 0)
                {
                    throw new JsonException("a batch without events");
                }

                foreach (var e in events.EnumerateArray())
                {
                    AddEvent(updates, e, node, follows);
                }

                break;
            default:
                AddEvent(updates, root, root.TryGetProperty("node", out var publisher) ? publisher.GetString() : null, follows);
                break;
        }

        return updates;
    }

    private static void AddEvent(List<BusUpdate> updates, JsonElement e, string? node, Func<string, bool> follows)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"an event that is a {e.ValueKind}, not an object");
        }

        if (!e.TryGetProperty("asset_id", out var assetElement) || assetElement.GetString() is not { } asset || !follows(asset))
        {
            return; // Market and user events, and books this replica does not follow.
        }

        var epoch = e.GetProperty("epoch").GetInt64();
        var seq = e.GetProperty("seq").GetInt64();
        BusUpdate? update = e.GetProperty("type").GetString() switch
        {
            BusNames.Snapshot or BusNames.TickSizeChange or BusNames.Rebase =>
                new Base(asset, epoch, seq, BookCheckpointJson.Read(e.GetProperty("book")), ReadState(e), node ?? throw new JsonException("a book base without a node"), ReadContentHash(e)),
            BusNames.Delta => new Delta(
                asset,
                epoch,
                seq,
                e.GetProperty("market").GetString()!,
                e.GetProperty("timestamp") is { ValueKind: JsonValueKind.Null } ? null : e.GetProperty("timestamp").GetInt64(),
                ReadHash(e.GetProperty("hash")),
                [.. e.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("side").GetString() == "BUY" ? Side.Buy : Side.Sell, ExactDecimal.Parse(c.GetProperty("price").GetString()!), ExactDecimal.Parse(c.GetProperty("size").GetString()!)))],
                ReadState(e),
                ReadContentHash(e)),
            "last_trade" => new Trade(asset, epoch, seq, e.GetProperty("last_trade_price").GetString() is { } price ? ExactDecimal.Parse(price) : null, ReadState(e), ReadContentHash(e)),
            "book_state_changed" => new StateChange(asset, epoch, seq, Enum.Parse<BookTrustState>(e.GetProperty("to").GetString()!)),
            _ => null, // Quotes, mismatches, resync requests: nothing a book is built from.
        };
        if (update is not null)
        {
            updates.Add(update);
        }
    }

    private static BookTrustState ReadState(JsonElement e) => Enum.Parse<BookTrustState>(e.GetProperty("state").GetString()!);

    private static BookHash ReadContentHash(JsonElement e) =>
        e.TryGetProperty("content_hash", out var hash) ? ReadHash(hash) : default;

    private static BookHash ReadHash(JsonElement hash) =>
        hash.GetString() is { Length: > 0 } text ? BookHash.Parse(text) : default;

    /// <summary>A snapshot, tick size change or re-base: the whole book.</summary>
    private sealed record Base(string AssetId, long Epoch, long Seq, BookCheckpoint Book, BookTrustState State, string Node, BookHash ContentHash) : BusUpdate(AssetId, Epoch, Seq)
    {
        public override ReplicaStep ApplyTo(ReplicaBook book) => book.Base(Book, State, Node, ContentHash) ? ReplicaStep.Applied : ReplicaStep.Skipped;
    }

    /// <summary>A delta and the book's position, state and content hash after it.</summary>
    private sealed record Delta(string AssetId, long Epoch, long Seq, string Market, long? Timestamp, BookHash VenueHash, ImmutableArray<(Side Side, ExactDecimal Price, ExactDecimal Size)> Changes, BookTrustState State, BookHash ContentHash) : BusUpdate(AssetId, Epoch, Seq)
    {
        public override ReplicaStep ApplyTo(ReplicaBook book) => book.ApplyDelta(Epoch, Seq, Market, Timestamp, VenueHash, Changes, State, ContentHash);
    }

    /// <summary>A trade: the book's last trade price after it.</summary>
    private sealed record Trade(string AssetId, long Epoch, long Seq, ExactDecimal? LastTradePrice, BookTrustState State, BookHash ContentHash) : BusUpdate(AssetId, Epoch, Seq)
    {
        public override ReplicaStep ApplyTo(ReplicaBook book) => book.ApplyTrade(Epoch, Seq, LastTradePrice, State, ContentHash);
    }

    /// <summary>The publisher's new trust state for the book.</summary>
    private sealed record StateChange(string AssetId, long Epoch, long Seq, BookTrustState To) : BusUpdate(AssetId, Epoch, Seq)
    {
        public override ReplicaStep ApplyTo(ReplicaBook book)
        {
            book.SetState(Epoch, To);
            return ReplicaStep.Applied;
        }
    }
}
