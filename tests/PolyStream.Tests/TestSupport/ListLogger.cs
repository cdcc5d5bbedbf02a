using Microsoft.Extensions.Logging;

namespace PolyStream.Tests.TestSupport;

/// <summary>Keeps the event id and level of every log entry, to check the stable ids.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(int Id, LogLevel Level)> _entries = [];

    public IReadOnlyList<(int Id, LogLevel Level)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _ = formatter(state, exception);
        lock (_gate)
        {
            _entries.Add((eventId.Id, logLevel));
        }
    }
}
