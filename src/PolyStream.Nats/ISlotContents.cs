namespace PolyStream.Nats;

/// <summary>
/// What a node streams and publishes for the slots it holds: the assets of a fixed universe that hash into
/// them (<see cref="AssetSlots"/>), or the markets of the discovered universe that do (<see cref="MarketSlots"/>).
/// </summary>
internal interface ISlotContents : IAssetOwnership, IDisposable
{
    /// <summary>Ids of the universe left out because they could not be part of a subject or key; counted, never published.</summary>
    public long Refused { get; }

    /// <summary>Starts streaming what a slot just taken contains, each book restored from the bus; a NATS failure is thrown (the slot is handed back).</summary>
    public Task TakeOverAsync(int slot, CancellationToken cancellationToken);

    /// <summary>Stops streaming what a slot no longer held contains.</summary>
    public Task HandOverAsync(int slot, CancellationToken cancellationToken);

    /// <summary>Follows the universe's changes until cancelled, where it can change.</summary>
    public Task RunAsync(CancellationToken cancellationToken);
}
