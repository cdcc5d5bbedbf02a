using System.Net;
using System.Net.Sockets;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

/// <summary>The blocking transport under each WebSocket, over a loopback socket pair.</summary>
public sealed class BlockingSocketStreamTests
{
    [Fact]
    public async Task ReadAsync_OnAReaderThreadWithBytesWaiting_CompletesInPlaceAndTheSocketStaysBlocking()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        using var stream = new BlockingSocketStream(client);
        peer.Send("hello"u8);
        await stream.WriteAsync("world"u8.ToArray(), TestContext.Current.CancellationToken);

        var (inPlace, read) = await Task.Factory.StartNew(
            () =>
            {
                BlockingSocketStream.ReadInPlaceOnThisThread();
                var buffer = new byte[16];
                var pending = stream.ReadAsync(buffer, CancellationToken.None);
                return (pending.IsCompletedSuccessfully, pending.IsCompletedSuccessfully ? buffer[..pending.Result] : []);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        Assert.True(inPlace);
        Assert.Equal("hello"u8.ToArray(), read);
        Assert.True(client.Blocking);
        var received = new byte[16];
        Assert.Equal(5, peer.Receive(received));
        Assert.Equal("world"u8.ToArray(), received[..5]);
    }

    [Fact]
    public async Task ReadAsync_OffAReaderThread_WaitsOffTheCallersThreadUntilBytesArrive()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        using var stream = new BlockingSocketStream(client);
        var buffer = new byte[16];

        var read = stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);
        peer.Send("late"u8);

        Assert.Equal("late"u8.ToArray(), buffer[..await read.AsTask().WaitAsync(TestEvents.WaitLimit, TestContext.Current.CancellationToken)]);
        Assert.True(client.Blocking);
    }

    [Fact]
    public async Task Dispose_WhileAReadWaits_WakesTheReader()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        var stream = new BlockingSocketStream(client);
        var reading = new ManualResetEventSlim();
        var reader = Task.Factory.StartNew(
            () =>
            {
                reading.Set();
                return stream.Read(new byte[16]);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(reading.Wait(TestEvents.WaitLimit, TestContext.Current.CancellationToken));
        await Task.Delay(100, TestContext.Current.CancellationToken);

        await stream.DisposeAsync();

        // The shutdown wakes the read: it sees the end of the stream or a failed read, never hangs.
        var ended = await Task.WhenAny(reader, Task.Delay(TestEvents.WaitLimit, TestContext.Current.CancellationToken));
        Assert.Same(reader, ended);
        var outcome = await Record.ExceptionAsync(async () => Assert.Equal(0, await reader));
        Assert.True(outcome is null or IOException, $"the read ended with {outcome}");
    }

    [Fact]
    public async Task Read_AfterDispose_FailsWithAnIOException()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        var stream = new BlockingSocketStream(client);
        await stream.DisposeAsync();

        Assert.Throws<IOException>(() => stream.Read(new byte[16]));
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync(new byte[1], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_AfterGatherWithNothingWaiting_SleepsFirstAndReadsWhatArrivedMeanwhileInOneRead()
    {
        using var loopback = await LoopbackAsync();

        var read = await GatheredReadsAsync(loopback, TimeSpan.FromSeconds(1), reads: 1, (50, "a"), (30, "b"));

        // Read as each byte came, the first read would hold "a" alone.
        Assert.Equal("ab", read);
    }

    [Fact]
    public async Task Read_AfterAGatheredRead_WaitsForTheNextBytesWithoutGatheringAgain()
    {
        using var loopback = await LoopbackAsync();
        loopback.Peer.Send("a"u8);

        var reads = await GatheredReadsAsync(loopback, TimeSpan.FromSeconds(1), reads: 2, (50, "c"), (300, "d"));

        // One gather per frame's end: a second sleep would have read "cd" together.
        Assert.Equal("a|c", reads);
    }

    [Fact]
    public async Task Read_AfterGatherWithBytesWaiting_ReadsThemWithoutSleeping()
    {
        using var loopback = await LoopbackAsync();
        loopback.Peer.Send("ready"u8);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var read = await GatheredReadsAsync(loopback, TimeSpan.FromSeconds(10), reads: 1);

        Assert.Equal("ready", read);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"the read took {started.Elapsed}");
    }

    /// <summary>
    /// Reads <paramref name="reads"/> times on a reader thread that asked to gather for <paramref name="window"/> first,
    /// while the peer sends each text after its delay; the reads joined by '|'.
    /// </summary>
    private static async Task<string> GatheredReadsAsync(Loopback loopback, TimeSpan window, int reads, params (int DelayMilliseconds, string Text)[] sends)
    {
        var read = OnAReaderThread(() =>
        {
            BlockingSocketStream.GatherBeforeNextRead(window);
            return string.Join('|', Enumerable.Range(0, reads).Select(_ => ReadOnce(loopback.Stream)));
        });
        foreach (var (delay, text) in sends)
        {
            await Task.Delay(delay, TestContext.Current.CancellationToken);
            loopback.Peer.Send(System.Text.Encoding.ASCII.GetBytes(text));
        }

        return await read.WaitAsync(TestEvents.WaitLimit, TestContext.Current.CancellationToken);
    }

    private static Task<string> OnAReaderThread(Func<string> read) => Task.Factory.StartNew(
        () =>
        {
            BlockingSocketStream.ReadInPlaceOnThisThread();
            return read();
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    private static string ReadOnce(BlockingSocketStream stream)
    {
        var buffer = new byte[16];
        return System.Text.Encoding.ASCII.GetString(buffer, 0, stream.Read(buffer));
    }

    private static async Task<Loopback> LoopbackAsync()
    {
        var (client, server) = await PairAsync();
        return new Loopback(server, new BlockingSocketStream(client));
    }

    /// <summary>A blocking client socket connected to an accepted server socket on loopback.</summary>
    private static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var accepted = listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return (client, await accepted);
    }

    /// <summary>A blocking stream over one end of a loopback pair, and the other end to send from.</summary>
    private sealed record Loopback(Socket Peer, BlockingSocketStream Stream) : IDisposable
    {
        public void Dispose()
        {
            Stream.Dispose();
            Peer.Dispose();
        }
    }
}
