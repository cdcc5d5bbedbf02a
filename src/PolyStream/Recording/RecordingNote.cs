using System.Collections.Immutable;
using System.Text.Json;

namespace PolyStream.Recording;

/// <summary>
/// A gap written into a recording by PolyStream itself (a dropped connection, a restart, frames the
/// recorder had to drop): stored as a record on <see cref="RecordingFormat.NoteConnection"/>, so it sits in
/// order among the frames, and readers that replay books know to distrust the books it names.
/// </summary>
/// <param name="Reason">Why there is a gap: <c>disconnected</c>, <c>restart</c> or <c>recorder_dropped</c>.</param>
/// <param name="Connection">The connection that lost data; <see cref="RecordingFormat.NoteConnection"/> when not one connection's.</param>
/// <param name="Assets">The tokens whose data may be missing; empty means every token.</param>
internal sealed record RecordingNote(string Reason, ushort Connection, ImmutableArray<string> Assets)
{
    /// <summary>A dropped connection.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>A recorder started on a folder that already held segments: whatever happened in between is unknown.</summary>
    public const string Restart = "restart";

    /// <summary>The recorder dropped frames (its write queue was full).</summary>
    public const string RecorderDropped = "recorder_dropped";

    private const string EventType = "polystream_gap";

    /// <summary>The note as the bytes of its record.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event_type", EventType);
            writer.WriteString("reason", Reason);
            writer.WriteNumber("connection", Connection);
            writer.WriteStartArray("assets");
            foreach (var asset in Assets)
            {
                writer.WriteStringValue(asset);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a note record; <see langword="null"/> for a venue frame or a note this version does not understand.</summary>
    public static RecordingNote? From(RecordedFrame record)
    {
        if (record.ConnectionId != RecordingFormat.NoteConnection)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(record.Bytes);
            var root = document.RootElement;
            return root.GetProperty("event_type").GetString() != EventType
                ? null
                : new RecordingNote(
                    root.GetProperty("reason").GetString() ?? string.Empty,
                    root.GetProperty("connection").GetUInt16(),
                    [.. root.GetProperty("assets").EnumerateArray().Select(a => a.GetString() ?? string.Empty)]);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
