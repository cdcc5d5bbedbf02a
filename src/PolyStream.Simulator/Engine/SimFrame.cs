using System.Collections.Immutable;
using System.Text;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>One frame the engine emitted, exactly as it goes on the wire.</summary>
/// <param name="Sequence">The engine-wide frame number, from 1.</param>
/// <param name="Kind">The event it carries.</param>
/// <param name="Market">The market's condition id.</param>
/// <param name="AssetIds">The tokens it concerns; a <c>price_change</c> names both of its market's tokens.</param>
/// <param name="Utf8">The frame's JSON text as UTF-8.</param>
public sealed record SimFrame(long Sequence, WireEventKind Kind, string Market, ImmutableArray<string> AssetIds, ReadOnlyMemory<byte> Utf8)
{
    /// <summary>Whether only sockets that subscribed with <c>custom_feature_enabled</c> receive it.</summary>
    public bool IsCustomFeature => Kind is WireEventKind.BestBidAsk or WireEventKind.NewMarket or WireEventKind.MarketResolved;

    /// <summary>Whether it goes to the user channel rather than the market channel.</summary>
    public bool IsUserEvent => Kind is WireEventKind.Order or WireEventKind.Trade;

    /// <summary>The frame's JSON text.</summary>
    public string Text => Encoding.UTF8.GetString(Utf8.Span);
}
