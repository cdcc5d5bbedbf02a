using System.Text;
using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests.TestSupport;

/// <summary>
/// Records every frame a streamer receives (give <see cref="Recorder"/> to <see cref="StreamerConfig.Recorder"/>)
/// and reads them back as the simulator engine's frame numbers, so a fault test can see what actually reached
/// the client: frames repeated, frames out of order.
/// </summary>
internal sealed class ReceivedFrames : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-received-").FullName;

    public ReceivedFrames() => Recorder = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory });

    public RecordingWriter Recorder { get; }

    /// <summary>How many engine frames arrived right after the same frame, on the same connection.</summary>
    public async Task<int> RepeatedAsync(SimulatorServer server) =>
        (await EngineSequencesAsync(server)).Sum(received => Enumerable.Range(1, Math.Max(0, received.Count - 1)).Count(i => received[i] == received[i - 1]));

    /// <summary>How many engine frames arrived right after a frame the engine made later, on the same connection.</summary>
    public async Task<int> OutOfOrderAsync(SimulatorServer server) =>
        (await EngineSequencesAsync(server)).Sum(received => Enumerable.Range(1, Math.Max(0, received.Count - 1)).Count(i => received[i] < received[i - 1]));

    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// Per connection, in the order received, the engine sequence number of every frame that is one of the
    /// engine's frames; what the server wrote itself (subscription dumps, PONG) is left out.
    /// </summary>
    private async Task<List<List<long>>> EngineSequencesAsync(SimulatorServer server)
    {
        await Recorder.FlushAsync(TestContext.Current.CancellationToken);
        var sequenceOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var frame in server.Engine.History)
        {
            sequenceOf.TryAdd(frame.Text, frame.Sequence);
        }

        var received = new Dictionary<ushort, List<long>>();
        foreach (var frame in RecordingReader.Open(_directory).ReadFrames())
        {
            if (sequenceOf.TryGetValue(Encoding.UTF8.GetString(frame.Bytes.Span), out var sequence))
            {
                if (!received.TryGetValue(frame.ConnectionId, out var sequences))
                {
                    sequences = [];
                    received[frame.ConnectionId] = sequences;
                }

                sequences.Add(sequence);
            }
        }

        return [.. received.Values];
    }
}
