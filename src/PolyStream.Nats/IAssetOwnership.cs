namespace PolyStream.Nats;

/// <summary>Which assets this node may publish and snapshot right now.</summary>
internal interface IAssetOwnership
{
    /// <summary>Whether this node owns the asset (its slot's lease is held and fresh).</summary>
    public bool Owns(string assetId);

    /// <summary>Every asset this node owns.</summary>
    public IReadOnlyCollection<string> OwnedAssets { get; }
}
