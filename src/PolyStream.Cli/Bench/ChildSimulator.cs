using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using PolyStream.Simulator;

namespace PolyStream.Cli.Bench;

/// <summary>
/// <c>bench --sim-process</c>: the bench's simulator in a child process, this CLI again with the hidden
/// <c>--as-simulator</c>. Both ends live here: the parent starts the child and reads the URL it announces;
/// the child serves until the parent closes its input.
/// </summary>
internal sealed class ChildSimulator : IAsyncDisposable
{
    /// <summary>The first line a child simulator prints, followed by its REST base URL.</summary>
    private const string ListeningPrefix = "bench simulator listening on ";

    private const string ChildGen0Budget = "0x10000000";
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long a child simulator outlives the warm-up and measurement at most, should its parent never close its input.</summary>
    private static readonly TimeSpan s_childGrace = TimeSpan.FromMinutes(3);

    private readonly Process _process;

    private ChildSimulator(Process process) => _process = process;

    /// <summary>The parent side: starts the child and waits up to 30 s for the URL it listens on.</summary>
    public static async Task<BenchSimulator> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var start = SelfStart();
        foreach (var argument in (string[])["bench", "--as-simulator", "--markets", settings.Markets.ToString(CultureInfo.InvariantCulture), "--rate", settings.RateText, "--duration", string.Create(CultureInfo.InvariantCulture, $"{settings.Duration.TotalSeconds}s"), "--warmup", string.Create(CultureInfo.InvariantCulture, $"{settings.Warmup.TotalSeconds}s")])
        {
            start.ArgumentList.Add(argument);
        }

        var child = new ChildSimulator(Process.Start(start) ?? throw new InvalidOperationException($"Could not start the simulator process {start.FileName}."));
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(s_startLimit);
            while (await child._process.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
                {
                    return new BenchSimulator(child, new Uri(line[ListeningPrefix.Length..]), $"in a child process (pid {child._process.Id})");
                }
            }

            throw new InvalidOperationException("The simulator process ended before it listened.");
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The child side: serves the bench's simulator and announces its URL, until the parent closes this
    /// process's input, or at most the measurement plus a grace period.
    /// </summary>
    public static async Task<int> ServeAsync(BenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var server = new SimulatorServer(BenchSimulator.OptionsFor(settings));
        await using var serverScope = server.ConfigureAwait(false);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(ListeningPrefix + server.BaseUrl).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var input = Console.OpenStandardInput();
        await using var inputScope = input.ConfigureAwait(false);
        // A console read blocks its thread and ignores cancellation: it gets a thread of its own, not one of
        // the simulator's pool threads, and the lifetime races it; the process exits right after either way.
        var closed = Task.Factory.StartNew(() => Drain(input), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAny(closed, Task.Delay(settings.Warmup + settings.Duration + s_childGrace, cancellationToken)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Closes the child's input, its signal to stop; kills it only if it has not ended within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var limit = new CancellationTokenSource(s_stopLimit);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
    }

    /// <summary>
    /// How to run this CLI again: its own launcher when it is the entry point, otherwise (under
    /// <c>dotnet</c>, or hosted by tests) the <c>dotnet</c> host with the CLI's assembly.
    /// </summary>
    private static ProcessStartInfo SelfStart()
    {
        var cli = typeof(ChildSimulator).Assembly;
        var host = Environment.ProcessPath;
        var start = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // The load generator's own GC pauses return as catch-up bursts the streamer would then be measured on;
        // a 256 MB gen0 budget makes them rare. Only the child gets it: the streamer runs as configured.
        start.Environment["DOTNET_GCgen0size"] = ChildGen0Budget;
        var hostIsDotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet";
        if (host is not null && !hostIsDotnet && Assembly.GetEntryAssembly() == cli)
        {
            start.FileName = host;
            return start;
        }

        start.FileName = hostIsDotnet ? host! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        start.ArgumentList.Add(cli.Location);
        return start;
    }

    private static void Drain(Stream input)
    {
        var buffer = new byte[256];
        while (input.Read(buffer) > 0)
        {
            // The parent writes nothing; end of input is the signal.
        }
    }
}
