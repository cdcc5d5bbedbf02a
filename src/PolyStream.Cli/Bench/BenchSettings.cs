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
    TimeSpan WakeHold,
    double Rate,
    HashPolicy HashPolicy,
    BenchSource Source,
    bool SimProcess,
    bool Ndjson,
    string? NatsUrl,
    bool Replica,
    bool Json)
{
    /// <summary>Whether the load comes from a child process: always for pre-rendered frames, for the simulator with <c>--sim-process</c>.</summary>
    public bool InChildProcess => SimProcess || Source == BenchSource.Frames;

    /// <summary>The source as the output names it: <c>frames</c> or <c>sim</c>.</summary>
    public string SourceText => Source == BenchSource.Frames ? "frames" : "sim";

    /// <summary>The offered rate as the output and a child simulator's <c>--rate</c> write it: steps per second, or <c>max</c>.</summary>
    public string RateText => double.IsPositiveInfinity(Rate) ? "max" : Rate.ToString(CultureInfo.InvariantCulture);
}
