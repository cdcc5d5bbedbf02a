using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using PolyStream.Protocol;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Faults;

namespace PolyStream.Simulator.Server;

/// <summary>One open WebSocket on the simulator: its subscription, its faults, and handles to drop or close it.</summary>
public sealed partial class SimulatorConnection
{
    private static readonly byte[] s_pong = "PONG"u8.ToArray();
    private static readonly byte[] s_invalidOperation = "INVALID OPERATION"u8.ToArray();

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly SimulatorServer _server;
    private readonly Channel<Outgoing> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _markets = new(StringComparer.Ordinal);
    private readonly int _maxQueued;
    private SimFrame? _heldForSwap;
    private long _delivered;
    private long _deltas;
    private long _hashFrames;
    private int _queued;

    internal SimulatorConnection(long id, SimulatorChannel channel, HttpContext context, WebSocket socket, SimulatorServer server, int maxQueued)
    {
        Id = id;
        Channel = channel;
        _context = context;
        _socket = socket;
        _server = server;
        _maxQueued = maxQueued;
    }

    /// <summary>The connection's number, from 1 in accept order.</summary>
    public long Id { get; }

    /// <summary>The channel it is on.</summary>
    public SimulatorChannel Channel { get; }

    /// <summary>Faults armed on this connection only.</summary>
    public ConnectionFaults Faults { get; } = new();

    /// <summary>Whether a valid subscription was received.</summary>
    public bool IsSubscribed { get; private set; }

    /// <summary>Whether the subscription enabled the custom-feature events.</summary>
    public bool CustomFeatures { get; private set; }

    /// <summary>The subscribed token ids (market channel); read under the server's lock.</summary>
    public IReadOnlyCollection<string> Assets
    {
        get
        {
            lock (_server.Gate)
            {
                return [.. _assets];
            }
        }
    }

    /// <summary>Aborts the connection without a close handshake.</summary>
    public void Drop() => _outgoing.Writer.TryWrite(new Outgoing(default, null, null, Abort: true));

    /// <summary>Sends a close frame with the given status and reason, then ends the connection.</summary>
    public void Close(WebSocketCloseStatus status, string reason) => _outgoing.Writer.TryWrite(new Outgoing(default, status, reason, Abort: false));

    /// <summary>Sends raw bytes as one text frame, bypassing the subscription filter.</summary>
    internal void SendRaw(ReadOnlyMemory<byte> utf8) => Enqueue(utf8);

    /// <summary>Offers one engine frame; called under the server's lock so it is ordered with initial dumps.</summary>
    internal void Deliver(SimFrame frame)
    {
        if (!IsSubscribed || !Wants(frame))
        {
            return;
        }

        var faults = _server.Faults;
        if (Channel == SimulatorChannel.Market)
        {
            if (faults.Stalled || Faults.Stalled || _assets.Count > faults.MaxAssetsPerConnection)
            {
                return;
            }

            foreach (var asset in frame.AssetIds)
            {
                if (faults.IsAssetStalled(asset))
                {
                    return;
                }
            }
        }

        var bytes = frame.Utf8;
        if (frame.Kind == WireEventKind.PriceChange)
        {
            _deltas++;
            if (Faults.TakeDropDelta() || Every(faults.DropDeltaEvery, _deltas))
            {
                return;
            }
        }

        if (frame.Kind is WireEventKind.PriceChange or WireEventKind.Book)
        {
            _hashFrames++;
            if (Faults.TakeCorruptHash() || Every(faults.CorruptHashEvery, _hashFrames))
            {
                frame = frame with { Utf8 = CorruptHash(bytes.Span) };
            }
        }

        _delivered++;
        if (_heldForSwap is { } held)
        {
            _heldForSwap = null;
            Enqueue(frame.Utf8);
            Enqueue(held.Utf8);
            return;
        }

        if (Faults.TakeSwap() || Every(faults.SwapEvery, _delivered))
        {
            _heldForSwap = frame;
            return;
        }

        Enqueue(frame.Utf8);
        if (Faults.TakeDuplicate() || Every(faults.DuplicateEvery, _delivered))
        {
            Enqueue(frame.Utf8);
        }

        if (Every(faults.MalformedEvery, _delivered))
        {
            Enqueue(SimulatorFaults.MalformedFrame);
        }

        if (Every(faults.OversizedEvery, _delivered))
        {
            Enqueue(SimulatorFaults.DefaultOversizedFrame);
        }
    }

    private static bool Every(int every, long count) => every > 0 && count % every == 0;

    /// <summary>Flips the first hex digit of every <c>"hash":"…"</c> value.</summary>
    private static byte[] CorruptHash(ReadOnlySpan<byte> utf8)
    {
        var copy = utf8.ToArray();
        var key = "\"hash\":\""u8;
        var offset = 0;
        while (true)
        {
            var index = copy.AsSpan(offset).IndexOf(key);
            if (index < 0)
            {
                return copy;
            }

            var at = offset + index + key.Length;
            copy[at] = copy[at] == (byte)'0' ? (byte)'1' : (byte)'0';
            offset = at;
        }
    }

    private bool Wants(SimFrame frame)
    {
        if (Channel == SimulatorChannel.User)
        {
            return frame.IsUserEvent && (_markets.Count == 0 || _markets.Contains(frame.Market));
        }

        if (frame.IsUserEvent)
        {
            return false;
        }

        if (frame.IsCustomFeature && !CustomFeatures)
        {
            return false;
        }

        if (frame.Kind == WireEventKind.NewMarket)
        {
            return true;
        }

        foreach (var asset in frame.AssetIds)
        {
            if (_assets.Contains(asset))
            {
                return true;
            }
        }

        return false;
    }

    private void Enqueue(ReadOnlyMemory<byte> utf8)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Log.SlowConsumer(_server.Logger, Id, _queued);
            _outgoing.Writer.TryWrite(new Outgoing(default, WebSocketCloseStatus.PolicyViolation, "slow consumer", Abort: false));
            _outgoing.Writer.TryComplete();
            return;
        }

        _outgoing.Writer.TryWrite(new Outgoing(utf8, null, null, Abort: false));
    }

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Data, WebSocketCloseStatus? CloseStatus, string? Reason, bool Abort);
}
