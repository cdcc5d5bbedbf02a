using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PolyStream.Auth;

namespace PolyStream.Cli.Tui;

/// <summary>
/// Sends the streamer's logs to a file while a live screen owns the terminal, so no log line is
/// ever drawn over it. One line per entry: UTC time, level, event id, category, message.
/// </summary>
internal sealed class FileLoggerFactory : ILoggerFactory
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Logger> _loggers = new(StringComparer.Ordinal);

    private FileLoggerFactory(string path)
    {
        Path = path;
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public string Path { get; }

    /// <summary>Opens <c>logs/polystream-YYYYMMDD.log</c> under the data folder.</summary>
    public static FileLoggerFactory Open(DataPaths paths)
    {
        var folder = System.IO.Path.Combine(paths.DataDirectory, "logs");
        Directory.CreateDirectory(folder);
        return new FileLoggerFactory(System.IO.Path.Combine(folder, $"polystream-{DateTime.UtcNow:yyyyMMdd}.log"));
    }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new Logger(this, name));

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose() => _writer.Dispose();

    private void Write(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    private sealed class Logger(FileLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O} {logLevel} {eventId.Id} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}"));
            }
        }
    }
}
