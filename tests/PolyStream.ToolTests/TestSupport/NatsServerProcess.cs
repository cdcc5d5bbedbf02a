using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PolyStream.ToolTests.TestSupport;

/// <summary>
/// A real <c>nats-server -js</c> on 127.0.0.1 with its store in a temporary folder (a missing
/// nats-server fails the test at once). It can be stopped hard and restarted on the same port and store.
/// </summary>
internal sealed class NatsServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(15);
    private readonly string _store;
    private readonly int _port;
    private Process? _process;

    private NatsServerProcess(string store, int port)
    {
        _store = store;
        _port = port;
    }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{_port}");

    public static async Task<NatsServerProcess> StartAsync()
    {
        RequiredTool.Ensure("nats-server");
        var store = Path.Combine(Path.GetTempPath(), "polystream-nats-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(store);
        var server = new NatsServerProcess(store, Loopback.FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again), on the same port and store, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Stop();
        _process = Process.Start(new ProcessStartInfo("nats-server", ["-js", "-a", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture), "-sd", _store])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nats-server could not be started.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = Stopwatch.StartNew();
        while (started.Elapsed < s_startLimit)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nats-server did not listen on {_port} within {s_startLimit}.");
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Stop()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }

            process.Dispose();
            _process = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(_store, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned by the system.
        }

        return ValueTask.CompletedTask;
    }
}
