using System.Text;
using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>
/// The real executable as a shell runs it (issue 16): signals stop every verb within 2 s with the documented
/// exit code, a closed pipe ends it, and every user mistake is one line and exit 2.
/// </summary>
public sealed class CliProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan s_start = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_runLimit = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "polystream-cli-" + Guid.NewGuid().ToString("N")[..8]);
    private SimulatorServer _sim = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _sim = new SimulatorServer(new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = 2, EventsPerSecond = 20, MarketLifecycle = false });
        await _sim.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string, string, string, int> StopCases() => new()
    {
        // verb and arguments ({sim}, {token}, {rec}, {config} filled in), the line that shows it runs, the signal, the exit code.
        { "sim --port 0 --markets 2 --rate 0", "Ctrl+C to stop", "INT", 0 },
        { "sim --port 0 --markets 2 --rate 0", "Ctrl+C to stop", "TERM", 0 },
        { "replay {rec} --serve 0", "Serving", "INT", 0 },
        { "replay {rec} --serve 0", "Serving", "TERM", 0 },
        { "stream --asset {token} --host {sim}", "book_snapshot", "INT", 0 },
        { "record --asset {token} --host {sim} --out {dir}/rec-out", "recording 1 token", "TERM", 0 },
        { "daemon --config {config}", "\"EventId\":6001", "TERM", 0 },
        { "demo --no-tui --markets 2 --duration 60s", "books=", "INT", 130 },
        { "chaos --duration 60s", "fault   1", "INT", 130 },
        { "bench --duration 60s --warmup 1s --markets 5", "measuring", "INT", 130 },
    };

    [Theory]
    [MemberData(nameof(StopCases))]
    public async Task Signal_RunningVerb_StopsWithinTwoSecondsWithItsExitCode(string command, string running, string signal, int expected)
    {
        using var cli = CliProcess.Start(await ArgsAsync(command), Home(), _directory);
        await cli.WaitForAsync(text => text.Contains(running, StringComparison.Ordinal), s_start);

        cli.Signal(signal);
        var (code, elapsed) = await cli.WaitForExitAsync(s_runLimit);

        Assert.True(code == expected, $"exit {code}, expected {expected}\nstdout:\n{cli.Output}\nstderr:\n{cli.Error}");
        Assert.True(elapsed <= s_stopLimit, $"stopped {elapsed.TotalMilliseconds:F0} ms after SIG{signal}");
        Assert.DoesNotContain("did not stop", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signal_VerbStuckInASystemCall_IsEndedTwoSecondsLaterWithALine()
    {
        using var cli = await VerifyBlockedOnAFifoAsync();

        cli.Signal("INT");
        var (code, elapsed) = await cli.WaitForExitAsync(s_runLimit);

        Assert.Equal(130, code);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
        Assert.Contains("polystream: did not stop within 2 s; exiting.", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signal_Second_EndsTheProcessAtOnce()
    {
        using var cli = await VerifyBlockedOnAFifoAsync();
        cli.Signal("INT");
        await cli.WaitForAsync(text => text.Contains("press Ctrl+C again", StringComparison.Ordinal), s_start);

        cli.Signal("INT");
        var (code, elapsed) = await cli.WaitForExitAsync(s_runLimit);

        Assert.Equal(130, code);
        Assert.True(elapsed < TimeSpan.FromSeconds(1.5), $"exited {elapsed.TotalMilliseconds:F0} ms after the first signal");
        Assert.DoesNotContain("did not stop", cli.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("")]
    [InlineData("--json --gather 10ms")]
    public async Task Stream_IntoHeadTwo_EndsQuietlyWithZeroOnceHeadExits(string format)
    {
        var token = _sim.Engine.Markets[0].YesTokenId;

        var lines = await PipeIntoHeadAsync($"stream --asset {token} --host {_sim.BaseUrl} {format}", 2);

        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Stream_IntoHeadOne_OnAMarketThatGoesQuiet_EndsAsSoonAsHeadExits()
    {
        // No events after the first book: without watching the pipe, the verb would only learn at its next write, never.
        await using var quiet = new SimulatorServer(new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = 1, EventsPerSecond = 0, MarketLifecycle = false });
        await quiet.StartAsync(TestContext.Current.CancellationToken);
        var token = quiet.Engine.Markets[0].YesTokenId;

        var lines = await PipeIntoHeadAsync($"stream --asset {token} --host {quiet.BaseUrl} --json", 1);

        Assert.Contains("\"type\":\"book_snapshot\"", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_IntoHeadOne_EndsQuietlyWithZeroOnceHeadExits()
    {
        var config = await DaemonConfigAsync(statusPort: 0);

        var lines = await PipeIntoHeadAsync($"daemon --config '{config}'", 1);

        Assert.Single(lines);
    }

    [Theory]
    [InlineData("demo --markets abc")]
    [InlineData("demo --rate fast")]
    [InlineData("sim --port abc")]
    [InlineData("sim --markets abc")]
    [InlineData("sim --host 10.1.2.3")]
    [InlineData("bench --markets abc")]
    [InlineData("bench --subscribers abc")]
    [InlineData("bench --assets-per-connection abc")]
    [InlineData("bench --source tape")]
    [InlineData("bench --source frames --sim-process")]
    [InlineData("bench --output xml")]
    [InlineData("chaos --seed x")]
    [InlineData("book 1 --depth 0")]
    [InlineData("book 1 --depth -3")]
    [InlineData("export rec --kind book_snapshot --depth abc --out x.csv")]
    [InlineData("export rec --kind book_snapshot --depth 0 --out x.csv")]
    [InlineData("replay x --serve abc")]
    [InlineData("replay x --speed slow")]
    [InlineData("markets search \"\"")]
    [InlineData("stream --asset 1 --duration soon")]
    [InlineData("stream --asset 1 --gather 60ms")]
    [InlineData("tui --asset 1 --gather 0s")]
    [InlineData("record --asset 1 --out rec --gather 10ms")]
    [InlineData("stream --asset 1 --filter text=bitcoin")]
    [InlineData("stream --all --filter colour=red")]
    [InlineData("stream --all --filter bitcoin")]
    [InlineData("stream --all --filter min-volume=lots")]
    [InlineData("stream --all --filter text=a --filter text=b")]
    [InlineData("stream --all --nats nats://127.0.0.1:4222")]
    [InlineData("record --all --filter neg-risk=maybe --out rec")]
    [InlineData("tui --all --filter min-liquidity=-1")]
    [InlineData("auth init --nonce x")]
    [InlineData("bogus")]
    [InlineData("bench --duraton 2s")]
    [InlineData("stream --asset 1 --jsn --duration 5s")]
    public async Task Mistake_OnTheCommandLine_IsOneLineAndExitTwo(string command)
    {
        var (code, _, error) = await CliProcess.RunAsync(Split(command), s_runLimit, Home(), _directory);

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // sim --host 10.1.2.3 is an address other machines reach: refused without --allow-remote and a token.
        Assert.Equal(2, code);
        Assert.True(lines.Length <= 2 && lines[0].StartsWith("polystream", StringComparison.Ordinal), error);
        Assert.DoesNotContain("Required command", error, StringComparison.Ordinal);
        Assert.DoesNotContain("This is a bug", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "PolyStream": { "Asets": ["1"] } }""")]
    [InlineData("""{ "PolyStream": { "Assets": ["1"], "StatusIntervalSeconds": "abc" } }""")]
    [InlineData("""{ "PolyStream": { "Assets": ["1"], "HashPolicy": "Sometimes" } }""")]
    [InlineData("""{ "PolyStream": { "Assets": ["1"], "StatusPort": 70000 } }""")]
    [InlineData("""{ "PolyStream": { } }""")]
    [InlineData("""{ "PolyStream": { "Universe": "everything" } }""")]
    [InlineData("""{ "PolyStream": { "Universe": { "Txt": "bitcoin" } } }""")]
    [InlineData("""{ "PolyStream": { "Universe": { "MinVolume": "lots" } } }""")]
    [InlineData("""{ "PolyStream": { "Universe": { "MinLiquidity": -1 } } }""")]
    [InlineData("""{ "PolyStream": { "Universe": true } }""")]
    [InlineData("root:x:0:0:root:/root:/bin/bash")]
    [InlineData("{ not json")]
    public async Task Daemon_BadConfiguration_IsOneLineAndExitTwo(string content)
    {
        var config = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(config, content, TestContext.Current.CancellationToken);

        var (code, output, error) = await CliProcess.RunAsync(["daemon", "--config", config], s_runLimit, Home(), _directory);

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("polystream daemon: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Daemon_StatusPortTaken_ExitsOneSayingWhy()
    {
        var config = await DaemonConfigAsync(statusPort: _sim.BaseUrl.Port);

        var (code, output, _) = await CliProcess.RunAsync(["daemon", "--config", config], s_runLimit, Home(), _directory);

        Assert.Equal(1, code);
        Assert.Contains("\"EventId\":6003", output, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{_sim.BaseUrl.Port}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("passwd")]
    [InlineData("random")]
    [InlineData("empty-folder")]
    [InlineData("empty-file")]
    public async Task Verify_NotARecording_IsOneLineAndExitTwo(string kind)
    {
        var path = Path.Combine(_directory, kind);
        switch (kind)
        {
            case "passwd":
                await File.WriteAllTextAsync(path, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", TestContext.Current.CancellationToken);
                break;
            case "random":
                await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251))], TestContext.Current.CancellationToken);
                break;
            case "empty-folder":
                Directory.CreateDirectory(path);
                break;
            default:
                await File.WriteAllBytesAsync(path, [], TestContext.Current.CancellationToken);
                break;
        }

        var (code, _, error) = await CliProcess.RunAsync(["verify", path], s_runLimit, Home(), _directory);

        Assert.Equal(2, code);
        Assert.Contains(error.Split('\n'), l => l.StartsWith("polystream verify: ", StringComparison.Ordinal));
        Assert.DoesNotContain("denied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UnreachableHost_SaysEachAttemptAndExitsOneAfterTheConnectTimeout()
    {
        var (code, _, error) = await CliProcess.RunAsync(["stream", "--asset", "123", "--host", "http://127.0.0.1:1", "--connect-timeout", "2s"], s_runLimit, Home(), _directory);

        Assert.Equal(1, code);
        Assert.Contains("polystream stream: 1 token(s) (123) from http://127.0.0.1:1/", error, StringComparison.Ordinal);
        Assert.Contains("connection to ws://127.0.0.1:1/ws/market:", error, StringComparison.Ordinal);
        Assert.Contains("attempt 1 in", error, StringComparison.Ordinal);
        Assert.Contains("no connection to ws://127.0.0.1:1/ws/market within 2 s", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UnknownTokenAndResolvedMarket_AreNamedAndExitOne()
    {
        var market = _sim.Engine.Markets[1];
        _sim.Resolve(market.ConditionId);

        var (code, _, error) = await CliProcess.RunAsync(["stream", "--asset", "123", "--market", market.Slug, "--host", _sim.BaseUrl.ToString()], s_runLimit, Home(), _directory);

        Assert.Equal(1, code);
        Assert.Contains($"market '{market.Slug}' is resolved", error, StringComparison.Ordinal);
        Assert.Contains("no order book for token 123", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tui_OutputNotATerminal_PrintsPlainLinesAndOneLinePerBook()
    {
        var market = _sim.Engine.Markets[0];
        using var cli = CliProcess.Start(["tui", "--market", market.Slug, "--host", _sim.BaseUrl.ToString()], Home(), _directory);
        await cli.WaitForAsync(text => text.Contains("t=5s books=2 synced=2", StringComparison.Ordinal), s_start);

        cli.Signal("INT");
        var (code, _) = await cli.WaitForExitAsync(s_runLimit);

        Assert.Equal(0, code);
        Assert.DoesNotContain('\u001b', cli.Output);
        Assert.Contains(cli.Output.Split('\n'), l => l.StartsWith($"{market.Slug} · Yes", StringComparison.Ordinal) && l.Contains("Synced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_Json_KeepsStdoutNdjsonAndPutsTheSummaryOnStderr()
    {
        var recording = await RecordingAsync();

        var (code, output, error) = await CliProcess.RunAsync(["replay", recording, "--json"], s_runLimit, Home(), _directory);

        Assert.Equal(0, code);
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
        Assert.Contains("frames=", error, StringComparison.Ordinal);
    }

    /// <summary><c>verify</c> of a FIFO nobody writes: blocked in open(2), where no cancellation reaches it.</summary>
    private async Task<CliProcess> VerifyBlockedOnAFifoAsync()
    {
        var fifo = Path.Combine(_directory, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var cli = CliProcess.Start(["verify", fifo], Home(), _directory);
        // The kernel names where the process waits; polled because nothing else shows it (bounded: 60 s).
        var wchan = $"/proc/{cli.Id}/wchan";
        for (var i = 0; i < 600 && (!File.Exists(wchan) || (await File.ReadAllTextAsync(wchan, TestContext.Current.CancellationToken)).Trim() != "wait_for_partner"); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal("wait_for_partner", (await File.ReadAllTextAsync(wchan, TestContext.Current.CancellationToken)).Trim());
        return cli;
    }

    private static string[] Split(string command) =>
        [.. System.Text.RegularExpressions.Regex.Matches(command, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"'))];

    private async Task<string[]> ArgsAsync(string command)
    {
        var filled = command
            .Replace("{sim}", _sim.BaseUrl.ToString(), StringComparison.Ordinal)
            .Replace("{token}", _sim.Engine.Markets[0].YesTokenId, StringComparison.Ordinal)
            .Replace("{dir}", _directory, StringComparison.Ordinal);
        if (filled.Contains("{rec}", StringComparison.Ordinal))
        {
            filled = filled.Replace("{rec}", await RecordingAsync(), StringComparison.Ordinal);
        }

        if (filled.Contains("{config}", StringComparison.Ordinal))
        {
            filled = filled.Replace("{config}", await DaemonConfigAsync(statusPort: 0), StringComparison.Ordinal);
        }

        return Split(filled);
    }

    private Dictionary<string, string> Home() => new() { ["POLYSTREAM_HOME"] = Path.Combine(_directory, "home") };

    private async Task<string> DaemonConfigAsync(int statusPort)
    {
        var config = Path.Combine(_directory, "daemon.json");
        await File.WriteAllTextAsync(config, $$"""
            { "PolyStream": { "Host": "{{_sim.BaseUrl}}", "Markets": ["{{_sim.Engine.Markets[0].Slug}}"], "StatusIntervalSeconds": 1, "StatusPort": {{statusPort}}, "CheckpointIntervalSeconds": 0 } }
            """, TestContext.Current.CancellationToken);
        return config;
    }

    private async Task<string> RecordingAsync()
    {
        var folder = Path.Combine(_directory, "recording");
        if (!Directory.Exists(folder))
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "captures", "polypy_2025-10_v9.ndjson"), TestContext.Current.CancellationToken);
            await using var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = folder });
            for (var i = 0; i < lines.Length; i++)
            {
                writer.Append(Encoding.UTF8.GetBytes(lines[i]), 1_000_000 + (i * 1_000), 0);
            }
        }

        return folder;
    }

    /// <summary>Runs the verb piped into <c>head -<paramref name="lines"/></c>; asserts it ended quietly with 0 and soon, and returns what head printed.</summary>
    private async Task<string[]> PipeIntoHeadAsync(string arguments, int lines)
    {
        var script = $"dotnet '{CliProcess.Dll}' {arguments} | head -{lines}; echo \"exit=${{PIPESTATUS[0]}}\" >&2";

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (code, output, error) = await RunShellAsync(script);

        Assert.Equal(0, code);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"the pipeline took {started.Elapsed}");
        Assert.Contains("exit=0", error, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped after", error, StringComparison.Ordinal);
        Assert.DoesNotContain("did not stop", error, StringComparison.Ordinal);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunShellAsync(string script)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
            Environment = { ["POLYSTREAM_HOME"] = Path.Combine(_directory, "home") },
        })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(s_runLimit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
