using System.Text.Json;

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
                BookCheckpointJson.Write(writer, book);
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

            return [.. root.GetProperty("books").EnumerateArray().Select(BookCheckpointJson.Read)];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{FilePath} is not a valid checkpoint ({ex.Message}); delete it to start without one.", ex);
        }
    }
}
