using Microsoft.Diagnostics.Runtime;

namespace PolyStream.GcInspect;

/// <summary>
/// What the next gen0 collection of a dumped process must keep because older objects reference it: every young
/// object reachable from an old one, grouped by the old object's type and by its own. A gen0 pause grows with
/// these survivors (docs/performance.md, "What a collection keeps").
/// </summary>
/// <remarks>Objects reached only from stacks and handles are left out: the dump catches threads mid-work.</remarks>
internal static class SurvivorReport
{
    private const int Rows = 15;

    public static int Print(string dumpPath, string? dataAccess, TextWriter output)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        var clr = target.ClrVersions[0];
        // The runtime's own data-access library beside it; its version stamp may not be one ClrMD recognises.
        using var runtime = dataAccess is null ? clr.CreateRuntime() : clr.CreateRuntime(dataAccess, ignoreMismatch: true);
        var heap = runtime.Heap;
        var walk = new YoungWalk(heap);
        var holders = new Dictionary<string, Tally>();
        foreach (var holder in heap.EnumerateObjects())
        {
            if (!holder.IsValid || walk.IsYoung(holder.Address))
            {
                continue;
            }

            foreach (var reference in holder.EnumerateReferences(carefully: true))
            {
                if (walk.IsYoung(reference.Address) && walk.Reach(reference) is { Objects: > 0 } reached)
                {
                    var key = $"{holder.Type?.Name ?? "?"} -> {reference.Type?.Name ?? "?"}";
                    holders[key] = holders.GetValueOrDefault(key) + reached;
                }
            }
        }

        var total = holders.Values.Aggregate(default(Tally), (sum, t) => sum + t);
        output.WriteLine($"young objects kept by old ones: {total.Objects} objects, {total.Bytes / 1024} KB");
        output.WriteLine("by holder:");
        Write(holders, output);
        output.WriteLine("by type:");
        Write(walk.Types, output);
        return 0;
    }

    private static void Write(Dictionary<string, Tally> tallies, TextWriter output)
    {
        foreach (var (name, tally) in tallies.OrderByDescending(p => p.Value.Bytes).Take(Rows))
        {
            output.WriteLine($"  {tally.Bytes / 1024,7} KB {tally.Objects,7} objects  {name}");
        }
    }

    private readonly record struct Tally(long Objects, long Bytes)
    {
        public static Tally operator +(Tally left, Tally right) => new(left.Objects + right.Objects, left.Bytes + right.Bytes);
    }

    /// <summary>Walks young objects once each, so a young object shared by two holders counts for the first.</summary>
    private sealed class YoungWalk(ClrHeap heap)
    {
        private readonly HashSet<ulong> _seen = [];

        public Dictionary<string, Tally> Types { get; } = [];

        public bool IsYoung(ulong address) =>
            heap.GetSegmentByAddress(address) is { } segment && segment.GetGeneration(address) == Generation.Generation0;

        public Tally Reach(ClrObject start)
        {
            var reached = default(Tally);
            var pending = new Stack<ClrObject>();
            pending.Push(start);
            while (pending.TryPop(out var next))
            {
                if (!_seen.Add(next.Address))
                {
                    continue;
                }

                var one = new Tally(1, (long)next.Size);
                reached += one;
                var type = next.Type?.Name ?? "?";
                Types[type] = Types.GetValueOrDefault(type) + one;
                foreach (var reference in next.EnumerateReferences(carefully: true))
                {
                    if (IsYoung(reference.Address))
                    {
                        pending.Push(reference);
                    }
                }
            }

            return reached;
        }
    }
}
