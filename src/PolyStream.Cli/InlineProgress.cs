
namespace PolyStream.Cli;

/// <summary>Reports progress on the caller's thread, so a progress line is never written after the result it precedes.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
