using System.Globalization;

namespace PolyStream.Cli.Chaos;

/// <summary>The soak's outcome; <see cref="ToString"/> is the line scripts and CI read.</summary>
internal sealed record ChaosReport(int Faults, int Recovered, double MaxRecoveryMs, double MedianRecoveryMs, int Diverged, long Lost, double HeapGrowthPct)
{
    public bool Passed => Diverged == 0 && Lost == 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"faults={Faults} recovered={Recovered} max_recovery_ms={MaxRecoveryMs:F0} median_recovery_ms={MedianRecoveryMs:F0} diverged={Diverged} lost={Lost} heap_growth_pct={HeapGrowthPct:F1}");
}
