using System.Globalization;
using System.Text;

namespace PolyStream.Cli.Export;

/// <summary>
/// CSV exactly as Tardis writes it: comma-separated, LF line ends, a header line, decimals as the venue's
/// strings (so prices and sizes stay exact), an empty cell for an absent value. The Parquet-only columns are left out.
/// </summary>
internal sealed class CsvTableWriter : ITableWriter
{
    private readonly StreamWriter _writer;
    private readonly int[] _columns;

    public CsvTableWriter(Stream stream, IReadOnlyList<ExportColumn> columns)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };
        _columns = [.. Enumerable.Range(0, columns.Count).Where(i => !columns[i].ParquetOnly)];
        _writer.WriteLine(string.Join(',', _columns.Select(i => columns[i].Name)));
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        for (var row = 0; row < batch.Count; row++)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                if (i > 0)
                {
                    _writer.Write(',');
                }

                var column = _columns[i];
                switch (batch.Columns[column].Type)
                {
                    case ColumnType.Text:
                        WriteText(batch.Text(column)[row]);
                        break;
                    case ColumnType.Int64:
                        _writer.Write(batch.Int64(column)[row].ToString(CultureInfo.InvariantCulture));
                        break;
                    case ColumnType.Decimal:
                        if (batch.Decimal(column)[row] is { } value)
                        {
                            _writer.Write(value.ToString());
                        }

                        break;
                    default:
                        _writer.Write(batch.Boolean(column)[row] ? "true" : "false");
                        break;
                }
            }

            _writer.Write('\n');
        }

        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void WriteText(string value)
    {
        // Token ids and sides never need quoting; a reason or id with a comma or quote is quoted as RFC 4180 says.
        if (value.AsSpan().IndexOfAny(",\"\n") < 0)
        {
            _writer.Write(value);
            return;
        }

        _writer.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }
}
