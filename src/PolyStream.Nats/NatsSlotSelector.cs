namespace PolyStream.Nats;

/// <summary>
/// Splits a moving universe among scale-out nodes: pass <see cref="Carries"/> as the streamer's
/// <c>StreamerConfig.UniverseSelector</c> and this instance to
/// <see cref="NatsNode.StartUniverseAsync"/>.
/// The streamer then carries the markets whose slot the node holds, each once its books were restored from
/// the bus; before the node starts, none. One instance serves one node.
/// </summary>
public sealed class NatsSlotSelector
{
    private CarriedMarkets? _markets;

    /// <summary>Whether this node carries the market (a condition id) now; <see langword="false"/> until its node has started.</summary>
    public bool Carries(string conditionId)
    {
        ArgumentNullException.ThrowIfNull(conditionId);
        return Volatile.Read(ref _markets)?.Selects(conditionId) ?? false;
    }

    /// <summary>Whether a node uses this selector already.</summary>
    internal bool IsAttached => Volatile.Read(ref _markets) is not null;

    /// <summary>Answers from the node's record of the markets it carries from now on.</summary>
    /// <exception cref="InvalidOperationException">Another node uses this selector.</exception>
    internal void Attach(CarriedMarkets markets)
    {
        if (Interlocked.CompareExchange(ref _markets, markets, null) is not null)
        {
            throw new InvalidOperationException("This NatsSlotSelector serves another node already: give each node its own.");
        }
    }
}
