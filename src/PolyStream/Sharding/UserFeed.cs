using Microsoft.Extensions.Logging;
using PolyStream.Auth;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Sharding;

/// <summary>
/// The authenticated user channel: its <c>order</c> and <c>trade</c> events join the same ordered
/// stream as the books. The volume is small, so frames are parsed and translated on the socket's
/// reader loop itself; handing events to the sink never waits.
/// </summary>
internal sealed class UserFeed : IFrameSink, IAsyncDisposable
{
    private readonly IEventSink _sink;
    private readonly ILogger _logger;
    private readonly FrameParser _parser = new();
    private readonly VenueEventTranslator _translator = new(new MarketEventGate(), userChannel: true);
    private readonly List<WireEvent> _parsed = [];
    private readonly WsClient _client;
    private long _parseFailures;

    public UserFeed(WsConfig ws, IEventSink sink, ILoggerFactory loggers)
    {
        _sink = sink;
        _logger = loggers.CreateLogger<UserFeed>();
        _client = new WsClient(ws, this, loggers.CreateLogger<WsClient>());
    }

    public WsHealth Health => _client.Health;

    /// <summary>
    /// Refuses to start a user feed that could not work: the venue drops a subscription with an empty key,
    /// secret or passphrase without a word (POLYMARKET.md §2), and filters by condition ids, not token ids.
    /// </summary>
    /// <exception cref="ArgumentException">A credential is empty, or a market is not a condition id (<c>0x</c> and 64 hex digits); the message names which.</exception>
    public static void EnsureReady(ApiCredentials credentials, IReadOnlyCollection<string> markets)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(markets);
        foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[("API key", credentials.ApiKey), ("secret", credentials.Secret), ("passphrase", credentials.Passphrase)])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"The user feed needs API credentials, and the {name} is empty: create or derive them first (polystream auth).", nameof(credentials));
            }
        }

        foreach (var market in markets)
        {
            if (!MarketIds.IsConditionId(market))
            {
                throw new ArgumentException($"The user feed filters by market condition ids (0x and 64 hex digits); '{market}' is not one (a token id is not).", nameof(markets));
            }
        }
    }

    public async ValueTask StartAsync(IReadOnlyCollection<string> markets, CancellationToken cancellationToken)
    {
        await _client.SubscribeAsync(markets, cancellationToken).ConfigureAwait(false);
        await _client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
    {
        _parsed.Clear();
        if (!_parser.TryParse(frame, _parsed, out var error))
        {
            var total = ++_parseFailures;
            ShardingLog.UserFrameRejected(_logger, total, error);
            _sink.Publish(new ParseFailure { Reason = error.ToString(), TotalFailures = total, ReceiveTimestamp = receivedAtTimestamp });
            return;
        }

        foreach (var wireEvent in _parsed)
        {
            if (_translator.Translate(wireEvent, receivedAtTimestamp, out _) is { } translated)
            {
                _sink.Publish(translated);
            }
        }
    }

    /// <inheritdoc />
    public void OnStateChanged(WsStateChange change)
    {
        // The user channel keeps no state to re-base: orders and trades are passed on as they come.
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
