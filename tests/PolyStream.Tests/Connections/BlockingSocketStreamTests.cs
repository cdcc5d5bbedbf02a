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

    /// <summary>A blocking client socket connected to an accepted server socket on loopback.</summary>
    [Fact]
    public async Task Read_AfterGatherWithNothingWaiting_SleepsFirstAndReadsWhatArrivedMeanwhileInOneRead()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        using var stream = new BlockingSocketStream(client);

        var read = OnAReaderThread(() =>
        {
            BlockingSocketStream.GatherBeforeNextRead(TimeSpan.FromSeconds(1));
            return ReadOnce(stream);
        });
        await Task.Delay(50, TestContext.Current.CancellationToken);
        peer.Send("a"u8);
        await Task.Delay(30, TestContext.Current.CancellationToken);
        peer.Send("b"u8);

        // Read as each byte came, the first read would hold "a" alone.
        Assert.Equal("ab", await read.WaitAsync(TestEvents.WaitLimit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_AfterAGatheredRead_WaitsForTheNextBytesWithoutGatheringAgain()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        using var stream = new BlockingSocketStream(client);
        peer.Send("a"u8);

        var read = OnAReaderThread(() =>
        {
            BlockingSocketStream.GatherBeforeNextRead(TimeSpan.FromSeconds(1));
            var first = ReadOnce(stream);
            return first + "|" + ReadOnce(stream);
        });
        await Task.Delay(50, TestContext.Current.CancellationToken);
        peer.Send("c"u8);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        peer.Send("d"u8);

        // One gather per frame's end: a second sleep would have read "cd" together.
        Assert.Equal("a|c", await read.WaitAsync(TestEvents.WaitLimit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_AfterGatherWithBytesWaiting_ReadsThemWithoutSleeping()
    {
        var (client, server) = await PairAsync();
        using var peer = server;
        using var stream = new BlockingSocketStream(client);
        peer.Send("ready"u8);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var read = await OnAReaderThread(() =>
        {
            BlockingSocketStream.GatherBeforeNextRead(TimeSpan.FromSeconds(10));
            return ReadOnce(stream);
        }).WaitAsync(TestEvents.WaitLimit, TestContext.Current.CancellationToken);

        Assert.Equal("ready", read);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"the read took {started.Elapsed}");
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

    private static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var accepted = listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return (client, await accepted);
    }
}
