using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace PolyStream.Simulator.Faults;

/// <summary>
/// Server-wide fault injection, scriptable from tests and from <c>polystream sim --fault</c>.
/// Settings apply to every connection and request until changed; actions hit every open connection now.
/// </summary>
public sealed class SimulatorFaults
{
    private static readonly Lazy<byte[]> s_defaultOversized = new(() => OversizedFrame(2 * 1024 * 1024));
    private readonly SimulatorServer _server;
    private readonly ConcurrentDictionary<string, bool> _stalledAssets = new(StringComparer.Ordinal);
    private int _rejectConnects;

    internal SimulatorFaults(SimulatorServer server, int maxAssetsPerConnection)
    {
        _server = server;
        MaxAssetsPerConnection = maxAssetsPerConnection;
    }

    /// <summary>Whether every market-channel connection is silently stalled (PONG still answered, no data). Default <see langword="false"/>.</summary>
    public bool Stalled { get; set; }

    /// <summary>Subscribed assets per connection above which that connection silently gets no data. Default from <see cref="SimulatorOptions.MaxAssetsPerConnection"/>.</summary>
    public int MaxAssetsPerConnection { get; set; }

    /// <summary>Asset ids in one subscribe message above which the socket is closed (1009), as the venue does for huge frames; 0 (default) = no limit.</summary>
    public int MaxAssetsPerSubscribeMessage { get; set; }

    /// <summary>Delay added to every REST response. Default zero.</summary>
    public TimeSpan RestDelay { get; set; }

    /// <summary>Whether REST <c>/book</c> and <c>/books</c> serve the stale "ghost book" (one level at 0.01 and one at 0.99). Default <see langword="false"/>.</summary>
    public bool GhostBooks { get; set; }

    /// <summary>Corrupts every Nth hash-carrying frame per connection; 0 (default) = off.</summary>
    public int CorruptHashEvery { get; set; }

    /// <summary>Drops every Nth <c>price_change</c> per connection; 0 (default) = off.</summary>
    public int DropDeltaEvery { get; set; }

    /// <summary>Sends every Nth data frame twice per connection; 0 (default) = off.</summary>
    public int DuplicateEvery { get; set; }

    /// <summary>Swaps every Nth data frame with the next one per connection; 0 (default) = off.</summary>
    public int SwapEvery { get; set; }

    /// <summary>Sends a malformed frame after every Nth data frame per connection; 0 (default) = off.</summary>
    public int MalformedEvery { get; set; }

    /// <summary>Sends a 2 MiB frame after every Nth data frame per connection; 0 (default) = off.</summary>
    public int OversizedEvery { get; set; }

    /// <summary>The <c>Retry-After</c> seconds sent with a rejected WebSocket connect. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Raised when a REST request starts its <see cref="RestDelay"/>; tests await it before moving a fake clock.</summary>
    internal event Action? RestDelayStarted;

    /// <summary>The assets whose data is currently withheld.</summary>
    public IReadOnlyCollection<string> StalledAssets => [.. _stalledAssets.Keys];

    /// <summary>Withholds all data about one token (its <c>price_change</c> frames included) from every connection.</summary>
    public void StallAsset(string assetId) => _stalledAssets[assetId] = true;

    /// <summary>Resumes data about a token stalled with <see cref="StallAsset"/>.</summary>
    public void ResumeAsset(string assetId) => _stalledAssets.TryRemove(assetId, out _);

    /// <summary>Answers the next <paramref name="count"/> WebSocket connects with HTTP 429 and <c>Retry-After</c>.</summary>
    public void RejectNextConnects(int count, int retryAfterSeconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        RetryAfterSeconds = retryAfterSeconds;
        Interlocked.Exchange(ref _rejectConnects, count);
    }

    /// <summary>Drops every open connection at once, without a close handshake.</summary>
    public void DropConnections()
    {
        foreach (var connection in _server.Connections)
        {
            connection.Drop();
        }
    }

    /// <summary>Closes every open connection with a close frame carrying <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public void CloseConnections(WebSocketCloseStatus status, string reason = "")
    {
        foreach (var connection in _server.Connections)
        {
            connection.Close(status, reason);
        }
    }

    /// <summary>Sends one malformed (truncated JSON) frame on every open market-channel connection.</summary>
    public void SendMalformedFrame()
    {
        foreach (var connection in _server.Connections)
        {
            connection.SendRaw(MalformedFrame);
        }
    }

    /// <summary>Sends one valid but oversized frame (a JSON array padded past <paramref name="bytes"/>) on every open connection.</summary>
    public void SendOversizedFrame(int bytes = 4 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var frame = OversizedFrame(bytes);
        foreach (var connection in _server.Connections)
        {
            connection.SendRaw(frame);
        }
    }

    /// <summary>Arms one-shot faults on every open connection (see <see cref="ConnectionFaults"/>).</summary>
    public void ForEachConnection(Action<ConnectionFaults> arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        foreach (var connection in _server.Connections)
        {
            arm(connection.Faults);
        }
    }

    internal static byte[] DefaultOversizedFrame => s_defaultOversized.Value;

    internal static byte[] MalformedFrame { get; } = "{\"market\":\"0x\",\"price_changes\":[{\"asset_id\":"u8.ToArray();

    internal void OnRestDelayStarted() => RestDelayStarted?.Invoke();

    internal bool IsAssetStalled(string assetId) => !_stalledAssets.IsEmpty && _stalledAssets.ContainsKey(assetId);

    internal bool TakeRejectConnect()
    {
        while (true)
        {
            var current = Volatile.Read(ref _rejectConnects);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _rejectConnects, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private static byte[] OversizedFrame(int bytes)
    {
        // A JSON array of one unknown event with a long padding string: valid JSON, just big.
        var prefix = "[{\"event_type\":\"padding\",\"data\":\""u8;
        var suffix = "\"}]"u8;
        var frame = new byte[Math.Max(bytes, prefix.Length + suffix.Length)];
        prefix.CopyTo(frame);
        frame.AsSpan(prefix.Length, frame.Length - prefix.Length - suffix.Length).Fill((byte)'x');
        suffix.CopyTo(frame.AsSpan(frame.Length - suffix.Length));
        return frame;
    }
}
