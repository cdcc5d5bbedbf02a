using System.Net.WebSockets;
using PolyStream.Simulator;

namespace PolyStream.Cli.Chaos;

/// <summary>One fault of the soak: how to inject it into the simulator and how to end it.</summary>
/// <param name="Name">The fault's name in the report.</param>
/// <param name="Inject">Starts the fault.</param>
/// <param name="End">Ends it (a no-op for one-shot faults).</param>
/// <param name="Lasts">How long it stays active before <paramref name="End"/>.</param>
internal sealed record ChaosFault(string Name, Action<SimulatorServer, string> Inject, Action<SimulatorServer, string> End, TimeSpan Lasts)
{
    private static readonly Action<SimulatorServer, string> s_nothing = (_, _) => { };

    /// <summary>Every fault kind the simulator can inject.</summary>
    public static IReadOnlyList<ChaosFault> All { get; } =
    [
        new("drop-connections", (s, _) => s.Faults.DropConnections(), s_nothing, TimeSpan.Zero),
        new("close-1001", (s, _) => s.Faults.CloseConnections(WebSocketCloseStatus.EndpointUnavailable, "going away"), s_nothing, TimeSpan.Zero),
        new("corrupt-hash", (s, _) => s.Faults.ForEachConnection(f => f.CorruptNextHashes(2)), s_nothing, TimeSpan.Zero),
        new("drop-delta", (s, _) => s.Faults.ForEachConnection(f => f.DropNextDeltas(2)), s_nothing, TimeSpan.Zero),
        new("duplicate-frames", (s, _) => s.Faults.ForEachConnection(f => f.DuplicateNextFrames(10)), s_nothing, TimeSpan.Zero),
        new("swap-frames", (s, _) => s.Faults.ForEachConnection(f => f.SwapNextFrames(4)), s_nothing, TimeSpan.Zero),
        new("malformed-frame", (s, _) => s.Faults.SendMalformedFrame(), s_nothing, TimeSpan.Zero),
        new("oversized-frame", (s, _) => s.Faults.SendOversizedFrame(3 << 20), s_nothing, TimeSpan.Zero),
        new("silent-stall", (s, _) => s.Faults.Stalled = true, (s, _) => s.Faults.Stalled = false, TimeSpan.FromSeconds(2)),
        new("stall-asset", (s, asset) => s.Faults.StallAsset(asset), (s, asset) => s.Faults.ResumeAsset(asset), TimeSpan.FromSeconds(2)),
        new("429-on-reconnect", (s, _) => { s.Faults.RejectNextConnects(1, 1); s.Faults.DropConnections(); }, s_nothing, TimeSpan.Zero),
        new("ghost-rest-book", (s, _) => { s.Faults.GhostBooks = true; s.Faults.ForEachConnection(f => f.CorruptNextHashes(1)); }, (s, _) => s.Faults.GhostBooks = false, TimeSpan.FromSeconds(1)),
        new("slow-rest", (s, _) => { s.Faults.RestDelay = TimeSpan.FromMilliseconds(400); s.Faults.ForEachConnection(f => f.CorruptNextHashes(1)); }, (s, _) => s.Faults.RestDelay = TimeSpan.Zero, TimeSpan.FromSeconds(1)),
    ];
}
