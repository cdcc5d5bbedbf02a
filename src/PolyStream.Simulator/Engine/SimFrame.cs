using System.Collections.Immutable;
using System.Text;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>One frame the engine emitted, exactly as it goes on the wire.</summary>
public sealed record SimFrame
{
    /// <summary>Creates a frame.</summary>
    /// <param name="sequence">The engine-wide frame number, from 1.</param>
    /// <param name="kind">The event it carries.</param>
    /// <param name="market">The market's condition id.</param>
    /// <param name="assetIds">The tokens it concerns.</param>
    /// <param name="utf8">The frame's JSON text as UTF-8.</param>
    internal SimFrame(long sequence, WireEventKind kind, string market, ImmutableArray<string> assetIds, ReadOnlyMemory<byte> utf8)
    {
        Sequence = sequence;
        Kind = kind;
        Market = market;
        AssetIds = assetIds;
        Utf8 = utf8;
    }

    /// <summary>The engine-wide frame number, from 1.</summary>
    public long Sequence { get; init; }

    // Internal because the wire kinds are not part of PolyStream's public surface; the tests read it as friends.
    /// <summary>The event it carries.</summary>
    internal WireEventKind Kind { get; init; }

    /// <summary>The market's condition id.</summary>
    public string Market { get; init; }

    /// <summary>The tokens it concerns; a <c>price_change</c> names both of its market's tokens.</summary>
    public ImmutableArray<string> AssetIds { get; init; }

    /// <summary>The frame's JSON text as UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; init; }

    /// <summary>Whether only sockets that subscribed with <c>custom_feature_enabled</c> receive it.</summary>
    public bool IsCustomFeature => Kind is WireEventKind.BestBidAsk or WireEventKind.NewMarket or WireEventKind.MarketResolved;

    /// <summary>Whether it goes to the user channel rather than the market channel.</summary>
    public bool IsUserEvent => Kind is WireEventKind.Order or WireEventKind.Trade;

    /// <summary>The frame's JSON text.</summary>
    public string Text => Encoding.UTF8.GetString(Utf8.Span);
}
