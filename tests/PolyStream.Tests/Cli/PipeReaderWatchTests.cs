using System.IO.Pipes;
using PolyStream.Cli;

namespace PolyStream.Tests.Cli;

public sealed class PipeReaderWatchTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_ReaderClosesThePipe_CallsReaderGoneOnce()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "poll(2) on a pipe's write end is watched on Linux only");
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        var calls = 0;
        var gone = new TaskCompletionSource();
        PipeReaderWatch.Start(Descriptor(writer), () =>
        {
            Interlocked.Increment(ref calls);
            gone.TrySetResult();
        });

        reader.Dispose();

        await gone.Task.WaitAsync(s_limit, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Start_ReaderStillThere_DoesNotCallReaderGone()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "poll(2) on a pipe's write end is watched on Linux only");
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        var gone = new TaskCompletionSource();
        PipeReaderWatch.Start(Descriptor(writer), () => gone.TrySetResult());

        // Room to write and bytes not yet read are no reason to wake: only the reader leaving is.
        writer.Write("a line nobody has read yet\n"u8);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        Assert.False(gone.Task.IsCompleted, "the watch fired while the reader was still there");

        // Ends the watching thread.
        reader.Dispose();
        await gone.Task.WaitAsync(s_limit, TestContext.Current.CancellationToken);
    }

    private static int Descriptor(PipeStream pipe) => (int)pipe.SafePipeHandle.DangerousGetHandle();
}
