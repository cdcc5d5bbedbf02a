using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>The top levels of both sides of a book, best first.</summary>
/// <param name="Bids">Bids from the highest price down.</param>
/// <param name="Asks">Asks from the lowest price up.</param>
internal sealed record BookDepth(ImmutableArray<PriceLevel> Bids, ImmutableArray<PriceLevel> Asks);
