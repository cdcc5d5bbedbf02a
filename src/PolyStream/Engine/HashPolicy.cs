using PolyStream.Events;

namespace PolyStream.Engine;

/// <summary>Which of the venue's book hashes are checked: <see cref="Verify"/>, <see cref="Sample"/>(n) or <see cref="Off"/>.</summary>
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
    internal HashPolicyMode Mode { get; }

    /// <summary>Checks one <c>price_change</c> message in this many per asset; 1 under <see cref="Verify"/>, 0 under <see cref="Off"/>.</summary>
    public int Every { get; }

    /// <summary>Checks every snapshot and the n-th, 2n-th, ... <c>price_change</c> message of each asset.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is less than 1.</exception>
    public static HashPolicy Sample(int every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return every == 1 ? Verify : new HashPolicy(HashPolicyMode.Sample, every);
    }

    /// <summary>Reads <c>Verify</c>, <c>Off</c> or <c>Sample:N</c> (any case), as configuration files and command lines write it.</summary>
    /// <exception cref="FormatException">The text is none of those; the message lists them.</exception>
    public static HashPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals(nameof(Verify), StringComparison.OrdinalIgnoreCase))
        {
            return Verify;
        }

        if (trimmed.Equals(nameof(Off), StringComparison.OrdinalIgnoreCase))
        {
            return Off;
        }

        const string prefix = "Sample:";
        if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(trimmed.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var every)
            && every >= 1)
        {
            return Sample(every);
        }

        throw new FormatException($"'{text}' is not a hash policy: use Verify, Off or Sample:N (N ≥ 1, check one message in N).");
    }

    /// <inheritdoc />
    public override string ToString() => Mode == HashPolicyMode.Sample ? $"Sample({Every})" : Mode.ToString();
}
