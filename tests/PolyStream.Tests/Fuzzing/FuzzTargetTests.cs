using PolyStream.Fuzz;

namespace PolyStream.Tests.Fuzzing;

/// <summary>
/// Every fuzz target (tests/PolyStream.Fuzz) for a few thousand inputs on each run, so CI exercises them; the
/// million-input runs and their figures are in docs/reliability.md.
/// </summary>
public sealed class FuzzTargetTests
{
    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_FewThousandMutatedInputs_OnlyTheDocumentedFailure(string name)
    {
        var target = FuzzTargets.All.Single(t => t.Name == name);

        var result = FuzzRunner.Run(target, Path.Combine(AppContext.BaseDirectory, "Corpus"), inputs: 5_000, seed: 20261202);

        Assert.Null(result.Finding);
        Assert.Equal(5_000, result.Inputs);
        // Mutations keep some inputs valid; a target that rejects everything proves little.
        Assert.True(result.Rejected < result.Inputs, $"{name} rejected all {result.Inputs} inputs");
    }
}
