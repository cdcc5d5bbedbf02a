using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace PolyStream.Nats;

/// <summary>
/// Publishes to JetStream the way a streaming producer does: each message goes out as a plain publish with its
/// <c>Nats-Msg-Id</c> and a reply subject under an inbox of this publisher's own, and the stream's
/// acknowledgements come back on one subscription to that inbox, matched by the reply subject's last token.
/// </summary>
/// <remarks>
/// <para>
/// The client's JetStream publish is a request per message: a reply task, a timer and several state machines
/// each, which at tens of thousands of events a second was most of what the sink spent. Here a message costs
/// its header and one completion, and one sweep a second fails the acknowledgements that never came
/// (<see cref="AckTimeout"/>; the sink then retries, and the id makes a retry of a stored message a no-op).
/// </para>
/// <para>
/// A duplicate counts as stored: it is a retry of a message the stream took before its acknowledgement was
/// lost, or an event another node relayed first; retrying it could never succeed.
/// </para>
/// </remarks>
internal sealed class JetStreamPublisher : IBusPublisher, IAsyncDisposable
{
    /// <summary>How long an acknowledgement may take before the publish counts as failed.</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private const string MessageIdHeader = "Nats-Msg-Id";
    private readonly NatsConnection _connection;
    private readonly INatsSub<byte[]> _acks;
    private readonly string _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, PendingAck> _pending = new();
    private long _next;
    private long _duplicates;
    private volatile bool _stopped;

    private JetStreamPublisher(NatsConnection connection, INatsSub<byte[]> acks, string inbox, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _acks = acks;
        _inbox = inbox;
        _time = time;
        _logger = logger;
    }

    /// <summary>Subscribes the inbox before anything is published, so no acknowledgement can arrive unheard.</summary>
    public static async Task<JetStreamPublisher> OpenAsync(NatsConnection connection, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        // Under the configured inbox prefix (what NATS permissions allow replies on), but not under the
        // connection's own: the client routes that one's subjects to single-reply waiters, never to a wildcard.
        var inbox = $"{connection.Opts.InboxPrefix}.{Guid.NewGuid():N}.";
        var acks = await connection.SubscribeCoreAsync<byte[]>(inbox + "*", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JetStreamPublisher(connection, acks, inbox, time, logger);
    }

    /// <summary>Publishes the stream acknowledged as duplicates of a message it already had (by <c>Nats-Msg-Id</c>).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _next);
        var pending = new PendingAck(message.Subject, _time.GetTimestamp());
        _pending[id] = pending;
        if (_stopped)
        {
            // Nothing matches acknowledgements any more (set before the last ones were failed, so one of us sees the other).
            _pending.TryRemove(id, out _);
            return null;
        }

        try
        {
            var headers = new NatsHeaders { [MessageIdHeader] = message.MessageId };
            await _connection.PublishAsync(message.Subject, message.Payload, headers, _inbox + id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            _pending.TryRemove(id, out _);
            NatsLog.PublishFailed(_logger, message.Subject, ex.Message);
            return null;
        }

        return await pending.Task.ConfigureAwait(false);
    }

    /// <summary>Matches acknowledgements to publishes and fails the overdue ones, until cancelled; then fails whatever is left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(ReadAcksAsync(cancellationToken), SweepAsync(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            // Stopping with the node: its sink stops too and retries nothing, so there is nothing to warn about.
            _stopped = true;
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.TrySetResult(null);
                }
            }
        }
    }

    public ValueTask DisposeAsync() => _acks.DisposeAsync();

    private async Task ReadAcksAsync(CancellationToken cancellationToken)
    {
        await foreach (var reply in _acks.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!long.TryParse(reply.Subject.AsSpan(_inbox.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !_pending.TryRemove(id, out var pending))
            {
                continue; // Already failed by the sweep: the sink retries it.
            }

            var (sequence, duplicate, error) = Read(reply);
            if (sequence is null)
            {
                NatsLog.PublishFailed(_logger, pending.Subject, error!);
            }
            else if (duplicate)
            {
                Interlocked.Increment(ref _duplicates);
            }

            pending.TrySetResult(sequence);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (id, pending) in _pending)
            {
                if (_time.GetElapsedTime(pending.SentAt) >= AckTimeout && _pending.TryRemove(id, out _))
                {
                    NatsLog.PublishFailed(_logger, pending.Subject, $"no acknowledgement within {AckTimeout.TotalSeconds:F0} s");
                    pending.TrySetResult(null);
                }
            }
        }
    }

    /// <summary>The stored sequence from a publish acknowledgement (<c>{"stream":…,"seq":N,"duplicate":true}</c>) and whether it was a duplicate, or why there is none.</summary>
    private static (ulong? Sequence, bool Duplicate, string? Error) Read(NatsMsg<byte[]> reply)
    {
        if (reply.HasNoResponders || reply.Data is not { Length: > 0 } body)
        {
            return (null, false, "no stream answered (is JetStream on, and the stream there?)");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                return (null, false, error.TryGetProperty("description", out var description) ? description.GetString() : error.ToString());
            }

            var duplicate = root.TryGetProperty("duplicate", out var flag) && flag.ValueKind == JsonValueKind.True;
            return root.TryGetProperty("seq", out var seq) && seq.TryGetUInt64(out var stored) ? (stored, duplicate, null) : (null, false, "an acknowledgement without a sequence");
        }
        catch (JsonException ex)
        {
            return (null, false, $"an unreadable acknowledgement: {ex.Message}");
        }
    }

    /// <summary>A publish waiting for its acknowledgement.</summary>
    private sealed class PendingAck(string subject, long sentAt) : TaskCompletionSource<ulong?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Subject { get; } = subject;

        public long SentAt { get; } = sentAt;
    }
}
