using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// The names PolyStream uses on NATS: event subjects, <c>Nats-Msg-Id</c> values, KV keys and the slot
/// an asset hashes to. Every node and replica must derive them the same way, so they live in one place.
/// </summary>
internal static class BusNames
{
    /// <summary>The subject token standing in for "no asset" (market and user events).</summary>
    public const string NoAsset = "_";

    /// <summary>The subject token of a re-base the sink publishes itself; it carries the whole book like a snapshot.</summary>
    public const string Rebase = "book_rebase";

    /// <summary>A venue or REST snapshot re-based the book.</summary>
    public const string Snapshot = "book_snapshot";

    /// <summary>A new tick size re-based the book (empty until the next snapshot).</summary>
    public const string TickSizeChange = "tick_size_change";

    /// <summary>A delta applied to the book.</summary>
    public const string Delta = "book_delta";

    /// <summary>The subject token of a slot's batches (schema version 2): <c>&lt;prefix&gt;.batch.NNNN</c>.</summary>
    public const string Batch = "batch";

    /// <summary>The events that carry a whole book: a replica bases on them, a node taking an asset over restores from the last one.</summary>
    public static IReadOnlyList<string> BookCarriers { get; } = [Snapshot, TickSizeChange, Rebase];

    /// <summary><c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>.</summary>
    public static string Subject(string prefix, string eventName, string? assetId) => $"{prefix}.{eventName}.{assetId ?? NoAsset}";

    /// <summary><c>&lt;prefix&gt;.batch.NNNN</c>: the batches of one slot's assets, so one lease covers each batch.</summary>
    public static string BatchSubject(string prefix, int slot) => string.Create(CultureInfo.InvariantCulture, $"{prefix}.{Batch}.{slot:D4}");

    /// <summary>
    /// The de-duplication id of a batch: its first event's id, the number of events and a 64-bit hash of all
    /// their ids in order (<c>first+count:hash</c>); a batch of one is named by its event's id alone. A batch
    /// published again holds the same events, so it gets the same id and is stored once.
    /// </summary>
    public static string BatchId(string firstId, int count, ulong idsHash) =>
        count == 1 ? firstId : string.Create(CultureInfo.InvariantCulture, $"{firstId}+{count}:{idsHash:x16}");

    /// <summary>Every subject under the prefix, for the stream and for consumers of everything.</summary>
    public static string AllSubjects(string prefix) => prefix + ".>";

    /// <summary>
    /// Writes the de-duplication id as UTF-8 into <paramref name="destination"/> (at least
    /// <see cref="MaxMessageIdLength"/> bytes) and returns its length. A book re-base or delta is
    /// <c>asset:epoch:seq</c>, unique across nodes because epochs only grow (a node taking an asset over starts
    /// above the last published epoch). Any other event shares its <c>(epoch, seq)</c> with the book change
    /// before it, so it adds its name, the publisher and a counter: de-duplication only has to catch one
    /// publisher's retries. Bytes, not a string: the sink hashes every event's id into its batch's id.
    /// </summary>
    public static int WriteMessageId(Span<byte> destination, string? assetId, long epoch, long seq, string eventName, string publisher, long ordinal)
    {
        var fits = IsBookChange(eventName)
            ? Utf8.TryWrite(destination, CultureInfo.InvariantCulture, $"{assetId}:{epoch}:{seq}", out var written)
            : Utf8.TryWrite(destination, CultureInfo.InvariantCulture, $"{assetId ?? NoAsset}:{epoch}:{seq}:{eventName}:{publisher}:{ordinal}", out written);
        return fits ? written : throw new ArgumentException($"A message id is longer than {MaxMessageIdLength} bytes.", nameof(destination));
    }

    /// <summary>
    /// The longest id <see cref="WriteMessageId"/> writes: an asset id and a publisher of the longest safe ids,
    /// an event name, and three 20-digit numbers with their separators.
    /// </summary>
    public const int MaxMessageIdLength = 512;

