using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using PolyStream.Nats;

namespace PolyStream.ToolTests;

/// <summary>One node's leases on a real nats-server: a takeover that fails is handed back, not held silent.</summary>
public sealed class SlotLeasesTests : IAsyncDisposable
{
    private static readonly NatsScaleOutOptions s_options = new() { NodeId = "node-a", Slots = 4, LeasePeriod = TimeSpan.FromSeconds(30) };
    private readonly List<int> _released = [];
    private NatsServerProcess? _nats;
    private NatsConnection? _connection;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_nats is not null)
        {
            await _nats.DisposeAsync();
        }
    }

    /// <summary>A real server with the bus's buckets, and one node's leases on it that record what they release.</summary>
    private async Task<(SlotLeases Leases, INatsKVStore Bucket)> StartAsync(TimeProvider time, Func<int, CancellationToken, Task>? acquired = null)
    {
        _nats = await NatsServerProcess.StartAsync();
        _connection = new NatsConnection(new NatsOpts { Url = _nats.Url });
        var store = await BusStore.OpenAsync(_connection, s_options with { Url = _nats.Url }, TestContext.Current.CancellationToken);
        var leases = new SlotLeases(store.Leases, s_options, "node-a-000001", BusNames.SlotsByAsset, time, NullLogger.Instance)
        {
            Acquired = acquired ?? ((_, _) => Task.CompletedTask),
            Released = (slot, _) =>
            {
                _released.Add(slot);
                return Task.CompletedTask;
            },
        };
        return (leases, store.Leases);
    }

    [Fact]
    public async Task ATakeoverThatFails_HandsTheSlotBack_AndAFollowingRoundTakesItAgain()
    {
        const int failing = 2;
        var failures = 1;
        var (leases, bucket) = await StartAsync(TimeProvider.System, (slot, _) => slot == failing && failures-- > 0
            ? throw new NatsException("restoring the books from the bus failed")
            : Task.CompletedTask);

        // Alone, the node's fair share is every slot; the failing one is taken, then handed back.
        await Assert.ThrowsAsync<NatsException>(() => leases.RoundAsync(TestContext.Current.CancellationToken));

        Assert.DoesNotContain(failing, leases.HeldSlots);
        Assert.False(leases.Holds(failing));
        Assert.Equal([failing], _released);
        Assert.DoesNotContain(BusNames.SlotKey(failing), await KeysAsync(bucket));

        await leases.RoundAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, s_options.Slots), leases.HeldSlots.Order());
        Assert.All(Enumerable.Range(0, s_options.Slots), slot => Assert.True(leases.Holds(slot), $"slot {slot}"));
        Assert.Contains(BusNames.SlotKey(failing), await KeysAsync(bucket));
    }

    [Fact]
    public async Task ALeaseThatExpiredAndWasTaken_IsDroppedAtRenewal_NotRenewedOverTheNewOwner()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var (leases, bucket) = await StartAsync(time);
        await leases.RoundAsync(TestContext.Current.CancellationToken);
        Assert.Equal(s_options.Slots, leases.HeldSlots.Count);

        // Another node took slot 0 after our lease lapsed (here: deleted and created again by it).
        await bucket.DeleteAsync(BusNames.SlotKey(0), cancellationToken: TestContext.Current.CancellationToken);
        await bucket.CreateAsync(BusNames.SlotKey(0), "{\"node\":\"node-b\",\"publisher\":\"node-b-000002\"}"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        time.Advance(leases.Timing.RenewEvery);
        await leases.RoundAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(0, leases.HeldSlots);
        Assert.False(leases.Holds(0));
        Assert.Equal([0], _released);
        var holder = await bucket.GetEntryAsync<byte[]>(BusNames.SlotKey(0), cancellationToken: TestContext.Current.CancellationToken);
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
