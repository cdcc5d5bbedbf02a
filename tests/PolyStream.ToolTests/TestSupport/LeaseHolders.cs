using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace PolyStream.ToolTests.TestSupport;

/// <summary>Who holds which slot, read straight from a scale-out's lease bucket.</summary>
internal static class LeaseHolders
{
    /// <summary>The lease bucket, once a node has created it.</summary>
    public static async Task<INatsKVStore> BucketAsync(NatsConnection connection, TimeSpan limit, string name = "polystream-leases")
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await new NatsKVContext(new NatsJSContext(connection)).GetStoreAsync(name, TestContext.Current.CancellationToken);
            }
            catch (NatsJSApiException) when (started.Elapsed < limit)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken); // no node has created it yet
            }
        }
    }

    /// <summary>Slot → the publisher holding its lease.</summary>
    public static async Task<Dictionary<int, string>> ReadAsync(INatsKVStore leases)
    {
        var holders = new Dictionary<int, string>();
        await foreach (var key in leases.GetKeysAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            if (key.StartsWith("slot.", StringComparison.Ordinal))
            {
                var entry = await leases.GetEntryAsync<byte[]>(key, cancellationToken: TestContext.Current.CancellationToken);
                using var value = JsonDocument.Parse(entry.Value);
                holders[int.Parse(key[5..], CultureInfo.InvariantCulture)] = value.RootElement.GetProperty("publisher").GetString()!;
            }
        }

        return holders;
    }

    /// <summary>Waits until the holders meet <paramref name="condition"/>, failing with them after <paramref name="limit"/>.</summary>
    public static async Task<Dictionary<int, string>> WaitForAsync(INatsKVStore leases, Func<Dictionary<int, string>, bool> condition, string what, TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            Dictionary<int, string> holders;
            try
            {
                holders = await ReadAsync(leases);
            }
            catch (Exception ex) when (ex is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
            {
                continue; // A lease expired or was handed back between listing and reading it.
            }

            if (condition(holders))
            {
                return holders;
            }

            Assert.True(started.Elapsed < limit, $"not within {limit}: {what}; holders: {string.Join(", ", holders.OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}"))}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
