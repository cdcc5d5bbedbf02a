using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream verify FILE</c>: replays a capture of raw market-channel frames and checks every hash it can.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "A recording (folder or .psrec segment), or a capture with one raw market-channel frame per line, exactly as received.",
        };
        var minOrderSize = new Option<ExactDecimal>("--min-order-size")
        {
            Description = "min_order_size hashed with every book whose recording stores no REST book; WebSocket books lack it.",
            DefaultValueFactory = _ => ExactDecimal.FromParts(5, 0),
            CustomParser = ParseDecimal,
        };
        var negRisk = new Option<bool>("--neg-risk")
        {
            Description = "neg_risk hashed with every book whose recording stores no REST book (true|false); WebSocket books lack it.",
        };
        var tickSize = new Option<ExactDecimal>("--tick-size")
        {
            Description = "tick_size for books that carry none (captures before 2026).",
            DefaultValueFactory = _ => ExactDecimal.FromParts(1, 2),
            CustomParser = ParseDecimal,
        };
        var hashVersion = new Option<string>("--hash-version")
        {
            Description = "The capture's hash algorithm: current (10 fields, since 2025-12), v9 (2025-09..12), v6 (2024..mid-2025).",
            DefaultValueFactory = _ => "current",
        };
        hashVersion.AcceptOnlyFromAmong("current", "v9", "v6");

        var command = new Command(
            "verify",
            "Replay a capture through exact order books and check every book hash.\n\n"
            + "Prints 'frames=N books=N hashes_checked=N matched=N mismatched=N untracked=N' and one line per mismatch.\n"
            + "Exit code: 0 all matched, 1 a hash mismatched, 2 unreadable input.\n\n"
            + "Examples:\n"
            + "  polystream verify capture.ndjson\n"
            + "  polystream verify capture-2025-10.ndjson --hash-version v9\n"
            + "  polystream verify capture.ndjson --min-order-size 15 --neg-risk true\n"
            + "  polystream verify ~/.local/share/polystream/recordings/2026-11-24")
        {
            file, minOrderSize, negRisk, tickSize, hashVersion,
        };

        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetRequiredValue(file),
            new HashAuditOptions
            {
                MinOrderSize = result.GetValue(minOrderSize),
                NegRisk = result.GetValue(negRisk),
                TickSize = result.GetValue(tickSize),
                HashVersion = ParseVersion(result.GetRequiredValue(hashVersion)),
            },
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken)));
        return command;
    }

    private static int Run(FileInfo file, HashAuditOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file.FullName) && !RecordingReader.IsRecording(file.FullName))
        {
            error.WriteLine($"polystream verify: '{file.FullName}' is a folder without recording segments (*{RecordingFormat.SegmentExtension}); name a recording folder, a segment or a capture file.");
            return ExitCodes.Usage;
        }

        var malformedLines = new List<long>();
        var auditor = new HashAuditor(
            options,
            mismatch => output.WriteLine(
                $"mismatch line={mismatch.FrameNumber} asset={mismatch.AssetId} event={mismatch.EventKind} expected={mismatch.Expected} computed={mismatch.Actual}"),
            (line, parseError) =>
            {
                malformedLines.Add(line);
                error.WriteLine($"line {line}: unreadable frame ({parseError})");
            });

        try
        {
            if (RecordingReader.IsRecording(file.FullName))
            {
                var recording = RecordingReader.Open(file.FullName);
                var restParser = new FrameParser();
                long frameNumber = 0;
                long restBooks = 0;
                foreach (var frame in recording.ReadFrames())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    frameNumber++;
                    if (!frame.IsRestBook)
                    {
                        auditor.Audit(frame.Bytes.Span, frameNumber);
                    }
                    else if (RestBookRecord.TryDecode(frame.Bytes.Span, restParser, out var summary, out var restError))
                    {
                        restBooks++;
                        auditor.LearnMetadata(summary);
                    }
                    else
                    {
                        malformedLines.Add(frameNumber);
                        error.WriteLine($"record {frameNumber}: unreadable REST book ({restError})");
                    }
                }

                if (restBooks == 0)
                {
                    error.WriteLine($"note: the recording stores no REST books: every book was hashed with min_order_size {options.MinOrderSize} and neg_risk {(options.NegRisk ? "true" : "false")} (--min-order-size, --neg-risk).");
                }

                foreach (var torn in recording.Report.TornSegments)
                {
                    // A torn tail is what a crash leaves; everything before it was checked.
                    error.WriteLine($"note: {torn}");
                }
            }
            else
            {
                long lineNumber = 0;
                foreach (var line in File.ReadLines(file.FullName, Encoding.UTF8))
                {
                    lineNumber++;
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        auditor.Audit(Encoding.UTF8.GetBytes(line), lineNumber);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"polystream verify: cannot read '{file.FullName}': {ex.Message}");
            error.WriteLine("Check the path and permissions; FILE is a recording (folder or .psrec segment) or holds one raw market-channel frame per line.");
            return ExitCodes.Usage;
        }

        var counts = auditor.Counts;
        output.WriteLine(counts.ToString());
        if (counts.Mismatched > 0)
        {
            return ExitCodes.Failure;
        }

        // Text that merely parses (a passwd file, a log) holds no book: nothing was verified, so it is not a pass.
        if (counts.Frames == 0 || counts.Books + counts.Untracked == 0 || malformedLines.Count > 0)
        {
            error.WriteLine(counts.Frames == 0 ? $"polystream verify: '{file.FullName}' holds no frames."
                : malformedLines.Count > 0 ? $"polystream verify: {malformedLines.Count} line(s) could not be parsed; their hashes were not checked."
                : $"polystream verify: '{file.FullName}' holds no market-channel book frames; is it a capture or a recording?");
            return ExitCodes.Usage;
        }

        return ExitCodes.Ok;
    }

    private static ExactDecimal ParseDecimal(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        try
        {
            return ExactDecimal.Parse(text);
        }
        catch (FormatException)
        {
            result.AddError($"'{text}' is not a plain decimal such as 5 or 0.01.");
            return default;
        }
    }

    private static BookHashVersion ParseVersion(string text) => text switch
    {
        "v9" => BookHashVersion.V9,
        "v6" => BookHashVersion.V6,
        _ => BookHashVersion.Current,
    };
}
