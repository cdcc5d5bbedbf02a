
namespace PolyStream.Simulator.Faults;

/// <summary>
/// One-shot faults armed on one connection (or, through <see cref="SimulatorFaults"/>, on every
/// open connection). Each applies to the next matching data frames that connection would receive.
/// </summary>
public sealed class ConnectionFaults
{
    private readonly Lock _gate = new();
    private int _dropDeltas;
    private int _corruptHashes;
    private int _duplicates;
    private int _swaps;

    /// <summary>Whether this connection is silently stalled: open, answering PING, but sent no data.</summary>
    public bool Stalled { get; set; }

    /// <summary>Drops the next <paramref name="count"/> <c>price_change</c> frames (a gap the hash should reveal).</summary>
    public void DropNextDeltas(int count = 1) => Add(ref _dropDeltas, count);

    /// <summary>Corrupts the hash of the next <paramref name="count"/> hash-carrying frames (<c>book</c> or <c>price_change</c>).</summary>
    public void CorruptNextHashes(int count = 1) => Add(ref _corruptHashes, count);

    /// <summary>Sends each of the next <paramref name="count"/> data frames twice.</summary>
    public void DuplicateNextFrames(int count = 1) => Add(ref _duplicates, count);

    /// <summary>Swaps the next two data frames, <paramref name="count"/> times.</summary>
    public void SwapNextFrames(int count = 1) => Add(ref _swaps, count);

    internal bool TakeDropDelta() => Take(ref _dropDeltas);

    internal bool TakeCorruptHash() => Take(ref _corruptHashes);

    internal bool TakeDuplicate() => Take(ref _duplicates);

    internal bool TakeSwap() => Take(ref _swaps);

    private void Add(ref int counter, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            counter += count;
        }
    }

    private bool Take(ref int counter)
    {
        lock (_gate)
        {
            if (counter == 0)
            {
                return false;
            }

            counter--;
            return true;
        }
    }
}
