using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PolyStream.Cli.Bench;

/// <summary>The bench's result: the source, where it ran, the offered rate and hash policy, then one line per figure; with <c>--json</c> also one JSON object.</summary>
internal static class BenchReport
{
    /// <summary>Writes the text lines, then with <see cref="BenchSettings.Json"/> the JSON line scripts read last.</summary>
    public static async Task WriteAsync(BenchSettings settings, string where, IReadOnlyDictionary<string, double> figures, TextWriter output)
    {
        await output.WriteLineAsync($"{"source",-22} {settings.SourceText}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"simulator",-22} {where}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"rate",-22} {settings.RateText}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"hash_policy",-22} {settings.HashPolicy}").ConfigureAwait(false);
        await output.WriteLineAsync($"{"wake_hold_us",-22} {settings.WakeHold.TotalMicroseconds}").ConfigureAwait(false);
        foreach (var (name, value) in figures)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {value,14:N1}")).ConfigureAwait(false);
        }

        if (settings.Json)
        {
            await output.WriteLineAsync(Json(settings, figures)).ConfigureAwait(false);
        }
    }

    /// <summary>One line of JSON: the source, where it ran and the offered rate as strings, whether NDJSON was formatted, then every figure rounded to 0.1 (null when there is none).</summary>
    private static string Json(BenchSettings settings, IReadOnlyDictionary<string, double> figures)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("source", settings.SourceText);
            writer.WriteString("simulator", settings.InChildProcess ? "child-process" : "in-process");
            writer.WriteBoolean("ndjson", settings.Ndjson);
            writer.WriteString("rate", settings.RateText);
            writer.WriteString("hash_policy", settings.HashPolicy.ToString());
            writer.WriteNumber("wake_hold_us", settings.WakeHold.TotalMicroseconds);
            foreach (var (name, value) in figures)
            {
                // A percentile of no samples is NaN, which JSON cannot carry.
                if (double.IsFinite(value))
                {
                    writer.WriteNumber(name, Math.Round(value, 1));
                }
                else
                {
                    writer.WriteNull(name);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
