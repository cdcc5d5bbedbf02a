namespace PolyStream.Fuzz;

/// <summary>What a run did: inputs, time, and the first finding if there was one.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Inputs">Inputs fed.</param>
/// <param name="Elapsed">Wall time of the run, corpus building excluded.</param>
/// <param name="Rejected">Inputs that raised an allowed exception.</param>
/// <param name="Finding">The first input that broke the contract, with a base64 copy to reproduce it; <see langword="null"/> when none did.</param>
internal sealed record FuzzResult(string Target, long Inputs, TimeSpan Elapsed, long Rejected, string? Finding)
{
    /// <summary>One line for the console and the docs.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"target={Target} inputs={Inputs} seconds={Elapsed.TotalSeconds:F1} inputs_per_s={Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9):F0} rejected={Rejected} findings={(Finding is null ? 0 : 1)}");
}
