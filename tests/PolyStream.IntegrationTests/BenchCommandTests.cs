using System.Text.Json;

namespace PolyStream.IntegrationTests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_ShortJsonRun_EndsWithEveryFigure()
    {
        var (code, output, _) = await CliRunner.RunAsync("bench", "--duration", "2s", "--warmup", "1s", "--markets", "5", "--assets-per-connection", "4", "--subscribers", "2", "--json");

        Assert.Equal(0, code);
        var last = output.Trim().Split('\n')[^1];
        using var figures = JsonDocument.Parse(last);
        foreach (var key in new[] { "events_per_s", "p50_us", "p99_us", "alloc_bytes_per_event", "cpu_us_per_event", "working_set_mb", "gc_pause_ms", "frames_per_s", "hash_checks_per_s", "hash_mismatches", "dropped_frames", "resync_requests" })
        {
            Assert.True(figures.RootElement.TryGetProperty(key, out var value) && value.GetDouble() >= 0, $"{key} missing in {last}");
        }

        Assert.True(figures.RootElement.GetProperty("events_per_s").GetDouble() > 0);
        Assert.Equal("frames", figures.RootElement.GetProperty("source").GetString());
        Assert.Equal("child-process", figures.RootElement.GetProperty("simulator").GetString());
        Assert.Equal("69000", figures.RootElement.GetProperty("rate").GetString());
        // Ten books at most four a connection.
        Assert.Equal(3, figures.RootElement.GetProperty("connections").GetDouble());
    }

    [Fact]
    public async Task Bench_PreRenderedFrames_EveryHashCheckedNoneFails()
    {
        var (code, output, _) = await CliRunner.RunAsync("bench", "--rate", "3000", "--duration", "3s", "--warmup", "1s", "--markets", "5", "--subscribers", "1", "--json");

        Assert.Equal(0, code);
        Assert.Contains("frames from a child process (pid ", output, StringComparison.Ordinal);
        using var figures = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.True(figures.RootElement.GetProperty("hash_checks_per_s").GetDouble() > 0, "the default Verify policy checks every delta");
        Assert.Equal(0, figures.RootElement.GetProperty("hash_mismatches").GetDouble());
        Assert.Equal(0, figures.RootElement.GetProperty("resync_requests").GetDouble());
        Assert.Equal(0, figures.RootElement.GetProperty("dropped_frames").GetDouble());
    }

    [Fact]
    public async Task Bench_SourceSim_RunsTheSimulatorInThisProcessAtMaxRate()
    {
        var (code, output, _) = await CliRunner.RunAsync("bench", "--source", "sim", "--duration", "2s", "--warmup", "1s", "--markets", "5", "--subscribers", "2", "--json");

        Assert.Equal(0, code);
        using var figures = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal("sim", figures.RootElement.GetProperty("source").GetString());
        Assert.Equal("in-process", figures.RootElement.GetProperty("simulator").GetString());
        Assert.Equal("max", figures.RootElement.GetProperty("rate").GetString());
        Assert.True(figures.RootElement.GetProperty("events_per_s").GetDouble() > 0);
    }

    [Fact]
    public async Task Bench_OutputNdjson_FormatsEveryEventInTheMeasuredPath()
    {
        var (code, output, error) = await CliRunner.RunAsync("bench", "--output", "ndjson", "--rate", "2000", "--duration", "2s", "--warmup", "1s", "--markets", "5", "--subscribers", "2", "--json");

        Assert.Equal(0, code);
        Assert.Contains("formatting NDJSON", error, StringComparison.Ordinal); // progress goes to stderr, the figures to stdout
        Assert.DoesNotContain("measuring for", output, StringComparison.Ordinal);
        using var figures = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.True(figures.RootElement.GetProperty("ndjson").GetBoolean());
        // A line of the stream schema is at least its type, asset id, epoch and sequence.
        Assert.True(figures.RootElement.GetProperty("ndjson_bytes_per_event").GetDouble() > 50);
    }

    [Fact]
    public async Task Bench_SimulatorInAChildProcessAtAFixedRate_SaysSoAndMeasures()
    {
        var (code, text, error) = await CliRunner.RunAsync("bench", "--sim-process", "--rate", "2000", "--duration", "2s", "--warmup", "1s", "--markets", "5", "--subscribers", "2", "--json");

        Assert.Equal(0, code);
        Assert.Contains("simulator in a child process (pid ", error, StringComparison.Ordinal);
        using var figures = JsonDocument.Parse(text.Trim().Split('\n')[^1]);
        Assert.Equal("child-process", figures.RootElement.GetProperty("simulator").GetString());
        Assert.Equal("2000", figures.RootElement.GetProperty("rate").GetString());
        Assert.True(figures.RootElement.GetProperty("events_per_s").GetDouble() > 0);
        Assert.True(figures.RootElement.GetProperty("frames_per_s").GetDouble() < 2000 * 10, "a paced simulator should not run at max rate");
    }

    [Fact]
    public async Task Bench_WithNatsUnreachable_StopsWithExitOneAndSaysWhy()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--duration", "1s", "--warmup", "1s", "--markets", "1", "--nats", "nats://127.0.0.1:1");

        Assert.Equal(1, code);
        Assert.Contains("cannot use NATS at nats://127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.Contains("Is nats-server running", error, StringComparison.Ordinal);
    }
}
