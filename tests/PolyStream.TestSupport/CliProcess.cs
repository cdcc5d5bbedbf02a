using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PolyStream.TestSupport;

/// <summary>
/// The real <c>polystream</c> executable as a child process, started as a shell would: SIGINT at its default
/// disposition (a test host started in the background inherits it ignored, and .NET keeps an ignored SIGINT
/// ignored), both outputs read as they come, signals sent with <c>kill</c>.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly List<(long Timestamp, string Line)> _outputLines = [];
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Seen)> _waiters = [];
    private long _signalledAt;

    private CliProcess(Process process) => _process = process;

    /// <summary>The built CLI beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll");

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Every stdout line with the <see cref="Stopwatch"/> timestamp it arrived at, for tests that time the output.</summary>
    public IReadOnlyList<(long Timestamp, string Line)> OutputLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _outputLines];
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(cli._output, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(cli._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to the end within <paramref name="limit"/> (killed and failed otherwise).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> args, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var cli = Start(args, environment, workingDirectory);
        var (code, _) = await cli.WaitForExitAsync(limit);
        return (code, cli.Output, cli.Error);
    }

    /// <summary>
    /// Waits until stdout and stderr together satisfy <paramref name="condition"/>; fails with both after <paramref name="limit"/>,
    /// and with what <paramref name="explain"/> says is missing.
    /// </summary>
    public async Task WaitForAsync(Func<string, bool> condition, TimeSpan limit, Func<string>? explain = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_output.ToString() + _error.ToString()))
            {
                return;
            }

            _waiters.Add((condition, seen));
        }

        var exited = _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(limit, TestContext.Current.CancellationToken));
        Assert.True(first == seen.Task, $"the CLI {(first == exited ? "exited" : "did not show what was expected")} within {limit}. {explain?.Invoke()}\nstdout:\n{Output}\nstderr:\n{Error}");
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) with <c>kill</c>; <see cref="WaitForExitAsync"/> measures from the first one.</summary>
    public void Signal(string signal)
    {
        Interlocked.CompareExchange(ref _signalledAt, Stopwatch.GetTimestamp(), 0);
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>The exit code, and the time from the first signal (or from now) to the exit; killed and failed after <paramref name="limit"/>.</summary>
    public async Task<(int ExitCode, TimeSpan Elapsed)> WaitForExitAsync(TimeSpan limit)
    {
        var from = Interlocked.Read(ref _signalledAt) is var at and > 0 ? at : Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the CLI did not exit within {limit}.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        var elapsed = Stopwatch.GetElapsedTime(from);
        // Both readers have seen the end of their stream once this returns.
        _process.WaitForExit();
        return (_process.ExitCode, elapsed);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }

        var arrived = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            to.AppendLine(line);
            if (to == _output)
            {
                _outputLines.Add((arrived, line));
            }

            if (_waiters.Count == 0)
            {
                // A verb that prints thousands of lines must not cost a copy of all of them per line.
                return;
            }

            var text = _output.ToString() + _error.ToString();
            foreach (var waiter in _waiters.Where(w => w.Condition(text)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
