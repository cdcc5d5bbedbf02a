namespace PolyStream.Tests.Architecture;

/// <summary>The core library's folders are its layers: data flows one way, and no namespace needs one that needs it back.</summary>
public sealed class NamespaceDependencyTests
{
    private static readonly NamespaceGraph s_core = NamespaceGraph.Of(typeof(Streamer).Assembly.Location, "PolyStream");

    [Fact]
    public void CoreLibrary_Namespaces_HaveNoCycle()
    {
        var cycle = s_core.FindCycle();

        Assert.True(cycle is null, $"namespace cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void CoreLibrary_NothingBelowTheRoot_UsesTheRoot()
    {
        // The root holds the entry types (Streamer, StreamerConfig) that wire every layer together.
        var users = s_core.Edges.Where(e => e.Value.Contains("PolyStream")).Select(e => e.Key);

        Assert.Empty(users);
    }

    [Theory]
    [InlineData("PolyStream.Engine", "PolyStream.Recording")]
    [InlineData("PolyStream.Engine", "PolyStream.Sharding")]
    [InlineData("PolyStream.Engine", "PolyStream.Connections")]
    [InlineData("PolyStream.Bus", "PolyStream.Engine")]
    [InlineData("PolyStream.Events", "PolyStream.Bus")]
    [InlineData("PolyStream.Events", "PolyStream.Engine")]
    [InlineData("PolyStream.Connections", "PolyStream.Sharding")]
    [InlineData("PolyStream.Protocol", "PolyStream.Books")]
    public void Layer_DoesNotUse_ALayerDownstreamOfIt(string layer, string downstream)
    {
        Assert.True(s_core.Edges.ContainsKey(layer), $"{layer} was not found in the assembly");
        Assert.DoesNotContain(downstream, s_core.Edges[layer]);
    }

    [Fact]
    public void Graph_OfATypeThatUsesAnother_HasTheEdge()
    {
        // The reader must see references made only inside method bodies, or the tests above could not fail.
        Assert.Contains("PolyStream.Engine", s_core.Edges["PolyStream.Sharding"]);
        Assert.Contains("PolyStream.Events", s_core.Edges["PolyStream.Engine"]);
    }
}
