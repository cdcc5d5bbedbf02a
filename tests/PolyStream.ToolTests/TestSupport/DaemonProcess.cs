using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace PolyStream.ToolTests.TestSupport;

/// <summary>A <c>polystream daemon</c> child process, its configuration written from an object (section <c>PolyStream</c>).</summary>
internal static class DaemonProcess
{
    /// <summary>Writes <c>&lt;folder&gt;/&lt;name&gt;.json</c> and starts the daemon on it; its standard output lines go to <paramref name="output"/> when given.</summary>
    public static Process Start(string folder, string name, object polyStream, ConcurrentQueue<string>? output = null)
    {
        var config = Path.Combine(folder, name + ".json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { PolyStream = polyStream }));
        var daemon = Process.Start(new ProcessStartInfo("dotnet", [CliProcess.Dll, "daemon", "--config", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        daemon.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                output?.Enqueue(text);
            }
        };
        daemon.ErrorDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        return daemon;
    }
}
