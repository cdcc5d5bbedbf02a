using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using PolyStream.Nats;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.ToolTests;

/// <summary>
/// Two daemons in universe mode split a moving universe on a real nats-server while the simulator lists and
/// resolves markets; one is killed mid-run, and a market listed while it is down is streamed by the survivor.
/// </summary>
public sealed class UniverseScaleOutTests
{
    private const int Slots = 32;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_leasePeriod = TimeSpan.FromSeconds(3);

    [Fact(Timeout = 90_000)]
    public async Task TwoDaemonsOnAMovingUniverse_OneKilled_TheBusCarriesEveryActiveMarket_NeverFromTwoLiveNodes()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        // 40 markets: four up-or-down series among them, each listing its next market every 8 s (one listing every 2 s).
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 40, Seed = 41, SeriesPeriod = TimeSpan.FromSeconds(8) });
        await using var venue = VenueClock.Start(host);
        var folder = Directory.CreateTempSubdirectory("polystream-universe-scaleout-").FullName;
        var logs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var nodeA = StartDaemon(folder, "node-a", nats.Url, host, logs);
        using var nodeB = StartDaemon(folder, "node-b", nats.Url, host, logs);
        try
        {
            await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
            var leases = await LeaseHolders.BucketAsync(connection, s_limit);
            await using var bus = await BusTape.StartAsync(nats.Url);
            var holders = await LeaseHolders.WaitForAsync(leases, h => h.Count == Slots && h.Values.Count(IsNodeA) == Slots / 2, "both daemons hold 16 slots", s_limit);
            var resolvedAtSplit = venue.Markets().Where(m => !venue.IsActive(m.ConditionId)).Select(m => m.ConditionId).ToHashSet();
            await WaitUntilAsync(() => Unpublished(venue, bus).Count == 0, () => $"every active market's books on the bus; missing {string.Join(", ", Unpublished(venue, bus).Take(5))}");
            var settled = await LastSequenceAsync(connection);

            nodeA.Kill();
            await nodeA.WaitForExitAsync(TestContext.Current.CancellationToken);
            var killed = await LastSequenceAsync(connection);
            var activeAtKill = venue.Markets().Where(m => venue.IsActive(m.ConditionId)).Select(m => m.ConditionId).ToHashSet();
            var slotsOfA = holders.Where(h => IsNodeA(h.Value)).Select(h => h.Key).ToHashSet();
            var listedWhileDown = venue.ListUntil(market => slotsOfA.Contains(BusNames.SlotOf(market.ConditionId, Slots)));

            await LeaseHolders.WaitForAsync(leases, h => h.Count == Slots && h.Values.All(IsNodeB), "node-b holds every slot", s_limit);
            await WaitUntilAsync(
                () => bus.HasWholeBook(listedWhileDown.YesTokenId, IsNodeB) && bus.HasWholeBook(listedWhileDown.NoTokenId, IsNodeB),
                () => $"node-b publishing {listedWhileDown.ConditionId}, listed while node-a was down");
            var marketsBefore = venue.Markets().Count;
            await WaitUntilAsync(() => venue.Markets().Count >= marketsBefore + 2, () => "two more listings");
            await venue.StopAsync(); // the active set stays put from here
            await WaitUntilAsync(() => Unpublished(venue, bus).Count == 0, () => $"every active market's books on the bus; missing {string.Join(", ", Unpublished(venue, bus).Take(5))}");
            nodeB.Kill();
            await nodeB.WaitForExitAsync(TestContext.Current.CancellationToken);
            var end = await LastSequenceAsync(connection);
            await WaitUntilAsync(() => bus.LastSequence >= end, () => $"the tape reading the stream to its end ({bus.LastSequence} of {end})");

            var events = bus.Events;
            var markets = venue.Markets();
            var marketOf = markets.SelectMany(m => new[] { (Token: m.YesTokenId, Market: m), (Token: m.NoTokenId, Market: m) }).ToDictionary(t => t.Token, t => t.Market);
            var resolved = events.Where(e => e.Type == "market_resolved").Select(e => e.Market).OfType<string>().ToHashSet();
            var published = events.Where(e => e.AssetId is not null).Select(e => marketOf[e.AssetId!].ConditionId).ToHashSet();
            var active = markets.Where(m => venue.IsActive(m.ConditionId)).Select(m => m.ConditionId).ToHashSet();
            TestContext.Current.TestOutputHelper?.WriteLine($"{events.Count} events; {markets.Count} markets, {active.Count} active at the end, {resolved.Count} resolved during the run; {published.Count} published");

            // The union of published markets is the active set, plus markets that resolved during the run.
            Assert.True(active.IsSubsetOf(published), $"active, not published: {string.Join(", ", active.Except(published))}");
            // Two exceptions, by design: a market that resolved while its slot had no live holder, during the start's
            // hand-overs (the second daemon takes half the slots) or after node-a's kill before node-b took node-a's
            // slots over. The venue sends market_resolved only to a market's subscribers, so no node relayed it; its
            // new holder carries the market until a re-discovery finds it closed (docs/scale-out.md, "Limits").
            Assert.All(published.Except(active).Except(resolved).Except(resolvedAtSplit), market =>
            {
                Assert.True(activeAtKill.Contains(market), $"{market} resolved between the split and the kill, with both daemons live, and no node relayed it");
                Assert.Contains(BusNames.SlotOf(market, Slots), slotsOfA);
            });
            Assert.True(resolved.Count >= 2, $"the lifecycle resolved {resolved.Count} markets during the run");

            // Until the kill, each market's events come from the node holding the slot of its condition id: both tokens together.
            Assert.All(events.Where(e => e.Sequence > settled && e.Sequence <= killed && e.AssetId is not null), e =>
                Assert.Equal(holders[BusNames.SlotOf(marketOf[e.AssetId!].ConditionId, Slots)], e.Publisher));
            Assert.DoesNotContain(events, e => e.Sequence > killed && IsNodeA(e.Publisher));

            // Never two live publishers of a book: a hand-over opens a higher epoch, so epochs never go back, and each has one publisher.
            foreach (var book in events.Where(e => e.IsBookChange).GroupBy(e => e.AssetId!))
            {
                var epochs = book.Select(e => e.Epoch).ToList();
                Assert.True(epochs.SequenceEqual(epochs.Order()), $"{book.Key}: epochs {string.Join(",", epochs.Distinct())} go back");
                Assert.True(book.GroupBy(e => e.Epoch).All(epoch => epoch.Select(e => e.Publisher).Distinct().Count() == 1), string.Join('\n', logs.Where(l => l.Contains("\"EventId\":701", StringComparison.Ordinal) || l.Contains("\"EventId\":702", StringComparison.Ordinal))) + $"\n{book.Key}: an epoch with two publishers: " + string.Join(", ", events.Where(e => e.AssetId == book.Key).Select(e => $"{e.Sequence} {e.Type} {e.Publisher} e{e.Epoch}")));
            }
        }
        finally
        {
            nodeA.Kill();
            nodeB.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsNodeA(string publisher) => publisher.StartsWith("node-a-", StringComparison.Ordinal);

    private static bool IsNodeB(string publisher) => publisher.StartsWith("node-b-", StringComparison.Ordinal);

    /// <summary>The tokens of the venue's active markets with no whole book on the bus yet.</summary>
    private static List<string> Unpublished(VenueClock venue, BusTape bus) =>
        [.. venue.Markets().Where(m => venue.IsActive(m.ConditionId)).SelectMany(m => new[] { m.YesTokenId, m.NoTokenId }).Where(t => !bus.HasWholeBook(t, _ => true))];

    private static async Task<ulong> LastSequenceAsync(NatsConnection connection)
    {
        var stream = await new NatsJSContext(connection).GetStreamAsync("POLYSTREAM", cancellationToken: TestContext.Current.CancellationToken);
        return stream.Info.State.LastSeq;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < s_limit, $"not within {s_limit}: {what()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static Process StartDaemon(string folder, string node, string natsUrl, SimHost host, System.Collections.Concurrent.ConcurrentQueue<string> logs) =>
        DaemonProcess.Start(
            folder,
            node,
            new
            {
                Host = host.Server.BaseUrl.ToString(),
                Universe = "all",
                StatusPort = 0,
                CheckpointIntervalSeconds = 0,
                StatusIntervalSeconds = 1,
                DataDir = Path.Combine(folder, node),
                Nats = new { Url = natsUrl, NodeId = node, LeasePeriodSeconds = s_leasePeriod.TotalSeconds, SnapshotIntervalSeconds = 0.2 },
            },
            logs);

    /// <summary>
    /// Runs the simulator's clock at wall-clock pace and steps it (its series list and resolve by that clock), and
    /// reads its markets between steps: the engine is not safe to read while it steps.
    /// </summary>
    private sealed class VenueClock : IAsyncDisposable
    {
        private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
        private readonly SimHost _host;
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _loop;

        private VenueClock(SimHost host)
        {
            _host = host;
            _loop = RunAsync(_stopping.Token);
        }

        public static VenueClock Start(SimHost host) => new(host);

        public IReadOnlyList<SimMarket> Markets()
        {
            lock (_gate)
            {
                return _host.Server.Engine.Markets;
            }
        }

        public bool IsActive(string conditionId)
        {
            lock (_gate)
            {
                return _host.Server.Engine.IsActive(conditionId);
            }
        }

        /// <summary>Lists markets by hand until one meets <paramref name="wanted"/>; returns it.</summary>
        public SimMarket ListUntil(Func<SimMarket, bool> wanted)
        {
            lock (_gate)
            {
                while (true)
                {
                    var listed = _host.Server.Engine.FindMarket(_host.Server.List().Single().Market)!;
                    if (wanted(listed))
                    {
                        return listed;
                    }
                }
            }
        }

        /// <summary>Stops the clock and the steps: nothing lists or resolves any more.</summary>
        public async Task StopAsync()
        {
            await _stopping.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stopping.Dispose();
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(s_tick);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_gate)
                {
                    _host.Time.Advance(s_tick);
                    _host.Server.Step(2);
                }
            }
        }
    }

    /// <summary>One published event as the test reads it back.</summary>
    private sealed record BusEvent(ulong Sequence, string Type, string? AssetId, string? Market, string Publisher, long Epoch)
    {
        public bool IsBookChange => Type is "book_delta" || IsWholeBook;

        public bool IsWholeBook => Type is "book_snapshot" or "tick_size_change" or "book_rebase";
    }

    /// <summary>Reads the whole stream from its start in the background, as any consumer would.</summary>
    private sealed class BusTape : IAsyncDisposable
    {
        private readonly NatsEventFeed _feed;
        private readonly List<BusEvent> _events = [];
        private readonly Dictionary<string, HashSet<string>> _wholeBooks = new(StringComparer.Ordinal); // asset → who published a whole book of it
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _loop;

        private BusTape(NatsEventFeed feed)
        {
            _feed = feed;
            _loop = ReadAsync(_stopping.Token);
        }

        public static async Task<BusTape> StartAsync(string url)
        {
            var started = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    return new BusTape(await NatsEventFeed.OpenAsync(new NatsScaleOutOptions { Url = url }, fromStart: true, TestContext.Current.CancellationToken));
                }
                catch (NatsJSApiException) when (started.Elapsed < s_limit)
                {
                    await Task.Delay(50, TestContext.Current.CancellationToken); // no daemon has created the stream yet
                }
            }
        }

        public List<BusEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public ulong LastSequence
        {
            get
            {
                lock (_events)
                {
                    return _events.Count == 0 ? 0 : _events[^1].Sequence;
                }
            }
        }

        /// <summary>Whether a publisher <paramref name="by"/> accepts put a whole book of the asset on the bus.</summary>
        public bool HasWholeBook(string assetId, Func<string, bool> by)
        {
            lock (_events)
            {
                return _wholeBooks.TryGetValue(assetId, out var publishers) && publishers.Any(by);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            await _feed.DisposeAsync();
            _stopping.Dispose();
        }

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            await foreach (var message in _feed.ReadAllAsync(cancellationToken))
            {
                using var json = JsonDocument.Parse(message.Json);
                var root = json.RootElement;
                var read = new BusEvent(
                    message.Sequence,
                    root.GetProperty("type").GetString()!,
                    message.AssetId,
                    root.TryGetProperty("market", out var market) ? market.GetString() : null,
                    root.GetProperty("node").GetString()!,
                    root.TryGetProperty("epoch", out var epoch) ? epoch.GetInt64() : 0);
                lock (_events)
                {
                    _events.Add(read);
                    if (read.IsWholeBook)
                    {
                        _wholeBooks.TryAdd(read.AssetId!, []);
                        _wholeBooks[read.AssetId!].Add(read.Publisher);
                    }
                }
            }
        }
    }
}
