using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>One level of a book set to a new aggregate size by a <c>price_change</c> (<see cref="BookDeltaApplied.Changes"/>).</summary>
/// <param name="Side"><see cref="Side.Buy"/> for the bid side, <see cref="Side.Sell"/> for the ask side.</param>
/// <param name="Price">The level's price, exactly as the venue wrote it.</param>
/// <param name="Size">The new aggregate size at that price (absolute, not a difference); zero removes the level.</param>
public readonly record struct LevelChange(Side Side, ExactDecimal Price, ExactDecimal Size);
