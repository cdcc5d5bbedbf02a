using System.Diagnostics;

namespace PolyStream.Fuzz;

/// <summary>Feeds a target mutated inputs and holds it to the contract: only allowed exceptions, no hang, bounded allocation.</summary>
internal static class FuzzRunner
{
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="inputs"/> inputs derived from the corpus with <paramref name="seed"/>; stops at the first finding.</summary>
    public static FuzzResult Run(FuzzTarget target, string corpusRoot, long inputs, int seed)
    {
        var corpus = target.Corpus(corpusRoot);
        if (corpus.Count == 0)
        {
            throw new InvalidOperationException($"The corpus of {target.Name} under {corpusRoot} is empty.");
        }

        var mutator = new Mutator(corpus, seed);
        var consume = target.Create();
        var total = Stopwatch.StartNew();
        var one = new Stopwatch();
        long rejected = 0;
        for (long i = 0; i < inputs; i++)
        {
            var input = mutator.Next();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            one.Restart();
            try
            {
                consume(input);
            }
            catch (Exception ex) when (target.Allowed.Contains(ex.GetType()))
            {
                rejected++; // The documented failure for bad input.
            }
            catch (Exception ex)
            {
                return Found(target, i, total, rejected, seed, input, $"threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }

            if (one.Elapsed > s_hang)
            {
                return Found(target, i, total, rejected, seed, input, $"took {one.Elapsed.TotalSeconds:F1} s");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > (64L * input.Length) + (4 << 20))
            {
                return Found(target, i, total, rejected, seed, input, $"allocated {allocated} bytes for {input.Length}");
            }
        }

        return new FuzzResult(target.Name, inputs, total.Elapsed, rejected, null);
    }

    private static FuzzResult Found(FuzzTarget target, long index, Stopwatch total, long rejected, int seed, byte[] input, string what) =>
        new(target.Name, index + 1, total.Elapsed, rejected, $"input #{index} (seed {seed}) {what}\ninput (base64): {Convert.ToBase64String(input)}");
}
