using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Books;
using PolyStream.Cli;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Tests.Simulator;

public sealed class SimulatorCaptureTests
{
    private static List<byte[]> Capture(int steps)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        // Uniform on purpose: this capture holds WebSocket frames only, no REST /books answers, so nothing in it carries
        // min_order_size or neg_risk and an auditor can only hash it with the defaults (5, false).
        var engine = new MarketEngine(new SimulatorOptions { Markets = 10, Seed = 12, MarketLifecycle = false, Uniform = true }, time);
        var dump = WireWriter.Write(w =>
        {
            w.WriteStartArray();
            foreach (var book in engine.GetBooks())
            {
                WireWriter.WsBook(w, book);
            }

            w.WriteEndArray();
        });
        return [dump, .. engine.Step(steps).Where(f => !f.IsUserEvent).Select(f => f.Utf8.ToArray())];
    }

    [Fact]
    public void HashAuditor_SimulatorCapture_EveryHashMatches()
    {
        var auditor = new HashAuditor();
        var frames = Capture(20_000);

        for (var i = 0; i < frames.Count; i++)
        {
            auditor.Audit(frames[i], i + 1);
        }

        Assert.Equal(0, auditor.Counts.Mismatched);
        Assert.Equal(0, auditor.Counts.Malformed);
        Assert.True(auditor.Counts.Matched > 20_000, $"only {auditor.Counts.Matched} matched");
    }

    [Fact]
    public async Task Verify_SimulatorCaptureFile_ExitsZeroWithNoMismatch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"polystream-sim-{Guid.NewGuid():N}.ndjson");
        try
        {
            await File.WriteAllLinesAsync(path, Capture(5_000).Select(System.Text.Encoding.UTF8.GetString), TestContext.Current.CancellationToken);
            var output = new StringWriter();

            var code = await PolyStreamCli.RunAsync(["verify", path], new InvocationConfiguration { Output = output, Error = new StringWriter() }, TestContext.Current.CancellationToken);

            Assert.Equal(0, code);
            Assert.Contains("mismatched=0", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
