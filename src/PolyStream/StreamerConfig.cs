using PolyStream.Auth;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Recording;
using PolyStream.Resync;
using PolyStream.Universe;

namespace PolyStream;

/// <summary>What a <see cref="Streamer"/> streams and how; every property has a documented default.</summary>
public sealed record StreamerConfig
{
    /// <summary>The market-channel connection template (heartbeat, watchdog, backoff); its URL is set from the host unless given. Default <see cref="WsConfig"/>'s defaults.</summary>
    public WsConfig Ws { get; init; } = new();

    /// <summary>Token ids to keep books for. Default none.</summary>
    public IReadOnlyCollection<string> MarketAssets { get; init; } = [];

    /// <summary>Condition ids whose user-channel <c>order</c> and <c>trade</c> events to stream; empty streams no user feed unless <see cref="UserAuth"/> is set, which then means all markets. Default none.</summary>
    public IReadOnlyCollection<string> UserMarkets { get; init; } = [];

    /// <summary>API credentials for the user channel; when <see langword="null"/> and <see cref="UserMarkets"/> is set, the credentials stored under the data paths are used. Default <see langword="null"/>.</summary>
    public ApiCredentials? UserAuth { get; init; }

    /// <summary>The queue size of subscribers created by <see cref="Streamer.Events"/>. Default 10,000 events.</summary>
    public int EventBufferSize { get; init; } = 10_000;

    /// <summary>The overflow policy of subscribers created by <see cref="Streamer.Events"/>. Default <see cref="OverflowPolicy.DropOldest"/>.</summary>
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.DropOldest;

    /// <summary>Whether a hash mismatch queues a REST resync. Default <see langword="true"/>.</summary>
    public bool AutoSyncOnHashMismatch { get; init; } = true;

    /// <summary>
    /// Whether books that are crossed or locked (the venue shows this briefly) are shown cleaned: their views
    /// leave out the levels the newest change crossed (<see cref="BookView.IsCleaned"/>). The books themselves
    /// stay the venue's and keep being verified; either way the crossing is reported as
    /// <see cref="BookStateReason.Crossed"/>. Default <see langword="false"/>.
    /// </summary>
    public bool CleanCrossedBooks { get; init; }

    /// <summary>
    /// Whether each trade carries the book's hash after it (<see cref="LastTradeReceived.Hash"/>), computed from the
    /// live book; set it when the stream is republished with every book's hash (a NATS node). Default <see langword="false"/>.
    /// </summary>
    public bool HashTrades { get; init; }

    /// <summary>How often book hashes are checked. Default <see cref="HashPolicy.Verify"/> (every message).</summary>
    public HashPolicy HashPolicy { get; init; } = HashPolicy.Verify;

    /// <summary>The most assets on one connection; more open more shards. Default 200; at most <see cref="VenueMaxAssetsPerConnection"/>.</summary>
    public int MaxAssetsPerConnection { get; init; } = 200;

    /// <summary>
    /// The most assets on one connection in universe mode (<see cref="Universe"/> set), in place of
    /// <see cref="MaxAssetsPerConnection"/>: the whole venue needs few connections. Default 400; at most
    /// <see cref="VenueMaxAssetsPerConnection"/>.
    /// </summary>
    /// <remarks>50,000 tokens fill 125 connections, opened in about 31 s at the default <see cref="ConnectInterval"/>, where 200 a connection would take 250 and about 62 s.</remarks>
    public int UniverseAssetsPerConnection { get; init; } = 400;

    /// <summary>The venue's reported ceiling of assets on one market connection: above it the initial snapshots stop arriving (docs/universe.md, "Limits").</summary>
    public const int VenueMaxAssetsPerConnection = 500;

    /// <summary>
    /// Which active markets to follow, all of them with <see cref="UniverseFilter.All"/>: discovered at start, joined
    /// as they list, left as they resolve; <see cref="MarketAssets"/> add fixed tokens on top. <see langword="null"/>
    /// follows only <see cref="MarketAssets"/>. Default <see langword="null"/>.
    /// </summary>
    public UniverseFilter? Universe { get; init; }

    /// <summary>
    /// Where universe mode discovers the universe (Gamma's API root). Default <see langword="null"/>: the venue's
    /// Gamma for the venue's CLOB host, else <c>gamma/</c> under the CLOB host, as the simulator serves it.
    /// </summary>
    public Uri? GammaHost { get; init; }

    /// <summary>How often universe mode discovers the universe again, to catch listings and resolutions a dropped connection missed. Default 5 minutes.</summary>
    public TimeSpan UniverseRediscoveryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a resolved market's last books stay readable through <see cref="Streamer.GetOrderBook"/> after it is unsubscribed. Default 10 minutes.</summary>
    public TimeSpan ResolvedBookRetention { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Which discovered markets this streamer carries, by condition id (a scale-out node carries its slots);
    /// <see langword="null"/> carries all. Re-applied by <see cref="Streamer.ReselectUniverseAsync"/>. Default <see langword="null"/>.
    /// </summary>
    public Func<string, bool>? UniverseSelector { get; init; }

    /// <summary>The least time between opening two connections, so a large universe does not storm the venue. Default 250 ms.</summary>
    public TimeSpan ConnectInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A synced book silent this long is checked against a REST witness (one a witness found quiet: after 2, 4, then every 8 times
    /// this, until its next frame); a WebSocket top of book older than this no longer judges a REST book (the ghost guard). Default 60 s.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each shard looks for quiet books. Default 5 s.</summary>
    public TimeSpan StaleCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames a shard may queue between its socket and its book engine before dropping (and re-basing). Default 100,000.</summary>
    public int ShardQueueCapacity { get; init; } = 100_000;

    /// <summary>Frame bytes a shard may queue before dropping (and re-basing), whatever the frame count. Default 256 MiB: eight frames of the 32 MiB limit.</summary>
    public long ShardQueueBytes { get; init; } = Protocol.WireLimits.MaxQueuedBytesPerShard;

    /// <summary>The REST budget and batching of resyncs. Default <see cref="ResyncOptions"/>'s defaults.</summary>
    public ResyncOptions Resync { get; init; } = new();

    /// <summary>Where every raw market-channel frame is recorded, before parsing, with its receive time and shard; <see langword="null"/> records nothing. Default <see langword="null"/>.</summary>
    public RecordingWriter? Recorder { get; init; }

    /// <summary>Books saved by a previous run; each streamed token found here starts <see cref="BookTrustState.Restored"/> with its saved content until the feed confirms it. Default none.</summary>
    public IReadOnlyList<BookCheckpoint> Checkpoint { get; init; } = [];

    /// <summary>Whether plain <c>http</c>/<c>ws</c> to a host other than this machine is allowed. Default <see langword="false"/>: such a host is refused.</summary>
    public bool AllowInsecureTransport { get; init; }

    /// <summary>The clock of every timer, watchdog and timestamp. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
