namespace PolyStream.Cli.Export;

/// <summary>Writes batches of rows of one table to a file.</summary>
internal interface ITableWriter : IAsyncDisposable
{
    /// <summary>Writes every row of the batch.</summary>
    public ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken);

    /// <summary>Finishes the file (the Parquet footer); nothing can be written after.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken);
}
