using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace PolyStream.GcInspect;

/// <summary>
/// The collections in a trace of the runtime's GC events (keyword 0x1, verbose): how long each generation's pause
/// lasted, and where a collection's time went: marking from each kind of root (the runtime reports the end of
/// each, so a kind's time is the gap since the previous one) and what follows the marking (plan, relocate, compact).
/// </summary>
internal static class PauseReport
{
    public static int Print(string tracePath, TextWriter output)
    {
        using var source = new EventPipeEventSource(tracePath);
        var clr = new ClrTraceEventParser(source);
        var collections = new List<Collection>();
        Collection? current = null;
        double suspendStart = 0;
        clr.GCSuspendEEStart += e => suspendStart = e.TimeStampRelativeMSec;
        clr.GCStart += e => current = new Collection(e.Depth, suspendStart, e.TimeStampRelativeMSec);
        clr.GCMarkWithType += e => current?.Marked((MarkRootType)e.Type, e.TimeStampRelativeMSec, e.Promoted);
        clr.GCStop += e => current?.Stopped(e.TimeStampRelativeMSec);
        clr.GCRestartEEStop += e =>
        {
            if (current is { } done)
            {
                done.Resumed(e.TimeStampRelativeMSec);
                collections.Add(done);
                current = null;
            }
        };
        source.Process();

        if (collections.Count == 0)
        {
            output.WriteLine("no complete collection in the trace: trace longer, or with the GC keyword (0x1) at level 5");
            return 1;
        }

        foreach (var generation in collections.GroupBy(c => c.Generation).OrderBy(g => g.Key))
        {
            output.WriteLine($"gen{generation.Key}: {generation.Count()} collections, pause {generation.Average(c => c.Pause):F3} ms on average (start to stop {generation.Average(c => c.Work):F3} ms)");
        }

        output.WriteLine("per collection, on average:");
        foreach (var kind in collections.SelectMany(c => c.MarkTimes.Keys).Distinct().Order())
        {
            var marked = collections.Select(c => c.MarkTimes.GetValueOrDefault(kind)).ToList();
            var promoted = collections.Average(c => c.Promoted.GetValueOrDefault(kind)) / 1024;
            output.WriteLine($"  mark {kind,-22} {marked.Average(m => m):F3} ms, {promoted:F0} KB promoted");
        }

        output.WriteLine($"  {"after marking",-27} {collections.Average(c => c.AfterMarking):F3} ms");
        return 0;
    }

    private sealed class Collection(int generation, double suspended, double started)
    {
        private readonly double _started = started;
        private double _lastMark = started;

        public int Generation { get; } = generation;

        public Dictionary<MarkRootType, double> MarkTimes { get; } = [];

        public Dictionary<MarkRootType, long> Promoted { get; } = [];

        public double AfterMarking { get; private set; }

        /// <summary>From the start of suspending the runtime to its restart.</summary>
        public double Pause { get; private set; }

        /// <summary>From the collection's start to its stop, without suspending and resuming.</summary>
        public double Work { get; private set; }

        public void Marked(MarkRootType kind, double at, long promoted)
        {
            MarkTimes[kind] = MarkTimes.GetValueOrDefault(kind) + (at - _lastMark);
            Promoted[kind] = Promoted.GetValueOrDefault(kind) + promoted;
            _lastMark = at;
        }

        public void Stopped(double at)
        {
            AfterMarking = at - _lastMark;
            Work = at - _started;
        }

        public void Resumed(double at) => Pause = at - suspended;
    }
}
