namespace PolyStream.Tests.Architecture;

public sealed class PublicSurfaceTests
{
    // Issue #20: the core library exports what a user needs and nothing else (DESIGN.md, "Layout of the core library").
    private const int MaxPublicTypes = 60;

    [Fact]
    public void GetExportedTypes_CoreLibrary_AreAtMostSixtyNestedOnesIncluded()
    {
        var exported = typeof(Streamer).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            exported.Count <= MaxPublicTypes,
            $"The core library exports {exported.Count} types, more than {MaxPublicTypes}; make the ones a user does not need internal:{Environment.NewLine}{string.Join(Environment.NewLine, exported)}");
    }
}
