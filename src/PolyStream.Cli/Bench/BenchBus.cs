using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using PolyStream.Nats;

namespace PolyStream.Cli.Bench;

/// <summary>
/// <c>bench --nats</c>: a scale-out node that publishes the bench's events to JetStream, under names of its
/// own so real data on that server is untouched (they are deleted before and after the run), and with
/// <c>--replica</c> a <see cref="NatsBookReplica"/> that rebuilds and proves every book from the stream.
/// </summary>
internal sealed class BenchBus : IAsyncDisposable
{
    private readonly NatsNode _node;
    private readonly NatsBookReplica? _replica;
    private readonly NatsScaleOutOptions _options;
    private readonly ILoggerFactory _logs;
    private NatsNodeCounts _before;
    private NatsReplicaCounts _replicaBefore;

    private BenchBus(NatsNode node, NatsBookReplica? replica, NatsScaleOutOptions options, ILoggerFactory logs)
    {
        _node = node;
        _replica = replica;
        _options = options;
        _logs = logs;
    }

    /// <summary>The bench's stream, buckets and subjects on the server at <paramref name="url"/>.</summary>
    private static NatsScaleOutOptions OptionsFor(string url) => new()
    {
        Url = url,
        NodeId = "bench",
        StreamName = "POLYSTREAM_BENCH",
        SubjectPrefix = "polystream-bench",
        SnapshotBucket = "polystream-bench-books",
        LeaseBucket = "polystream-bench-leases",
    };

    /// <summary>Clears what an earlier run left, then starts a node that owns every token and subscribes the streamer to them.</summary>
    /// <exception cref="NatsException">NATS is unreachable or JetStream is off.</exception>
    /// <exception cref="InvalidOperationException">Another node holds the bench's leases (another bench on that server).</exception>
    public static async Task<BenchBus> StartAsync(Streamer streamer, IReadOnlyCollection<string> tokens, string url, bool withReplica, CancellationToken cancellationToken)
    {
        var options = OptionsFor(url);
        await DeleteAsync(options, cancellationToken).ConfigureAwait(false);
        var bus = await OpenAsync(streamer, tokens, options, withReplica, cancellationToken).ConfigureAwait(false);
        if (!await bus.OwnsAllAsync(tokens.Count, cancellationToken).ConfigureAwait(false))
        {
            await bus.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"another node holds leases in {options.LeaseBucket} at {url}; is another bench running against this server?");
        }

        return bus;
    }

    private static async Task<BenchBus> OpenAsync(Streamer streamer, IReadOnlyCollection<string> tokens, NatsScaleOutOptions options, bool withReplica, CancellationToken cancellationToken)
    {
        // The node's warnings (a failed publish, a lost lease) explain figures that look wrong; they go to stderr.
        var logs = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        NatsNode? node = null;
        try
        {
            node = await NatsNode.StartAsync(streamer, tokens, options, logs, cancellationToken: cancellationToken).ConfigureAwait(false);
            var replica = withReplica ? await NatsBookReplica.StartAsync(options, loggerFactory: logs, cancellationToken: cancellationToken).ConfigureAwait(false) : null;
            return new BenchBus(node, replica, options, logs);
        }
        catch
        {
            if (node is not null)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            logs.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the node, alone, took every token. Its first round takes the slots one after another, each take-over
    /// looking every asset up on the bus (three requests each) and fetching its metadata over REST, while the tokens
    /// of the slots already taken stream at the full offered load; on two busy cores that round outlasts a lease
    /// period, so the whole round is not what is bounded. Progress is: a free slot is taken at the node's next look
    /// (every tenth of a lease period), so a whole lease period without a slot gained means that what is still
    /// missing is held by another node.
    /// </summary>
    private async Task<bool> OwnsAllAsync(int tokens, CancellationToken cancellationToken)
    {
        var owned = _node.OwnedAssets.Count;
        var gainedAt = TimeProvider.System.GetTimestamp();
        while (owned < tokens && TimeProvider.System.GetElapsedTime(gainedAt) < _options.LeasePeriod)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = _node.OwnedAssets.Count;
            if (now > owned)
            {
                owned = now;
                gainedAt = TimeProvider.System.GetTimestamp();
            }
        }

        return owned == tokens;
    }

    /// <summary>Starts counting from now (the end of the warm-up).</summary>
    public void StartMeasuring()
    {
        _before = _node.Counts;
        _replicaBefore = _replica?.Counts ?? default;
    }

    /// <summary>What the stream acknowledged since <see cref="StartMeasuring"/>, as bench figures.</summary>
    public IEnumerable<KeyValuePair<string, double>> Figures(double seconds)
    {
        var after = _node.Counts;
        yield return new("nats_published_per_s", (after.Published - _before.Published) / seconds);
        // Above zero, the sink fell behind or a publish failed: the bus carried books at snapshot granularity.
        yield return new("nats_rebased", after.Rebased - _before.Rebased);
        yield return new("nats_retried", after.Retried - _before.Retried);
        yield return new("nats_reordered", after.Reordered - _before.Reordered);
        yield return new("nats_duplicates", after.Duplicates - _before.Duplicates);
        yield return new("nats_snapshots_per_s", (after.SnapshotsWritten - _before.SnapshotsWritten) / seconds);
        if (_replica?.Counts is { } read)
        {
            yield return new("replica_messages_per_s", (read.Messages - _replicaBefore.Messages) / seconds);
            // Every step of every book is proven by its content hash: divergences must stay 0; gaps are books
            // waiting for a re-base (the sink's, after it fell behind).
            yield return new("replica_divergences", read.Divergences - _replicaBefore.Divergences);
            yield return new("replica_gaps", read.Gaps - _replicaBefore.Gaps);
            yield return new("replica_behind_messages", after.LastAcknowledged > read.LastSequence ? after.LastAcknowledged - read.LastSequence : 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync().ConfigureAwait(false);
        }

        await _node.DisposeAsync().ConfigureAwait(false);
        await DeleteAsync(_options, CancellationToken.None).ConfigureAwait(false);
        _logs.Dispose();
    }

    private static async Task DeleteAsync(NatsScaleOutOptions options, CancellationToken cancellationToken)
    {
        var connection = new NatsConnection(new NatsOpts { Url = options.Url, Name = "polystream-bench" });
        await using var scope = connection.ConfigureAwait(false);
        var jetStream = new NatsJSContext(connection);
        var kv = new NatsKVContext(jetStream);
        await IgnoreMissingAsync(() => jetStream.DeleteStreamAsync(options.StreamName, cancellationToken).AsTask()).ConfigureAwait(false);
        await IgnoreMissingAsync(() => kv.DeleteStoreAsync(options.SnapshotBucket, cancellationToken).AsTask()).ConfigureAwait(false);
        await IgnoreMissingAsync(() => kv.DeleteStoreAsync(options.LeaseBucket, cancellationToken).AsTask()).ConfigureAwait(false);
    }

    private static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            // Nothing left from an earlier run.
        }
    }
}
