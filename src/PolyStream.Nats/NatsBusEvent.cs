using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PolyStream.Nats;

/// <summary>One event as read from the bus: its subject, its place in the stream and its JSON (docs/scale-out.md).</summary>
/// <param name="Subject">The subject, <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>; for an event of a batch, the subject it would have alone.</param>
/// <param name="Sequence">The stream sequence (shared by the events of one batch).</param>
/// <param name="Json">The event as a version 1 message: its fields and its publisher in <c>node</c>; schema version in its <c>v</c> field.</param>
public sealed record NatsBusEvent(string Subject, ulong Sequence, string Json)
{
    /// <summary>The asset the subject names, or <see langword="null"/> for market and user events.</summary>
    public string? AssetId
    {
        get
        {
            var token = Subject[(Subject.LastIndexOf('.') + 1)..];
            return token == BusNames.NoAsset ? null : token;
        }
    }

    /// <summary>
    /// The events of one stream message: a version 2 batch as its events, each with the batch's publisher in
    /// <c>node</c> and under its own subject, so readers of version 1 messages read them unchanged; any other
    /// message as it is, including a batch that is not whole and valid (a reader shows it unreadable, as ever).
    /// </summary>
    internal static IReadOnlyList<NatsBusEvent> Of(string prefix, string subject, ulong sequence, ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("v", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == BusEncoder.BatchVersion)
            {
                return Unbatch(prefix, sequence, root) is { } events ? events : [Raw(subject, sequence, body)];
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            // Passed on as it is, like any message that is not a batch.
        }

        return [Raw(subject, sequence, body)];
    }

    private static NatsBusEvent Raw(string subject, ulong sequence, ReadOnlySpan<byte> body) => new(subject, sequence, Encoding.UTF8.GetString(body));

    /// <summary>The batch's events, or <see langword="null"/> when any of them would not make a safe subject or lacks a type.</summary>
    private static List<NatsBusEvent>? Unbatch(string prefix, ulong sequence, JsonElement root)
    {
        if (!root.TryGetProperty("node", out var node) || node.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array || events.GetArrayLength() == 0)
        {
            return null;
        }

        var result = new List<NatsBusEvent>(events.GetArrayLength());
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var e in events.EnumerateArray())
        {
            // The bus is input: the type and asset become subject tokens, so they are held to the publisher's rules.
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var type) || type.GetString() is not { } name || !BusNames.IsSafeId(name))
            {
                return null;
            }

            var asset = e.TryGetProperty("asset_id", out var assetElement) ? assetElement.GetString() : null;
            if (asset is not null && !BusNames.IsSafeId(asset))
            {
                return null;
            }

            buffer.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                foreach (var field in e.EnumerateObject().Where(f => f.Name != "node"))
                {
                    field.WriteTo(w);
                }

                w.WriteString("node", node.GetString());
                w.WriteEndObject();
            }

            result.Add(new NatsBusEvent(BusNames.Subject(prefix, name, asset), sequence, Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }

        return result;
    }
}
