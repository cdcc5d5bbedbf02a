using System.Diagnostics;

namespace PolyStream.Tests.TestSupport;

/// <summary>Runs a target over many mutated inputs and holds it to the contract: only expected exceptions, no hang, bounded allocation.</summary>
internal static class FuzzHarness
{
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(2);

    public static void Run(IReadOnlyList<byte[]> corpus, int inputs, int seed, Action<byte[]> target, params Type[] allowedExceptions)
    {
        var mutator = new Mutator(corpus, seed);
        var clock = new Stopwatch();
        for (var i = 0; i < inputs; i++)
        {
            var input = mutator.Next();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            try
            {
                target(input);
            }
            catch (Exception ex) when (allowedExceptions.Contains(ex.GetType()))
            {
                // The documented failure for bad input.
            }
            catch (Exception ex)
            {
                Assert.Fail($"input #{i} (seed {seed}) threw {ex.GetType().Name}: {ex.Message}\ninput: {Convert.ToBase64String(input)}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(clock.Elapsed < s_hang, $"input #{i} (seed {seed}) took {clock.Elapsed}: {Convert.ToBase64String(input)}");
            Assert.True(allocated < (64L * input.Length) + (4 << 20), $"input #{i} (seed {seed}) of {input.Length} bytes allocated {allocated} bytes");
        }
    }

    public static List<byte[]> Corpus(params string[] directories) =>
    [
        .. directories.SelectMany(d => Directory.EnumerateFiles(Fixture.PathOf(d)))
            .SelectMany(f => f.EndsWith(".ndjson", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)
                ? File.ReadAllLines(f).Where(l => l.Length > 0).Select(Fixture.Utf8)
                : [File.ReadAllBytes(f)]),
    ];
}
