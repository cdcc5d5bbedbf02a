using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PolyStream.Recording;
using PolyStream.Streaming;

namespace PolyStream.Cli.Daemon;

/// <summary>The daemon's one job: run a <see cref="Streamer"/> until the host stops, logging its health at a steady interval.</summary>
internal sealed class StreamingService(IOptions<DaemonSettings> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<StreamingService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var host = new Uri(settings.Host.EndsWith('/') ? settings.Host : settings.Host + "/");
        List<Tui.WatchedAsset> assets;
        try
        {
            assets = await AssetResolver.ResolveAsync(settings.Assets, settings.Markets, new Uri(settings.GammaHost), settings.AllowInsecure, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Rest.ClobApiException or ArgumentException)
        {
            DaemonLog.CannotStart(_logger, ex.Message);
            Environment.ExitCode = ExitCodes.Failure;
            lifetime.StopApplication();
            return;
        }

        var recorder = string.IsNullOrWhiteSpace(settings.RecordTo)
            ? null
            : RecordingWriter.Start(new RecordingWriterOptions { Directory = settings.RecordTo, Source = host.ToString(), Assets = [.. assets.Select(a => a.AssetId)] });
        try
        {
            var config = new StreamerConfig
            {
                MarketAssets = [.. assets.Select(a => a.AssetId)],
                HashPolicy = ParsePolicy(settings.HashPolicy),
                MaxAssetsPerConnection = settings.MaxAssetsPerConnection,
                StaleAfter = TimeSpan.FromSeconds(settings.StaleAfterSeconds),
                Recorder = recorder,
                AllowInsecureTransport = settings.AllowInsecure,
            };
            var streamer = new Streamer(config, loggers);
            await using (streamer.ConfigureAwait(false))
            {
                DaemonLog.Starting(_logger, assets.Count, settings.Host);
                await streamer.StartAsync(host, string.IsNullOrWhiteSpace(settings.DataDir) ? null : DataPaths.Under(settings.DataDir), stoppingToken).ConfigureAwait(false);
                var status = settings.StatusPort == 0 ? null : await StatusServer.StartAsync(streamer, settings.StatusHost, settings.StatusPort, stoppingToken).ConfigureAwait(false);
                await using var statusScope = ((IAsyncDisposable?)status ?? NoStatus.Instance).ConfigureAwait(false);
                if (status is not null)
                {
                    DaemonLog.StatusServing(_logger, status.Url);
                }

                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, settings.StatusIntervalSeconds)));
                try
                {
                    do
                    {
                        LogStatus(streamer);
                    }
                    while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // SIGTERM or Ctrl+C: fall through to the ordered shutdown.
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

    private void LogStatus(Streamer streamer)
    {
        var books = streamer.GetAllOrderBooks();
        var shards = streamer.Shards;
        var synced = books.Count(b => b.IsSynced);
        var connected = shards.Count(s => s.Connection.State == WsState.Subscribed);
        var hashesChecked = shards.Sum(s => s.Books.HashesChecked);
        var mismatched = shards.Sum(s => s.Books.HashMismatches);
        var reconnects = shards.Sum(s => s.Connection.ReconnectCount);
        DaemonLog.Status(_logger, synced, books.Count, shards.Count, connected, hashesChecked, mismatched, streamer.ResyncCounts.Accepted, reconnects);
    }

    private static HashPolicy ParsePolicy(string text) => text.Trim() switch
    {
        var t when t.Equals("Off", StringComparison.OrdinalIgnoreCase) => HashPolicy.Off,
        var t when t.StartsWith("Sample:", StringComparison.OrdinalIgnoreCase) && int.TryParse(t[7..], out var n) && n > 0 => HashPolicy.Sample(n),
        _ => HashPolicy.Verify,
    };

    /// <summary>Stands in for the status server when it is turned off.</summary>
    private sealed class NoStatus : IAsyncDisposable
    {
        public static NoStatus Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
