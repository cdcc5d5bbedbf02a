namespace PolyStream.Streaming;

/// <summary>Which hashes a <see cref="BookEngine"/> checks: <see cref="Verify"/>, <see cref="Sample"/>(n) or <see cref="Off"/>.</summary>
public sealed record HashPolicy
{
    private HashPolicy(HashPolicyMode mode, int every)
    {
        Mode = mode;
        Every = every;
    }

    /// <summary>Checks every snapshot and every <c>price_change</c> message.</summary>
    public static HashPolicy Verify { get; } = new(HashPolicyMode.Verify, 1);

    /// <summary>Checks nothing; books turn <see cref="BookTrustState.Synced"/> on any snapshot.</summary>
    public static HashPolicy Off { get; } = new(HashPolicyMode.Off, 0);

    /// <summary>The mode.</summary>
    public HashPolicyMode Mode { get; }

    /// <summary>Checks one <c>price_change</c> message in this many per asset; 1 under <see cref="Verify"/>, 0 under <see cref="Off"/>.</summary>
    public int Every { get; }

    /// <summary>Checks every snapshot and the n-th, 2n-th, ... <c>price_change</c> message of each asset.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is less than 1.</exception>
    public static HashPolicy Sample(int every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return every == 1 ? Verify : new HashPolicy(HashPolicyMode.Sample, every);
    }

    /// <inheritdoc />
    public override string ToString() => Mode == HashPolicyMode.Sample ? $"Sample({Every})" : Mode.ToString();
}
