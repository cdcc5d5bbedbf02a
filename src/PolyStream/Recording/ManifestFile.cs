using System.Text.Json;

namespace PolyStream.Recording;

/// <summary>
/// Reads, writes and repairs <c>manifest.json</c>. Writing goes to a temporary file that is flushed and
/// renamed over the old one, so a crash leaves the previous manifest whole; at start-up a segment the
/// manifest lacks, or one a crash left open, is rescanned, so the manifest never claims what is not there.
/// </summary>
internal static class ManifestFile
{
    /// <summary>The manifest of a folder, repaired against the segments actually there.</summary>
    public static RecordingManifest LoadAndRepair(string directory)
    {
        var manifest = TryLoad(directory) ?? new RecordingManifest();
        var onDisk = Directory.EnumerateFiles(directory, "*" + RecordingFormat.SegmentExtension)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var known = manifest.Segments.Where(s => s.Closed is not null && onDisk.Contains(s.File)).ToDictionary(s => s.File, StringComparer.Ordinal);
        manifest.Segments = [.. onDisk.Select(file => known.TryGetValue(file!, out var entry) ? entry : Describe(Path.Combine(directory, file!)))];
        return manifest;
    }

    /// <summary>The manifest as last written; <see langword="null"/> when there is none or it cannot be read.</summary>
    public static RecordingManifest? TryLoad(string directory)
    {
        var path = Path.Combine(directory, RecordingFormat.ManifestName);
        try
        {
            var manifest = File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), RecordingJsonContext.Default.RecordingManifest) : null;
            return manifest is { Format: <= 1 } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest atomically; <paramref name="durable"/> also forces it to the disk before the rename.</summary>
    public static void Save(string directory, RecordingManifest manifest, bool durable)
    {
        var path = Path.Combine(directory, RecordingFormat.ManifestName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, manifest, RecordingJsonContext.Default.RecordingManifest);
            stream.Flush(flushToDisk: durable);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Describes a segment by reading it (after a crash, or for a segment the manifest lacks).</summary>
    public static ManifestSegment Describe(string segmentPath)
    {
        var file = new FileInfo(segmentPath);
        var entry = new ManifestSegment { File = file.Name, Bytes = file.Length, Created = file.CreationTimeUtc, Closed = file.LastWriteTimeUtc };
        try
        {
            var reader = RecordingReader.Open(segmentPath);
            var header = reader.ReadHeaders().FirstOrDefault();
            if (header is not null)
            {
                entry.Created = header.Created;
                entry.Tokens = [.. header.Assets];
            }

            foreach (var record in reader.ReadRecords())
            {
                if (RecordingNote.From(record) is { } note)
                {
                    entry.Gaps.Add(Gap(note, record.ReceivedAtMicros));
                    continue;
                }

                entry.FirstMicros ??= record.ReceivedAtMicros;
                entry.LastMicros = record.ReceivedAtMicros;
                entry.Frames++;
            }
        }
        catch (InvalidDataException)
        {
            // Not a segment this version reads: listed by size only, and readers will say why.
        }

        return entry;
    }

    /// <summary>The manifest entry for a note recorded at <paramref name="atMicros"/>.</summary>
    public static ManifestGap Gap(RecordingNote note, long atMicros) =>
        new() { AtMicros = atMicros, Reason = note.Reason, Connection = note.Connection, Assets = [.. note.Assets] };
}
