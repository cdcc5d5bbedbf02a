using System.Globalization;
using CsCheck;
using PolyStream.Nats;
using PolyStream.Rest;

namespace PolyStream.Tests.Nats;

/// <summary>Which markets of a moving universe a scale-out node carries, by the slot of each market's condition id.</summary>
public sealed class CarriedMarketsTests
{
    private const int Slots = 8;

    private static GammaMarket Market(int n) => new()
    {
        ConditionId = "0x" + n.ToString("x64", CultureInfo.InvariantCulture),
        ClobTokenIds = [$"{n}01", $"{n}02"],
    };

    /// <summary>A market whose condition id hashes to <paramref name="slot"/>.</summary>
    private static GammaMarket MarketIn(int slot, int skip = 0) =>
        Enumerable.Range(1, 10_000).Select(Market).Where(m => BusNames.SlotOf(m.ConditionId, Slots) == slot).Skip(skip).First();

    /// <summary>One node's record with its held slots, and what its <see cref="MarketSlots"/> does with requests (restore always succeeds here).</summary>
    private sealed class Node
    {
        private readonly bool[] _held = new bool[Slots];

        public Node() => Markets = new CarriedMarkets(Slots, slot => _held[slot]);

        public CarriedMarkets Markets { get; }

        public void Take(int slot, IEnumerable<GammaMarket> universe)
        {
            _held[slot] = true;
            foreach (var market in universe.Where(m => Markets.SlotOf(m.ConditionId) == slot))
            {
                Carry(market);
            }
        }

        public IReadOnlyList<string> Give(int slot)
        {
            _held[slot] = false;
            return Markets.Release(slot);
        }

        public bool HoldsSlot(int slot) => _held[slot];

        /// <summary>Handles the requests as MarketSlots does: markets still in the universe and in a held slot are restored and carried.</summary>
        public void Serve(IReadOnlyCollection<GammaMarket> universe)
        {
            while (Markets.Requests.TryRead(out var id))
            {
                if (universe.FirstOrDefault(m => m.ConditionId == id) is { } market && _held[Markets.SlotOf(id)])
                {
                    Carry(market);
                }
                else
                {
                    Markets.Unrequest(id);
                }
            }
        }

        private void Carry(GammaMarket market)
        {
            Markets.Claim(market);
            Markets.Select(market.ConditionId);
        }
    }

    [Fact]
    public void Selects_AMarketOfASlotNotHeld_IsNo_AndNothingIsRequested()
    {
        var node = new Node();

        Assert.False(node.Markets.Selects(MarketIn(3).ConditionId));
        Assert.False(node.Markets.Requests.TryRead(out _));
    }

    [Fact]
    public void Selects_AMarketListedInAHeldSlot_IsNoAndRequestedOnce_ThenYesOnceRestored()
    {
        var node = new Node();
        node.Take(3, []);
        var listed = MarketIn(3);

        Assert.False(node.Markets.Selects(listed.ConditionId));
        Assert.False(node.Markets.Selects(listed.ConditionId)); // asked again before the restore: still one request
        Assert.True(node.Markets.Requests.TryRead(out var requested));
        Assert.Equal(listed.ConditionId, requested);
        Assert.False(node.Markets.Requests.TryRead(out _));

        node.Markets.Claim(listed);
        Assert.False(node.Markets.Selects(listed.ConditionId)); // claimed, restore under way
        Assert.All(listed.ClobTokenIds, token => Assert.True(node.Markets.Holds(token), token)); // its first snapshot is published
        node.Markets.Select(listed.ConditionId);

        Assert.True(node.Markets.Selects(listed.ConditionId));
    }

    [Fact]
    public void Holds_TheTokensOfAMarket_GoTogether_ByTheSlotOfItsConditionId()
    {
        var node = new Node();
        var inHeld = MarketIn(2);
        var elsewhere = MarketIn(5);
        node.Take(2, [inHeld, elsewhere]);

        Assert.Equal(inHeld.ClobTokenIds.Order(), node.Markets.HeldTokens.Order());
        Assert.All(elsewhere.ClobTokenIds, token => Assert.False(node.Markets.Holds(token), token));
    }

    [Fact]
    public void Release_ASlot_StopsItsMarketsAtOnce_AndTakingItBackRestoresThemAgain()
    {
        var node = new Node();
        var market = MarketIn(4);
        node.Take(4, [market]);
        Assert.True(node.Markets.Selects(market.ConditionId));

        var tokens = node.Give(4);

        Assert.Equal(market.ClobTokenIds.Order(), tokens.Order());
        Assert.False(node.Markets.Selects(market.ConditionId));
        Assert.All(market.ClobTokenIds, token => Assert.False(node.Markets.Holds(token), token));
        Assert.Empty(node.Markets.Claimed);

        // Another node may have published it meanwhile: taken back, it goes through a restore again.
        node.Take(4, []);
        Assert.False(node.Markets.Selects(market.ConditionId));
        Assert.True(node.Markets.Requests.TryRead(out var requested));
        Assert.Equal(market.ConditionId, requested);
    }

