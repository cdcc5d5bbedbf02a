using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace PolyStream.Simulator.Server;

/// <summary>The socket loops: one reader applying the protocol rules, one writer draining the queue.</summary>
public sealed partial class SimulatorConnection
{
    private const int MaxIncomingBytes = 1024 * 1024;

    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            Log.ConnectionFailed(_server.Logger, Id, exception);
        }
        finally
        {
            // Let the writer flush what is queued (a close frame, an abort) before tearing down.
            _outgoing.Writer.TryComplete();
            try
            {
                await sender.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _context.Abort();
            }

            await linked.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxIncomingBytes);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        // A client message over 1 MiB: the venue closes such sockets too.
                        Close(WebSocketCloseStatus.MessageTooBig, "message too big");
                        return;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(WebSocketCloseStatus.NormalClosure, string.Empty);
                    return;
                }

                if (!HandleMessage(buffer.AsSpan(0, length)))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Applies one client message; <see langword="false"/> when the connection is being ended.</summary>
    private bool HandleMessage(ReadOnlySpan<byte> message)
    {
        _server.OnClientMessage(Id, message);
        var trimmed = message.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("PING"u8))
        {
            if (!IsSubscribed)
            {
                Close(WebSocketCloseStatus.PolicyViolation, "invalid subscription payload");
                return false;
            }

            Enqueue(s_pong);
            return true;
        }

        Subscription? request;
        try
        {
            request = Subscription.Parse(trimmed);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            if (!IsSubscribed)
            {
                Close(WebSocketCloseStatus.PolicyViolation, "invalid subscription payload");
                return false;
            }

            return true;
        }

        return Channel == SimulatorChannel.Market ? HandleMarket(request) : HandleUser(request);
    }

    private bool HandleMarket(Subscription request)
    {
        if (request.Operation is null)
        {
            if (IsSubscribed)
            {
                Enqueue(s_invalidOperation);
                return true;
            }

            if (request.Type is not "market" and not "MARKET")
            {
                Close(WebSocketCloseStatus.PolicyViolation, "invalid subscription payload");
                return false;
            }
        }

        var perMessage = _server.Faults.MaxAssetsPerSubscribeMessage;
        if (perMessage > 0 && request.AssetIds.Count > perMessage)
        {
            Close(WebSocketCloseStatus.MessageTooBig, "too many assets in one message");
            return false;
        }

        lock (_server.Gate)
        {
            if (request.CustomFeatureEnabled is { } custom)
            {
                CustomFeatures = custom;
            }

            if (request.Operation == "unsubscribe")
            {
                foreach (var asset in request.AssetIds)
                {
                    _assets.Remove(asset);
                }

                IsSubscribed = true;
                return true;
            }

            foreach (var asset in request.AssetIds)
            {
                _assets.Add(asset);
            }

            IsSubscribed = true;
            if (request.InitialDump != false)
            {
                var faults = _server.Faults;
                if (!faults.Stalled && !Faults.Stalled && _assets.Count <= faults.MaxAssetsPerConnection)
                {
                    Enqueue(_server.InitialDump(request.AssetIds, faults));
                }
            }
        }

        return true;
    }

    private bool HandleUser(Subscription request)
    {
        if (!IsSubscribed)
        {
            // Any key the simulator issued is accepted; it has one account, whose events every key sees.
            if (request.Auth is not { } auth || !_server.ApiKeys.Accepts(auth.ApiKey, auth.Secret, auth.Passphrase))
            {
                Log.ConnectionRejected(_server.Logger, Id, "bad user-channel credentials");
                Drop();
                return false;
            }
        }

        lock (_server.Gate)
        {
            if (request.Operation == "unsubscribe")
            {
                foreach (var market in request.Markets)
                {
                    _markets.Remove(market);
                }
            }
            else
            {
                foreach (var market in request.Markets)
                {
                    _markets.Add(market);
                }
            }

            IsSubscribed = true;
        }

        return true;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Abort)
                {
                    _context.Abort();
                    return;
                }

                if (item.CloseStatus is { } status)
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(status, item.Reason, cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                Interlocked.Decrement(ref _queued);
                await _socket.SendAsync(item.Data, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Log.ConnectionFailed(_server.Logger, Id, exception);
        }
        finally
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                _context.Abort();
            }
        }
    }
}
