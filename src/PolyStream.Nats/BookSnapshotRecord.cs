using System.Buffers;
using System.Text.Json;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// One book's latest state as kept in the snapshot bucket: the book with its <c>(Epoch, Seq)</c>, its trust
/// state, the node that wrote it, and <see cref="StreamSequence"/>, the stream position of the last event
/// it includes, so a replica knows where to start following the stream without a gap.
/// </summary>
/// <param name="Book">The book and its position.</param>
/// <param name="State">The owner's trust state at that position.</param>
/// <param name="StreamSequence">The stream sequence of the last event folded into <paramref name="Book"/>.</param>
/// <param name="Node">The publisher that wrote it.</param>
internal sealed record BookSnapshotRecord(BookCheckpoint Book, BookTrustState State, ulong StreamSequence, string Node)
{
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", StreamEventJson.Version);
            w.WriteString("state", State.ToString());
            w.WriteNumber("stream_seq", StreamSequence);
            w.WriteString("node", Node);
            w.WritePropertyName("book");
            BookCheckpointJson.Write(w, Book);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record; <see langword="null"/> when it is damaged or from a newer schema (the replica then waits for the stream's next re-base).</summary>
    public static BookSnapshotRecord? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() > StreamEventJson.Version)
            {
                return null;
            }

            return new BookSnapshotRecord(
                BookCheckpointJson.Read(root.GetProperty("book")),
                Enum.Parse<BookTrustState>(root.GetProperty("state").GetString()!),
                root.GetProperty("stream_seq").GetUInt64(),
                root.GetProperty("node").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The record of a book as published up to <paramref name="streamSequence"/>.</summary>
    public static BookSnapshotRecord Of(BookView view, ulong streamSequence, string node) =>
        new(new BookCheckpoint(view.Summary, view.Epoch, view.Seq), view.State, streamSequence, node);

    /// <summary>The hash of the recorded book, as the bus messages carry it.</summary>
    public BookHash ContentHash => Book.Summary.ComputeHash();
}
