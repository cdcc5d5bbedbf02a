using Parquet;
using Parquet.Schema;

namespace PolyStream.Cli.Export;

/// <summary>
/// Parquet through Parquet.Net, one row group per batch: text as UTF-8 strings, timestamps as INT64
/// microseconds, prices and sizes as <c>DECIMAL(38,18)</c> (exact, never binary floating point).
/// </summary>
internal sealed class ParquetTableWriter : ITableWriter
{
    /// <summary>Enough digits for any venue price or size: 20 before the point, 18 after.</summary>
    public const int DecimalPrecision = 38;

    /// <summary>The digits after the point; the venue uses far fewer.</summary>
    public const int DecimalScale = 18;

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
            _decimals[i] = source[i]?.ToDecimal();
        }

        return _decimals.AsMemory(0, batch.Count);
    }
}
