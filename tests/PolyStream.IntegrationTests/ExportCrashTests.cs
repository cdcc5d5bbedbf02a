using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PolyStream.Recording;

namespace PolyStream.IntegrationTests;

/// <summary>A recorder killed with SIGKILL mid-segment loses at most its torn tail, and export reads everything before it.</summary>
public sealed partial class ExportCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-export-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"frames=(\d+)")]
    private static partial Regex FramesField();

    [Fact]
    public async Task Export_RecorderKilledWithSigkill_ReadsEveryFlushedFrame()
    {
        var recording = Path.Combine(_directory, "rec");
        var child = Path.Combine(AppContext.BaseDirectory, "PolyStream.RecorderCrashChild.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [child, recording]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var flushed = 0;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while ((flushed < 3_000 || Segments(recording) < 2) && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                flushed = int.Parse(line["flushed ".Length..], CultureInfo.InvariantCulture);
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(flushed >= 3_000, $"the child only reported {flushed} flushed frames");
        Assert.True(Segments(recording) >= 2, "the kill came after at least one rotation");

        var (code, output, error) = await CliRunner.RunAsync("export", recording, "--kind", "incremental_book_l2", "--out", Path.Combine(_directory, "l2.csv"));

        Assert.True(code == 0, output + error);
        var exported = long.Parse(FramesField().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exported >= flushed, $"export read {exported} frames; {flushed} were flushed before the kill");
        Assert.Equal(RecordingReader.Open(recording).ReadFrames().Count(), exported);

        // The next recorder on the folder repairs the manifest the kill left behind, counting exactly what is readable.
        await using (RecordingWriter.Start(new RecordingWriterOptions { Directory = recording }))
        {
        }

        Assert.Equal(exported, ManifestFile.TryLoad(recording)!.Segments.Sum(s => s.Frames));
    }

    // How many segments the child has started: the kill must come after a rotation, however well its frames compress.
    private static int Segments(string recording) => Directory.Exists(recording) ? Directory.GetFiles(recording, "*.psrec").Length : 0;
}
