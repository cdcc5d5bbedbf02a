using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Rest;

namespace PolyStream.Tests.Fuzzing;

/// <summary>A million mutated inputs per parser: nothing but the documented failure may come out.</summary>
public sealed class ParserFuzzTests
{
    private const int Inputs = 1_000_000;

    [Fact]
    public void FrameParser_MillionMutatedFrames_NeverThrowsNorHangs()
    {
        // A small id pool: filling it is bounded by design, and its growth would blur the per-input allocation check.
        var parser = new FrameParser(new FrameParserOptions { MaxInternedIds = 1_000 });
        var events = new List<WireEvent>();
        var corpus = FuzzHarness.Corpus("vectors/samples", "captures");
        corpus.AddRange([Fixture.Utf8("PONG"), Fixture.Utf8("[]")]);
        var parsed = 0;

        FuzzHarness.Run(corpus, Inputs, seed: 20261124, input =>
        {
            events.Clear();
            parsed += parser.TryParse(input, events, out _) ? 1 : 0;
        });

        // Mutations keep some inputs valid; a fuzzer that never reaches the success path proves little.
        Assert.InRange(parsed, Inputs / 100, Inputs - 1);
    }

    [Fact]
    public void RestBodies_MillionMutatedResponses_FailOnlyAsClobApiException()
    {
        var corpus = FuzzHarness.Corpus("vectors/samples");
        corpus.Add(Fixture.Utf8(File.ReadLines(Fixture.PathOf("vectors/raw/polypy_messages_hash_2025-10.txt")).First(l => l.StartsWith("{\"market\"", StringComparison.Ordinal))));
        corpus.Add(Fixture.Utf8("""{"apiKey":"k","secret":"s","passphrase":"p"}"""));
        corpus.Add(Fixture.Utf8("""{"1":{"BUY":"0.52","SELL":"0.53"}}"""));
        var readers = new Action<byte[]>[]
        {
            body => RestBodies.Books(body, "GET /book"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.MarketsPageClobMarket, "GET /markets"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.GammaMarket, "GET /markets/slug"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.ApiCredentials, "POST /auth/api-key"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringDictionaryStringExactDecimal, "POST /prices"),
        };
        var next = 0;

        FuzzHarness.Run(corpus, Inputs, seed: 5, body => readers[next++ % readers.Length](body), typeof(ClobApiException));
    }

    [Fact]
    public async Task RecordingReader_MillionMutatedSegments_FailOnlyAsInvalidData()
    {
        var corpus = new List<byte[]>();
        foreach (var blockBytes in new[] { 512, 4096 })
        {
            var directory = Directory.CreateTempSubdirectory("polystream-fuzz-").FullName;
            try
            {
                await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = directory, BlockBytes = blockBytes }))
                {
                    foreach (var frame in FuzzHarness.Corpus("captures").Take(6))
                    {
                        writer.Append(frame, 1, 0);
                    }
                }

                corpus.Add(await File.ReadAllBytesAsync(Directory.GetFiles(directory, "*.psrec").Single(), TestContext.Current.CancellationToken));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        FuzzHarness.Run(corpus, Inputs, seed: 77, segment =>
        {
            using var stream = new MemoryStream(segment);
            foreach (var _ in RecordingReader.ReadSegment(stream, out _))
            {
            }
        }, typeof(InvalidDataException));
    }
}
