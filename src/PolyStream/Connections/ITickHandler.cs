namespace PolyStream.Connections;

/// <summary>A periodic check run on a <see cref="SharedTicker"/>'s tick.</summary>
internal interface ITickHandler
{
    /// <summary>Runs one check on the ticker's thread; must be short and must not block or throw (it compares timestamps and signals whoever does the work).</summary>
    /// <param name="now">The tick's time, a <see cref="TimeProvider.GetTimestamp"/> of the ticker's clock.</param>
    public void OnTick(long now);
}
