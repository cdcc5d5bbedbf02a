using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using PolyStream.Nats;

namespace PolyStream.IntegrationTests;

/// <summary>One node's leases on a real nats-server: a takeover that fails is handed back, not held silent.</summary>
public sealed class SlotLeasesTests
{
    private static readonly NatsScaleOutOptions s_options = new() { NodeId = "node-a", Slots = 4, LeasePeriod = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ATakeoverThatFails_HandsTheSlotBack_AndAFollowingRoundTakesItAgain()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var store = await BusStore.OpenAsync(connection, s_options with { Url = nats.Url }, TestContext.Current.CancellationToken);
        var universe = Enumerable.Range(0, 40).Select(i => $"asset-{i}").ToArray();
        var failing = BusNames.SlotOf(universe[0], s_options.Slots);
        var released = new List<string>();
        var failures = 1;
        var leases = new SlotLeases(store.Leases, s_options, "node-a-000001", universe, TimeProvider.System, NullLogger.Instance)
        {
            Acquired = (assets, _) => assets.Contains(universe[0]) && failures-- > 0
                ? throw new NatsException("restoring the books from the bus failed")
                : Task.CompletedTask,
            Released = (assets, _) =>
            {
                released.AddRange(assets);
                return Task.CompletedTask;
            },
        };

        // Alone, the node's fair share is every slot; the failing one is taken, then handed back.
        await Assert.ThrowsAsync<NatsException>(() => leases.RoundAsync(TestContext.Current.CancellationToken));

        Assert.DoesNotContain(failing, leases.HeldSlots);
        Assert.False(leases.Holds(universe[0]));
        Assert.Contains(universe[0], released);
        Assert.DoesNotContain(BusNames.SlotKey(failing), await KeysAsync(store.Leases));

        await leases.RoundAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, s_options.Slots), leases.HeldSlots.Order());
        Assert.All(universe, asset => Assert.True(leases.Holds(asset), asset));
        Assert.Contains(BusNames.SlotKey(failing), await KeysAsync(store.Leases));
    }

    [Fact]
    public async Task ALeaseThatExpiredAndWasTaken_IsDroppedAtRenewal_NotRenewedOverTheNewOwner()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var store = await BusStore.OpenAsync(connection, s_options with { Url = nats.Url }, TestContext.Current.CancellationToken);
        var universe = Enumerable.Range(0, 40).Select(i => $"asset-{i}").ToArray();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var released = new List<string>();
        var leases = new SlotLeases(store.Leases, s_options, "node-a-000001", universe, time, NullLogger.Instance)
        {
            Released = (assets, _) =>
            {
                released.AddRange(assets);
                return Task.CompletedTask;
            },
        };
        await leases.RoundAsync(TestContext.Current.CancellationToken);
        Assert.Equal(s_options.Slots, leases.HeldSlots.Count);

        // Another node took slot 0 after our lease lapsed (here: deleted and created again by it).
        await store.Leases.DeleteAsync(BusNames.SlotKey(0), cancellationToken: TestContext.Current.CancellationToken);
        await store.Leases.CreateAsync(BusNames.SlotKey(0), "{\"node\":\"node-b\",\"publisher\":\"node-b-000002\"}"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        time.Advance(leases.Timing.RenewEvery);
        await leases.RoundAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(0, leases.HeldSlots);
        Assert.All(universe.Where(a => BusNames.SlotOf(a, s_options.Slots) == 0), asset =>
        {
            Assert.False(leases.Holds(asset));
            Assert.Contains(asset, released);
        });
        var holder = await store.Leases.GetEntryAsync<byte[]>(BusNames.SlotKey(0), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("node-b-000002", System.Text.Encoding.UTF8.GetString(holder.Value!), StringComparison.Ordinal);
    }

    private static async Task<List<string>> KeysAsync(INatsKVStore bucket)
    {
        var keys = new List<string>();
        await foreach (var key in bucket.GetKeysAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            keys.Add(key);
        }

        return keys;
    }
}
