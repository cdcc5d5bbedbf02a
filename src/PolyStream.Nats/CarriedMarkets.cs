using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using PolyStream.Rest;

namespace PolyStream.Nats;

/// <summary>
/// Universe mode's record of the markets this node carries. A market belongs to the slot its condition id
/// hashes to, so its tokens always stay together on one node. The streamer asks <see cref="Selects"/> about
/// each market it knows; a market in a held slot is answered yes only once its books were restored from the
/// bus (<see cref="Select"/>), so a node never starts a market at an epoch another node already published.
/// Until then the market is <see cref="Requests">requested</see> for that restore. <see cref="Selects"/> and
/// <see cref="Holds"/> are safe from any thread (the streamer asks from its own tasks, the sink on every event);
/// the changes are made by one caller at a time (<see cref="MarketSlots"/>).
/// </summary>
internal sealed class CarriedMarkets(int slots, Func<int, bool> holdsSlot)
{
    // Token → its market's slot, for every claimed market: the sink's test, one lookup per event.
    private readonly ConcurrentDictionary<string, int> _slotOfToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MarketClaim> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Markets in a held slot the streamer asked about before they were restored, each once until handled.</summary>
    public ChannelReader<string> Requests => _requests.Reader;

    /// <summary>The tokens of the claimed markets whose slot is held: what this node publishes.</summary>
    public IReadOnlyCollection<string> HeldTokens => [.. _slotOfToken.Where(t => holdsSlot(t.Value)).Select(t => t.Key)];

    /// <summary>The markets claimed now, by condition id.</summary>
    public IReadOnlyCollection<string> Claimed => [.. _claims.Keys];

    /// <summary>The slot a market belongs to: FNV-1a of its condition id, so every node agrees without talking.</summary>
    public int SlotOf(string conditionId) => BusNames.SlotOf(conditionId, slots);

    /// <summary>
    /// The streamer's selector: whether it carries the market now. A market in a held slot that is not restored
    /// yet is requested (once) and answered no; the streamer is asked again after the restore.
    /// </summary>
    public bool Selects(string conditionId)
    {
        if (!holdsSlot(SlotOf(conditionId)) || _refused.ContainsKey(conditionId))
        {
            return false;
        }

        if (_claims.TryGetValue(conditionId, out var claim))
        {
            return claim.Selected; // Claimed and not selected: its restore is under way.
        }

        if (_pending.TryAdd(conditionId, 0))
        {
            _requests.Writer.TryWrite(conditionId);
        }

        return false;
    }

    /// <summary>Whether the token belongs to a claimed market whose slot is held: the node publishes it.</summary>
    public bool Holds(string assetId) => _slotOfToken.TryGetValue(assetId, out var slot) && holdsSlot(slot);

    /// <summary>Owns a market's tokens from now (its first snapshot gets published), before its restore subscribes them.</summary>
    public void Claim(GammaMarket market)
    {
        var slot = SlotOf(market.ConditionId);
        foreach (var token in market.ClobTokenIds)
        {
            _slotOfToken[token] = slot;
        }

        _claims.TryAdd(market.ConditionId, new MarketClaim(market.ClobTokenIds, Selected: false));
    }

    /// <summary>The market's books are restored and subscribed: the streamer may carry it.</summary>
    public void Select(string conditionId)
    {
        if (_claims.TryGetValue(conditionId, out var claim))
        {
            _claims[conditionId] = claim with { Selected = true };
        }

        _pending.TryRemove(conditionId, out _);
    }

    /// <summary>A request was handled without carrying the market (slot lost meanwhile, market gone): it may be requested again.</summary>
    public void Unrequest(string conditionId) => _pending.TryRemove(conditionId, out _);

    /// <summary>Never carries the market: an id of it cannot be part of a subject or key.</summary>
    public void Refuse(string conditionId)
    {
        _refused.TryAdd(conditionId, 0);
        _pending.TryRemove(conditionId, out _);
    }

    /// <summary>Forgets the markets of a slot no longer held; returns their tokens, to unsubscribe.</summary>
    public IReadOnlyList<string> Release(int slot)
    {
        var tokens = new List<string>();
        foreach (var (market, claim) in _claims)
        {
            if (SlotOf(market) == slot && _claims.TryRemove(market, out _))
            {
                Forget(claim);
                tokens.AddRange(claim.Tokens);
            }
        }

        foreach (var market in _pending.Keys.Where(m => SlotOf(m) == slot))
        {
            _pending.TryRemove(market, out _);
        }

        return tokens;
    }

    /// <summary>
    /// Forgets markets that left the universe (resolved, closed) once none of their books is readable any more,
    /// so the sink publishes a resolved market's last events and the record stays the size of the universe.
    /// </summary>
    public IReadOnlyList<string> Prune(Func<string, bool> inUniverse, Func<string, bool> hasBook)
    {
        var pruned = new List<string>();
        foreach (var (market, claim) in _claims)
        {
            if (!inUniverse(market) && !claim.Tokens.Any(hasBook) && _claims.TryRemove(market, out _))
            {
                Forget(claim);
                pruned.Add(market);
            }
        }

        foreach (var market in _refused.Keys.Where(m => !inUniverse(m)))
        {
            _refused.TryRemove(market, out _);
        }

        return pruned;
    }

    private void Forget(MarketClaim claim)
    {
        foreach (var token in claim.Tokens)
        {
            _slotOfToken.TryRemove(token, out _);
        }
    }

    /// <param name="Tokens">The market's tokens.</param>
    /// <param name="Selected">Whether its restore is done and the streamer may carry it.</param>
    private sealed record MarketClaim(ImmutableArray<string> Tokens, bool Selected);
}
