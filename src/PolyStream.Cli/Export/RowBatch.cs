using PolyStream.Protocol;

namespace PolyStream.Cli.Export;

/// <summary>Rows collected column by column, so a Parquet row group is written straight from its arrays; grows as needed.</summary>
internal sealed class RowBatch
{
    private readonly Array[] _columns;

    public RowBatch(IReadOnlyList<ExportColumn> columns, int capacity)
    {
        Columns = columns;
        Capacity = capacity;
        _columns = [.. columns.Select(c => c.Type switch
        {
            ColumnType.Text => (Array)new string[capacity],
            ColumnType.Int64 => new long[capacity],
            ColumnType.Decimal => new ExactDecimal?[capacity],
            _ => new bool[capacity],
        })];
    }

    public IReadOnlyList<ExportColumn> Columns { get; }

    public int Capacity { get; private set; }

    public int Count { get; private set; }

    /// <summary>Starts a row; its index is where the caller writes every column's value.</summary>
    public int Add()
    {
        if (Count == Capacity)
        {
            Capacity *= 2;
            for (var i = 0; i < _columns.Length; i++)
            {
                var grown = Array.CreateInstance(_columns[i].GetType().GetElementType()!, Capacity);
                Array.Copy(_columns[i], grown, Count);
                _columns[i] = grown;
            }
        }

        return Count++;
    }

    public void Clear() => Count = 0;

    public string[] Text(int column) => (string[])_columns[column];

    public long[] Int64(int column) => (long[])_columns[column];

    public ExactDecimal?[] Decimal(int column) => (ExactDecimal?[])_columns[column];

    public bool[] Boolean(int column) => (bool[])_columns[column];
}
