using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PolyStream.Cli;

/// <summary>
/// The streamer's logger for verbs that print to the terminal (<c>stream</c>, <c>record</c>): every failed or
/// lost connection becomes one line on stderr with the URL and when the next attempt is, so nothing fails in
/// silence. Every other log entry is dropped; the output stays the verb's own.
/// </summary>
internal sealed class ConnectionReport(TextWriter error, string verb, Uri url) : ILoggerFactory
{
    // WsLog: 1002 could not connect, 1003 rate limited, 1004 closed by the server, 1005 lost, 1007 stalled, 1009 reconnecting.
    private const int ConnectFailed = 1002;
    private const int RateLimited = 1003;
    private const int ServerClosed = 1004;
    private const int Lost = 1005;
    private const int Stalled = 1007;
    private const int Reconnecting = 1009;

    private readonly Lock _gate = new();
    private string _why = "it failed";

    /// <summary>Waits for the first connection; <see langword="false"/>, with a line saying so, when none succeeded within <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForFirstConnectionAsync(Streamer streamer, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var started = TimeProvider.System.GetTimestamp();
        while (!streamer.Shards.Any(s => s.Connection.ConnectedSince is not null))
        {
            if (TimeProvider.System.GetElapsedTime(started) >= limit)
            {
                await error.WriteLineAsync($"polystream {verb}: no connection to {url} within {limit.TotalSeconds:0.#} s ({_why}); check --host and the network (--connect-timeout waits longer).").ConfigureAwait(false);
                return false;
            }

            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Report(EventId eventId, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        string Field(string name) => Convert.ToString(fields.FirstOrDefault(f => f.Key == name).Value, CultureInfo.InvariantCulture) ?? "?";
        lock (_gate)
        {
            switch (eventId.Id)
            {
                case ConnectFailed or Lost:
                    _why = Field("Error");
                    break;
                case RateLimited:
                    _why = $"HTTP 429, Retry-After {Field("RetryAfter")}";
                    break;
                case Stalled when fields.FirstOrDefault(f => f.Key == "Silence").Value is TimeSpan silence:
                    _why = string.Create(CultureInfo.InvariantCulture, $"no data for {silence.TotalSeconds:0} s though it answered PING, so it is replaced");
                    break;
                case ServerClosed:
                    _why = $"closed by the server: {Field("CloseStatus")} {Field("CloseDescription")}".TrimEnd();
                    break;
                case Reconnecting when fields.FirstOrDefault(f => f.Key == "Delay").Value is TimeSpan delay:
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"polystream {verb}: connection to {url}: {_why}; attempt {Field("Attempt")} in {delay.TotalSeconds:0.#} s"));
                    break;
            }
        }
    }

    private sealed class Logger(ConnectionReport owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Warnings and up, plus the reconnect notice (Information): never the per-frame debug entries.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id is >= ConnectFailed and <= Reconnecting && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                owner.Report(eventId, fields);
            }
        }
    }
}
