using System.Collections.Immutable;
using PolyStream.Rest;

namespace PolyStream.Universe;

/// <summary>What one change of the universe means for this streamer: the markets it now carries, and those it no longer does.</summary>
/// <param name="Added">Markets newly carried: their tokens are to be subscribed.</param>
/// <param name="Removed">Markets no longer carried: their tokens are to be unsubscribed.</param>
internal readonly record struct UniverseDelta(ImmutableArray<GammaMarket> Added, ImmutableArray<GammaMarket> Removed)
{
    public static UniverseDelta None { get; } = new([], []);

    public bool IsEmpty => Added.IsEmpty && Removed.IsEmpty;
}
