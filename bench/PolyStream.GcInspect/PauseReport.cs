using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace PolyStream.GcInspect;

/// <summary>
/// The collections in a trace of the runtime's GC events (keyword 0x1, verbose), as TraceEvent's GC analysis
/// reads them: how long each generation's pause lasted, and where a collection's time went — marking from each
/// kind of root (<c>GCMarkWithType</c>), with what that promoted, and the rest of the collection after marking
/// (plan, relocate, compact).
/// </summary>
internal static class PauseReport
{
    public static int Print(string tracePath, TextWriter output)
    {
        using var source = new EventPipeEventSource(tracePath);
        source.NeedLoadedDotNetRuntimes();
        var collections = new List<TraceGC>();
        source.AddCallbackOnProcessStart(process => process.AddCallbackOnDotNetRuntimeLoad(runtime => runtime.GCEnd += (_, gc) => collections.Add(gc)));
        source.Process();

        if (collections.Count == 0)
        {
            output.WriteLine("no complete collection in the trace: trace longer, or with the GC keyword (0x1) at level 5");
            return 1;
        }

        foreach (var generation in collections.GroupBy(c => c.Generation).OrderBy(g => g.Key))
        {
            output.WriteLine($"gen{generation.Key}: {generation.Count()} collections, pause {generation.Average(c => c.PauseDurationMSec):F3} ms on average (start to stop {generation.Average(c => c.DurationMSec):F3} ms)");
        }

        output.WriteLine("per collection, on average:");
        var marked = collections.Where(c => c.PerHeapMarkTimes is { Count: > 0 }).ToList();
        foreach (var kind in Enum.GetValues<MarkRootType>())
        {
            // A kind the runtime did not report for a collection is -1 there.
            var times = marked.Select(c => Marks(c, kind)).Where(m => m.Time >= 0).ToList();
            if (times.Count > 0)
            {
                output.WriteLine($"  mark {kind,-22} {times.Average(m => m.Time):F3} ms, {times.Average(m => m.Promoted) / 1024:F0} KB promoted");
            }
        }

        if (marked.Count > 0)
        {
            output.WriteLine($"  {"after marking",-27} {marked.Average(c => c.DurationMSec - Enum.GetValues<MarkRootType>().Sum(k => Math.Max(0, Marks(c, k).Time))):F3} ms");
        }

        return 0;
    }

    /// <summary>The mark time and bytes promoted of one kind of root, averaged over the collection's heaps (one under workstation GC).</summary>
    private static (double Time, double Promoted) Marks(TraceGC collection, MarkRootType kind)
    {
        var heaps = collection.PerHeapMarkTimes.Values.Where(h => (int)kind < h.MarkTimes.Length).ToList();
        return heaps.Count == 0 ? (-1, 0) : (heaps.Average(h => h.MarkTimes[(int)kind]), heaps.Average(h => (double)h.MarkPromoted[(int)kind]));
    }
}
