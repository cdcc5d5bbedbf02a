using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using PolyStream.Connections;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Resync;
using PolyStream.Simulator;
using PolyStream.Simulator.Server;

namespace PolyStream.IntegrationTests;

/// <summary>
/// The collector end to end: the simulator recorded with rotation while faults are injected, then every
/// export kind checked against the simulator's ground truth, and the Parquet files read back by DuckDB.
/// </summary>
public sealed class CollectorTests : IDisposable
{
    // The issue's 30 s with rotation every 10 s, scaled down five times: 15 chunks of market activity,
    // one at each 400 ms boundary, and a new segment every 2 s.
    private const long IntervalMicros = 400_000;
    private const int Chunks = 15;
    private const int DropChunk = 5;
    private const int CorruptChunk = 10;

    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-collector-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Export_RecordingWithRotationAndFaults_MatchesGroundTruthAndListsExactlyTheFaults()
    {
        var recording = Path.Combine(_directory, "rec");
        var session = await RecordAsync(recording);

        var manifest = ManifestFile.TryLoad(recording)!;
        Assert.True(manifest.Segments.Count >= 3, $"{manifest.Segments.Count} segments");
        Assert.All(manifest.Segments, s => Assert.NotNull(s.Closed));
        Assert.Equal(RecordingReader.Open(recording).ReadFrames().Count(), manifest.Segments.Sum(s => s.Frames));
        Assert.Contains(manifest.Segments, s => s.Gaps.Any(g => g.Reason == RecordingNote.Disconnected));

        var output = Path.Combine(_directory, "out");
        foreach (var (kind, file) in new[] { ("book_snapshot", "book_snapshot_25"), ("trades", "trades"), ("quotes", "quotes"), ("incremental_book_l2", "incremental_book_L2") })
        {
            foreach (var format in new[] { "csv", "parquet" })
            {
                string[] interval = kind == "book_snapshot" ? ["--interval", "400ms"] : [];
                var (code, printed, error) = await CliRunner.RunAsync(["export", recording, "--kind", kind, "--out", Path.Combine(output, $"{file}.{format}"), .. interval]);
                Assert.True(code == 0, printed + error);
                Assert.Contains("mismatched=", printed, StringComparison.Ordinal);
            }
        }

        AssertSnapshotsAtGroundTruth(Csv(Path.Combine(output, "book_snapshot_25.csv")), session);
        var trades = Csv(Path.Combine(output, "trades.csv"));
        var exported = trades.Select(r => r["id"]).ToList();
        Assert.True(
            session.TradeIds.Order(StringComparer.Ordinal).SequenceEqual(exported.Order(StringComparer.Ordinal)),
            $"{session.TradeIds.Count} trades sent, {exported.Count} exported; missing {string.Join(' ', session.TradeIds.Except(exported))}; extra or repeated {string.Join(' ', exported.GroupBy(t => t).Where(g => g.Count() > 1 || !session.TradeIds.Contains(g.Key)).Select(g => g.Key))}");
        AssertGapsAreTheFaults(Csv(Path.Combine(output, "trades.gaps.csv")), session);

        // --from, --to and --asset cut the matching rows of the whole export; the cut opens with the book's
        // state as a snapshot (a Tardis reader needs one to start from), then follows the whole export row for row.
        var (from, to, token) = (session.Chunks[3].Started, session.Chunks[12].Started, session.Tokens[0]);
        var (cutCode, _, cutError) = await CliRunner.RunAsync(
            "export", recording, "--kind", "incremental_book_l2", "--out", Path.Combine(output, "cut.csv"), "--asset", token,
            "--from", from.ToString(CultureInfo.InvariantCulture), "--to", DateTimeOffset.UnixEpoch.AddTicks(to * 10).ToString("O", CultureInfo.InvariantCulture));
        Assert.True(cutCode == 0, cutError);
        var whole = Csv(Path.Combine(output, "incremental_book_L2.csv"))
            .Where(r => r["symbol"] == token && long.Parse(r["local_timestamp"], CultureInfo.InvariantCulture) is var at && at >= from && at < to)
            .Select(r => string.Join(',', r.Values)).ToList();
        var cut = Csv(Path.Combine(output, "cut.csv")).Select(r => string.Join(',', r.Values)).ToList();
        var opening = cut.TakeWhile(r => r.Contains(",true,", StringComparison.Ordinal)).Count();
        Assert.True(opening > 0 && cut.Count > opening, $"{opening} snapshot rows, {cut.Count} in all");
        Assert.Equal(whole.TakeLast(cut.Count - opening), cut.Skip(opening));

        // An independent reader sees in the Parquet files exactly what the CSV files hold, decimals exact.
        using var duck = DuckDb(output);
        foreach (var file in new[] { "book_snapshot_25", "trades", "quotes", "incremental_book_L2", "trades.gaps" })
        {
            Assert.Equal(Csv(Path.Combine(output, file + ".csv")).Count, Scalar<long>(duck, $"SELECT count(*) FROM read_parquet('{file}.parquet')"));
        }

        var firstTrade = trades[0];
        Assert.Equal(1L, Scalar<long>(duck, $"SELECT count(*) FROM read_parquet('trades.parquet') WHERE id = '{firstTrade["id"]}' AND price = {firstTrade["price"]} AND amount = {firstTrade["amount"]} AND symbol = '{firstTrade["symbol"]}'"));
        Assert.Equal("DECIMAL(18,6)", Scalar<string>(duck, "SELECT typeof(price) FROM read_parquet('trades.parquet') LIMIT 1"));
        Assert.Equal(0L, Scalar<long>(duck, "SELECT count(*) FROM read_parquet('book_snapshot_25.parquet') WHERE NOT hash_verified AND epoch < 1"));

        // Every query docs/collecting.md prints runs as printed, on these files.
        var queries = DocumentedQueries();
        Assert.True(queries.Count >= 4, $"{queries.Count} DuckDB queries found in docs/collecting.md");
        foreach (var query in queries)
        {
            using var command = duck.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read(), $"no rows from the documented query:\n{query}");
        }
    }

    /// <summary>What the recording session did: the simulator's books after each chunk, when each chunk ran, the trades it sent and when the faults were injected.</summary>
    private sealed record Session(List<Chunk> Chunks, HashSet<string> TradeIds, (long From, long To) Drop, (long From, long To) Corrupt, string[] Tokens);

    /// <summary>One chunk: stepped at <c>Started</c>, every book at ground truth by <c>Synced</c>, with these books.</summary>
    private sealed record Chunk(long Started, long Synced, Dictionary<string, Books.BookSummary> Books);

    private static long NowMicros() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private static async Task<Session> RecordAsync(string recording)
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 3, Seed = 77, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var chunks = new List<Chunk>();
        var trades = new HashSet<string>(StringComparer.Ordinal);
        (long, long) drop = default, corrupt = default;
        await using (var recorder = RecordingWriter.Start(new RecordingWriterOptions { Directory = recording, Assets = [.. tokens], BlockBytes = 8 * 1024, MaxSegmentAge = TimeSpan.FromSeconds(2) }))
        {
            var config = new StreamerConfig
            {
                MarketAssets = tokens,
                Recorder = recorder,
                MaxAssetsPerConnection = 2,
                Ws = new WsConfig { ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) },
                ConnectInterval = TimeSpan.FromMilliseconds(10),
                Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(100) },
            };
            await using var streamer = new Streamer(config);
            await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
            await GroundTruth.WaitAsync(streamer, host, tokens, TimeSpan.FromSeconds(30));
            for (var chunk = 0; chunk < Chunks; chunk++)
            {
                // Pacing in wall time, as a live market runs: each chunk starts just after a snapshot boundary, so
                // every boundary's snapshot is the books after the chunk before it.
                var next = ((NowMicros() / IntervalMicros) + 1) * IntervalMicros;
                await Task.Delay(TimeSpan.FromMicroseconds(next - NowMicros() + 20_000), TestContext.Current.CancellationToken);
                var started = NowMicros();
                if (chunk == DropChunk)
                {
                    var reconnects = streamer.Shards.Sum(s => s.Connection.ReconnectCount);
                    host.Server.Faults.DropConnections();
                    await WaitAsync(() => streamer.Shards.All(s => s.Connection.State == WsState.Subscribed) && streamer.Shards.Sum(s => s.Connection.ReconnectCount) >= reconnects + streamer.Shards.Count);

                    // The simulator holds the new subscriptions too, so none of the chunk's frames is sent into the void.
                    await WaitAsync(() => host.Server.Connections.Where(c => c.Channel == SimulatorChannel.Market && c.IsSubscribed).ToList() is var open
                        && open.Count == streamer.Shards.Count && open.SelectMany(c => c.Assets).ToHashSet().SetEquals(tokens));
                }

                if (chunk == CorruptChunk)
                {
                    host.Server.Faults.ForEachConnection(f => f.CorruptNextHashes(1));
                }

                foreach (var frame in host.Server.Step(100))
                {
                    if (frame.Kind == WireEventKind.LastTradePrice)
                    {
                        using var trade = JsonDocument.Parse(frame.Utf8);
                        trades.Add(trade.RootElement.GetProperty("transaction_hash").GetString()!);
                    }
                }

                await GroundTruth.WaitAsync(streamer, host, tokens, TimeSpan.FromSeconds(10));
                var synced = NowMicros();
                chunks.Add(new Chunk(started, synced, tokens.ToDictionary(t => t, t => host.Server.GetBook(t)!)));
                if (chunk == DropChunk)
                {
                    drop = (started, synced);
                }
                else if (chunk == CorruptChunk)
                {
                    corrupt = (started, synced);
                }
            }
        }

        return new Session(chunks, trades, drop, corrupt, tokens);
    }

    /// <summary>Each row at boundary B is the books after the last chunk that was at ground truth before B, when the next chunk had not started; at least half the rows are checked.</summary>
    private static void AssertSnapshotsAtGroundTruth(List<Dictionary<string, string>> rows, Session session)
    {
        var checkedRows = 0;
        foreach (var row in rows)
        {
            var at = long.Parse(row["local_timestamp"], CultureInfo.InvariantCulture);
            var index = session.Chunks.FindLastIndex(c => c.Synced < at);
            if (index < 0)
            {
                continue;
            }

            if (index + 1 < session.Chunks.Count && session.Chunks[index + 1].Started < at)
            {
                // The next chunk was being applied across this boundary (its sync took longer than the rest of the
                // interval): the books stood somewhere between two ground truths, so the row has none to match. The
                // count below still fails a machine too slow to pace most of the chunks.
                continue;
            }

            var truth = session.Chunks[index].Books[row["symbol"]];
            for (var level = 0; level < 25; level++)
            {
                Assert.Equal(Level(truth.Asks, level), (row[$"asks[{level}].price"], row[$"asks[{level}].amount"]));
                Assert.Equal(Level(truth.Bids, level), (row[$"bids[{level}].price"], row[$"bids[{level}].amount"]));
            }

            checkedRows++;
        }

        Assert.True(checkedRows >= Chunks * session.Tokens.Length / 2, $"only {checkedRows} of {rows.Count} snapshot rows were checked");
    }

    private static (string, string) Level(System.Collections.Immutable.ImmutableArray<PriceLevel> side, int level) =>
        level < side.Length ? (side[^(level + 1)].Price.ToString(), side[^(level + 1)].Size.ToString()) : (string.Empty, string.Empty);

    /// <summary>The drop is one gap per token, starting within the drop's chunk; the corrupted hashes are hash_mismatch gaps within theirs; nothing else.</summary>
    private static void AssertGapsAreTheFaults(List<Dictionary<string, string>> gaps, Session session)
    {
        static bool Within(Dictionary<string, string> gap, (long From, long To) window) =>
            long.Parse(gap["from_local_timestamp"], CultureInfo.InvariantCulture) is var from && from >= window.From && from <= window.To;

        var dropped = gaps.Where(g => g["reason"] == RecordingNote.Disconnected).ToList();
        Assert.Equal(session.Tokens.Order(StringComparer.Ordinal), dropped.Select(g => g["symbol"]).Order(StringComparer.Ordinal));
        Assert.All(dropped, g => Assert.True(Within(g, session.Drop), $"a drop gap from {g["from_local_timestamp"]} outside {session.Drop}"));
        var mismatched = gaps.Where(g => g["reason"] == "hash_mismatch").ToList();
        Assert.NotEmpty(mismatched);
        Assert.All(mismatched, g => Assert.True(Within(g, session.Corrupt), $"a mismatch gap from {g["from_local_timestamp"]} outside {session.Corrupt}"));
        Assert.True(gaps.Count == dropped.Count + mismatched.Count, $"gaps other than the faults' (drop {session.Drop}, corrupt {session.Corrupt}):\n{string.Join('\n', gaps.Select(g => string.Join(',', g.Values)))}");
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(cells => header.Select((name, i) => (name, cells[i])).ToDictionary(c => c.name, c => c.Item2))];
    }

    private static DuckDBConnection DuckDb(string directory)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET file_search_path = '{directory}'";
        command.ExecuteNonQuery();
        return connection;
    }

    private static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>sql</c> blocks of docs/collecting.md (copied beside the tests).</summary>
    private static List<string> DocumentedQueries()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "collecting.md"));
        return [.. text.Split("```sql").Skip(1).Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)].Trim())];
    }
}
