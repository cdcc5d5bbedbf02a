using System.Collections.Immutable;
using PolyStream.Rest;

namespace PolyStream.Events;

/// <summary>The markets universe mode carries changed (<see cref="StreamerConfig.Universe"/>); about no single token.</summary>
public sealed record UniverseChanged : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.UniverseChanged;

    /// <summary>Why it changed.</summary>
    public required UniverseChangeReason Reason { get; init; }

    /// <summary>The markets now carried here that were not, with their tokens.</summary>
    public ImmutableArray<GammaMarket> Added { get; init; } = [];

    /// <summary>The condition ids of the markets no longer carried here.</summary>
    public ImmutableArray<string> Removed { get; init; } = [];

    /// <summary>Markets carried here after the change.</summary>
    public int Markets { get; init; }

    /// <summary>Their tokens, after the change.</summary>
    public int Tokens { get; init; }
}