    /// <summary>
    /// The de-duplication id of an event the venue sends once however many nodes relay it, or
    /// <see langword="null"/> for the others. Every node receives <c>new_market</c>, those carrying either token of a
    /// market receive its <c>market_resolved</c>, and a hand-over can leave two nodes relaying a user event
    /// for a moment: an id made of the venue's own keys lets the stream keep one of them.
    /// </summary>
    public static string? VenueEventId(StreamEvent streamEvent) => streamEvent switch
    {
        MarketCreated market => $"{NoAsset}:new_market:{market.Market}",
        MarketResolved resolution => $"{NoAsset}:market_resolved:{resolution.Market}",
        UserOrderReceived order => string.Create(CultureInfo.InvariantCulture, $"{order.AssetId}:user_order:{order.Id}:{order.Type}:{order.SizeMatched}:{order.Timestamp}"),
        UserTradeReceived trade => string.Create(CultureInfo.InvariantCulture, $"{trade.AssetId}:user_trade:{trade.Id}:{trade.Status}:{trade.Timestamp}"),
        _ => null,
    };

    /// <summary>Whether the event re-bases or changes a book's levels, the events a replica cannot miss.</summary>
    public static bool IsBookChange(string eventName) =>
        eventName is Snapshot or Delta or TickSizeChange;

    /// <summary>
    /// Whether the event kind is published at all: subscriber-local events (lag, disconnect), dropped frames and
    /// a node's own universe changes (what one node carries; the bus has the listings and resolutions) are not.
    /// </summary>
    public static bool IsPublished(StreamEventKind kind) =>
        kind is not (StreamEventKind.Lagged or StreamEventKind.Disconnected or StreamEventKind.ParseFailure or StreamEventKind.UniverseChanged);

    /// <summary>The KV key of a slot's lease.</summary>
    public static string SlotKey(int slot) => string.Create(CultureInfo.InvariantCulture, $"slot.{slot:D4}");

    /// <summary>A lease's <c>by</c> when slots hash asset ids: the fixed list's split.</summary>
    public const string SlotsByAsset = "asset";

    /// <summary>A lease's <c>by</c> when slots hash markets' condition ids: universe mode's split, a market's tokens on one node.</summary>
    public const string SlotsByMarket = "market";

    /// <summary>The KV key of a node's presence.</summary>
    public static string NodeKey(string nodeId) => "node." + nodeId;

    /// <summary>The slot an asset belongs to: FNV-1a of its id, so every node agrees without talking.</summary>
    public static int SlotOf(string assetId, int slots)
    {
        var hash = 2166136261u;
        foreach (var c in assetId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)slots);
    }

    /// <summary>Whether a node id is usable in a KV key and a subject.</summary>
    public static bool IsValidNodeId(string nodeId) => IsSafeId(nodeId, 64);

    /// <summary>
    /// Whether an id from the feed (asset, market, order, trade, their type or status) may go into a subject,
    /// a KV key or a <c>Nats-Msg-Id</c>: 1–<see cref="MaxIdLength"/> ASCII letters, digits, <c>-</c> or <c>_</c>.
    /// JSON escapes let a frame carry CR/LF, spaces, <c>.</c>, <c>*</c> and <c>&gt;</c>, each of which would
    /// write NATS protocol, add a subject token or turn a key into a wildcard.
    /// </summary>
    public static bool IsSafeId(string id, int maxLength = MaxIdLength) =>
        id.Length > 0 && id.Length <= maxLength && !id.AsSpan().ContainsAnyExcept(s_safeIdChars);

    // Checked for every event the sink publishes: a vectorised search, and no enumerator per call.
    private static readonly SearchValues<char> s_safeIdChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The longest id <see cref="IsSafeId"/> accepts; the venue's longest (a token id) is 78 digits.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The first field of the event that would reach a subject, key or message id and is not a safe id, or <see langword="null"/>.</summary>
    public static string? UnsafeField(StreamEvent streamEvent)
    {
        if (streamEvent.AssetId is { } asset && !IsSafeId(asset))
        {
            return "asset_id";
        }

        return streamEvent switch
        {
            MarketCreated { Market: var market } when !IsSafeId(market) => "market",
            MarketResolved { Market: var market } when !IsSafeId(market) => "market",
            UserOrderReceived { Id: var id } when !IsSafeId(id) => "order_id",
            UserOrderReceived { Type: { Length: > 0 } type } when !IsSafeId(type) => "order_event", // empty is harmless in an id
            UserTradeReceived { Id: var id } when !IsSafeId(id) => "trade_id",
            UserTradeReceived { Status: { Length: > 0 } status } when !IsSafeId(status) => "status",
            _ => null,
        };
    }
}
