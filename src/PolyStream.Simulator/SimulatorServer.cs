using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Books;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Faults;
using PolyStream.Simulator.Server;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator;

/// <summary>
/// A local Polymarket CLOB on Kestrel: <c>/ws/market</c>, <c>/ws/user</c> and the REST market-data
/// endpoints over a seeded <see cref="MarketEngine"/>, with fault injection and ground truth for tests.
/// </summary>
public sealed partial class SimulatorServer : IAsyncDisposable
{
    private const int MaxCatchUpTicks = 5;

    private readonly SimulatorOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<long, SimulatorConnection> _connections = [];
    private WebApplication? _app;
    private Uri? _baseUrl;
    private Task? _pump;
    private long _nextConnectionId;
    private int _disposed;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for timestamps and the pump; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Where the simulator logs; <see langword="null"/> for none.</param>
    public SimulatorServer(SimulatorOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new SimulatorOptions();
        Time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger<SimulatorServer>();
        Engine = new MarketEngine(_options, Time);
        ApiKeys = new ApiKeyRegistry(_options.Seed, Engine.Account);
        Faults = new SimulatorFaults(this, _options.MaxAssetsPerConnection);
    }

    /// <summary>The engine behind the server; lock-free access only while the pump is off (<see cref="SimulatorOptions.EventsPerSecond"/> 0), otherwise use <see cref="GetBook"/> and <see cref="Step"/>.</summary>
    public MarketEngine Engine { get; }

    /// <summary>Server-wide fault injection.</summary>
    public SimulatorFaults Faults { get; }

    /// <summary>The bound REST base URL, e.g. <c>http://127.0.0.1:8081/</c>.</summary>
    /// <exception cref="InvalidOperationException">The server has not started.</exception>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>The base URL of the simulator's Gamma (<c>…/gamma/</c>), for <c>GammaClientOptions.Host</c>.</summary>
    public Uri GammaUrl => new(BaseUrl, "gamma/");

    /// <summary>The market-channel WebSocket URL (<c>ws://…/ws/market</c>).</summary>
    public Uri MarketWebSocketUrl => new(WebSocketBase(), "ws/market");

    /// <summary>The user-channel WebSocket URL (<c>ws://…/ws/user</c>).</summary>
    public Uri UserWebSocketUrl => new(WebSocketBase(), "ws/user");

    /// <summary>The open WebSocket connections.</summary>
    public IReadOnlyList<SimulatorConnection> Connections
    {
        get
        {
            lock (Gate)
            {
                return [.. _connections.Values];
            }
        }
    }

    internal Lock Gate { get; } = new();

    /// <summary>The API keys issued through <c>/auth/api-key</c>, and the account's own.</summary>
    internal ApiKeyRegistry ApiKeys { get; }

    /// <summary>The settings the server runs with.</summary>
    internal SimulatorOptions Options => _options;

    /// <summary>Raised with the connection id and text of every message a client sends (PINGs and subscribes alike); tests read the wire with it.</summary>
    internal event Action<long, string>? ClientMessageReceived;

    /// <summary>Raised by the pump after each batch with the number of steps taken; tests await it instead of sleeping.</summary>
    internal event Action<int>? PumpStepped;

