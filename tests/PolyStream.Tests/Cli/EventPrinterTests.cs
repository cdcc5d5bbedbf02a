using System.Buffers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Bus;
using PolyStream.Cli.Output;
using PolyStream.Events;

namespace PolyStream.Tests.Cli;

public sealed class EventPrinterTests
{
    [Fact]
    public async Task RunAsync_NoMoreEventsReady_WritesOutWhatItPrintedAtOnce()
    {
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var time = new FakeTimeProvider();
        var writes = new RecordingWriter();
        using var output = new BufferedOutput(writes, time);
        using var ndjson = new NdjsonWriter();
        var printer = new EventPrinter(ndjson, output);
        using var stop = new CancellationTokenSource();
        foreach (var n in (int[])[1, 2, 3])
        {
            bus.Publish(TestEvents.Quote(n));
        }

        var run = printer.RunAsync(events, stop.Token);
        await writes.WaitForAsync(1);

        // The clock never moved: the printer went idle, it did not wait for a timer.
        Assert.Equal([.. Enumerable.Range(1, 3).Select(n => StreamEventJson.Line(TestEvents.Quote(n)) + "\n")], Lines(Assert.Single(writes.All)));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task RunAsync_EventsKeepComing_WritesOutEveryMaxDelay()
    {
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var time = new FakeTimeProvider();
        var writes = new RecordingWriter();
        using var output = new BufferedOutput(writes, time);
        var step = EventPrinter.MaxDelay / 2.5;
        using var ndjson = new NdjsonWriter();
        var printer = new EventPrinter(new SlowFormat(ndjson, time, step), output);
        using var stop = new CancellationTokenSource();
        for (var n = 1; n <= 10; n++)
        {
            bus.Publish(TestEvents.Quote(n));
        }

        var run = printer.RunAsync(events, stop.Token);
        await writes.WaitForAsync(3);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // 20 ms a line, 50 ms at most in the buffer: written out after lines 4 and 8 although events were always ready, then the rest when idle.
        Assert.Equal([4, 4, 2], writes.All.Select(w => Lines(w).Count));
        Assert.Equal(10, printer.Count);
    }

    [Fact]
    public void Flush_LineLongerThanTheBuffer_WritesItWhole()
    {
        var writes = new RecordingWriter();
        using var output = new BufferedOutput(writes, TimeProvider.System);
        var line = new string('é', BufferedOutput.Capacity) + "\n";

        output.Write(Encoding.UTF8.GetBytes(line));
        output.Flush();

        Assert.Equal(line, string.Concat(writes.All));
    }

    private static List<string> Lines(string written) => [.. written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n")];

    /// <summary>NDJSON that takes <paramref name="step"/> of the fake clock per line.</summary>
    private sealed class SlowFormat(NdjsonWriter ndjson, FakeTimeProvider time, TimeSpan step) : ILineFormat
    {
        public void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
        {
            time.Advance(step);
            ndjson.Write(streamEvent, output);
        }
    }

    /// <summary>Keeps each write the buffer made, in order.</summary>
    private sealed class RecordingWriter : TextWriter
    {
        private readonly SemaphoreSlim _written = new(0);
        private readonly List<string> _writes = [];

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> All
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes];
                }
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            var text = new string(buffer, index, count);
            lock (_writes)
            {
                _writes.Add(text);
            }

            _written.Release();
        }

        /// <summary>Waits until <paramref name="count"/> more writes were made.</summary>
        public async Task WaitForAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _written.WaitAsync(TestEvents.WaitLimit), "the printer wrote nothing");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
