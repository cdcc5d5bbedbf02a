namespace PolyStream.Cli.Export;

/// <summary>Fills the rows of one table and hands them to its file in batches; counts what it wrote.</summary>
internal sealed class RowSink(ITableWriter writer, IReadOnlyList<ExportColumn> columns, int batchRows)
{
    private readonly RowBatch _batch = new(columns, batchRows);
    private readonly int _trailing = ExportSchema.Trailing(columns);

    public RowBatch Batch => _batch;

    /// <summary>Rows handed to the file so far.</summary>
    public long Written { get; private set; }

    /// <summary>Starts a row with the columns every table shares; the caller fills the rest at the returned index.</summary>
    public int Begin(ExportedAsset asset, long timestampMicros, long localMicros, long epoch, long seq, bool hashVerified)
    {
        var row = _batch.Add();
        _batch.Text(ExportSchema.Exchange)[row] = ExportSchema.Venue;
        _batch.Text(ExportSchema.Symbol)[row] = asset.AssetId;
        _batch.Int64(ExportSchema.Timestamp)[row] = timestampMicros;
        _batch.Int64(ExportSchema.LocalTimestamp)[row] = localMicros;
        _batch.Text(_trailing)[row] = asset.Market;
        _batch.Text(_trailing + 1)[row] = asset.Outcome;
        _batch.Int64(_trailing + 2)[row] = epoch;
        _batch.Int64(_trailing + 3)[row] = seq;
        _batch.Boolean(_trailing + 4)[row] = hashVerified;
        return row;
    }

    /// <summary>Writes the batch once it holds a batch's worth (or always, when <paramref name="force"/>).</summary>
    public async ValueTask FlushAsync(bool force, CancellationToken cancellationToken)
    {
        if (_batch.Count == 0 || (!force && _batch.Count < batchRows))
        {
            return;
        }

        await writer.WriteAsync(_batch, cancellationToken).ConfigureAwait(false);
        Written += _batch.Count;
        _batch.Clear();
    }
}