    internal int PageLimit => Math.Max(1, _options.MarketsPageLimit);

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    /// <summary>Binds the listener, then starts the pump when <see cref="SimulatorOptions.EventsPerSecond"/> is above zero.</summary>
    /// <exception cref="ArgumentException">The host is reachable from other machines without <see cref="SimulatorOptions.AllowRemote"/> and a token.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is already started.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        var address = RemoteAccess.Address(_options.Host, _options.AllowRemote, _options.AccessToken);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, _options.Port));
        var app = builder.Build();
        RemoteAccess.RequireToken(app, _options.AccessToken);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ws/market", (RequestDelegate)(context => AcceptAsync(context, SimulatorChannel.Market)));
        app.Map("/ws/user", (RequestDelegate)(context => AcceptAsync(context, SimulatorChannel.User)));
        RestEndpoints.Map(app, this);
        AuthEndpoints.Map(app, this);
        GammaEndpoints.Map(app, this);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var bound = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            : null;
        _baseUrl = new Uri((bound ?? $"http://{_options.Host}:{_options.Port}").TrimEnd('/') + "/");
        Log.Started(Logger, BaseUrl, _options.Markets, _options.Seed);
        if (_options.EventsPerSecond > 0)
        {
            _pump = PumpAsync(_options.EventsPerSecond, _stopping.Token);
        }
    }

    /// <summary>Takes engine steps and delivers their frames to the connections, in order; safe with the pump running.</summary>
    public IReadOnlyList<SimFrame> Step(int count = 1) => Deliver(static (engine, count) => engine.Step(count), count);

    /// <summary>Lists a new market now and delivers its <c>new_market</c> (to every connection with custom features on).</summary>
    public IReadOnlyList<SimFrame> List() => Deliver(static (engine, _) => engine.List(), 0);

    /// <summary>Resolves a market now and delivers its <c>market_resolved</c>.</summary>
    public IReadOnlyList<SimFrame> Resolve(string conditionId) => Deliver(static (engine, id) => engine.Resolve(id), conditionId);

    /// <summary>Makes frames on the engine and delivers them to the connections under the gate, so they go out in the order made.</summary>
    private IReadOnlyList<SimFrame> Deliver<TArgument>(Func<MarketEngine, TArgument, IReadOnlyList<SimFrame>> make, TArgument argument)
    {
        lock (Gate)
        {
            var frames = make(Engine, argument);
            Publish(frames);
            return frames;
        }
    }

    /// <summary>A token's exact current book (ground truth), or <see langword="null"/>.</summary>
    public BookSummary? GetBook(string assetId)
    {
        lock (Gate)
        {
            return Engine.GetBook(assetId);
        }
    }

    /// <summary>Every open token's exact current book (ground truth).</summary>
    public IReadOnlyList<BookSummary> GetBooks()
    {
        lock (Gate)
        {
            return Engine.GetBooks();
        }
    }

    /// <summary>Stops the pump, drops every connection and stops the listener; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }

        foreach (var connection in Connections)
        {
            connection.Drop();
        }

        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            Log.Stopped(Logger, Engine.Steps, Engine.FrameCount);
        }

        _stopping.Dispose();
    }

    /// <summary>One JSON array of WebSocket <c>book</c> events for the given tokens that have books (<c>[]</c> if none).</summary>
    internal byte[] InitialDump(IReadOnlyList<string> assetIds, SimulatorFaults faults) => WireWriter.Write(writer =>
    {
        writer.WriteStartArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asset in assetIds)
        {
            if (seen.Add(asset) && !faults.IsAssetStalled(asset) && Engine.GetBook(asset) is { } book)
            {
                WireWriter.WsBook(writer, book);
            }
        }

        writer.WriteEndArray();
    });

    /// <summary>Reports a client message to <see cref="ClientMessageReceived"/>; decodes only when someone listens.</summary>
    internal void OnClientMessage(long connectionId, ReadOnlySpan<byte> utf8)
    {
        if (ClientMessageReceived is { } handler)
        {
            handler(connectionId, System.Text.Encoding.UTF8.GetString(utf8));
        }
    }

    private void Publish(IReadOnlyList<SimFrame> frames)
    {
        if (frames.Count == 0 || _connections.Count == 0)
        {
            return;
        }

        foreach (var connection in _connections.Values)
        {
            foreach (var frame in frames)
            {
                connection.Deliver(frame);
            }
        }
    }

    private async Task AcceptAsync(HttpContext context, SimulatorChannel channel)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var id = Interlocked.Increment(ref _nextConnectionId);
        if (Faults.TakeRejectConnect())
        {
            Log.ConnectionRejected(Logger, id, "429 fault");
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new SimulatorConnection(id, channel, context, socket, this, _options.MaxQueuedFramesPerConnection);
        lock (Gate)
        {
            _connections.Add(id, connection);
        }

        Log.ConnectionOpened(Logger, id, channel);
        try
        {
            await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (Gate)
            {
                _connections.Remove(id);
            }

            Log.ConnectionClosed(Logger, id);
        }
    }

    private Task PumpAsync(double eventsPerSecond, CancellationToken cancellationToken)
    {
        if (double.IsPositiveInfinity(eventsPerSecond))
        {
            return PumpAtMaxRateAsync(cancellationToken);
        }

        // Read before the thread starts: the clock may move (a test's fake one) before the thread first runs.
        var started = Time.GetTimestamp();
        return Task.Factory.StartNew(() => PumpPaced(eventsPerSecond, started, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private async Task PumpAtMaxRateAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Step(32);
                PumpStepped?.Invoke(32);
                await Task.Yield();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug in the engine must not take the listener down: sockets and REST keep serving the last state.
            Log.PumpFailed(Logger, exception);
        }
    }

    /// <summary>
    /// Steps what is due every interval, on a thread of its own that waits on the cancellation handle: the
    /// runtime's timers run on a coarse clock (4 ms on a 250 Hz kernel), which would turn a 1 ms interval
    /// into bursts four times as large. What is due comes from <see cref="Time"/>, so a fake clock drives it.
    /// </summary>
    private void PumpPaced(double eventsPerSecond, long started, CancellationToken cancellationToken)
    {
        try
        {
            // Batch steps per tick so high rates do not depend on how often the thread wakes.
            var floor = _options.PumpInterval < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : _options.PumpInterval;
            var period = TimeSpan.FromSeconds(Math.Max(1 / eventsPerSecond, floor.TotalSeconds));
            // A pump that fell behind (a stalled process, a busy machine) catches up at most this many ticks' worth
            // and lets the rest go, as a venue would: a burst of seconds of stored events is no load a market makes.
            var catchUp = (long)Math.Max(1, Math.Ceiling(MaxCatchUpTicks * period.TotalSeconds * eventsPerSecond));
            var tick = started;
            long done = 0;
            while (!cancellationToken.WaitHandle.WaitOne(UntilNextTick(ref tick, period)))
            {
                var due = (long)(Time.GetElapsedTime(started).TotalSeconds * eventsPerSecond);
                if (due > done)
                {
                    var batch = (int)Math.Min(due - done, catchUp);
                    Step(batch);
                    done = due;
                    PumpStepped?.Invoke(batch);
                }
            }
        }
#pragma warning disable CA1031 // A bug in the engine must not take the listener down: sockets and REST keep serving the last state.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.PumpFailed(Logger, exception);
        }
    }

    /// <summary>
    /// Moves <paramref name="tick"/> to the next tick and returns how long to wait for it: ticks keep their
    /// period whatever a step took (waiting a whole period after each batch stretched 1 ms ticks to 1.7 ms
    /// under load, and the batches with them); ticks missed by a stall are skipped, not waited out. Never
    /// more than a period, so a fake clock that stands still is still looked at every period.
    /// </summary>
    private TimeSpan UntilNextTick(ref long tick, TimeSpan period)
    {
        var now = Time.GetTimestamp();
        tick = Math.Max(tick + (long)(period.TotalSeconds * Time.TimestampFrequency), now);
        var wait = Time.GetElapsedTime(now, tick);
        return wait < period ? wait : period;
    }

    private Uri WebSocketBase()
    {
        var builder = new UriBuilder(BaseUrl)
        {
            Scheme = "ws",
        };
        return builder.Uri;
    }
}
