
namespace PolyStream.Simulator.Faults;

/// <summary>A fault the caller repeats on a timer (<c>drop-every</c>, <c>close-every</c>).</summary>
/// <param name="Period">How often to act.</param>
/// <param name="Act">What to do to the server's faults each period.</param>
internal sealed record PeriodicFault(TimeSpan Period, Action<SimulatorFaults> Act);
