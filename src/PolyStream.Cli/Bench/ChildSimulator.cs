using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;
using PolyStream.Threading;

namespace PolyStream.Cli.Bench;

/// <summary>
/// The bench's load in a child process, this CLI again with the hidden <c>--as-simulator</c>: the simulator
/// (<c>--source sim --sim-process</c>), or for <c>--source frames</c> a frozen simulator for REST beside a
/// <see cref="FrameServer"/> sending the frames rendered from it. Both ends live here: the parent starts the
/// child and reads the URLs it announces; the child serves until the parent closes its input.
/// </summary>
internal sealed class ChildSimulator : IAsyncDisposable
{
    /// <summary>The first line a child prints, followed by its REST base URL and, for frames, a space and the market-channel URL.</summary>
    private const string ListeningPrefix = "bench simulator listening on ";

    private const string ChildGen0Budget = "0x10000000";
    // Rendering the frames source's lap takes about a second on a quiet machine, much longer on a loaded one.
    private static readonly TimeSpan s_startLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long a child simulator outlives the warm-up and measurement at most, should its parent never close its input.</summary>
    private static readonly TimeSpan s_childGrace = TimeSpan.FromMinutes(3);

    private readonly Process _process;

    private ChildSimulator(Process process) => _process = process;

    /// <summary>The parent side: starts the child and waits up to 2 minutes for the URLs it listens on.</summary>
    public static async Task<BenchSimulator> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var start = SelfStart();
        foreach (var argument in (string[])["bench", "--as-simulator", "--source", settings.SourceText, "--markets", settings.Markets.ToString(CultureInfo.InvariantCulture), "--rate", settings.RateText, "--duration", string.Create(CultureInfo.InvariantCulture, $"{settings.Duration.TotalSeconds}s"), "--warmup", string.Create(CultureInfo.InvariantCulture, $"{settings.Warmup.TotalSeconds}s")])
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
                    var urls = line[ListeningPrefix.Length..].Split(' ');
                    var where = settings.Source == BenchSource.Frames ? $"frames from a child process (pid {child._process.Id})" : $"in a child process (pid {child._process.Id})";
                    return new BenchSimulator(child, new Uri(urls[0]), urls.Length > 1 ? new Uri(urls[1]) : null, where);
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
    /// The child side: serves the bench's load (for frames: rendered first, then sent from memory) and announces
    /// its URLs, until the parent closes this process's input, or at most the measurement plus a grace period.
    /// </summary>
    public static async Task<int> ServeAsync(BenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        // The parent's input is watched from the start: a parent stopped while the frames are still being rendered
        // (seconds of work) must not leave this process rendering on, holding the terminal's output.
        var parentGone = WatchInput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = parentGone.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var options = BenchSimulator.OptionsFor(settings);
        var server = new SimulatorServer(options);
        await using var serverScope = server.ConfigureAwait(false);
        try
        {
            var frames = settings.Source == BenchSource.Frames ? new FrameServer(FrameLoop.Render(LapEngine(options), BenchSimulator.LapSteps(settings.Markets), stop.Token), settings.Rate) : null;
            try
            {
                frames?.Start();
                await server.StartAsync(stop.Token).ConfigureAwait(false);
                await output.WriteLineAsync(ListeningPrefix + server.BaseUrl + (frames is null ? string.Empty : " " + frames.Url)).ConfigureAwait(false);
                await output.FlushAsync(stop.Token).ConfigureAwait(false);
                await Task.WhenAny(parentGone, Task.Delay(settings.Warmup + settings.Duration + s_childGrace, stop.Token)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            finally
            {
                if (frames is not null)
                {
                    await frames.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok; // The parent went away or this process was asked to stop: nothing left to serve.
        }
    }

    /// <summary>
    /// The engine the frames are rendered from: the REST server's twin (the same seed, so the same markets and books),
    /// made a millisecond later. The server's engine stays at the lap's start, so what REST answers (a book's first
    /// base, a resync) is a book the lap passes through, and older than every book the lap moves to: a streamer whose
    /// book the lap has moved on takes a late REST answer for outdated instead of going back to it.
    /// </summary>
    private static MarketEngine LapEngine(SimulatorOptions options)
    {
        // Book timestamps are milliseconds: two engines made within one would stamp their books alike.
        Thread.Sleep(1);
        return new MarketEngine(options);
    }

    /// <summary>Completes when the parent closes this process's input (its signal to stop) or ends.</summary>
    private static Task WatchInput()
    {
        var input = Console.OpenStandardInput();
        // A console read blocks its thread and ignores cancellation: it gets a thread of its own, not one of
        // the simulator's pool threads; the process exits right after it completes either way.
        return DedicatedThread.Run(() => { using (input) { Drain(input); } });
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
