namespace PolyStream.Threading;

/// <summary>A reader waiting for events, whose wake-up a publishing thread may hold back (<see cref="HeldWakes"/>).</summary>
internal interface IWakeable
{
    /// <summary>Wakes the reader: its events are ready.</summary>
    public void Wake();
}
