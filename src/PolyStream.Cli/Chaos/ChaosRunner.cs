using System.Diagnostics;
using PolyStream.Events;
using PolyStream.Simulator;

namespace PolyStream.Cli.Chaos;

/// <summary>
/// The soak: the simulator is stepped by this loop (so checkpoints can freeze it), a seeded schedule
/// injects every fault kind in turn, and after each fault every book must be back to
/// <see cref="BookTrustState.Synced"/> and equal to the simulator's ground truth.
/// </summary>
internal sealed class ChaosRunner(SimulatorServer simulator, Streamer streamer, string[] tokens, int seed, TextWriter progress)
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_convergeLimit = TimeSpan.FromSeconds(10);
    private const int StepsPerTick = 4;

    public async Task<ChaosReport> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var audit = new SequenceAudit(streamer);
        await using var auditScope = audit.ConfigureAwait(false);
        await ConvergeAsync(cancellationToken).ConfigureAwait(false);

        // The heap baseline is taken after one full round of faults, when pools, queues and caches
        // have reached their working size; growth past it is what a leak would show.
        long heapBase = 0;
        var recoveries = new List<double>();
        var faults = 0;
        var diverged = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            await DriveAsync(TimeSpan.FromMilliseconds(random.Next(500, 1500)), cancellationToken).ConfigureAwait(false);
            var fault = ChaosFault.All[faults % ChaosFault.All.Count];
            var asset = tokens[random.Next(tokens.Length)];
            fault.Inject(simulator, asset);
            await DriveAsync(fault.Lasts + TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            fault.End(simulator, asset);
            simulator.Step(StepsPerTick);
            faults++;
            if (faults == ChaosFault.All.Count)
            {
                heapBase = GC.GetTotalMemory(forceFullCollection: true);
            }

            var (converged, elapsed, behind) = await ConvergeAsync(cancellationToken).ConfigureAwait(false);
            if (converged)
            {
                recoveries.Add(elapsed.TotalMilliseconds);
            }
            else
            {
                diverged += behind;
            }

            await progress.WriteLineAsync($"fault {faults,3} {fault.Name,-18} {(converged ? $"recovered in {elapsed.TotalMilliseconds:F0} ms" : $"{behind} book(s) diverged")}").ConfigureAwait(false);
        }

        var heapEnd = GC.GetTotalMemory(forceFullCollection: true);
        recoveries.Sort();
        return new ChaosReport(
            faults,
            recoveries.Count,
            recoveries.Count == 0 ? 0 : recoveries[^1],
            recoveries.Count == 0 ? 0 : recoveries[recoveries.Count / 2],
            diverged,
            audit.Lost,
            heapBase == 0 ? 0 : (heapEnd - heapBase) * 100.0 / heapBase);
    }

    /// <summary>Steps the simulator steadily for a while: the market keeps moving during faults.</summary>
    private async Task DriveAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_tick);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < span && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            simulator.Step(StepsPerTick);
        }
    }

    /// <summary>Freezes the market and waits until every book is Synced and equal to ground truth.</summary>
    private async Task<(bool Converged, TimeSpan Elapsed, int Behind)> ConvergeAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var behind = tokens.Count(t => streamer.GetOrderBook(t) is not { IsSynced: true } view || simulator.GetBook(t) is not { } truth || !truth.HasSameContent(view.Summary));
            if (behind == 0)
            {
                return (true, clock.Elapsed, 0);
            }

            if (clock.Elapsed > s_convergeLimit)
            {
                return (false, clock.Elapsed, behind);
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
