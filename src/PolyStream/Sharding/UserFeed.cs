using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Engine;

namespace PolyStream.Sharding;

/// <summary>
/// The authenticated user channel: its <c>order</c> and <c>trade</c> events join the same ordered
/// stream as the books. The volume is small, so frames are parsed on the reader loop itself; the
/// engine only publishes, which never waits.
/// </summary>
internal sealed class UserFeed : IFrameSink, IAsyncDisposable
{
    private readonly BookEngine _engine;
    private readonly WsClient _client;

    public UserFeed(WsConfig ws, EventBus bus, TimeProvider time, ILoggerFactory loggers)
    {
        _engine = new BookEngine(bus, BookEngineOptions.Default, time, logger: loggers.CreateLogger<BookEngine>());
        _client = new WsClient(ws, this, loggers.CreateLogger<WsClient>());
    }

    public WsHealth Health => _client.Health;

    public async ValueTask StartAsync(IReadOnlyCollection<string> markets, CancellationToken cancellationToken)
    {
        await _client.SubscribeAsync(markets, cancellationToken).ConfigureAwait(false);
        await _client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId) => _engine.Process(frame, receivedAtTimestamp);

    public void OnStateChanged(WsStateChange change)
    {
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
