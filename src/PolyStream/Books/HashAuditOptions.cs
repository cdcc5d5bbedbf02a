using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>The summary fields a market-channel capture does not carry, and which hash algorithm to check with.</summary>
internal sealed record HashAuditOptions
{
    /// <summary>The minimum order size hashed with every book. Default <c>5</c>, the value that reproduced every real 2026 hash.</summary>
    public ExactDecimal MinOrderSize { get; init; } = ExactDecimal.FromParts(5, 0);

    /// <summary>Whether the markets are neg-risk. Default <see langword="false"/>.</summary>
    public bool NegRisk { get; init; }

    /// <summary>The tick used when a <c>book</c> carries no <c>tick_size</c> (captures before 2026). Default <c>0.01</c>.</summary>
    public ExactDecimal TickSize { get; init; } = ExactDecimal.FromParts(1, 2);

    /// <summary>The hash algorithm of the capture's era. Default <see cref="BookHashVersion.Current"/>.</summary>
    public BookHashVersion HashVersion { get; init; } = BookHashVersion.Current;
}
