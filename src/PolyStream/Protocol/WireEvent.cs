
namespace PolyStream.Protocol;

/// <summary>One event parsed from a market- or user-channel frame.</summary>
internal abstract record WireEvent
{
    /// <summary>What kind of event this is, for switching without type tests.</summary>
    public abstract WireEventKind Kind { get; }
}
