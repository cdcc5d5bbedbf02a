using System.Buffers;
using System.Text.Json;
using PolyStream.Auth;

namespace PolyStream.Connections;

/// <summary>Builds the subscribe and unsubscribe frames of both channels, chunked to a maximum number of ids per frame.</summary>
internal static class SubscriptionFrames
{
    /// <summary>The frames that subscribe a fresh socket: the initial form first, then <c>operation</c> frames for the remaining chunks.</summary>
    public static List<byte[]> Initial(WsChannel channel, IReadOnlyList<string> ids, int maxPerFrame, bool customFeatures, ApiCredentials? credentials)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerFrame);
        var frames = new List<byte[]>((ids.Count / maxPerFrame) + 1);
        var first = Math.Min(ids.Count, maxPerFrame);
        frames.Add(Write(channel, operation: null, Slice(ids, 0, first), customFeatures, credentials));
        for (var offset = first; offset < ids.Count; offset += maxPerFrame)
        {
            frames.Add(Write(channel, "subscribe", Slice(ids, offset, Math.Min(maxPerFrame, ids.Count - offset)), customFeatures, credentials: null));
        }

        return frames;
    }

    /// <summary>The <c>operation</c> frames (<c>subscribe</c> or <c>unsubscribe</c>) for a change on a subscribed socket; none when <paramref name="ids"/> is empty.</summary>
    public static List<byte[]> Update(WsChannel channel, bool subscribe, IReadOnlyList<string> ids, int maxPerFrame, bool customFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerFrame);
        var frames = new List<byte[]>((ids.Count / maxPerFrame) + 1);
        for (var offset = 0; offset < ids.Count; offset += maxPerFrame)
        {
            frames.Add(Write(channel, subscribe ? "subscribe" : "unsubscribe", Slice(ids, offset, Math.Min(maxPerFrame, ids.Count - offset)), customFeatures && subscribe, credentials: null));
        }

        return frames;
    }

    private static ArraySegment<string> Slice(IReadOnlyList<string> ids, int offset, int count)
    {
        var slice = new string[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = ids[offset + i];
        }

        return slice;
    }

    private static byte[] Write(WsChannel channel, string? operation, ArraySegment<string> ids, bool customFeatures, ApiCredentials? credentials)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (ids.Count * 80));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (channel == WsChannel.User)
            {
                if (operation is null)
                {
                    // Field order as the venue documents it: auth, type, markets.
                    writer.WriteStartObject("auth"u8);
                    writer.WriteString("apiKey"u8, credentials?.ApiKey ?? string.Empty);
                    writer.WriteString("secret"u8, credentials?.Secret ?? string.Empty);
                    writer.WriteString("passphrase"u8, credentials?.Passphrase ?? string.Empty);
                    writer.WriteEndObject();
                    writer.WriteString("type"u8, "user"u8);
                }
                else
                {
                    writer.WriteString("operation"u8, operation);
                }

                WriteIds(writer, "markets"u8, ids);
            }
            else
            {
                if (operation is null)
                {
                    writer.WriteString("type"u8, "market"u8);
                }
                else
                {
                    writer.WriteString("operation"u8, operation);
                }

                WriteIds(writer, "assets_ids"u8, ids);
                if (operation is not "unsubscribe")
                {
                    writer.WriteBoolean("initial_dump"u8, true);
                    writer.WriteBoolean("custom_feature_enabled"u8, customFeatures);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIds(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ArraySegment<string> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }
}
