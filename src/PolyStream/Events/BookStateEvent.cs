using PolyStream.Bus;

namespace PolyStream.Events;

/// <summary>
/// An event that leaves a book in a new state and carries the resulting <see cref="BookView"/>; the
/// latest one per asset is all a conflating subscriber needs (<see cref="OverflowPolicy.Conflate"/>).
/// </summary>
public abstract record BookStateEvent : StreamEvent
{
    /// <summary>The book after the event, with its trust state, epoch and sequence.</summary>
    public required BookView Book { get; init; }
}
