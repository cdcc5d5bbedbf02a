namespace PolyStream.Cli.Bench;

/// <summary>Where <c>polystream bench</c>'s load comes from.</summary>
internal enum BenchSource
{
    /// <summary>A recording of the varied simulator, rendered once and sent from memory by a child process (the default).</summary>
    Frames,

    /// <summary>The simulator itself, writing every frame as it steps (in this process, or a child one with <c>--sim-process</c>).</summary>
    Simulator,
}
