namespace PolyStream.Threading;

/// <summary>A waiting reader whose wake-up a publishing thread may hold back (<see cref="HeldWakes"/>).</summary>
internal interface IDeferredWake
{
    /// <summary>Wakes the reader: its events are ready.</summary>
    public void Wake();
}
