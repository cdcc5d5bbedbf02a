using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PolyStream.Auth;
using PolyStream.Engine;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Cli.Daemon;

/// <summary>The daemon's one job: run a <see cref="Streamer"/> until the host stops, logging its health at a steady interval.</summary>
internal sealed class StreamingService(IOptions<DaemonSettings> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<StreamingService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The host would log this and stop with exit 0; a daemon that died must say so in its exit code.
            DaemonLog.Failed(_logger, ex);
            Fail();
        }
    }

    private void Fail()
    {
        Environment.ExitCode = ExitCodes.Failure;
        lifetime.StopApplication();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var host = new Uri(settings.Host.EndsWith('/') ? settings.Host : settings.Host + "/");
        List<Tui.WatchedAsset> assets;
        HashPolicy hashPolicy;
        try
        {
            hashPolicy = HashPolicy.Parse(settings.HashPolicy);
            if (settings.StatusPort != 0)
            {
                // Refused before anything starts: /metrics and /health off loopback need an opt-in and a token.
                Simulator.Server.RemoteAccess.Address(settings.StatusHost, settings.StatusAllowRemote, settings.StatusAccessToken);
            }

            assets = await AssetResolver.ResolveAsync(settings.Assets, settings.Markets, new Uri(settings.GammaHost), settings.AllowInsecure, warning => DaemonLog.Left(_logger, warning), stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Rest.ClobApiException or ArgumentException or FormatException)
        {
            DaemonLog.CannotStart(_logger, ex.Message);
            Fail();
            return;
        }

        if (assets.Count == 0 && settings.Universe is null)
        {
            DaemonLog.CannotStart(_logger, "no asset to stream: every configured market is resolved");
            Fail();
            return;
        }

        var recorder = string.IsNullOrWhiteSpace(settings.RecordTo)
            ? null
            : RecordingWriter.Start(settings.RecordingOptions(host.ToString(), assets));
        try
        {
            var dataPaths = string.IsNullOrWhiteSpace(settings.DataDir) ? DataPaths.Resolve() : DataPaths.Under(settings.DataDir);
            var checkpoints = settings.CheckpointIntervalSeconds <= 0
                ? null
                : new CheckpointStore(settings.CheckpointFile is { Length: > 0 } file ? file : Path.Combine(dataPaths.DataDirectory, "checkpoint.json"));
            // Universe mode on NATS: the node's slots pick the markets this daemon carries.
            var slotSelector = settings.Universe is not null && settings.Nats.Enabled ? new Nats.NatsSlotSelector() : null;
            var config = new StreamerConfig
            {
                Checkpoint = checkpoints is null ? [] : LoadCheckpoint(checkpoints),
                // In a scale-out the node subscribes what it holds leases for; alone, the daemon streams everything.
                MarketAssets = settings.Nats.Enabled ? [] : [.. assets.Select(a => a.AssetId)],
                HashPolicy = hashPolicy,
                HashTrades = settings.Nats.Enabled,
                MaxAssetsPerConnection = settings.MaxAssetsPerConnection,
                StaleAfter = TimeSpan.FromSeconds(settings.StaleAfterSeconds),
                Recorder = recorder,
                AllowInsecureTransport = settings.AllowInsecure,
                Universe = settings.Universe?.ToFilter(),
                GammaHost = new Uri(settings.GammaHost),
                UniverseSelector = slotSelector is null ? null : slotSelector.Carries,
            };
            var streamer = new Streamer(config, loggers);
            await using (streamer.ConfigureAwait(false))
            {
                var marketUrl = Streamer.ChannelUrl(host, null, Connections.WsConfig.ProductionMarketUrl, "ws/market");
                DaemonLog.Starting(_logger, assets.Count, settings.Host, marketUrl);
                await using var universe = WatchUniverse(streamer, settings.Host).ConfigureAwait(false);
                await streamer.StartAsync(host, dataPaths, stoppingToken).ConfigureAwait(false);
                Nats.NatsNode? node;
                try
                {
                    node = await StartScaleOutAsync(settings.Nats, streamer, slotSelector, [.. assets.Select(a => a.AssetId)], stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ArgumentException or NATS.Client.Core.NatsException)
                {
                    DaemonLog.CannotStart(_logger, Redaction.Url($"NATS at {settings.Nats.Url}: {ex.Message} (is nats-server running with JetStream, -js?)"));
                    Fail();
                    return;
                }

                await using var nodeScope = ((IAsyncDisposable?)node ?? NoStatus.Instance).ConfigureAwait(false);
                StatusServer? status;
                try
                {
                    status = settings.StatusPort == 0 ? null : await StatusServer.StartAsync(streamer, node, settings, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                {
                    DaemonLog.CannotStart(_logger, $"/metrics and /health on {settings.StatusHost}:{settings.StatusPort}: {ex.Message} (set PolyStream:StatusPort to a free port, or 0 for none)");
                    Fail();
                    return;
                }

                await using var statusScope = ((IAsyncDisposable?)status ?? NoStatus.Instance).ConfigureAwait(false);
                if (status is not null)
                {
                    DaemonLog.StatusServing(_logger, status.Url);
                }

                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, settings.StatusIntervalSeconds)));
                var lastCheckpoint = TimeProvider.System.GetTimestamp();
                try
                {
                    do
                    {
                        LogStatus(streamer, node, marketUrl);
                        if (recorder?.Stopped is { IsCompleted: true } stopped)
                        {
                            // A full disk: the recording is over, and running on unrecorded is not what was configured.
                            DaemonLog.RecordingStopped(_logger, settings.RecordTo!, await stopped.ConfigureAwait(false));
                            Environment.ExitCode = ExitCodes.Failure;
                            lifetime.StopApplication();
                            break;
                        }

                        if (checkpoints is not null && TimeProvider.System.GetElapsedTime(lastCheckpoint).TotalSeconds >= settings.CheckpointIntervalSeconds)
                        {
                            SaveCheckpoint(checkpoints, streamer);
                            lastCheckpoint = TimeProvider.System.GetTimestamp();
                        }
                    }
                    while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // SIGTERM or Ctrl+C: a last checkpoint, then the ordered shutdown.
                }

                if (checkpoints is not null)
                {
                    SaveCheckpoint(checkpoints, streamer);
                }
            }
        }
        finally
        {
            if (recorder is not null)
            {
                await recorder.DisposeAsync().ConfigureAwait(false);
            }

            DaemonLog.Stopped(_logger);
        }
    }

    private IReadOnlyList<BookCheckpoint> LoadCheckpoint(CheckpointStore store)
    {
        try
        {
            return store.Load();
        }
        catch (InvalidDataException ex)
        {
            // A damaged checkpoint only costs the head start: the feed rebuilds every book anyway.
            DaemonLog.CheckpointFailed(_logger, store.FilePath, ex.Message);
            return [];
        }
    }

    private void SaveCheckpoint(CheckpointStore store, Streamer streamer)
    {
        try
        {
            // Only books the feed confirmed are worth restoring.
            store.Save(streamer.GetAllOrderBooks().Where(b => b.IsSynced).Select(b => new BookCheckpoint(b.Summary, b.Epoch, b.Seq)));
        }
        catch (IOException ex)
        {
            DaemonLog.CheckpointFailed(_logger, store.FilePath, ex.Message);
        }
    }

    /// <summary>In universe mode, logs what it follows and watches it (progress, then each market joining or leaving); nothing otherwise.</summary>
    private IAsyncDisposable WatchUniverse(Streamer streamer, string host)
    {
        if (streamer.Config.Universe is { } filter)
        {
            var followed = UniverseMode.UniverseFilterOption.Describe(filter);
            DaemonLog.UniverseStarting(_logger, followed, host);
        }

        return UniverseMode.UniverseWatch.StartIf(streamer.Config.Universe is not null, streamer, new DaemonUniverseReport(_logger));
    }

    /// <summary>
    /// Joins the scale-out when configured, sharing the discovered universe by market when <paramref name="slotSelector"/>
    /// is set (universe mode), else the fixed <paramref name="assets"/>; <see langword="null"/> when the daemon runs alone.
    /// </summary>
    private async Task<Nats.NatsNode?> StartScaleOutAsync(NatsSettings settings, Streamer streamer, Nats.NatsSlotSelector? slotSelector, IReadOnlyCollection<string> assets, CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var options = settings.ToOptions();
        var url = Redaction.Url(options.Url);
        if (slotSelector is not null)
        {
            DaemonLog.ScaleOutUniverse(_logger, options.NodeId, streamer.UniverseMarkets.Count, url);
            return await Nats.NatsNode.StartUniverseAsync(streamer, slotSelector, options, loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        DaemonLog.ScaleOut(_logger, options.NodeId, assets.Count, url);
        return await Nats.NatsNode.StartAsync(streamer, assets, options, loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private void LogStatus(Streamer streamer, Nats.NatsNode? node, Uri marketUrl)
    {
        if (node is not null)
        {
            var counts = node.Counts;
            DaemonLog.ScaleOutStatus(_logger, node.OwnedSlots.Count, node.OwnedAssets.Count, counts.Published, counts.Retried, counts.Rebased, counts.SnapshotsWritten);
        }

        var books = streamer.GetAllOrderBooks();
        var totals = streamer.Totals;
        var synced = books.Count(b => b.IsSynced);
        DaemonLog.Status(_logger, synced, books.Count, totals.Shards, totals.ShardsUp, totals.HashesChecked, totals.HashMismatches, streamer.ResyncCounts.Accepted, totals.Reconnects);
        if (totals.Shards > 0 && !streamer.Shards.Any(s => s.Connection.ConnectedSince is not null))
        {
            DaemonLog.NotConnected(_logger, marketUrl);
        }
        else if (synced < books.Count)
        {
            // /health says "degraded" for these; the log says which books and why.
            DaemonLog.NotSynced(_logger, books.Count - synced, string.Join(", ", books.Where(b => !b.IsSynced).Take(5).Select(b => $"{AssetResolver.Short(b.AssetId)} {b.State}")));
        }
    }

    /// <summary>Stands in for the status server or the scale-out node when either is off.</summary>
    private sealed class NoStatus : IAsyncDisposable
    {
        public static NoStatus Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
