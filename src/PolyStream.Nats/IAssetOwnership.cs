
namespace PolyStream.Nats;

/// <summary>Which assets this node holds, and whether its hold is fresh enough to act on.</summary>
internal interface IAssetOwnership
{
    /// <summary>
    /// Whether the leases were renewed recently enough that no other node can hold them yet. While not
    /// (NATS unreachable), the node keeps its assets but publishes nothing for them.
    /// </summary>
    public bool IsTrusted { get; }

    /// <summary>Whether this node holds the slot the asset belongs to: its own id's, or in universe mode its market's.</summary>
    public bool Holds(string assetId);

    /// <summary>Every asset this node holds.</summary>
    public IReadOnlyCollection<string> HeldAssets { get; }
}
