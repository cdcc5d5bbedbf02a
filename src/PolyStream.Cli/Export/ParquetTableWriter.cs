using Parquet;
using Parquet.Schema;

namespace PolyStream.Cli.Export;

/// <summary>
/// Parquet through Parquet.Net, one row group per batch: text as UTF-8 strings, timestamps as INT64
/// microseconds, prices and sizes as <c>DECIMAL(18,6)</c>: exact, never binary floating point, stored as
/// 64-bit integers (compact and fast to read), and products such as price × amount still fit DuckDB's decimals.
/// </summary>
internal sealed class ParquetTableWriter : ITableWriter
{
    /// <summary>Twelve digits before the point, six after.</summary>
    public const int DecimalPrecision = 18;

    /// <summary>The venue's sizes have at most six decimals (its tokens' units), its prices at most four.</summary>
    public const int DecimalScale = 6;

    private static readonly decimal s_limit = 1_000_000_000_000m;

    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private decimal?[] _decimals = [];
    private string[] _texts = [];

    private ParquetTableWriter(ParquetWriter writer, DataField[] fields)
    {
        _writer = writer;
        _fields = fields;
    }

    public static async Task<ParquetTableWriter> CreateAsync(Stream stream, IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        DataField[] fields = [.. columns.Select(c => c.Type switch
        {
            ColumnType.Text => new DataField<string>(c.Name),
            ColumnType.Int64 => new DataField<long>(c.Name),
            ColumnType.Decimal => new DecimalDataField(c.Name, DecimalPrecision, DecimalScale, forceByteArrayEncoding: false, isNullable: true),
            _ => (DataField)new DataField<bool>(c.Name),
        })];
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ParquetTableWriter(writer, fields);
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        for (var column = 0; column < _fields.Length; column++)
        {
            var field = _fields[column];
            switch (batch.Columns[column].Type)
            {
                case ColumnType.Text:
                    if (_texts.Length != batch.Count)
                    {
                        _texts = new string[batch.Count];
                    }

                    Array.Copy(batch.Text(column), _texts, batch.Count);
                    await group.WriteAsync(field, _texts).ConfigureAwait(false);
                    break;
                case ColumnType.Int64:
                    await group.WriteAsync<long>(field, batch.Int64(column).AsMemory(0, batch.Count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case ColumnType.Decimal:
                    await group.WriteAsync<decimal>(field, Decimals(batch, column), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await group.WriteAsync<bool>(field, batch.Boolean(column).AsMemory(0, batch.Count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        group.CompleteValidate();
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private ReadOnlyMemory<decimal?> Decimals(RowBatch batch, int column)
    {
        if (_decimals.Length < batch.Count)
        {
            _decimals = new decimal?[batch.Capacity];
        }

        var source = batch.Decimal(column);
        for (var i = 0; i < batch.Count; i++)
        {
            if (source[i] is { } value && (value.Scale > DecimalScale || value.ToDecimal() >= s_limit))
            {
                // Never round: a value the column cannot hold exactly stops the export, and CSV keeps the venue's text.
                throw new InvalidDataException($"{value} does not fit DECIMAL({DecimalPrecision},{DecimalScale}) exactly; export this recording as CSV, which keeps the venue's strings.");
            }

            _decimals[i] = source[i]?.ToDecimal();
        }

        return _decimals.AsMemory(0, batch.Count);
    }
}
