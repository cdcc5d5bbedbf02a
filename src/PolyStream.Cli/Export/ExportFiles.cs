using System.IO.Compression;

namespace PolyStream.Cli.Export;

/// <summary>Opens the table and gaps files an export writes and runs it.</summary>
internal static class ExportFiles
{
    public static async Task<ExportResult> WriteAsync(ExportRequest request, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var columns = ExportSchema.For(request.Kind, request.Depth);
        var directory = Path.GetDirectoryName(Path.GetFullPath(request.Out))!;
        Directory.CreateDirectory(directory);
        var rowsFile = new FileStream(request.Out, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        await using var rowsScope = rowsFile.ConfigureAwait(false);
        var gapsFile = new FileStream(request.GapsPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        await using var gapsScope = gapsFile.ConfigureAwait(false);
        var rows = await OpenAsync(request.Format, Compressed(request, rowsFile), columns, cancellationToken).ConfigureAwait(false);
        await using var rowsWriter = rows.ConfigureAwait(false);
        var gaps = await OpenAsync(request.Format, Compressed(request, gapsFile), ExportSchema.Gaps, cancellationToken).ConfigureAwait(false);
        await using var gapsWriter = gaps.ConfigureAwait(false);
        var exporter = RecordingExporter.Open(request, new RowSink(rows, columns, request.BatchRows), new RowSink(gaps, ExportSchema.Gaps, 4096));
        var result = await exporter.RunAsync(progress, cancellationToken).ConfigureAwait(false);
        await rows.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await gaps.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    // The table writer disposes the gzip stream, which writes the gzip trailer before the file closes.
    private static Stream Compressed(ExportRequest request, FileStream file) =>
        request.Gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;

    private static async Task<ITableWriter> OpenAsync(ExportFormat format, Stream stream, IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken) =>
        format == ExportFormat.Csv
            ? new CsvTableWriter(stream, columns)
            : await ParquetTableWriter.CreateAsync(stream, columns, cancellationToken).ConfigureAwait(false);
}
