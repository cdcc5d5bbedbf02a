using System.Globalization;
using PolyStream.Engine;

namespace PolyStream.Cli.Bench;

/// <summary>One <c>polystream bench</c> run as its options gave it (see <see cref="BenchOptions"/>).</summary>
internal sealed record BenchSettings(
    TimeSpan Duration,
    TimeSpan Warmup,
    int Subscribers,
    int Markets,
    int AssetsPerConnection,
    double Rate,
    HashPolicy HashPolicy,
    bool SimProcess,
    string? NatsUrl,
    bool Replica,
    bool Json)
{
    /// <summary>The offered rate as the output and a child simulator's <c>--rate</c> write it: steps per second, or <c>max</c>.</summary>
    public string RateText => double.IsPositiveInfinity(Rate) ? "max" : Rate.ToString(CultureInfo.InvariantCulture);
}
