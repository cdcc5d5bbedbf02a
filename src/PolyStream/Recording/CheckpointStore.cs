using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Recording;

/// <summary>
/// Saves every book to one JSON file, atomically (a temporary file renamed over the old one), and
/// loads it back at start-up so consumers get immediate state marked <c>Restored</c> until the feed
/// confirms it. Decimals are stored as the venue's strings, so a restored book hashes as before.
/// </summary>
public sealed class CheckpointStore
{
    private const int Version = 1;

    /// <summary>Creates a store for one file.</summary>
    public CheckpointStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = path;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>Writes every book; a crash mid-write leaves the previous checkpoint intact.</summary>
    public void Save(IEnumerable<BookCheckpoint> books)
    {
        ArgumentNullException.ThrowIfNull(books);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        var temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteStartArray("books");
            foreach (var book in books)
            {
                Write(writer, book);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Reads the books back; empty when there is no checkpoint yet.</summary>
    /// <exception cref="InvalidDataException">The file is damaged or from a newer version.</exception>
    public IReadOnlyList<BookCheckpoint> Load()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() > Version)
            {
                throw new InvalidDataException($"{FilePath} is a newer checkpoint format; upgrade PolyStream.");
            }

            return [.. root.GetProperty("books").EnumerateArray().Select(Read)];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{FilePath} is not a valid checkpoint ({ex.Message}); delete it to start without one.", ex);
        }
    }

    private static void Write(Utf8JsonWriter writer, BookCheckpoint book)
    {
        var summary = book.Summary;
        writer.WriteStartObject();
        writer.WriteString("asset_id", summary.AssetId);
        writer.WriteString("market", summary.Market);
        writer.WriteNumber("epoch", book.Epoch);
        writer.WriteNumber("seq", book.Seq);
        writer.WriteString("timestamp", summary.Timestamp?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        writer.WriteString("hash", summary.Hash.ToString());
        writer.WriteString("min_order_size", summary.MinOrderSize.ToString());
        writer.WriteString("tick_size", summary.TickSize.ToString());
        writer.WriteBoolean("neg_risk", summary.NegRisk);
        writer.WriteString("last_trade_price", summary.LastTradePrice?.ToString() ?? string.Empty);
        WriteLevels(writer, "bids", summary.Bids);
        WriteLevels(writer, "asks", summary.Asks);
        writer.WriteEndObject();
    }

    private static void WriteLevels(Utf8JsonWriter writer, string name, ImmutableArray<PriceLevel> levels)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(level.Price.ToString());
            writer.WriteStringValue(level.Size.ToString());
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static BookCheckpoint Read(JsonElement book)
    {
        var timestamp = book.GetProperty("timestamp").GetString()!;
        var hash = book.GetProperty("hash").GetString()!;
        var lastTrade = book.GetProperty("last_trade_price").GetString()!;
        var summary = new BookSummary
        {
            AssetId = book.GetProperty("asset_id").GetString()!,
            Market = book.GetProperty("market").GetString()!,
            Timestamp = timestamp.Length == 0 ? null : long.Parse(timestamp, CultureInfo.InvariantCulture),
            Hash = hash.Length == 0 ? default : BookHash.Parse(hash),
            MinOrderSize = ExactDecimal.Parse(book.GetProperty("min_order_size").GetString()!),
            TickSize = ExactDecimal.Parse(book.GetProperty("tick_size").GetString()!),
            NegRisk = book.GetProperty("neg_risk").GetBoolean(),
            LastTradePrice = lastTrade.Length == 0 ? null : ExactDecimal.Parse(lastTrade),
            Bids = ReadLevels(book.GetProperty("bids")),
            Asks = ReadLevels(book.GetProperty("asks")),
        };
        return new BookCheckpoint(summary, book.GetProperty("epoch").GetInt64(), book.GetProperty("seq").GetInt64());
    }

    private static ImmutableArray<PriceLevel> ReadLevels(JsonElement levels) =>
        [.. levels.EnumerateArray().Select(l => new PriceLevel(ExactDecimal.Parse(l[0].GetString()!), ExactDecimal.Parse(l[1].GetString()!)))];
}