    [Fact]
    public void Release_ASlotWithARequestPending_LetsTheMarketBeRequestedAgainLater()
    {
        var node = new Node();
        node.Take(6, []);
        var market = MarketIn(6);
        Assert.False(node.Markets.Selects(market.ConditionId));
        node.Give(6);
        node.Take(6, []);
        while (node.Markets.Requests.TryRead(out _))
        {
            // The stale request is read and dropped, as MarketSlots does when the slot is not held.
        }

        Assert.False(node.Markets.Selects(market.ConditionId));

        Assert.True(node.Markets.Requests.TryRead(out var requested));
        Assert.Equal(market.ConditionId, requested);
    }

    [Fact]
    public void Prune_AResolvedMarket_IsKeptWhileABookIsReadable_ThenForgotten()
    {
        var node = new Node();
        var resolved = MarketIn(1);
        var active = MarketIn(1, skip: 1);
        node.Take(1, [resolved, active]);
        var readable = new HashSet<string>(resolved.ClobTokenIds.Take(1));

        Assert.Empty(node.Markets.Prune(id => id == active.ConditionId, readable.Contains));
        Assert.True(node.Markets.Holds(resolved.ClobTokenIds[0])); // its last events still go out

        readable.Clear();
        Assert.Equal([resolved.ConditionId], node.Markets.Prune(id => id == active.ConditionId, readable.Contains));
        Assert.All(resolved.ClobTokenIds, token => Assert.False(node.Markets.Holds(token), token));
        Assert.True(node.Markets.Selects(active.ConditionId));
    }

    [Fact]
    public void Refuse_AMarket_IsNeverSelectedNorRequestedAgain()
    {
        var node = new Node();
        node.Take(0, []);
        var market = MarketIn(0);
        Assert.False(node.Markets.Selects(market.ConditionId));
        Assert.True(node.Markets.Requests.TryRead(out _));

        node.Markets.Refuse(market.ConditionId);

        Assert.False(node.Markets.Selects(market.ConditionId));
        Assert.False(node.Markets.Requests.TryRead(out _));
    }

    private static readonly Gen<(int Kind, int Value)> s_change = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1_000]);

    [Fact]
    public void TwoNodes_OverRandomListingsResolutionsAndHandOvers_CarryEveryActiveMarketExactlyOnce()
    {
        s_change.Array[1, 120].Sample(changes =>
        {
            var a = new Node();
            var b = new Node();
            var universe = Enumerable.Range(1, 20).Select(Market).ToList();
            var next = 21;
            for (var slot = 0; slot < Slots; slot++)
            {
                (slot % 2 == 0 ? a : b).Take(slot, universe);
            }

            foreach (var (kind, value) in changes)
            {
                switch (kind)
                {
                    case 0: // a listing: every node learns of it and its streamer asks
                        var listed = Market(next++);
                        universe.Add(listed);
                        a.Markets.Selects(listed.ConditionId);
                        b.Markets.Selects(listed.ConditionId);
                        break;
                    case 1 when universe.Count > 0: // a resolution: it leaves the universe, its books stay readable a while
                        universe.RemoveAt(value % universe.Count);
                        break;
                    case 2: // a hand-over: the holder gives the slot up before the other can take it
                        var slot = value % Slots;
                        var (from, to) = a.HoldsSlot(slot) ? (a, b) : (b, a);
                        from.Give(slot);
                        Assert.All(universe.SelectMany(m => m.ClobTokenIds), token => Assert.False(a.Markets.Holds(token) && b.Markets.Holds(token), token));
                        to.Take(slot, universe);
                        break;
                    default: // a re-discovery: each streamer asks about every market it knows
                        foreach (var market in universe)
                        {
                            a.Markets.Selects(market.ConditionId);
                            b.Markets.Selects(market.ConditionId);
                        }

                        break;
                }

                a.Serve(universe);
                b.Serve(universe);
                foreach (var market in universe)
                {
                    Assert.True(a.Markets.Selects(market.ConditionId) ^ b.Markets.Selects(market.ConditionId), market.ConditionId);
                    Assert.All(market.ClobTokenIds, token => Assert.True(a.Markets.Holds(token) ^ b.Markets.Holds(token), token));
                }
            }
        });
    }
}
