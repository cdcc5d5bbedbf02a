namespace PolyStream.Simulator.Engine;

/// <summary>How busy and how deep a market is: its share of the order flow and its seeded depth.</summary>
/// <param name="Name">A label for logs and tests.</param>
/// <param name="Weight">Relative chance that a step picks a market of this profile.</param>
/// <param name="SeedOrders">Resting orders seeded at listing.</param>
/// <param name="SpreadTicks">How many ticks from the fair value seeded orders reach.</param>
/// <param name="SizeScale">Multiplies the spread of order sizes above the minimum.</param>
/// <param name="PriorVolume">The volume (USDC) a market listed at start has traded before the simulation, as Gamma reports it.</param>
internal sealed record ActivityProfile(string Name, int Weight, int SeedOrders, int SpreadTicks, int SizeScale, decimal PriorVolume)
{
    /// <summary>Every market alike (<see cref="SimulatorOptions.Uniform"/>).</summary>
    public static ActivityProfile Even { get; } = new("even", 1, 16, 10, 1, 10_000m);

    /// <summary>A few headline books: deep and about forty times as busy as the tail.</summary>
    public static ActivityProfile Hot { get; } = new("hot", 40, 48, 25, 4, 1_000_000m);

    /// <summary>Books with some interest.</summary>
    public static ActivityProfile Warm { get; } = new("warm", 4, 16, 10, 2, 50_000m);

    /// <summary>The long tail: shallow books that rarely change.</summary>
    public static ActivityProfile Quiet { get; } = new("quiet", 1, 6, 5, 1, 2_000m);
}
