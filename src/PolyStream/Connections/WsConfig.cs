using PolyStream.Auth;

namespace PolyStream.Connections;

/// <summary>Settings of each WebSocket connection a <see cref="Streamer"/> opens; every property has a documented default.</summary>
public sealed record WsConfig
{
    /// <summary>The venue's market-channel URL.</summary>
    public static Uri ProductionMarketUrl { get; } = new("wss://ws-subscriptions-clob.polymarket.com/ws/market");

    /// <summary>The venue's user-channel URL.</summary>
    public static Uri ProductionUserUrl { get; } = new("wss://ws-subscriptions-clob.polymarket.com/ws/user");

    /// <summary>The WebSocket URL. Default <see cref="ProductionMarketUrl"/>.</summary>
    public Uri Url { get; init; } = ProductionMarketUrl;

    // The streamer sets the channel and the credentials for its user-channel connection from StreamerConfig.UserAuth.

    /// <summary>The channel spoken on <see cref="Url"/>. Default <see cref="WsChannel.Market"/>.</summary>
    internal WsChannel Channel { get; init; } = WsChannel.Market;

    /// <summary>The L2 credentials sent in the user-channel subscribe; required for <see cref="WsChannel.User"/>, never logged. Default <see langword="null"/>.</summary>
    internal ApiCredentials? Credentials { get; init; }

    /// <summary>Whether market subscriptions ask for <c>best_bid_ask</c>, <c>new_market</c> and <c>market_resolved</c>. Default <see langword="true"/>.</summary>
    public bool CustomFeatureEnabled { get; init; } = true;

    /// <summary>How often the text <c>PING</c> is sent, starting only after the first subscribe. Default 10 s.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long without any frame (PONG included) before the connection is declared dead and replaced. Default 30 s.</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a market connection with subscribed assets may go without a data frame (PONG and control text do not count)
    /// before it is recycled; <see cref="TimeSpan.Zero"/> disables the watchdog. Each connection in a row that went quiet
    /// without delivering data for <see cref="StableAfter"/> doubles the wait for the next, up to 8 times this: a quiet
    /// venue is not recycled every minute. Default 60 s.
    /// </summary>
    public TimeSpan NoDataTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the WebSocket handshake and the initial subscribe may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first reconnect's backoff ceiling; each later attempt doubles it (full jitter). Default 1 s.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest backoff ceiling. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a connection must stay up (a stalled one: keep delivering data) before the backoff starts again from <see cref="ReconnectBaseDelay"/>. Default 60 s.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The least wait after the server closes with a policy code (1003, 1008, 1009), so a rejected payload is not hammered. Default 30 s.</summary>
    public TimeSpan PolicyCloseDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the connection's reader may hold the wake-ups of subscribers waiting for its frames' events while more
    /// frames are already there to handle: at high rates one wake-up then serves several frames, for a third less CPU
    /// per event in <c>polystream bench</c>, and each frame's events wait at most this long plus one frame's handling.
    /// Wake-ups are never held while the reader waits for the network. <see cref="TimeSpan.Zero"/> wakes subscribers
    /// after every frame. At most 10 ms. Default 50 µs.
    /// </summary>
    public TimeSpan WakeHold { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// How long the connection's reader lets the next frames gather after it has handled one and found no more
    /// waiting, instead of sleeping in the kernel until the next arrives. Where frames come one at a time a few
    /// hundred microseconds apart, each would wake the reader; gathered, one wake-up reads all that came meanwhile
    /// (frames a millisecond apart: 870 wake-ups a second down to 100, and a quarter less CPU in <c>polystream stream</c>).
    /// Where frames already come in bursts it saves nothing and costs a timer a window (frames in 10 ms bursts: the
    /// same 100 wake-ups, a fifth more CPU in the reader); further apart than half a window on average it is not
    /// used, as the sleep would cost a wake-up of its own (docs/performance.md, "Letting frames gather"). Every frame
    /// may wait this long more before it is handled, and its receive time is when it was read: not for recordings,
    /// whose receive times pace replays. At most 50 ms. Default <see cref="TimeSpan.Zero"/>: each frame is read as it
    /// arrives; <c>polystream stream</c> and <c>tui</c> take it as <c>--gather</c>.
    /// </summary>
    public TimeSpan ReceiveGather { get; init; }

    /// <summary>The longest <see cref="ReceiveGather"/>.</summary>
    internal static TimeSpan MaxReceiveGather { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The largest frame accepted; a bigger one is counted, dropped, and the connection recycled so books re-base from fresh snapshots. Default 32 MiB, the parser's limit too.</summary>
    public int MaxFrameBytes { get; init; } = Protocol.WireLimits.MaxFrameBytes;

    /// <summary>The most ids in one subscribe or unsubscribe frame; the venue closes sockets sent huge ones. Default 100.</summary>
    public int MaxIdsPerFrame { get; init; } = 100;

    /// <summary>The clock for pings, watchdogs, backoff and receive timestamps; a streamer sets it from <see cref="StreamerConfig.TimeProvider"/>, the one clock users give. Default <see cref="TimeProvider.System"/>.</summary>
    internal TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
